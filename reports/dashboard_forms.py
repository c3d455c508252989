"""The dashboard's filter: the year and, for the map, the measure; sent by GET."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.dashboard import measure_labels, shown_year
from tkpk.forms import year_field


class DashboardFilterForm(forms.Form):
    tahun = year_field()
    peta = forms.ChoiceField(label=_("Map"), choices=(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peta"].choices = list(measure_labels().items())

    def chosen_year(self, years: list[int]) -> int:
        """The chosen year; else the year the dashboard shows by default."""
        return self._valid("tahun") or shown_year(timezone.localdate(), years)

    def chosen_measure(self) -> str:
        return self._valid("peta") or "desil"

    def _valid(self, name: str):
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)
