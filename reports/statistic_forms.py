"""The forms of poverty statistics: one area's figures for a year, the upload of a file of
them, the confirmation of implausible steps, and the list's year."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.dtsen.forms import TableFileField
from households.models import Area
from partners.models import quantity_plain
from reports.models import INDICATORS, PovertyStatistic
from reports.models.statistics import FIRST_YEAR
from reports.statistic_files import MAX_BYTES, TEMPLATE_COLUMNS
from reports.statistics import allowed_areas
from tkpk.forms import year_field

INDICATOR_FIELDS = [indicator.field for indicator in INDICATORS]
CONFIRM_LABEL = _("I have checked these figures")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.code} {obj.name}"


class StatisticForm(forms.ModelForm):
    """One area's figures for one year, typed the Indonesian way (5,83; 1.010).

    A figure that moves more than its plausible step is saved only once `confirmed` is
    ticked; `steps` carries the keys of the steps the page showed (reports.statistics.Step).
    """

    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())
    confirmed = forms.BooleanField(label=CONFIRM_LABEL, required=False)
    steps = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PovertyStatistic
        fields = ["area", "year", *INDICATOR_FIELDS, "source"]
        localized_fields = INDICATOR_FIELDS
        help_texts = {
            "poverty_rate": _("In percent, with a comma: 5,83."),
            "poor_people": _("People, for example 25.300."),
            "poverty_line": _("Rupiah per person per month, for example 550.000."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = allowed_areas()
        self.fields["area"].initial = self.fields["area"].initial or settings.TKPK_REGION_CODE
        self.fields["year"].widget.attrs.update(min=FIRST_YEAR, max=timezone.localdate().year)
        for name in INDICATOR_FIELDS:
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            value = getattr(self.instance, name)
            if self.instance.pk and isinstance(value, Decimal):
                self.initial[name] = quantity_plain(value)  # 2,5 rather than 2,50
        if self.instance.pk:
            # Another area or year is another record: it is entered on its own.
            self.fields["area"].disabled = True
            self.fields["year"].disabled = True

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(
                _("%(year)d is in the future: BPS publishes a year's figures after it begins."),
                params={"year": year},
            )
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        area, year = cleaned.get("area"), cleaned.get("year")
        new = self.instance.pk is None and area is not None and year is not None
        if new and PovertyStatistic.objects.filter(area=area, year=year).exists():
            self.add_error(
                "year",
                _("The figures of %(area)s for %(year)d are already entered: edit them.")
                % {"area": area.name, "year": year},
            )
        return cleaned

    def validate_unique(self) -> None:
        """The service saves; the clean above says it better for a new area and year."""

    @property
    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in INDICATOR_FIELDS}

    @property
    def confirmed_steps(self) -> list[str]:
        """The step keys the person confirmed by ticking the box, none when unticked."""
        if not self.cleaned_data.get("confirmed"):
            return []
        return [key for key in self.cleaned_data.get("steps", "").split("\n") if key]

    def ask_confirmation(self, keys: list[str]) -> None:
        """Show the box again, unticked, for the steps `keys` (the values typed stay)."""
        data = self.data.copy()
        data[self.add_prefix("steps")] = "\n".join(keys)
        data.pop(self.add_prefix("confirmed"), None)
        self.data = data


class StatisticUploadForm(forms.Form):
    file = TableFileField(label=_("File of statistics"))
    source = forms.CharField(
        label=_("Source"),
        max_length=PovertyStatistic._meta.get_field("source").max_length,
        required=False,
        help_text=_('For the rows whose column sumber is empty, for example "BPS, March 2025".'),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Columns %(columns)s; one row per area and year. .xlsx (also .xls, .ods), or .csv/.txt."
        ) % {"columns": ", ".join(TEMPLATE_COLUMNS)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than a file of statistics can be (%(limit)d MB)."),
                params={"limit": MAX_BYTES // (1024 * 1024)},
            )
        return upload


class StatisticConfirmForm(forms.Form):
    confirmed = forms.BooleanField(label=CONFIRM_LABEL)


class StatisticYearForm(forms.Form):
    """The list's year, sent by GET as ?tahun=."""

    tahun = year_field(_("Year"))
