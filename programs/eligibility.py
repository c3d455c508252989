"""Whether a person may join a program: each rule once, each refusal one sentence.

The rules read facts the caller has already fetched (the person with their household,
whether the household already has a participant), so that checking ten thousand NIKs of
a bulk enrolment costs a few queries, not thirty thousand. A refusal says which rule it
is and whether the secretariat or the lead agency may override it: the desil and age
rules may be overridden with a written reason; the village, the household and the quota
may not, because a quota place is counted in a village and a household is one place.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from households.models import Person
from households.models.register import PRODUCTIVE_AGE
from programs.models import Enrollment, Program, ProgramStatus, VillageQuota
from tkpk.translation import Message as _


class Rule(StrEnum):
    CLOSED = "closed"
    ALREADY = "already"
    REGION = "region"
    VILLAGE = "village"
    DESIL = "desil"
    BIRTH_DATE = "birth_date"
    AGE = "age"
    PRODUCTIVE_AGE = "productive_age"
    HOUSEHOLD = "household"
    QUOTA = "quota"


# Rules a person with authority may set aside, writing why.
OVERRIDABLE = frozenset({Rule.DESIL, Rule.BIRTH_DATE, Rule.AGE, Rule.PRODUCTIVE_AGE})


@dataclass(frozen=True)
class Refusal:
    rule: Rule
    message: str

    @property
    def overridable(self) -> bool:
        return self.rule in OVERRIDABLE


class Rules:
    """One program's rules, with its target villages and quotas read once."""

    def __init__(self, program: Program) -> None:
        self.program = program
        quotas = VillageQuota.objects.filter(program=program).select_related("village")
        self.quotas: dict[str, VillageQuota] = {q.village_id: q for q in quotas}

    @property
    def whole_region(self) -> bool:
        return not self.quotas

    def refusals(
        self, person: Person, *, on: datetime.date, household_taken: bool
    ) -> list[Refusal]:
        """Every rule `person` fails on `on`, in the order a clerk would check them.

        `household_taken`: another member of the person's household holds a place already.
        """
        found = []
        if not self.program.is_open:
            found.append(Refusal(Rule.CLOSED, closed_message(self.program)))
        household = person.household
        village = household.village_id
        if self.whole_region:
            if not (village + ".").startswith(settings.TKPK_REGION_CODE + "."):
                found.append(
                    Refusal(
                        Rule.REGION,
                        _("lives outside the region (village %(code)s).") % {"code": village},
                    )
                )
        elif village not in self.quotas:
            found.append(
                Refusal(
                    Rule.VILLAGE,
                    _("lives in %(village)s, which is not a target village of this program.")
                    % {"village": household.village.name},
                )
            )
        found.extend(self._desil(household.desil))
        found.extend(self._age(person, on))
        if self.program.one_per_household and household_taken:
            found.append(
                Refusal(
                    Rule.HOUSEHOLD,
                    _(
                        "another member of the same household is already a participant, and "
                        "the program takes one per household."
                    ),
                )
            )
        return found

    def _desil(self, desil: int | None) -> list[Refusal]:
        limit = self.program.max_desil
        if limit is None:
            return []
        if desil is None:
            return [Refusal(Rule.DESIL, _("the household has no desil in the register."))]
        if desil > limit:
            return [
                Refusal(
                    Rule.DESIL,
                    _("desil %(desil)d is above the program's limit of %(limit)d.")
                    % {"desil": desil, "limit": limit},
                )
            ]
        return []

    def _age(self, person: Person, on: datetime.date) -> list[Refusal]:
        program = self.program
        if not program.has_age_rules:
            return []
        age = person.age(on=on)
        if age is None:
            return [Refusal(Rule.BIRTH_DATE, _("the birth date is not in the register."))]
        found = []
        if program.min_age is not None and age < program.min_age:
            found.append(
                Refusal(
                    Rule.AGE,
                    _("is %(age)d years old, under the program's minimum age of %(limit)d.")
                    % {"age": age, "limit": program.min_age},
                )
            )
        if program.max_age is not None and age > program.max_age:
            found.append(
                Refusal(
                    Rule.AGE,
                    _("is %(age)d years old, over the program's maximum age of %(limit)d.")
                    % {"age": age, "limit": program.max_age},
                )
            )
        youngest, oldest = PRODUCTIVE_AGE
        if program.productive_age_only and not youngest <= age <= oldest:
            found.append(
                Refusal(
                    Rule.PRODUCTIVE_AGE,
                    _("is %(age)d years old, outside the productive age of %(low)d–%(high)d.")
                    % {"age": age, "low": youngest, "high": oldest},
                )
            )
        return found


def closed_message(program: Program) -> str:
    return _("the program is %(status)s and takes no new participants.") % {
        "status": ProgramStatus(program.status).label.lower()
    }


def quota_full_message(quota: VillageQuota) -> str:
    return _("the quota of %(village)s (%(quota)d) is full.") % {
        "village": quota.village.name,
        "quota": quota.quota,
    }


def households_taken(program: Program, household_ids) -> set[int]:
    """Which of `household_ids` already have a member holding a place in `program`."""
    return set(
        Enrollment.objects.holding_a_place()
        .filter(program=program, household_id__in=household_ids)
        .values_list("household_id", flat=True)
    )
