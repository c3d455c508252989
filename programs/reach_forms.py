"""The filters of the overlap and exclusion pages: area, year or date, pillar.

None of them is personal data, so they travel in the page's address (GET).
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms import AreaFilterForm
from programs.models import Pillar
from programs.reach import Unit
from tkpk.forms import DATE_INPUT, year_field
from tkpk.validators import validate_plausible_date


class OverlapFilterForm(AreaFilterForm):
    unit = forms.TypedChoiceField(
        label=_("Show"),
        choices=Unit.choices,
        coerce=Unit,
        empty_value=Unit.PEOPLE,
        required=False,
    )
    year = year_field()
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
        widget=DATE_INPUT,
        help_text=_("The date on which the program's age rules are checked. Empty: today."),
        validators=[validate_plausible_date],
    )

    def clean_on(self) -> datetime.date:
        return self.cleaned_data["on"] or timezone.localdate()
