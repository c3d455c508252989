from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from households.forms import VillageChoiceField
from households.models import Area
from programs.models import (
    BudgetLine,
    Enrollment,
    EnrollmentStatus,
    ExitReason,
    Pillar,
    Program,
    VillageQuota,
)
from programs.services import places_taken
from tkpk.forms import DATE_INPUT
from tkpk.models import Agency
from tkpk.validators import validate_plausible_date


def date_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_INPUT, validators=[validate_plausible_date])


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "pillar",
            "kind",
            "status",
            "lead_agency",
            "agencies",
            "start_date",
            "end_date",
            "description",
            "max_desil",
            "min_age",
            "max_age",
            "productive_age_only",
            "one_per_household",
        ]
        error_messages = {
            "code": {"unique": _("Another program already has this code; choose another.")}
        }
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "agencies": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, may_change_lead: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        active = Agency.objects.active()
        self.fields["lead_agency"].queryset = active
        self.fields["agencies"].queryset = active
        for name in ("start_date", "end_date"):
            self.fields[name].validators.append(validate_plausible_date)
        if not may_change_lead:
            # The lead agency's operator edits its program but does not hand it over.
            self.fields["lead_agency"].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean()
        lead, others = cleaned.get("lead_agency"), cleaned.get("agencies")
        if lead is not None and others is not None and lead in others:
            cleaned["agencies"] = others.exclude(pk=lead.pk)
        return cleaned


class QuotaForm(forms.ModelForm):
    village = VillageChoiceField(
        label=_("Village"), queryset=Area.objects.none(), to_field_name="code"
    )

    class Meta:
        model = VillageQuota
        fields = ["village", "quota"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            Area.objects.within(settings.TKPK_REGION_CODE).villages().select_related("parent")
        )
        if self.instance.pk:
            # Its participants were counted in this village: another village is a new row.
            self.fields["village"].disabled = True


class BaseQuotaFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        # Target villages saved before and not in this form set count too.
        shown = [form.instance.pk for form in self.forms if form.instance.pk]
        seen = set()
        if self.instance.pk:
            seen = {
                quota.village
                for quota in self.instance.quotas.exclude(pk__in=shown).select_related("village")
            }
        for form in self.forms:
            if not form.cleaned_data:
                continue
            village = form.cleaned_data.get("village")
            taken = places_taken(self.instance, village.code) if village and self.instance.pk else 0
            if form.cleaned_data.get("DELETE"):
                if taken:
                    raise ValidationError(
                        _("%(village)s has %(n)d participants: it stays a target village.")
                        % {"village": village.name, "n": taken}
                    )
                continue
            if village in seen:
                raise ValidationError(_("%(village)s is listed twice.") % {"village": village.name})
            seen.add(village)
            quota = form.cleaned_data.get("quota")
            if quota is not None and quota < taken:
                form.add_error(
                    "quota",
                    _("%(village)s already has %(n)d participants; the quota cannot be lower.")
                    % {"village": village.name, "n": taken},
                )


QuotaFormSet = inlineformset_factory(
    Program, VillageQuota, form=QuotaForm, formset=BaseQuotaFormSet, extra=3, can_delete=True
)
BudgetLineFormSet = inlineformset_factory(
    Program,
    BudgetLine,
    fields=["source", "amount", "note"],
    localized_fields=["amount"],
    extra=2,
    can_delete=True,
)


class PersonSearchForm(forms.Form):
    """Find someone in the register to enrol: a NIK (sent by POST, never in a URL) or a name."""

    q = forms.CharField(
        label=_("NIK or name"),
        max_length=100,
        min_length=3,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class EnrollForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Reason for enrolling despite the rules"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person does not meet the desil or age rules."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = date_field(_("Date"))
    exit_reason = forms.ChoiceField(
        label=_("Reason for exit"), choices=[("", "—"), *ExitReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enrollment: Enrollment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, EnrollmentStatus(status).label)
            for status in EnrollmentStatus.next_statuses(enrollment.status)
        ]


class IncomeForm(forms.Form):
    # Localised: "1.500.000" is how a clerk types one and a half million rupiah.
    amount = forms.DecimalField(
        label=_("Monthly income (Rp)"), min_value=0, max_digits=14, decimal_places=0, localize=True
    )
    on = date_field(_("Date"))


class PillarForm(forms.ModelForm):
    class Meta:
        model = Pillar
        fields = ["name", "short_name", "order"]
