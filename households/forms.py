from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from households.areas import is_within
from households.identity import clean_number
from households.models import Area
from households.selectors import region_districts

DESIL_CHOICES = [(str(n), str(n)) for n in range(1, 11)]


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        # Two districts may each have a village of the same name.
        return f"{obj.name} ({obj.parent.name})" if self.with_district else obj.name

    with_district = True


class AreaFilterForm(forms.Form):
    """District and village of the region; a chosen district narrows (and limits) the villages.

    The register, the overlap and the exclusion pages filter by area through this form.
    """

    district = DistrictChoiceField(
        label=_("District"),
        queryset=Area.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
    )
    village = VillageChoiceField(
        label=_("Village"),
        queryset=Area.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All villages"),
    )

    def __init__(self, *args, villages: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = region_districts()
        if villages is None:
            villages = Area.objects.within(settings.TKPK_REGION_CODE).villages()
        district = self.data.get("district") if self.is_bound else None
        if district and is_within(district, settings.TKPK_REGION_CODE):
            villages = villages.filter(parent_id=district)
            self.fields["village"].with_district = False
        self.fields["village"].queryset = villages.select_related("parent").order_by("name")

    def area(self) -> dict:
        data = self.cleaned_data
        return {
            "district": data["district"].code if data["district"] else None,
            "village": data["village"].code if data["village"] else None,
        }


class HouseholdFilterForm(AreaFilterForm):
    """The register filter: area, desil range and a NIK, No. KK or name.

    The search text `q` is sent by POST and kept in the session: a NIK or No. KK must never
    reach a URL. The list's address carries a token for it (see views/register.py).
    """

    q = forms.CharField(
        label=_("NIK, No. KK or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    field_order = ["q", "district", "village", "desil_from", "desil_to"]
    desil_from = forms.TypedChoiceField(
        label=_("Desil from"),
        choices=[("", "—"), *DESIL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    desil_to = forms.TypedChoiceField(
        label=_("Desil to"),
        choices=[("", "—"), *DESIL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, full_data: bool = True, search_lost: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Who sees masked numbers may not probe the register with whole ones either.
        self.full_data = full_data
        # The address named a search this session does not hold (expired, or someone else's).
        self.search_lost = search_lost
        if not full_data:
            self.fields["q"].label = _("Name")

    def clean_q(self) -> str:
        if self.search_lost:
            raise forms.ValidationError(
                _("This search is no longer kept; type it again."),
                code="lost",
            )
        q = " ".join(self.cleaned_data["q"].split())
        digits = clean_number(q)
        if digits.isdigit() and not self.full_data:
            raise forms.ValidationError(
                _("Searching by NIK or No. KK is for the secretariat; search by name."),
                code="personal_data",
            )
        if digits.isdigit() and len(digits) != 16:
            raise forms.ValidationError(
                _("A NIK or No. KK has 16 digits; %(count)d were typed."),
                params={"count": len(digits)},
                code="length",
            )
        return q

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("desil_from"), cleaned.get("desil_to")
        if low is not None and high is not None and low > high:
            self.add_error("desil_to", _("“Desil to” cannot be below “Desil from”."))
        return cleaned

    def filters(self) -> dict:
        """The cleaned filter as plain values: for the query and for the export log."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            **self.area(),
            "desil_from": data["desil_from"],
            "desil_to": data["desil_to"],
        }


class HouseholdExportForm(HouseholdFilterForm):
    """The register filter plus the file format of the export."""

    FORMATS = [("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV"))]

    format = forms.ChoiceField(label=_("File format"), choices=FORMATS)
