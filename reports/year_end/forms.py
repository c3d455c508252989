"""The forms of the year-end report's pages: start a year's report, write one narrative
section, finalise. Each carries what its service needs and nothing more."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reports.models import NARRATIVE_FIELDS, YearEndReport
from tkpk.validators import FIRST_YEAR

# A narrative is a few pages at most; far more is a paste gone wrong.
NARRATIVE_MAX_CHARS = 50_000

FORMATTING_HINT = _(
    "A blank line starts a new paragraph; a line starting with “- ” is a bullet point, "
    "“1. ” a numbered one; **bold** and *italic*."
)


def section_title(section: str) -> str:
    """A narrative section's heading: the model field's name, the one place it is written."""
    return capfirst(YearEndReport._meta.get_field(section).verbose_name)


class YearEndStartForm(forms.Form):
    """The year of a report to start; this year unless another is typed."""

    year = forms.IntegerField(label=_("Year of the report"), min_value=FIRST_YEAR)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].initial = this_year
        self.fields["year"].max_value = this_year
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=this_year)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(
                _("%(year)d has not begun: a report is written about a year that has."),
                params={"year": year},
            )
        return year


class NarrativeForm(forms.Form):
    """One narrative section's text, with the report's version the writer started from.

    Prefixed with the section's name, so the page holds one form per section."""

    text = forms.CharField(
        required=False,
        strip=False,  # the service strips; a bullet's leading "- " must survive until then
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=FORMATTING_HINT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, section: str, report: YearEndReport, **kwargs) -> None:
        if section not in NARRATIVE_FIELDS:
            raise ValueError(section)
        kwargs.setdefault("initial", {"text": getattr(report, section), "version": report.version})
        super().__init__(*args, prefix=section, **kwargs)
        self.section = section
        # The model's verbose name is the section's one label.
        self.fields["text"].label = section_title(section)


class FinaliseForm(forms.Form):
    """The version of the report the person read before finalising it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
