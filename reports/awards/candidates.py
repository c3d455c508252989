"""The candidates of an award category and their ranking.

Agencies and partners qualifying from the data are ranked without a stored row
(reports.awards.agencies, reports.awards.partners); an AwardCandidate row adds what the
secretariat decided: a candidate added by hand, an adjusted score with its reason, a
winner. Others (a district, a village, an organisation) exist only as rows; their score is
the one the secretariat gave. A ranking reads a fixed number of queries, however many
candidates there are.

A ranking depends on the day it is counted (which quarterly reports were due): a final
year's is counted on the day its report was finalised (counting_day), never today.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone

from reports.awards.agencies import agency_measures, qualifying_plans
from reports.awards.partners import partner_measures, qualifying_pledges
from reports.awards.scoring import Part, Weights, parts, score, weights_of
from reports.models import AwardCandidate, AwardCategory, CandidateKind, YearEndReport


def final_report(year: int, *, lock: bool = False) -> YearEndReport | None:
    """`year`'s report when it is final (its awards can no longer change), else None.
    `lock` holds the year's report row, final or not, to the end of the transaction:
    report_finalise locks the same row."""
    reports = YearEndReport.objects.filter(year=year)
    report = (reports.select_for_update() if lock else reports).first()
    return report if report is not None and report.is_final else None


def counting_day(year: int, today: datetime.date) -> datetime.date:
    """The day `year`'s scores are counted on: the day its report was finalised (local
    date) once it is final, so that its ranking stays the one signed; else `today`."""
    report = final_report(year)
    return timezone.localtime(report.finalised_at).date() if report else today


def winners_of(year: int) -> list[AwardCandidate]:
    """The confirmed winners of `year`, category by category, by name in each."""
    rows = AwardCandidate.objects.filter(category__year=year, is_winner=True).select_related(
        "category", "agency", "partner"
    )
    return sorted(rows, key=lambda row: (row.category.order, row.category.pk, str(row).casefold()))


def winners_by_category(year: int) -> list[tuple[str, list[str]]]:
    """The names of `year`'s confirmed winners per category name, in the categories'
    order; a category without a winner is left out."""
    found: dict[str, list[str]] = {}
    for row in winners_of(year):
        found.setdefault(row.category.name, []).append(str(row))
    return list(found.items())


@dataclass(frozen=True, order=True)
class CandidateKey:
    """Who a candidate is: an agency or partner by its id, an other by its row's id.
    Written "agency-12" in forms and URLs."""

    kind: str
    pk: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "CandidateKey | None":
        kind, _dash, pk = (text or "").partition("-")
        if kind not in CandidateKind.values or not pk.isdigit():
            return None
        return cls(kind, int(pk))

    @classmethod
    def of_row(cls, row: AwardCandidate) -> "CandidateKey":
        pk = {CandidateKind.AGENCY: row.agency_id, CandidateKind.PARTNER: row.partner_id}
        return cls(row.kind, pk.get(row.kind) or row.pk)


@dataclass(frozen=True)
class Ranked:
    """One candidate of a category as ranked: its parts, computed and adjusted scores."""

    key: CandidateKey
    name: str
    parts: tuple[Part, ...]  # empty for an other candidate
    computed: Decimal | None  # None for an other candidate: it has no computed score
    adjusted: Decimal | None
    reason: str  # why it was adjusted; an other's justification when its score was given
    is_winner: bool
    added_by_hand: bool
    justification: str
    candidate_id: int | None  # the AwardCandidate row, when one exists
    rank: int | None = None  # None while it has no score

    @property
    def kind(self) -> str:
        return self.key.kind

    @property
    def final(self) -> Decimal | None:
        """The adjusted score where there is one, else the computed score."""
        return self.adjusted if self.adjusted is not None else self.computed


def qualifying_keys(category: AwardCategory) -> set[CandidateKey]:
    """The agencies and partners that are candidates of `category` from their data."""
    pillar = category.pillar_id
    agencies = qualifying_plans(category.year, pillar).values_list("agency_id", flat=True)
    partners = qualifying_pledges(category.year, pillar).values_list("partner_id", flat=True)
    return {CandidateKey(CandidateKind.AGENCY, pk) for pk in agencies} | {
        CandidateKey(CandidateKind.PARTNER, pk) for pk in partners
    }


def candidate_keys(category: AwardCategory) -> set[CandidateKey]:
    """Who is a candidate of `category`: qualifying from the data, or with a row."""
    rows = {CandidateKey.of_row(row) for row in category.candidates.all()}
    return qualifying_keys(category) | rows


def ranking(
    category: AwardCategory, *, today: datetime.date, weights: Weights | None = None
) -> list[Ranked]:
    """The candidates of `category` by final score, highest first, then by name; equal
    final scores share a rank; candidates without a score come last, unranked."""
    rows = list(category.candidates.select_related("agency", "partner"))
    weights = weights or weights_of(category.year)
    by_key = {CandidateKey.of_row(row): row for row in rows}
    found = _agencies(category, rows, by_key, weights, today)
    found += _partners(category, rows, by_key, weights)
    found += [_ranked_other(row) for row in rows if row.kind == CandidateKind.OTHER]
    return _ranked(found)


def _hand_and_others(rows: list[AwardCandidate], kind: str, field: str) -> tuple[set[int], list]:
    """The ids added by hand, and the records of every row of `kind`."""
    chosen = [row for row in rows if row.kind == kind]
    return (
        {getattr(row, f"{field}_id") for row in chosen if row.added_by_hand},
        [getattr(row, field) for row in chosen],
    )


def _agencies(category, rows, by_key, weights, today) -> list[Ranked]:
    by_hand, others = _hand_and_others(rows, CandidateKind.AGENCY, "agency")
    scored = agency_measures(
        category.year, category.pillar_id, by_hand=by_hand, others=others, today=today
    )
    return [
        _ranked_scored(
            CandidateKey(CandidateKind.AGENCY, item.agency.pk),
            item.agency.name,
            parts(CandidateKind.AGENCY, item.measures, weights),
            by_key,
        )
        for item in scored
    ]


def _partners(category, rows, by_key, weights) -> list[Ranked]:
    by_hand, others = _hand_and_others(rows, CandidateKind.PARTNER, "partner")
    scored = partner_measures(category.year, category.pillar_id, by_hand=by_hand, others=others)
    return [
        _ranked_scored(
            CandidateKey(CandidateKind.PARTNER, item.partner.pk),
            item.partner.name,
            parts(CandidateKind.PARTNER, item.measures, weights),
            by_key,
        )
        for item in scored
    ]


def _ranked_scored(key: CandidateKey, name: str, found: tuple[Part, ...], by_key: dict) -> Ranked:
    row: AwardCandidate | None = by_key.get(key)
    return Ranked(
        key=key,
        name=name,
        parts=found,
        computed=score(found),
        adjusted=row.adjusted_score if row else None,
        reason=row.adjustment_reason if row else "",
        is_winner=bool(row and row.is_winner),
        added_by_hand=bool(row and row.added_by_hand),
        justification=row.justification if row else "",
        candidate_id=row.pk if row else None,
    )


def _ranked_other(row: AwardCandidate) -> Ranked:
    return Ranked(
        key=CandidateKey.of_row(row),
        name=row.name,
        parts=(),
        computed=None,
        adjusted=row.adjusted_score,
        reason=row.adjustment_reason,
        is_winner=row.is_winner,
        added_by_hand=True,
        justification=row.justification,
        candidate_id=row.pk,
    )


def _ranked(found: list[Ranked]) -> list[Ranked]:
    """Sorted by final score then name, with competition ranks (1, 2, 2, 4)."""
    found.sort(key=lambda item: (item.final is None, -(item.final or 0), item.name.casefold()))
    result: list[Ranked] = []
    for position, item in enumerate(found, start=1):
        if item.final is None:
            result.append(item)
            continue
        previous = result[-1] if result else None
        tied = previous is not None and previous.final == item.final
        result.append(replace(item, rank=previous.rank if tied else position))
    return result
