"""The demo's action plans: this year's plan of each of the 16 demo agencies, and its
quarterly progress, so that every role's home page and the secretariat's overview show
something real.

Invented for the demo: every activity, sub-activity code, indicator, target, budget,
village, percentage and comment. The story covers each state once or more: most plans
verified, one awaiting verification (returned once before), one returned, one draft, one
in revision (the verified version still in force); quarters 1–3 verified, awaiting
verification, returned with a comment, left as a draft or never started after their
deadline (with the secretariat's reminder for some), some agencies on track and some
behind. On their home pages `opd.dinsos` finds a returned third-quarter report and a
reminder, `opd.disnakertrans` a late third quarter and its achievement so far.

Every write goes through programs.plan_services, by the agency's own operator (one per
agency, added here where tkpk.demo has none) and by `sekretariat`; each step is then
dated as in the story (the quarter's deadline, a few days before or after), never later
than now. An agency that already has a plan for the year is left as it is.
"""

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from households.models import Area
from partners.demo import example_pdf
from programs.achievement import BEHIND_BELOW
from programs.models import (
    ActionPlan,
    Activity,
    Pillar,
    PlanEvent,
    Program,
    Progress,
    QuarterReport,
    quarter_start,
)
from programs.plan_demo.plans import (
    DEMO_PLANS,
    DRAFT,
    MISSING,
    PEOPLE_UNITS,
    RETURNED,
    REVISION,
    ROMAN,
    SECRETARIAT,
    SUBMITTED,
    WOBBLE,
    DemoActivity,
    DemoPlan,
    DemoReport,
)
from programs.plan_selectors import deadlines
from programs.plan_services import (
    activity_save,
    plan_create,
    plan_review,
    plan_revise,
    plan_submit,
    progress_save,
    quarter_report_open,
    reminder_send,
    report_review,
    report_submit,
)
from tkpk.documents import DOCUMENTS, document_check
from tkpk.models import Agency, Role, User

T = TypeVar("T")


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> list[User]:
    """Add this year's plan of every demo agency without one, and their progress;
    idempotent. Returns the agency operators it added or refreshed (for the sign-in list)."""
    today = today or timezone.localdate()
    secretariat = User.objects.get(username=SECRETARIAT)
    operators = _operators(secretariat)
    agencies = Agency.objects.in_bulk([demo.agency for demo in DEMO_PLANS], field_name="acronym")
    planned = set(
        ActionPlan.objects.filter(year=today.year, agency__in=agencies.values()).values_list(
            "agency__acronym", flat=True
        )
    )
    story = _Story(today=today, secretariat=secretariat)
    for demo in DEMO_PLANS:
        if demo.agency in agencies and demo.agency not in planned:
            story.plan(demo, agencies[demo.agency], operators[demo.operator])
    return [user for user in operators.values() if user.username not in _TKPK_DEMO_USERS]


# tkpk.demo's agency operators, already listed by seed_demo.
_TKPK_DEMO_USERS = {"opd.dinsos", "opd.disnakertrans"}


def _operators(secretariat: User) -> dict[str, User]:
    """Each demo agency's operator: tkpk.demo's two, and one added here for each other,
    with the demo password: tkpk.demo has just set it for the secretariat, and hashing it
    again (slow on purpose) would cost most of a second."""
    users = {u.username: u for u in User.objects.filter(username__in=_TKPK_DEMO_USERS)}
    agencies = Agency.objects.in_bulk([demo.agency for demo in DEMO_PLANS], field_name="acronym")
    password = secretariat.password
    for demo in DEMO_PLANS:
        if demo.operator in users or demo.agency not in agencies:
            continue
        user, _created = User.objects.update_or_create(
            username=demo.operator,
            defaults={
                "name": f"Operator {demo.agency}",
                "role": Role.AGENCY,
                "agency": agencies[demo.agency],
                "partner": None,
                "is_active": True,
                "password": password,
            },
        )
        users[user.username] = user
    return users


NINE_AM = datetime.time(9)


class _Story:
    """Writes one demo plan step by step, each step dated as the story tells it."""

    def __init__(self, *, today: datetime.date, secretariat: User) -> None:
        self.today = today
        self.year = today.year
        self.secretariat = secretariat
        self.now = timezone.now()
        self.due = deadlines(self.year)
        self.pillars = {pillar.order: pillar for pillar in Pillar.objects.all()}
        codes = {a.program for demo in DEMO_PLANS for a in demo.activities if a.program}
        self.programs = Program.objects.in_bulk(codes, field_name="code")
        villages = {v for demo in DEMO_PLANS for a in demo.activities for v in a.villages}
        self.villages = Area.objects.in_bulk(villages)

    def moment(self, day: datetime.date) -> datetime.datetime:
        """Nine in the morning of `day`, or now if that is still to come."""
        return min(self.now, timezone.make_aware(datetime.datetime.combine(day, NINE_AM)))

    def on(self, day: datetime.date, step: Callable[[], T]) -> T:
        """Do `step` and date the history entries it wrote `day`."""
        last = PlanEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        result = step()
        PlanEvent.objects.filter(pk__gt=last).update(at=self.moment(day))
        return result

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day)

    # --- the plan

    def plan(self, demo: DemoPlan, agency: Agency, operator: User) -> None:
        late_plan = demo.outcome in (DRAFT, RETURNED)  # started or sent late in the year
        start = self.day(11, 2) if late_plan else self.day(1, 6)
        plan = self.on(start, lambda: plan_create(agency=agency, year=self.year, by=operator))
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=self.moment(start))
        self.activities(plan, demo.activities, operator, start)
        if demo.outcome == DRAFT:
            return
        sent = self.day(11, 10) if late_plan else self.day(1, 20)
        plan = self.submit(plan, operator, sent)
        if demo.corrected:
            plan = self.review(plan, sent + datetime.timedelta(days=7), comment=demo.corrected)
            sent = self.day(11, 23)
            plan = self.submit(plan, operator, sent)
        if demo.outcome == SUBMITTED:
            return
        if demo.outcome == RETURNED:
            self.review(plan, sent + datetime.timedelta(days=7), comment=demo.comment)
            return
        plan = self.review(plan, sent + datetime.timedelta(days=7))
        for report in demo.reports:
            if quarter_start(self.year, report.quarter) <= self.today:
                self.report(plan, report, operator)
        if demo.outcome == REVISION:
            opened = self.day(10, 20)
            plan = self.on(
                opened, lambda: plan_revise(plan=plan, by=operator, comment=demo.comment)
            )
            self.activities(plan, demo.revision, operator, opened, first=len(demo.activities))

    def activities(
        self,
        plan: ActionPlan,
        activities: tuple[DemoActivity, ...],
        operator: User,
        day: datetime.date,
        first: int = 0,
    ) -> None:
        for position, demo in enumerate(activities, start=first + 1):
            activity = Activity(
                plan=plan,
                position=position,
                name=demo.name,
                sub_activity_code=demo.code,
                pillar=self.pillars[demo.pillar],
                program=self.programs.get(demo.program),
                indicator=demo.indicator,
                unit=demo.unit,
                target=demo.target,
                target_q1=demo.quarters[0],
                target_q2=demo.quarters[1],
                target_q3=demo.quarters[2],
                target_q4=demo.quarters[3],
                adds_up=demo.adds_up,
                budget=demo.budget,
                funding_source=demo.source,
                budget_tag=demo.tag,
                target_group=demo.group,
            )
            villages = [self.villages[code] for code in demo.villages if code in self.villages]
            self.on(
                day,
                lambda a=activity, v=villages: activity_save(
                    activity=a, version=None, by=operator, villages=v
                ),
            )
            Activity.objects.filter(pk=activity.pk).update(updated_at=self.moment(day))

    def submit(self, plan: ActionPlan, operator: User, day: datetime.date) -> ActionPlan:
        plan.refresh_from_db()
        return self.on(day, lambda: plan_submit(plan=plan, version=plan.version, by=operator))

    def review(self, plan: ActionPlan, day: datetime.date, comment: str = "") -> ActionPlan:
        plan.refresh_from_db()
        first = plan.first_verified_on is None
        plan = self.on(
            day,
            lambda: plan_review(
                plan=plan,
                version=plan.version,
                verified=not comment,
                comment=comment,
                by=self.secretariat,
            ),
        )
        if not comment:  # verified: on the story's day, like its history entry
            plan.verified_version["verified_at"] = self.moment(day).isoformat()
            plan.first_verified_on = min(day, self.today) if first else plan.first_verified_on
            plan.save(update_fields=["verified_version", "first_verified_on"])
        return plan

    # --- a quarter's report

    def report(self, plan: ActionPlan, demo: DemoReport, operator: User) -> None:
        due = self.due[demo.quarter]
        if demo.outcome != MISSING:
            self.report_write(plan, demo, operator, due)
        self.remind(plan, demo, due)

    def report_write(
        self, plan: ActionPlan, demo: DemoReport, operator: User, due: datetime.date
    ) -> None:
        """Progress entered a week before the deadline, sent two days before it, reviewed
        three days after it."""
        report = quarter_report_open(plan=plan, quarter=demo.quarter, today=self.today)
        activities = list(plan.activities.filter(agreed=True).order_by("position"))
        if demo.outcome == DRAFT:
            activities = activities[:1]  # begun, never finished
        entered = due - datetime.timedelta(days=6)
        entries = [
            self.progress(report, activity, index, demo, operator, entered)
            for index, activity in enumerate(activities)
        ]
        if demo.outcome == DRAFT:
            return
        report = self.report_submit(report, operator, due - datetime.timedelta(days=2))
        reviewed = due + datetime.timedelta(days=3)
        if demo.corrected:
            report = self.report_review(report, reviewed, comment=demo.corrected)
            again = reviewed + datetime.timedelta(days=4)
            for entry in entries:
                entry.narrative += " Dilengkapi sesuai catatan sekretariat."
                self.on(
                    again,
                    lambda e=entry: progress_save(progress=e, version=e.version, by=operator),
                )
            report = self.report_submit(report, operator, again)
            reviewed = again + datetime.timedelta(days=3)
        if demo.outcome != SUBMITTED:
            self.report_review(report, reviewed, comment=demo.comment)

    def progress(
        self,
        report: QuarterReport,
        activity: Activity,
        index: int,
        demo: DemoReport,
        operator: User,
        day: datetime.date,
    ) -> Progress:
        quarter = demo.quarter
        target = activity.quarter_target(quarter)
        realised = _rounded(target * demo.pace * WOBBLE[index % len(WOBBLE)], activity.unit)
        if activity.unit == "%":
            realised = min(realised, Decimal(100))
        share = target / activity.target if activity.adds_up else Decimal("0.25")
        spent = activity.budget * share * min(demo.pace, Decimal(1)) * Decimal("0.9")
        spent = (spent / 1000).quantize(Decimal(1)) * 1000  # in thousands of rupiah
        behind = demo.pace < BEHIND_BELOW
        progress = Progress(
            report=report,
            activity=activity,
            realised=realised,
            spent=spent,
            beneficiaries=int(realised) if activity.unit in PEOPLE_UNITS else None,
            narrative=(
                f"Realisasi triwulan {ROMAN[quarter]}: {_written(realised)} {activity.unit} "
                f"dari target {_written(target)} {activity.unit}."
            ),
            problems=(
                "Pencairan anggaran terlambat dan sebagian calon penerima belum padan dengan "
                "DTSEN; kegiatan dikejar pada triwulan berikutnya."
                if behind
                else ""
            ),
        )
        evidence = []
        if index == 0 and demo.outcome != DRAFT:
            evidence.append(_evidence(report, activity))
        self.on(
            day,
            lambda: progress_save(progress=progress, version=None, by=operator, evidence=evidence),
        )
        Progress.objects.filter(pk=progress.pk).update(updated_at=self.moment(day))
        return progress

    def report_submit(
        self, report: QuarterReport, operator: User, day: datetime.date
    ) -> QuarterReport:
        report.refresh_from_db()
        report = self.on(
            day, lambda: report_submit(report=report, version=report.version, by=operator)
        )
        moment = self.moment(day)
        QuarterReport.objects.filter(pk=report.pk).update(submitted_at=moment)
        QuarterReport.objects.filter(pk=report.pk, first_submitted_at__gt=moment).update(
            first_submitted_at=moment
        )
        return report

    def report_review(
        self, report: QuarterReport, day: datetime.date, comment: str = ""
    ) -> QuarterReport:
        report.refresh_from_db()
        report = self.on(
            day,
            lambda: report_review(
                report=report,
                version=report.version,
                verified=not comment,
                comment=comment,
                by=self.secretariat,
            ),
        )
        QuarterReport.objects.filter(pk=report.pk).update(reviewed_at=self.moment(day))
        return report

    def remind(self, plan: ActionPlan, demo: DemoReport, due: datetime.date) -> None:
        if not demo.reminded or due >= self.today:
            return
        reminded = min(due + datetime.timedelta(days=14), self.today)
        self.on(
            reminded,
            lambda: reminder_send(plan=plan, quarter=demo.quarter, due_on=due, by=self.secretariat),
        )


def _rounded(value: Decimal, unit: str) -> Decimal:
    """A percentage to one decimal, a count to a whole number."""
    step = Decimal("0.1") if unit == "%" else Decimal(1)
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _written(value: Decimal) -> str:
    """A number as the narrative, in Indonesian, writes it: 1.200 or 92,5."""
    whole, _dot, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def _evidence(report: QuarterReport, activity: Activity):
    """An example PDF, checked by content as an operator's upload is."""
    agency = report.plan.agency.acronym
    name = f"Bukti {agency} TW {ROMAN[report.quarter]} {report.plan.year}.pdf"
    lines = [
        f"Bukti realisasi triwulan {ROMAN[report.quarter]} {report.plan.year}",
        agency,
        activity.name,
    ]
    upload = ContentFile(example_pdf([*lines, "", "Dokumen contoh untuk demo, bukan asli."]))
    upload.name = name
    return document_check(upload, DOCUMENTS)
