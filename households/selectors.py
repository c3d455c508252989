import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from households.identity import clean_number
from households.models import (
    Area,
    AreaLevel,
    DtsenImport,
    Household,
    HouseholdQuerySet,
    ImportStatus,
    Person,
    PersonQuerySet,
    Relationship,
)


def region_name() -> str:
    """The name of the regency or city this installation serves, or its code if unknown."""
    name = (
        Area.objects.filter(code=settings.TKPK_REGION_CODE).values_list("name", flat=True).first()
    )
    return name or settings.TKPK_REGION_CODE


def region_districts():
    """The districts of the installation's region with their number of villages."""
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .districts()
        .annotate(village_count=Count("children"))
        .order_by("code")
    )


def region_district(code: str) -> Area | None:
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .filter(code=code, level=AreaLevel.DISTRICT)
        .first()
    )


def _count_of(rows: QuerySet, key: str) -> Coalesce:
    """A correlated COUNT(*) of `rows` (already filtered on OuterRef), 0 when there are none.

    A subquery rather than a JOIN + GROUP BY, so a page of 50 counts only its own rows.
    """
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def region_districts_with_register() -> QuerySet:
    """The region's districts with their numbers of villages, households and people."""
    district = OuterRef("pk")
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .districts()
        .annotate(
            village_count=_count_of(Area.objects.filter(parent=district), "parent"),
            household_count=_count_of(
                Household.objects.filter(village__parent=district), "village__parent"
            ),
            person_count=_count_of(
                Person.objects.filter(household__village__parent=district),
                "household__village__parent",
            ),
        )
        .order_by("code")
    )


def district_villages_with_register(district: Area) -> QuerySet:
    """The villages of `district` with their numbers of households and people."""
    village = OuterRef("pk")
    return (
        Area.objects.filter(parent=district)
        .annotate(
            household_count=_count_of(Household.objects.filter(village=village), "village"),
            person_count=_count_of(
                Person.objects.filter(household__village=village), "household__village"
            ),
        )
        .order_by("code")
    )


def households_filtered(
    *,
    q: str = "",
    district: str | None = None,
    village: str | None = None,
    desil_from: int | None = None,
    desil_to: int | None = None,
) -> HouseholdQuerySet:
    """The region's households matching the register filter (area codes, desil range, search).

    `q` is an exact NIK or No. KK when it is digits once the spaces and dots are gone,
    otherwise part of a member's name.
    """
    households = Household.objects.in_area(settings.TKPK_REGION_CODE)
    if district:
        households = households.in_area(district)
    if village:
        households = households.filter(village_id=village)
    households = households.desil_between(desil_from, desil_to)
    if q:
        digits = clean_number(q)
        if digits.isdigit():
            households = households.filter(
                Q(no_kk=digits) | Q(pk__in=Person.objects.filter(nik=digits).values("household"))
            )
        else:
            households = households.filter(
                pk__in=Person.objects.filter(name__icontains=q).values("household")
            )
    return households


def households_with_summary(households: HouseholdQuerySet) -> HouseholdQuerySet:
    """Add what the register list shows: village and district, head's name, member count."""
    members = Person.objects.filter(household=OuterRef("pk"))
    head_first = Case(When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1))
    return households.select_related("village__parent").annotate(
        member_count=_count_of(members, "household"),
        # The head of the family, or the first member when nobody is marked as head.
        head_name=Subquery(members.order_by(head_first, "pk").values("name")[:1]),
    )


def people_of(households: HouseholdQuerySet) -> PersonQuerySet:
    """Every member of `households`, family by family, head first, with village and district."""
    return (
        Person.objects.filter(household__in=households.values("pk"))
        .select_related("household__village__parent")
        .order_by("household__no_kk", F("relationship").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class RegisterSummary:
    """The region's register in four numbers: no one's personal data."""

    households: int
    people: int
    poorest_households: int  # latest national desil 1–4
    latest: DtsenImport | None  # the newest imported load

    @property
    def poorest_share(self) -> float | None:
        return self.poorest_households * 100 / self.households if self.households else None


POOREST_DESIL = 4


def register_summary() -> RegisterSummary:
    households = Household.objects.in_area(settings.TKPK_REGION_CODE)
    counts = households.aggregate(
        total=Count("pk"), poorest=Count("pk", filter=Q(desil__lte=POOREST_DESIL))
    )
    return RegisterSummary(
        households=counts["total"],
        people=Person.objects.filter(household__in=households).count(),
        poorest_households=counts["poorest"],
        latest=DtsenImport.objects.filter(status=ImportStatus.DONE)
        .order_by("-period", "-finished_at")
        .first(),
    )


def loads_needing_attention() -> QuerySet:
    """Loads the secretariat should look at: running, checked and not imported, or cut short
    in the last week."""
    recent = timezone.now() - datetime.timedelta(days=7)
    return DtsenImport.objects.filter(
        Q(status__in=[*ImportStatus.running(), ImportStatus.CHECKED])
        | Q(status__in=[ImportStatus.FAILED, ImportStatus.INTERRUPTED], created_at__gte=recent)
    ).order_by("-created_at")[:5]
