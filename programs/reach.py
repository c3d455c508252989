"""Who was reached twice and who was missed: overlap between programs, exclusion from them.

- Reached: holding an enrolment that is not exited (`EnrollmentStatus.holding_a_place`).
- In a year: in programs whose period touches that calendar year (`in_year`).
- Overlap: people, or households through their enrolments' household, reached by more
  than one program of the year; an area filter keeps those with an enrolment made there.
- A household is reached through the enrolments made for it (`Enrollment.household`, the
  household a participant stood for when enrolled), in overlap and exclusion alike.
- Exclusion from a program: households of its target villages (the whole region when it
  has none) that pass its desil rule, have a member its age rules admit, and that no
  program of the year (the year of the date the ages are counted on) reaches.

Every count is one GROUP BY or one anti-join in the database; only a page's rows, or an
export's bounded rows, are read into Python.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from households.identity import mask
from households.models import Area, Household, HouseholdQuerySet, Person
from households.selectors import households_with_summary
from programs.models import Enrollment, EnrollmentQuerySet, Program
from tkpk.spreadsheets import neutralise, sheet_start

# An export is built in the request: at most this many rows, with a note when cut.
EXPORT_ROWS = 50_000
_CHUNK = 2_000


class Unit(models.TextChoices):
    PEOPLE = "people", gettext_lazy("People")
    HOUSEHOLDS = "households", gettext_lazy("Households")

    @property
    def key(self) -> str:
        """The enrolment's field that groups: its person, or the household it stands for."""
        return "person" if self == Unit.PEOPLE else "household"


def _in_area(field_name: str, code: str) -> Q:
    """`field_name` (a foreign key to Area) is the area `code` or lies within it."""
    # {field}__code is the foreign key's own column: no join.
    return Q(**{f"{field_name}_id": code}) | Q(**{f"{field_name}__code__startswith": code + "."})


# Overlap ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlapScope:
    """Which overlap to look at. `agency`: only overlap touching that agency's programs."""

    year: int
    district: str | None = None
    village: str | None = None
    pillar: int | None = None
    agency: int | None = None

    @property
    def area(self) -> str | None:
        return self.village or self.district

    def as_filters(self) -> dict:
        """Plain values, for the export log."""
        return {name: value for name, value in asdict(self).items() if value is not None}


def counted_enrollments(scope: OverlapScope) -> EnrollmentQuerySet:
    """The enrolments overlap is counted over: reaching, in a program of the year (and pillar)."""
    enrollments = Enrollment.objects.holding_a_place().in_year(scope.year)
    if scope.pillar is not None:
        enrollments = enrollments.filter(program__pillar_id=scope.pillar)
    return enrollments


def overlap(scope: OverlapScope, unit: Unit) -> QuerySet:
    """One row per person (or household) reached by more than one counted program.

    Rows are dicts {"person" | "household": id, "program_count": n}, most programs first.
    """
    key = unit.key
    counts = {"program_count": Count("program", distinct=True)}
    having = Q(program_count__gt=1)
    if scope.area:
        counts["made_in_area"] = Count("pk", filter=_in_area("village", scope.area))
        having &= Q(made_in_area__gt=0)
    if scope.agency is not None:
        # A few ids, read once: a plain IN keeps the grouped query simple for the planner.
        theirs = list(Program.objects.led_or_joined_by(scope.agency).values_list("pk", flat=True))
        counts["in_theirs"] = Count("pk", filter=Q(program_id__in=theirs))
        having &= Q(in_theirs__gt=0)
    tie_break = ("person__name", "person") if unit == Unit.PEOPLE else ("household__no_kk",)
    return (
        counted_enrollments(scope)
        .values(key)
        .annotate(**counts)
        .filter(having)
        .order_by("-program_count", *tie_break)
    )


@dataclass
class OverlapRow:
    """One person or household reached more than once, with the programs that reached them."""

    household: Household
    person: Person | None = None
    programs: list[Program] = field(default_factory=list)
    people_reached: set[int] = field(default_factory=set)

    @property
    def people_count(self) -> int:
        return len(self.people_reached)


def overlap_rows(scope: OverlapScope, unit: Unit, groups: Iterable[dict]) -> list[OverlapRow]:
    """What a page (or a chunk of an export) shows for the grouped rows of `overlap()`."""
    key = unit.key
    ids = [group[key] for group in groups]
    if unit == Unit.PEOPLE:
        people = Person.objects.select_related("household__village__parent").in_bulk(ids)
        rows = {pk: OverlapRow(household=p.household, person=p) for pk, p in people.items()}
    else:
        households = households_with_summary(Household.objects.filter(pk__in=ids)).in_bulk()
        rows = {pk: OverlapRow(household=h) for pk, h in households.items()}
    enrollments = (
        counted_enrollments(scope)
        .filter(**{f"{key}__in": ids})
        .select_related("program")
        .order_by("program__start_date", "program__code")
    )
    for enrollment in enrollments:
        row = rows[getattr(enrollment, f"{key}_id")]
        if enrollment.program not in row.programs:
            row.programs.append(enrollment.program)
        row.people_reached.add(enrollment.person_id)
    return [rows[pk] for pk in ids if pk in rows]


# Exclusion -------------------------------------------------------------------------------


def target_households(program: Program) -> HouseholdQuerySet:
    """Households of the program's target villages, or of the whole region without any."""
    if program.quotas.exists():
        return Household.objects.filter(village__in=program.quotas.values("village"))
    return Household.objects.in_area(settings.TKPK_REGION_CODE)


def exclusion_rules(program: Program) -> tuple:
    """Everything of `program` that `excluded_households` reads: two programs with the same
    rules exclude the same households, so a count can be shared between them."""
    villages = tuple(sorted(quota.village_id for quota in program.quotas.all()))
    return (
        villages,
        program.max_desil,
        program.min_age,
        program.max_age,
        program.productive_age_only,
    )


def excluded_households(
    program: Program,
    *,
    on: datetime.date,
    district: str | None = None,
    village: str | None = None,
) -> HouseholdQuerySet:
    """Eligible households of the program's villages that no program reaches, poorest first."""
    households = target_households(program)
    if district:
        households = households.in_area(district)
    if village:
        households = households.filter(village_id=village)
    households = households.desil_between(None, program.max_desil)
    if program.has_age_rules:
        # Without age rules every member fits, and a household has members: no need to look.
        households = households.filter(
            Exists(
                program.of_admitted_age(Person.objects.all(), on=on).filter(
                    household=OuterRef("pk")
                )
            )
        )
    reached = Enrollment.objects.holding_a_place().in_year(on.year).filter(household=OuterRef("pk"))
    return households.filter(~Exists(reached)).order_by(F("desil").asc(nulls_last=True), "no_kk")


def with_eligible_members(
    households: HouseholdQuerySet, program: Program, *, on: datetime.date
) -> HouseholdQuerySet:
    """Add the register list's summary and `eligible_count`, the members the age rules admit."""
    eligible = (
        program.of_admitted_age(Person.objects.all(), on=on)
        .filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return households_with_summary(households).annotate(
        eligible_count=Coalesce(Subquery(eligible, output_field=IntegerField()), 0)
    )


@dataclass(frozen=True)
class VillageCount:
    village: Area
    households: int


def excluded_per_village(program: Program, households: HouseholdQuerySet) -> list[VillageCount]:
    """Excluded households per village: every target village (0 included), or for a
    whole-region program the villages that have any."""
    counts = dict(
        households.order_by().values("village").annotate(n=Count("pk")).values_list("village", "n")
    )
    villages = Area.objects.select_related("parent").order_by("parent__name", "name")
    if program.quotas.exists():
        villages = villages.filter(pk__in=program.quotas.values("village"))
    else:
        villages = villages.filter(pk__in=counts)
    return [VillageCount(village=v, households=counts.get(v.pk, 0)) for v in villages]


# Workbooks -------------------------------------------------------------------------------


def _number(value: str, full: bool) -> str:
    return value if full else mask(value)


def _new_sheet(title: str, header: list[str], widths: list[int]):
    workbook = Workbook(write_only=True)
    return workbook, sheet_start(workbook, title, list(zip(header, widths, strict=True)))


def _append(sheet, values: list) -> None:
    sheet.append([neutralise(value) for value in values])


def _cut_note(sheet) -> None:
    sheet.append(
        [
            "…",
            _("Only the first %(rows)s rows are in this file; narrow the filter for the rest.")
            % {"rows": number_format(EXPORT_ROWS, force_grouping=True)},
        ]
    )


def _chunks(rows: Iterable, size: int = _CHUNK) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_overlap(scope: OverlapScope, unit: Unit, *, full: bool, stream: BinaryIO) -> int:
    """The overlap as one row per person or household; NIK and No. KK masked unless `full`."""
    if unit == Unit.PEOPLE:
        header = [_("NIK"), _("Name"), _("No. KK")]
        widths = [20, 30, 20]
    else:
        header = [_("No. KK"), _("Head of family"), _("People reached")]
        widths = [20, 30, 10]
    header += [_("Village"), _("District"), _("Desil"), _("Programs"), _("Number of programs")]
    widths += [22, 22, 8, 60, 10]
    workbook, sheet = _new_sheet(_("Overlap %(year)d") % {"year": scope.year}, header, widths)
    groups = list(overlap(scope, unit)[: EXPORT_ROWS + 1])
    count = 0
    for chunk in _chunks(groups[:EXPORT_ROWS]):
        for row in overlap_rows(scope, unit, chunk):
            household = row.household
            if unit == Unit.PEOPLE:
                first = [_number(row.person.nik, full), row.person.name]
                first.append(_number(household.no_kk, full))
            else:
                first = [_number(household.no_kk, full), household.head_name or ""]
                first.append(row.people_count)
            village = household.village
            programs = "; ".join(f"{p.code} {p.name}" for p in row.programs)
            _append(
                sheet,
                [
                    *first,
                    village.name,
                    village.parent.name,
                    household.desil,
                    programs,
                    len(row.programs),
                ],
            )
            count += 1
    if len(groups) > EXPORT_ROWS:
        _cut_note(sheet)
    workbook.save(stream)
    return count


def write_exclusion(
    program: Program, households: HouseholdQuerySet, *, on: datetime.date, full: bool, stream
) -> int:
    """The households a program's villages leave out, poorest first, for village heads to check."""
    header = [
        _("No. KK"),
        _("Head of family"),
        _("Village"),
        _("District"),
        _("Desil"),
        _("Eligible members"),
        _("Members"),
    ]
    workbook, sheet = _new_sheet(program.code, header, [20, 30, 22, 22, 8, 10, 10])
    rows = with_eligible_members(households, program, on=on)[: EXPORT_ROWS + 1]
    count = 0
    for household in rows.iterator(chunk_size=_CHUNK):
        if count == EXPORT_ROWS:
            _cut_note(sheet)
            break
        _append(
            sheet,
            [
                _number(household.no_kk, full),
                household.head_name or "",
                household.village.name,
                household.village.parent.name,
                household.desil,
                household.eligible_count,
                household.member_count,
            ],
        )
        count += 1
    workbook.save(stream)
    return count
