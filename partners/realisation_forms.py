"""The forms of a realisation: recording what arrived against a pledge, and reviewing it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, Realisation, RealisationStatus, quantity_plain
from programs.models import Enrollment, EnrollmentStatus, Program
from tkpk.documents import KeepsDocuments, MultipleDocumentField
from tkpk.forms import DATE_INPUT, year_field
from tkpk.validators import validate_plausible_date

EVIDENCE_FILES = 10


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Enrollment) -> str:
        return f"{obj.person.name} ({obj.village.name})"


def participant_choices(program: Program, realisation: Realisation) -> QuerySet:
    """The program's participants holding a place, and anyone this entry already names."""
    named = Q(pk__in=realisation.participants.values("pk")) if realisation.pk else Q(pk=None)
    return (
        Enrollment.objects.filter(program=program)
        .filter(Q(status__in=EnrollmentStatus.holding_a_place()) | named)
        .select_related("person", "village")
        .order_by("village__name", "person__name", "pk")
    )


class RealisationForm(KeepsDocuments, forms.ModelForm):
    """What was delivered on a day, with evidence; for jobs and training places of a program,
    optionally who received them (`participants`: the enrolments offered, or None)."""

    evidence = MultipleDocumentField(
        label=_("Evidence files"),
        required=False,
        max_count=EVIDENCE_FILES,
        help_text=_(
            "PDF, JPEG or PNG: a receipt, a handover record, photos. Several may be chosen at once."
        ),
    )

    class Meta:
        model = Realisation
        fields = ["delivered_on", "quantity", "note"]
        localized_fields = ["quantity"]
        widgets = {"delivered_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, participants: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].validators.append(validate_plausible_date)
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"
        self.initial["quantity"] = quantity_plain(self.instance.quantity)
        unit = self.instance.pledge.unit
        self.fields["quantity"].label = _("Quantity delivered (%(unit)s)") % {"unit": unit}
        if participants is not None:
            self.fields["participants"] = ParticipantChoiceField(
                label=_("Participants who received it"),
                queryset=participants,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick the program's participants who got the job or training place."),
            )
            if self.instance.pk:
                self.initial["participants"] = list(
                    self.instance.participants.values_list("pk", flat=True)
                )

    def clean_delivered_on(self):
        delivered_on = self.cleaned_data["delivered_on"]
        if delivered_on and delivered_on > timezone.localdate():
            raise ValidationError(_("The delivery date cannot be in the future."))
        return delivered_on

    def participants(self) -> list[Enrollment] | None:
        """The participants ticked, or None when the form does not name participants."""
        if "participants" not in self.fields:
            return None
        return list(self.cleaned_data["participants"])


class RealisationFilterForm(forms.Form):
    """The realisation list's filter, sent by GET."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *RealisationStatus.choices],
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("All partners"),
    )
    year = year_field(_("Year delivered"))

    def __init__(self, *args, partners: QuerySet | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if partners is None:
            # A partner operator sees its own partner's entries only: nothing to choose.
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners

    def filter(self, realisations: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["status"]:
            realisations = realisations.filter(status=data["status"])
        if data.get("partner"):
            realisations = realisations.filter(pledge__partner=data["partner"])
        if data["year"]:
            realisations = realisations.filter(delivered_on__year=data["year"])
        return realisations
