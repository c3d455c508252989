"""The joint commitment form: the commitment, its signing partners and its pledge lines."""

from django import forms
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from households.forms import VillageChoiceField
from households.models import Area
from partners.models import Commitment, Partner, PartnerKind, Pledge, quantity_plain
from partners.services import pledge_unit, signer_refusal
from programs.models import Program
from tkpk.documents import DocumentField, KeepsDocuments
from tkpk.forms import DATE_INPUT, year_field
from tkpk.validators import validate_plausible_date


def partner_choices(commitment: Commitment) -> QuerySet:
    """The partners a commitment may be signed by: the active ones, and those that signed it."""
    signed = Q(pk__in=commitment.partners.values("pk")) if commitment.pk else Q()
    return Partner.objects.filter(Q(is_active=True) | signed).order_by("name")


def region_villages() -> QuerySet:
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .villages()
        .select_related("parent")
        .order_by("name", "code")
    )


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Program) -> str:
        return f"{obj.code} · {obj.name}"


class CommitmentForm(KeepsDocuments, forms.ModelForm):
    """The commitment itself; its pledge lines are PledgeFormSet, its document stored by the
    service (commitment_save)."""

    document = DocumentField(
        label=_("Signed document"),
        required=False,
        help_text=_("PDF, JPEG or PNG: the scan or photo of the signed commitment."),
    )

    class Meta:
        model = Commitment
        fields = [
            "title",
            "partners",
            "program",
            "signed_on",
            "start_date",
            "end_date",
            "government_signatories",
        ]
        field_classes = {"program": ProgramChoiceField}
        widgets = {
            "partners": forms.CheckboxSelectMultiple,
            "signed_on": DATE_INPUT,
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "government_signatories": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"partners": _("Tick every partner that signed; each may pledge below.")}

    def __init__(self, *args, partners: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners
        self.fields["program"].queryset = Program.objects.order_by("-start_date", "code")
        self.fields["program"].empty_label = _("None: a general commitment")
        for name in ("signed_on", "start_date", "end_date"):
            self.fields[name].validators.append(validate_plausible_date)


class PledgeForm(forms.ModelForm):
    """One pledge line. The unit may be left empty where the kind decides it (Rp, people)."""

    village = VillageChoiceField(
        label=_("Target village"),
        queryset=Area.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Anywhere"),
    )

    class Meta:
        model = Pledge
        fields = ["partner", "kind", "quantity", "unit", "description", "village"]
        # "1.500.000" and "2,5", as they are typed in Indonesia.
        localized_fields = ["quantity"]

    def __init__(self, *args, partners: QuerySet, choices: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The querysets check what is sent; the options shown are read once for all the
        # lines of the form set (`choices`, by field name), not once per line.
        self.fields["partner"].queryset = partners
        self.fields["village"].queryset = region_villages()
        for name, options in (choices or {}).items():
            self.fields[name].choices = options
        self.fields["unit"].required = False
        # Said once above the lines (commitment_form.html), not under each of them.
        self.fields["unit"].help_text = ""
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"
        self.initial["quantity"] = quantity_plain(self.instance.quantity)
        if getattr(self.instance, "realisation_count", 0):
            # Its realisations were delivered by this partner: another partner is a new line.
            self.fields["partner"].disabled = True
            self.fields["partner"].help_text = _("It has realisations: it stays with its partner.")

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, unit = cleaned.get("kind"), cleaned.get("unit") or ""
        if kind:
            unit = pledge_unit(kind, unit)
            if not unit:
                self.add_error(
                    "unit", _("Say what it is counted in, for example tonnes, packages or units.")
                )
            cleaned["unit"] = unit
        return cleaned


class BasePledgeFormSet(BaseInlineFormSet):
    """The pledge lines; `signed_by` is the CommitmentForm whose ticked partners the lines'
    partners must be among, so that a line is marked in the same round as the form."""

    def __init__(
        self, *args, partners: QuerySet, signed_by: CommitmentForm | None = None, **kwargs
    ) -> None:
        self.partners, self.signed_by = partners, signed_by
        partner, village = (PledgeForm.base_fields[name] for name in ("partner", "village"))
        self.choices = {
            "partner": [("", partner.empty_label), *((p.pk, str(p)) for p in partners)],
            "village": [
                ("", village.empty_label),
                *((v.code, village.label_from_instance(v)) for v in region_villages()),
            ],
        }
        super().__init__(*args, **kwargs)

    def get_queryset(self) -> QuerySet:
        if not hasattr(self, "_queryset"):
            self._queryset = (
                super()
                .get_queryset()
                .select_related("partner", "village")
                .annotate(realisation_count=Count("realisations"))
            )
        return self._queryset

    def get_form_kwargs(self, index):
        return {"partners": self.partners, "choices": self.choices}

    def clean(self) -> None:
        super().clean()
        signers = self._signers()
        if signers is None:
            return
        for form in self.forms:
            partner = form.cleaned_data.get("partner")
            if partner is None or self._should_delete_form(form):
                continue
            if refusal := signer_refusal(partner, signers):
                form.add_error("partner", refusal)

    def _signers(self) -> set[int] | None:
        """The pks of the partners ticked on `signed_by`, or None when there is nothing to
        check against (no form, or its partners refused already)."""
        form = self.signed_by
        if form is None or not form.is_bound or "partners" in form.errors:
            return None
        return {partner.pk for partner in form.cleaned_data.get("partners", ())}

    def changes(self) -> tuple[list[Pledge], list[Pledge]]:
        """The lines to keep (saved ones and new ones typed in) and the saved lines to remove."""
        kept, removed = [], []
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    removed.append(form.instance.pk)
            elif form.instance.pk or form.has_changed():
                kept.append(form.instance)
        # Saved lines the POST left out stay too, and are checked against the signers with
        # the others (the service refuses a line whose partner was unticked).
        shown = [pledge.pk for pledge in kept if pledge.pk] + removed
        kept += list(self.get_queryset().exclude(pk__in=shown))
        # As saved, not as edited in the form marked for removal.
        return kept, list(self.get_queryset().filter(pk__in=removed))


PledgeFormSet = inlineformset_factory(
    Commitment, Pledge, form=PledgeForm, formset=BasePledgeFormSet, extra=3, can_delete=True
)


class CommitmentFilterForm(forms.Form):
    """The commitment list's filter, sent by GET."""

    year = year_field()
    program = ProgramChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("All programs"),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("All partners"),
    )
    kind = forms.ChoiceField(
        label=_("Partner type"),
        choices=[("", _("Every type")), *PartnerKind.choices],
        required=False,
    )

    def __init__(self, *args, partners: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["program"].queryset = Program.objects.filter(
            pk__in=Commitment.objects.values("program")
        ).order_by("-start_date", "code")

    def filter(self, commitments: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["year"]:
            commitments = commitments.in_year(data["year"])
        if data["program"]:
            commitments = commitments.filter(program=data["program"])
        if data["partner"]:
            commitments = commitments.filter(
                pk__in=Commitment.objects.signed_by(data["partner"].pk)
            )
        if data["kind"]:
            commitments = commitments.filter(
                pk__in=Commitment.objects.filter(partners__kind=data["kind"]).values("pk")
            )
        return commitments
