"""The forms of an agency's action plan: starting a year's plan, its activities, sending
it for verification and opening a revision. The secretariat's review is tkpk.forms.ReviewForm.
"""

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Area
from partners.models import quantity_plain
from programs.models import QUARTERS, ActionPlan, Activity, Program
from tkpk.forms import year_field

# The activity's numbers, typed the Indonesian way: 1.500.000 or 2,5.
NUMBER_FIELDS = ["target", *(f"target_q{quarter}" for quarter in QUARTERS), "budget"]


def version_field() -> forms.IntegerField:
    """The version the author read; empty for a new record (tkpk.locking)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanCreateForm(forms.Form):
    """The year of the plan an agency operator starts; the agency is always their own."""

    year = year_field(_("Year"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].required = True
        self.fields["year"].initial = timezone.localdate().year


class PlanYearForm(forms.Form):
    """The plan list's year, sent by GET as ?tahun=."""

    tahun = year_field(_("Year"))


class VillageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        # Two districts may each have a village of the same name.
        return f"{obj.name} ({obj.parent.name})"


def village_choices() -> QuerySet:
    """The region's villages (level 4), by district then name."""
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .villages()
        .select_related("parent")
        .order_by("parent__name", "name", "code")
    )


def program_choices(plan: ActionPlan, activity: Activity) -> QuerySet:
    """Programs running in the plan's year, and the one the activity already links to."""
    kept = Q(pk=activity.program_id) if activity.program_id else Q(pk=None)
    return Program.objects.filter(
        Q(pk__in=Program.objects.in_year(plan.year).values("pk")) | kept
    ).order_by("code")


class ActivityForm(forms.ModelForm):
    """One activity of a plan; `version` is the one its author read (tkpk.locking)."""

    version = version_field()
    villages = VillageMultipleChoiceField(
        label=_("Target villages"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Optional. Hold Ctrl (or ⌘ on a Mac) to choose several villages; leave empty "
            "when the activity covers the whole region."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "name",
            "sub_activity_code",
            "pillar",
            "program",
            "indicator",
            "unit",
            "target",
            "adds_up",
            "target_q1",
            "target_q2",
            "target_q3",
            "target_q4",
            "budget",
            "funding_source",
            "budget_tag",
            "target_group",
            "villages",
        ]
        localized_fields = NUMBER_FIELDS
        help_texts = {
            "name": _("What the agency will do, as it reads in the budget (DPA)."),
            "indicator": _("What is counted to measure it, for example “people trained”."),
            "target": _("The value to reach by the end of the year, in the unit above."),
            "budget": _("In rupiah, without decimals, for example 150.000.000."),
            "budget_tag": _(
                "The Ministry of Finance's tagging of spending against extreme poverty."
            ),
            "target_group": _("Who among the poor the activity is meant for."),
            "program": _("Optional: the program of this year that the activity carries out."),
        }

    def __init__(self, *args, plan: ActionPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["program"].queryset = program_choices(plan, self.instance)
        self.fields["program"].empty_label = _("No program")
        self.fields["villages"].queryset = village_choices()
        for name in NUMBER_FIELDS:
            self.fields[name].widget.attrs["inputmode"] = "decimal"
            if self.instance.pk:
                self.initial[name] = quantity_plain(getattr(self.instance, name))
        for quarter in QUARTERS:
            self.fields[f"target_q{quarter}"].help_text = ""
        self.fields["target_q4"].help_text = _(
            "The four quarters add up to the yearly target; for an indicator that does not "
            "add up, each is a level to reach and the fourth is the yearly target."
        )
        # A change must say which version it was based on; a new activity has none.
        self.fields["version"].required = self.instance.pk is not None
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["villages"] = list(self.instance.villages.values_list("pk", flat=True))


class PlanSubmitForm(forms.Form):
    """Sending the plan to the secretariat: the version the operator read, an optional note."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Note for the secretariat"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what changed, or what the secretariat should know."),
    )


class PlanReviseForm(forms.Form):
    """Opening a revision of a verified plan: the operator says what it is for."""

    comment = forms.CharField(
        label=_("What the revision is for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required. The verified version stays readable until the revision is verified."
        ),
    )


class ActivityDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
