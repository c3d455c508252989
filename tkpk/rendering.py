from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every `{{ form }}` renders with the project's Bootstrap templates."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
