"""The awards pages' forms: the weights of a year, a special category, and on a category's
page its new name or deletion, the adjustment, the candidate added by hand, the winners
and a removal. Each is checked again by its service (reports.awards.services), where the
rules live."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from reports.awards.candidates import CandidateKey, Ranked
from reports.awards.scoring import WEIGHT_FIELDS, Weights
from reports.awards.tables import kind_short
from reports.models import AwardCandidate, AwardCategory, AwardMethod, CandidateKind
from tkpk.models import Agency

TEXT = {"rows": 3}
LONGEST_TEXT = 2000
CHOOSE = _("— choose —")


def _score_field(**kwargs) -> forms.DecimalField:
    """A score typed the Indonesian way (82,5), 0–100, two decimals at most."""
    return forms.DecimalField(
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        **kwargs,
    )


class MethodForm(forms.Form):
    """The year's weights, in percent, one field per part (AwardMethod's fields)."""

    def __init__(self, *args, weights: Weights, **kwargs) -> None:
        super().__init__(*args, initial=weights.as_dict(), **kwargs)
        for name in WEIGHT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=capfirst(AwardMethod._meta.get_field(name).verbose_name),
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"size": 4}),
            )


class CategoryCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the special award"),
        max_length=AwardCategory._meta.get_field("name").max_length,
        help_text=_("For example: Most innovative village."),
    )


class CategoryRenameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the award"),
        max_length=AwardCategory._meta.get_field("name").max_length,
        help_text=_("As printed in the year-end document and on the winners' certificates."),
    )


class CategoryDeleteForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, delete this special award and its candidates"),
        error_messages={"required": _("Tick the box to delete the special award.")},
    )


def _choices(ranked: list[Ranked], *, scored_only: bool = False) -> list[tuple[str, str]]:
    return [
        (str(item.key), f"{item.name} ({kind_short(item.kind)})")
        for item in ranked
        if not scored_only or item.final is not None
    ]


class CandidateForm(forms.Form):
    """Names one ranked candidate of the category (its CandidateKey, as text)."""

    candidate = forms.ChoiceField(label=_("Candidate"))

    def __init__(self, *args, ranked: list[Ranked], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", CHOOSE), *_choices(ranked)]

    @property
    def key(self) -> CandidateKey:
        return CandidateKey.parse(self.cleaned_data["candidate"])


class AdjustForm(CandidateForm):
    score = _score_field(
        label=_("Adjusted score"),
        required=False,
        help_text=_("From 0 to 100. Leave it empty to remove the adjustment."),
    )
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        required=False,
        max_length=LONGEST_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Required with a score: it is printed in the year-end document."),
    )


class RemoveForm(CandidateForm):
    """A candidate added by hand, taken back; a winner only once the removal is confirmed
    on a page of its own (the button sits in the ranking, next to the certificate)."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.acronym})"


class CandidateAddForm(forms.Form):
    """The kind, the fields of that kind (the page groups them by kind: the agency, the
    partner, or an other's name and score), and the justification."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=CandidateKind.choices, widget=forms.RadioSelect
    )
    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=CHOOSE,
        help_text=_("Scored on all agreed activities of its verified action plan."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        empty_label=CHOOSE,
        help_text=_("Scored on all its pledges of the year."),
    )
    name = forms.CharField(
        label=_("Name of the district, village or organisation"),
        max_length=AwardCandidate._meta.get_field("name").max_length,
        required=False,
        help_text=_("For example: Desa Tarjun."),
    )
    score = _score_field(
        label=_("Score given"),
        required=False,
        help_text=_("From 0 to 100, for example 82,5: it has no computed score."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=LONGEST_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Why this candidate: it is printed in the year-end document."),
    )


class WinnersForm(forms.Form):
    winners = forms.MultipleChoiceField(
        label=_("Winners"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, ranked: list[Ranked], **kwargs) -> None:
        initial = {"winners": [str(item.key) for item in ranked if item.is_winner]}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["winners"].choices = _choices(ranked, scored_only=True)

    @property
    def keys(self) -> list[CandidateKey]:
        return [CandidateKey.parse(text) for text in self.cleaned_data["winners"]]
