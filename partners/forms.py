"""Forms of the partner pages: the list's filter, a partner's profile and the year's target."""

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.models import Area, AreaLevel
from partners.models import Commitment, Partner, PartnerKind, PartnerTarget
from tkpk.forms import year_field

YES, NO = "yes", "no"
YES_NO = [("", _("Either")), (YES, _("Yes")), (NO, _("No"))]


class PartnerFilterForm(forms.Form):
    """The partners list's filter, sent by GET: partner names are not personal data."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Every type")), *PartnerKind.choices], required=False
    )
    forum = forms.ChoiceField(label=_("CSR forum member"), choices=YES_NO, required=False)
    committed = forms.ChoiceField(
        label=_("Active commitment in the year"), choices=YES_NO, required=False
    )
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False)
    # The year of the target, of "active commitment", of the money columns and of the tables
    # by type; named as on every other list.
    year = year_field()

    def chosen_year(self) -> int:
        """The chosen year; this year if none (or no valid one) was chosen."""
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return chosen or timezone.localdate().year

    def filter(self, partners: QuerySet) -> QuerySet:
        """`partners` narrowed by the filter, each annotated with `committed_in_year`."""
        partners = partners.annotate(
            committed_in_year=Exists(
                Commitment.objects.in_year(self.chosen_year()).filter(partners=OuterRef("pk"))
            )
        )
        if not self.is_valid():
            return partners
        data = self.cleaned_data
        if data["q"]:
            partners = partners.filter(name__icontains=data["q"].strip())
        if data["kind"]:
            partners = partners.filter(kind=data["kind"])
        for field, lookup in (
            ("forum", "in_csr_forum"),
            ("committed", "committed_in_year"),
            ("active", "is_active"),
        ):
            if data[field]:
                partners = partners.filter(**{lookup: data[field] == YES})
        return partners

    def used(self) -> dict:
        """The filters in use, for the export log."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if obj.level == AreaLevel.DISTRICT:
            return _("%(district)s district") % {"district": obj.name}
        return f"{obj.name} ({obj.parent.name})"


class PartnerForm(forms.ModelForm):
    """A partner's profile. Its own operator keeps it current, but its name, type, active flag
    and CSR forum membership are the secretariat's: those fields are disabled for the
    operator, so whatever is posted for them is ignored."""

    MANAGED = ("name", "kind", "is_active", "in_csr_forum")

    area = AreaChoiceField(
        label=capfirst(Partner._meta.get_field("area").verbose_name),
        queryset=Area.objects.none(),
        required=False,
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "sector",
            "contact_person",
            "phone",
            "email",
            "address",
            "area",
            "is_active",
            "in_csr_forum",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, may_manage: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Districts and villages of the region, each district followed by its villages.
        self.fields["area"].queryset = (
            Area.objects.within(settings.TKPK_REGION_CODE)
            .filter(level__in=(AreaLevel.DISTRICT, AreaLevel.VILLAGE))
            .select_related("parent")
            .order_by("code")
        )
        if not may_manage:
            for name in self.MANAGED:
                self.fields[name].disabled = True


class PartnerTargetForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        # Its ids are its own: the list's filter above it has a `year` field too.
        super().__init__(*args, auto_id="target-%s", **kwargs)

    class Meta:
        model = PartnerTarget
        fields = ["year", "partners"]
        labels = {"year": _("Year"), "partners": _("Partners with an active commitment")}

    def validate_unique(self) -> None:
        """Setting a year's target again changes it (the service finds the saved one)."""
