"""Forms of the secretariat's overview of action plans: its filter, the year's report
deadlines and the one-click reminder."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import QUARTERS, ActionPlan, Pillar
from tkpk.forms import DATE_INPUT, year_field


class OverviewFilterForm(forms.Form):
    """The overview's year and pillar, sent by GET with the names the URL shows."""

    tahun = year_field()
    pilar = forms.ModelChoiceField(
        label=_("Pillar"),
        queryset=Pillar.objects.all(),
        required=False,
        empty_label=_("Every pillar"),
    )

    def chosen_year(self) -> int:
        """The chosen year; this year if none (or no valid one) was chosen."""
        return self._valid("tahun") or timezone.localdate().year

    def chosen_pillar(self) -> Pillar | None:
        """The chosen pillar; None (every pillar) if none or no valid one was chosen."""
        return self._valid("pilar")

    def _valid(self, name: str):
        # A wrong pillar does not undo the year chosen beside it, nor the other way round.
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)


def _quarter_field(quarter: int) -> str:
    return f"q{quarter}"


class DeadlineForm(forms.Form):
    """The deadline of each quarter's progress reports in one year."""

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        for quarter in QUARTERS:
            self.fields[_quarter_field(quarter)] = forms.DateField(
                label=_("Quarter %(quarter)d reports due on") % {"quarter": quarter},
                widget=DATE_INPUT,
            )

    @staticmethod
    def field_of(quarter: int) -> str:
        return _quarter_field(quarter)

    def due_dates(self) -> dict[int, datetime.date]:
        """quarter → the deadline typed."""
        return {quarter: self.cleaned_data[_quarter_field(quarter)] for quarter in QUARTERS}


class ReminderForm(forms.Form):
    """The late list's "Send reminder" button: which plan, which quarter, and the pillar the
    overview was filtered by, to come back to it."""

    plan = forms.ModelChoiceField(queryset=ActionPlan.objects.all(), widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(
        choices=[(quarter, quarter) for quarter in QUARTERS], coerce=int, widget=forms.HiddenInput
    )
    pilar = forms.ModelChoiceField(
        queryset=Pillar.objects.all(), required=False, widget=forms.HiddenInput
    )
