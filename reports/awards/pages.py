"""What the awards pages show, apart from their views (reports.views.awards): a ranked
candidate written out, a category summed up for the year's page, and a refused form said
at the top of its page."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy

from reports.awards.candidates import Ranked
from reports.awards.tables import SCORE, PartWritten, kind_short, part_written
from reports.models import AwardCategory
from reports.tables import written


@dataclass(frozen=True)
class RankedLine:
    item: Ranked
    kind: str
    parts: list[PartWritten]
    computed: str
    adjusted: str
    final: str


def ranked_lines(ranked: list[Ranked]) -> list[RankedLine]:
    return [
        RankedLine(
            item=item,
            kind=kind_short(item.kind),
            parts=[part_written(part) for part in item.parts],
            computed=written(item.computed, SCORE),
            adjusted=written(item.adjusted, SCORE),
            final=written(item.final, SCORE),
        )
        for item in ranked
    ]


@dataclass(frozen=True)
class Refusal:
    """A refused form, said at the top of its page: its title, its errors, and the anchor
    of the form further down (none when the form is not shown: a final year)."""

    title: str
    form: forms.Form
    anchor: str

    @property
    def errors(self) -> list[str]:
        said = [str(error) for error in self.form.non_field_errors()]
        for field in self.form:
            said += [f"{field.label}: {error}" for error in field.errors]
        return said


# The forms of a category's page: context name → (heading, anchor of its section).
CATEGORY_FORMS = {
    "rename_form": (gettext_lazy("Rename the award"), "rename"),
    "delete_form": (gettext_lazy("Delete the special award"), "delete"),
    "winners_form": (gettext_lazy("Confirm the winners"), "winners"),
    "adjust_form": (gettext_lazy("Adjust a score"), "adjust"),
    "add_form": (gettext_lazy("Add a candidate by hand"), "add"),
}


@dataclass(frozen=True)
class CategorySummary:
    category: AwardCategory
    leading: list[RankedLine]
    candidates: int
    winners: list[Ranked]
