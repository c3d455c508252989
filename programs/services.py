"""Writes on programs and their participants; every door (page, command, demo) calls these."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from households.models import Person
from programs.eligibility import Refusal, Rule, Rules, households_taken, quota_full_message
from programs.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    IncomeRecord,
    Pillar,
    Program,
)
from tkpk.models import Role, User
from tkpk.permissions import MANAGERS
from tkpk.signals import figures_changed
from tkpk.translation import Message as _


class EnrollmentRefused(Exception):
    """The person cannot be enrolled; `refusals` says why, one sentence per rule."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(r.message for r in refusals))
        self.refusals = refusals

    @property
    def overridable(self) -> bool:
        return all(r.overridable for r in self.refusals)


def may_manage(user: User, program: Program) -> bool:
    """Whether `user` may edit `program` and its participants: the secretariat, the lead agency."""
    if user.role in MANAGERS:
        return True
    return user.role == Role.AGENCY and user.agency_id == program.lead_agency_id


def may_see_participants(user: User, program: Program) -> bool:
    """Whether `user` may see who takes part (names; NIKs as `sees_personal_data` decides)."""
    if user.role in (*MANAGERS, Role.LEADER):
        return True
    return user.role == Role.AGENCY and program.involves(user.agency_id)


def places_taken(program: Program, village_id: str) -> int:
    return Enrollment.objects.filter(village_id=village_id).places_by_village(program)[village_id]


def program_enroll(
    *,
    program: Program,
    person: Person,
    by: User,
    on: datetime.date | None = None,
    override_reason: str = "",
) -> Enrollment:
    """Enrol `person` into `program`, or raise EnrollmentRefused saying why not.

    A written `override_reason` sets aside the rules that may be overridden (desil, age);
    the village, the household rule and the quota always hold. The program's row is
    locked while the quota is counted, so the last place of a village is taken once.
    """
    if not may_manage(by, program):
        raise PermissionDenied
    on = on or timezone.localdate()
    override_reason = override_reason.strip()
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        person = Person.objects.select_related("household__village").get(pk=person.pk)
        refusals = _refusals(program, person, on=on)
        if override_reason:
            refusals = [r for r in refusals if not r.overridable]
        if refusals:
            raise EnrollmentRefused(refusals)
        household = person.household
        enrollment = Enrollment.objects.create(
            program=program,
            person=person,
            household=household,
            village_id=household.village_id,
            enrolled_on=on,
            status_changed_on=on,
            desil_at_enrollment=household.desil,
            desil_period_at_enrollment=household.desil_period,
            override_reason=override_reason,
            created_by=by,
        )
        EnrollmentEvent.objects.create(
            enrollment=enrollment, status=EnrollmentStatus.ENROLLED, on=on, by=by
        )
        figures_changed.send(sender=Enrollment, years=program.years)
    return enrollment


def _refusals(program: Program, person: Person, *, on: datetime.date) -> list[Refusal]:
    """Every reason `person` may not join `program` now, the quota included (under the lock)."""
    earlier = Enrollment.objects.filter(program=program, person=person).first()
    if earlier is not None and earlier.status == EnrollmentStatus.EXITED:
        return [
            Refusal(
                Rule.ALREADY,
                _("left this program on %(date)s (%(reason)s) and cannot join it again.")
                % {
                    "date": earlier.status_changed_on.strftime("%d-%m-%Y"),
                    "reason": earlier.get_exit_reason_display().lower(),
                },
            )
        ]
    if earlier is not None:
        return [Refusal(Rule.ALREADY, _("is already a participant of this program."))]
    rules = Rules(program)
    refusals = rules.refusals(
        person, on=on, household_taken=bool(households_taken(program, [person.household_id]))
    )
    quota = rules.quotas.get(person.household.village_id)
    if quota and quota.quota is not None and places_taken(program, quota.village_id) >= quota.quota:
        refusals.append(Refusal(Rule.QUOTA, quota_full_message(quota)))
    return refusals


def enrollment_status_change(
    *,
    enrollment: Enrollment,
    status: str,
    by: User,
    on: datetime.date | None = None,
    exit_reason: str = "",
    note: str = "",
) -> Enrollment:
    """Move a participant on (enrolled → active → graduated, or exited with a reason)."""
    if not may_manage(by, enrollment.program):
        raise PermissionDenied
    on = on or timezone.localdate()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if status not in EnrollmentStatus.next_statuses(enrollment.status):
            raise ValidationError(
                {
                    "status": _("A participant who is %(now)s cannot become %(next)s.")
                    % {
                        "now": enrollment.get_status_display().lower(),
                        "next": EnrollmentStatus(status).label.lower(),
                    }
                }
            )
        if status == EnrollmentStatus.EXITED and not exit_reason:
            raise ValidationError({"exit_reason": _("Choose why the participant left.")})
        if on > timezone.localdate():
            raise ValidationError({"on": _("The date cannot be in the future.")})
        if on < enrollment.status_changed_on:
            raise ValidationError(
                {
                    "on": _("The date cannot be before the last change (%(date)s).")
                    % {"date": enrollment.status_changed_on.strftime("%d-%m-%Y")}
                }
            )
        enrollment.status = status
        enrollment.status_changed_on = on
        enrollment.exit_reason = exit_reason if status == EnrollmentStatus.EXITED else ""
        enrollment.full_clean()
        enrollment.save(update_fields=["status", "status_changed_on", "exit_reason"])
        EnrollmentEvent.objects.create(
            enrollment=enrollment,
            status=status,
            on=on,
            exit_reason=enrollment.exit_reason,
            note=note.strip(),
            by=by,
        )
        figures_changed.send(sender=Enrollment, years=enrollment.program.years)
    return enrollment


def income_record(
    *, enrollment: Enrollment, amount: Decimal, by: User, on: datetime.date | None = None
) -> IncomeRecord:
    """Record a participant's monthly income: empowerment programs show the change."""
    if not may_manage(by, enrollment.program):
        raise PermissionDenied
    if not enrollment.program.records_income:
        raise ValidationError(_("Income is recorded for empowerment programs only."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    record = IncomeRecord(enrollment=enrollment, amount=amount, on=on, by=by)
    record.full_clean()
    record.save()
    return record


def program_save(*, form, quotas, budget_lines, by: User) -> Program:
    """Store a program with its target villages and budget lines, all or nothing.

    `form`, `quotas` and `budget_lines` are a bound ProgramForm and its two formsets,
    already valid. The secretariat creates programs; the lead agency edits its own.
    """
    program = form.instance
    if program.pk is None and by.role not in MANAGERS:
        raise PermissionDenied
    if program.pk is not None and not may_manage(by, Program.objects.get(pk=program.pk)):
        raise PermissionDenied
    with transaction.atomic():
        program = form.save()
        for formset in (quotas, budget_lines):
            formset.instance = program
            formset.save()
        # A new program, new quotas or new dates: the dashboard lists it with its places.
        figures_changed.send(sender=Program, years=program.years)
    return program


def pillar_save(*, pillar: Pillar, by: User) -> Pillar:
    """Rename or add a strategy pillar: the secretariat's."""
    if by.role not in MANAGERS:
        raise PermissionDenied
    pillar.full_clean()
    pillar.save()
    return pillar
