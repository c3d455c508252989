"""The form of one activity's progress in a quarter, and the register's count of a linked
program's participants that may fill its beneficiaries."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import quantity_plain
from programs.models import Enrollment, EnrollmentStatus, Program, Progress
from tkpk.documents import DocumentKind, KeepsDocuments, MultipleDocumentField

EVIDENCE_FILES = 10
EVIDENCE_KINDS = (DocumentKind.PDF, DocumentKind.JPEG, DocumentKind.PNG, DocumentKind.XLSX)


def register_participants(program: Program, on: datetime.date) -> int:
    """How many of `program`'s participants were enrolled by `on` and had not left it by
    then: those who exited later still took part in the quarter, and so did those who
    graduated (no longer poor) during it. A count only: nobody is named."""
    return (
        Enrollment.objects.filter(program=program, enrolled_on__lte=on)
        .exclude(status=EnrollmentStatus.EXITED, status_changed_on__lte=on)
        .count()
    )


class ProgressForm(KeepsDocuments, forms.ModelForm):
    """What one activity achieved in a quarter, with evidence. The achievement itself is
    computed from it (programs.achievement), never typed."""

    evidence = MultipleDocumentField(
        label=_("Evidence files"),
        kinds=EVIDENCE_KINDS,
        required=False,
        max_count=EVIDENCE_FILES,
        help_text=_(
            "PDF, JPEG, PNG or Excel: an activity report, attendance lists, photos. Several "
            "may be chosen at once; they are added to those already uploaded."
        ),
    )
    # The version read: a save based on someone else's older one is refused (tkpk.locking).
    # 0 for an entry not yet made: if a colleague makes it meanwhile, this save is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    class Meta:
        model = Progress
        fields = ["realised", "spent", "beneficiaries", "narrative", "problems"]
        localized_fields = ["realised", "spent"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        activity = self.instance.activity
        realised = self.fields["realised"]
        realised.label = _("Realised (%(unit)s)") % {"unit": activity.unit}
        realised.help_text = (
            _("What was achieved in this quarter alone, not counting earlier quarters.")
            if activity.adds_up
            else _("The level reached by the end of the quarter, like the target.")
        )
        self.fields["spent"].help_text = _("Spent in this quarter alone, in rupiah.")
        self.fields["beneficiaries"].help_text = _("People reached in this quarter.")
        self.fields["beneficiaries"].widget.attrs["inputmode"] = "numeric"
        for name in ("realised", "spent"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
            value = self.initial.get(name)
            self.initial[name] = None if value is None else quantity_plain(Decimal(value))
        if self.instance.pk:
            self.initial["version"] = self.instance.version
