from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bootstrap(field: forms.BoundField) -> SafeString:
    """Render a form field's widget with the Bootstrap class its kind needs."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        # Also CheckboxSelectMultiple. Django puts the class on the list and on each box
        # alike, so it is one class of ours that styles both (static/css/tkpk.css).
        css = "choice-list"
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def minutes(delta) -> int:
    """Whole minutes of a timedelta, rounded up (for 'try again in N minutes')."""
    return -(-int(delta.total_seconds()) // 60) if delta else 0
