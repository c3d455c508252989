"""The filters of the overlap and exclusion pages: area, year or date, pillar.

None of them is personal data, so they travel in the page's address (GET).
"""

import datetime

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.areas import is_within
from households.forms import DistrictChoiceField, VillageChoiceField
from households.models import Area
from households.selectors import region_districts
from programs.models import Pillar
from programs.reach import Unit
from tkpk.validators import validate_plausible_date


class AreaFilterForm(forms.Form):
    """District and village; a chosen district narrows (and limits) the villages."""

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


class OverlapFilterForm(AreaFilterForm):
    unit = forms.TypedChoiceField(
        label=_("Show"),
        choices=Unit.choices,
        coerce=Unit,
        empty_value=Unit.PEOPLE,
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    pillar = forms.ModelChoiceField(
        label=_("Strategy pillar"),
        queryset=Pillar.objects.all(),
        required=False,
        empty_label=_("All pillars"),
    )
    field_order = ["year", "pillar", "district", "village", "unit"]

    def clean_year(self) -> int:
        return self.cleaned_data["year"] or timezone.localdate().year

    def clean_unit(self) -> Unit:
        return self.cleaned_data["unit"] or Unit.PEOPLE


class ExclusionFilterForm(AreaFilterForm):
    on = forms.DateField(
        label=_("Age on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date on which the program's age rules are checked. Empty: today."),
        validators=[validate_plausible_date],
    )

    def clean_on(self) -> datetime.date:
        return self.cleaned_data["on"] or timezone.localdate()
