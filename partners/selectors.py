"""Reads more than one page needs: who sees which partner, and pledged against realised.

Pledged and realised are summed per kind and unit (rupiah with rupiah, people with
people), never across them. "Reported" counts what partners entered and is awaiting
verification or verified; a returned entry counts nowhere until it is corrected.
"""

import datetime
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partners.models import (
    RUPIAH,
    Commitment,
    Partner,
    PartnerTarget,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
)
from programs.models import Program
from tkpk.models import Role
from tkpk.permissions import MANAGERS

ZERO = Decimal(0)


def partners_for(user) -> QuerySet:
    """The partners `user` may open: a partner operator only their own, every other role all."""
    if user.role == Role.PARTNER:
        return Partner.objects.filter(pk=user.partner_id)
    return Partner.objects.all()


def may_open_partner(user, partner_id: int) -> bool:
    """Whether `user` may open the page of partner `partner_id`, as partners_for decides."""
    return user.role != Role.PARTNER or user.partner_id == partner_id


def commitments_for(user) -> QuerySet:
    """The commitments `user` may open: a partner operator only those its partner signed."""
    if user.role == Role.PARTNER:
        return Commitment.objects.signed_by(user.partner_id)
    return Commitment.objects.all()


def realisations_for(user) -> QuerySet:
    """The realisations `user` may open: a partner operator only its own partner's."""
    if user.role == Role.PARTNER:
        return Realisation.objects.filter(pledge__partner=user.partner_id)
    return Realisation.objects.all()


def programs_of_partner(partner_id: int) -> QuerySet:
    """The programs a partner is linked to by a commitment it signed."""
    return Program.objects.filter(pk__in=Commitment.objects.signed_by(partner_id).values("program"))


@dataclass
class Tally:
    """Pledged against realised for one kind and unit."""

    kind: str
    unit: str
    pledged: Decimal = ZERO
    reported: Decimal = ZERO
    verified: Decimal = ZERO

    @classmethod
    def of_pledge(cls, pledge: Pledge) -> "Tally":
        """One pledge's figures; `pledge` must come annotated by with_realised()."""
        return cls(pledge.kind, pledge.unit, pledge.quantity, pledge.reported, pledge.verified)

    @property
    def label(self) -> str:
        return PledgeKind(self.kind).label if self.kind else _("All in rupiah")

    @property
    def in_rupiah(self) -> bool:
        return self.unit == RUPIAH

    @property
    def verified_percent(self) -> int | None:
        return _percent(self.verified, self.pledged)

    @property
    def verified_bar(self) -> int:
        """The verified percent for a progress bar: 0–100, even when more arrived."""
        return min(100, self.verified_percent or 0)

    @property
    def reported_percent(self) -> int | None:
        return _percent(self.reported, self.pledged)

    @property
    def still_due(self) -> Decimal:
        """What is pledged and not yet reported; 0 once as much or more has been reported."""
        return max(ZERO, self.pledged - self.reported)

    @property
    def reported_beyond(self) -> Decimal:
        """How much more than pledged has been reported."""
        return max(ZERO, self.reported - self.pledged)

    def add(self, pledged: Decimal, reported: Decimal, verified: Decimal) -> None:
        self.pledged += pledged
        self.reported += reported
        self.verified += verified


def _percent(part: Decimal, whole: Decimal) -> int | None:
    return round(part * 100 / whole) if whole else None


def _realised(status_filter: Q) -> Coalesce:
    sums = (
        Realisation.objects.filter(status_filter, pledge=OuterRef("pk"))
        .order_by()
        .values("pledge")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(sums), Value(ZERO), output_field=DecimalField())


def with_realised(pledges: QuerySet) -> QuerySet:
    """`pledges` annotated with `reported` and `verified`: what was delivered against each."""
    return pledges.annotate(
        reported=_realised(Q(status__in=(RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED))),
        verified=_realised(Q(status=RealisationStatus.VERIFIED)),
    )


def _kind_order(tally: Tally) -> tuple:
    return (list(PledgeKind).index(tally.kind), tally.unit != RUPIAH, tally.unit)


def rupiah_total(tallies: list[Tally]) -> Tally:
    """Everything in rupiah among `tallies` (money, and capital or goods valued in rupiah)."""
    total = Tally("", RUPIAH)
    for tally in tallies:
        if tally.in_rupiah:
            total.add(tally.pledged, tally.reported, tally.verified)
    return total


def tallies(pledges: QuerySet) -> list[Tally]:
    """Pledged against realised over `pledges`, one Tally per kind and unit."""
    return tallies_by(pledges, None).get(None, [])


def tallies_by(pledges: QuerySet, key: str | None) -> dict[Hashable, list[Tally]]:
    """Pledged against realised per value of the field `key` (e.g. "partner",
    "partner__kind", "commitment__program"), each a list of Tally per kind and unit."""
    fields = ["kind", "unit", "quantity", "reported", "verified"]
    rows = with_realised(pledges).values(*fields, *([key] if key else []))
    grouped: dict[Hashable, dict[tuple[str, str], Tally]] = defaultdict(dict)
    for row in rows:
        group = grouped[row[key] if key else None]
        tally = group.setdefault((row["kind"], row["unit"]), Tally(row["kind"], row["unit"]))
        tally.add(row["quantity"], row["reported"], row["verified"])
    return {k: sorted(group.values(), key=_kind_order) for k, group in grouped.items()}


def pledge_progress(pledge: Pledge) -> Tally:
    """What has been reported and verified against one pledge so far."""
    return tallies(Pledge.objects.filter(pk=pledge.pk))[0]


def pledges_in_year(year: int) -> QuerySet:
    """The pledges of the commitments whose period touches `year`."""
    return Pledge.objects.filter(commitment__in=Commitment.objects.in_year(year))


@dataclass(frozen=True)
class PartnerTallies:
    partner: Partner
    tallies: list[Tally]


def partners_with_tallies(pledges: QuerySet) -> list[PartnerTallies]:
    """Each partner that gives in `pledges`, by name, with its pledged against realised."""
    by_partner = tallies_by(pledges, "partner")
    partners = Partner.objects.filter(pk__in=by_partner).order_by("name")
    return [PartnerTallies(partner, by_partner[partner.pk]) for partner in partners]


@dataclass(frozen=True)
class TargetProgress:
    """How many partners have an active commitment in `year` against the region's target."""

    year: int
    target: int | None
    actual: int

    @property
    def percent(self) -> int:
        """For the progress bar: 0–100."""
        return min(100, round(self.actual * 100 / self.target)) if self.target else 0

    @property
    def reached(self) -> bool:
        return self.target is not None and self.actual >= self.target


def partner_target_progress(year: int) -> TargetProgress:
    target = PartnerTarget.objects.filter(year=year).values_list("partners", flat=True).first()
    return TargetProgress(year, target, Partner.objects.committed_in(year).count())


@dataclass(frozen=True)
class Helped:
    """Participants of a program who received jobs or training places through a partner."""

    partner: str
    kind: str
    participants: int


def participants_helped(program: Program, commitments: QuerySet) -> list[Helped]:
    """Per partner and kind, how many of the program's participants the verified
    realisations of `commitments` name: "6 participants got jobs through PT …"."""
    rows = (
        Realisation.participants.through.objects.filter(
            realisation__status=RealisationStatus.VERIFIED,
            realisation__pledge__commitment__program=program,
            realisation__pledge__commitment__in=commitments,
        )
        .values("realisation__pledge__partner__name", "realisation__pledge__kind")
        .annotate(n=Count("enrollment", distinct=True))
        .order_by("realisation__pledge__partner__name", "realisation__pledge__kind")
    )
    return [
        Helped(
            row["realisation__pledge__partner__name"], row["realisation__pledge__kind"], row["n"]
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DuePledge:
    """A pledge of a running or coming commitment with something still to deliver."""

    pledge: Pledge
    remaining: Decimal


@dataclass(frozen=True)
class PartnerToDo:
    """What a partner operator's home page lists: what is due, what came back, what waits."""

    due: list[DuePledge]
    returned: list[Realisation]
    awaiting: int


def partner_to_do(partner_id: int, *, today: datetime.date) -> PartnerToDo:
    pledges = (
        with_realised(Pledge.objects.filter(partner=partner_id, commitment__end_date__gte=today))
        .select_related("commitment", "village")
        .order_by("commitment__end_date", "pk")
    )
    owed = ((pledge, Tally.of_pledge(pledge).still_due) for pledge in pledges)
    due = [DuePledge(pledge, remaining) for pledge, remaining in owed if remaining]
    mine = Realisation.objects.filter(pledge__partner=partner_id)
    returned = list(
        mine.filter(status=RealisationStatus.RETURNED)
        .select_related("pledge__commitment")
        .order_by("-reviewed_at")
    )
    return PartnerToDo(due, returned, mine.filter(status=RealisationStatus.SUBMITTED).count())


def realisations_awaiting() -> QuerySet:
    """Realisations the secretariat has yet to verify or return, oldest first."""
    return (
        Realisation.objects.filter(status=RealisationStatus.SUBMITTED)
        .select_related("pledge__partner", "pledge__commitment")
        .order_by("entered_at", "pk")
    )


HOME_AWAITING = 5


@dataclass(frozen=True)
class PartnersAtAGlance:
    """What the home page shows of partners, by role: a partner operator's own work, the
    secretariat's verification queue, and for the others the year's partner target."""

    year: int
    target: TargetProgress | None = None
    year_tallies: list[Tally] | None = None
    awaiting: list[Realisation] | None = None
    awaiting_count: int = 0
    to_do: PartnerToDo | None = None
    partner: Partner | None = None


def partners_at_a_glance(user, *, today: datetime.date) -> PartnersAtAGlance:
    year = today.year
    if user.role == Role.PARTNER:
        return PartnersAtAGlance(
            year, to_do=partner_to_do(user.partner_id, today=today), partner=user.partner
        )
    glance = PartnersAtAGlance(
        year, target=partner_target_progress(year), year_tallies=tallies(pledges_in_year(year))
    )
    if user.role in MANAGERS:
        queue = realisations_awaiting()
        return replace(glance, awaiting=list(queue[:HOME_AWAITING]), awaiting_count=queue.count())
    return glance
