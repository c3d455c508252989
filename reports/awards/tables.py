"""The awards as tables for the year-end document (chapter 6): one per category, each
candidate with every part of its score, so that a reader can recompute it, and a note
giving each adjustment's reason and each hand-added candidate's justification. How the
awards' numbers are written (a part, a score) is decided here for the pages too."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from reports.awards.candidates import Ranked, counting_day, ranking
from reports.awards.scoring import Part, weights_of
from reports.models import AwardCategory, CandidateKind
from reports.tables import Column, Kind, Row, Table, written

PERCENT = Column("", Kind.PERCENT, 2)  # a part's value: 80,00 %
SCORE = Column("", Kind.DECIMAL, 2)  # a part's points and every score: 32,00


def award_tables(year: int, *, today: datetime.date | None = None) -> list[Table]:
    """One table per award category of `year`, in the categories' order; scores counted
    on counting_day (`today`, default today; the day of finalising for a final year)."""
    day = counting_day(year, today or timezone.localdate())
    weights = weights_of(year)
    return [
        category_table(category, ranking(category, today=day, weights=weights))
        for category in AwardCategory.objects.filter(year=year)
    ]


def category_table(category: AwardCategory, ranked: list[Ranked]) -> Table:
    """`category`'s ranking as a table: rank, candidate, kind, the parts of its score as
    value × weight = points in one cell (a category may mix agencies' four parts and
    partners' three: a column per part would not fit a page), the computed, adjusted and
    final scores, and the winners."""
    columns = (
        Column(_("Rank"), Kind.COUNT),
        Column(_("Candidate"), Kind.TEXT),
        Column(_("Kind"), Kind.TEXT),
        Column(_("Parts of the score (value × weight = points)"), Kind.TEXT),
        Column(_("Computed score"), Kind.DECIMAL, 2),
        Column(_("Adjusted score"), Kind.DECIMAL, 2),
        Column(_("Final score"), Kind.DECIMAL, 2),
        Column(_("Winner"), Kind.TEXT),
    )
    rows = tuple(
        Row(
            cells=(
                item.rank,
                item.name,
                kind_short(item.kind),
                parts_text(item),
                item.computed,
                item.adjusted,
                item.final,
                _("Winner") if item.is_winner else "",
            ),
            highlight=item.is_winner,
        )
        for item in ranked
    )
    return Table(
        slug=f"penghargaan-{slugify(category.name)}",
        title=category.name,
        columns=columns,
        rows=rows,
        note=category_note(category, ranked),
    )


@dataclass(frozen=True)
class PartWritten:
    """One part of a score as written: value × weight = points, and why it is missing."""

    label: str  # "Capaian target"
    value: str  # "80,00 %", or "—" when it could not be measured
    weight: str  # "40"
    points: str  # "32,00": two decimals, as every score
    why: str


def part_written(part: Part) -> PartWritten:
    """The one way a part is written, on the pages and in the document."""
    return PartWritten(
        label=capfirst(part.label),
        value=written(part.percent, PERCENT),
        weight=written(part.weight, Column("", Kind.COUNT)),
        points=written(part.points, SCORE),
        why=part.why,
    )


def part_text(part: Part) -> str:
    """ "Capaian target 80,00 % × 40 = 32,00" """
    shown = part_written(part)
    return _("%(part)s %(value)s × %(weight)s = %(points)s") % {
        "part": shown.label,
        "value": shown.value,
        "weight": shown.weight,
        "points": shown.points,
    }


def parts_text(item: Ranked) -> str:
    """Each part of the score as part_text, joined by "; ", so that a reader can recompute
    it; empty for a candidate scored by the secretariat."""
    return "; ".join(part_text(part) for part in item.parts)


def kind_short(kind: str) -> str:
    """A candidate's kind in a word, for a table column."""
    return {
        CandidateKind.AGENCY: _("Agency"),
        CandidateKind.PARTNER: _("Partner"),
    }.get(kind, _("Other"))


def category_note(category: AwardCategory, ranked: list[Ranked]) -> str:
    """What the table's numbers need said: unmeasured parts and why, each adjustment's
    reason, each hand-added candidate's justification, and when winners were confirmed."""
    if not ranked:
        return _("No candidate in this category.")
    sentences = []
    unmeasured: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in ranked:
        for part in item.parts:
            if part.value is None:
                unmeasured[(part.label, part.why)].append(item.name)
    for (label, why), names in unmeasured.items():
        sentences.append(
            _("“—”: %(part)s could not be measured (%(why)s) and counts 0 for %(names)s.")
            % {"part": label, "why": why, "names": ", ".join(names)}
        )
    for item in ranked:
        sentences += _decisions(item)
    if category.confirmed_at:
        day = date_format(timezone.localtime(category.confirmed_at).date(), "j F Y")
        sentences.append(_("Winners confirmed on %(day)s.") % {"day": day})
    return " ".join(sentences)


def _decisions(item: Ranked) -> list[str]:
    """What the secretariat decided about `item`, with the reasons it wrote."""
    found = []
    given = item.kind == CandidateKind.OTHER
    if item.added_by_hand:
        found.append(
            _("%(name)s was added by the secretariat because: %(justification)s")
            % {"name": item.name, "justification": _sentence(item.justification)}
        )
    if item.adjusted is not None and not given:
        found.append(
            _("%(name)s: score adjusted from %(computed)s to %(adjusted)s because: %(reason)s")
            % {
                "name": item.name,
                "computed": written(item.computed, SCORE),
                "adjusted": written(item.adjusted, SCORE),
                "reason": _sentence(item.reason),
            }
        )
    elif given and item.adjusted is not None and item.reason != item.justification:
        found.append(
            _("%(name)s: score %(adjusted)s given because: %(reason)s")
            % {
                "name": item.name,
                "adjusted": written(item.adjusted, SCORE),
                "reason": _sentence(item.reason),
            }
        )
    return found


def _sentence(text: str) -> str:
    """Typed text as one sentence of the note: on one line, ending with a full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
