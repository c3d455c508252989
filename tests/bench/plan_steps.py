"""The action plans part of `make bench`: steps that run, each in a fresh process, from run.py.

`setup` writes 30 agencies' verified plans of this year (one in ten under revision), 25
activities each, and their four quarters of reports and progress in every state (bulk
inserts: setting up, not the thing measured; the dashboard part asks for 16 plans of
2025, under agencies of their own); `pages` times, as a signed-in secretariat user through
Django's test client, the secretariat's overview (agencies × quarters) and the year's and
the semester's .xlsx.
"""

import datetime
import random
import statistics
import time

AGENCIES = 30
ACTIVITIES = 25  # per plan
USERNAME = "bench.rencana"
ACRONYM = "RAT-OPD-{n:02d}"
OVERVIEW = "overview, agencies × quarters"
EXPORT = "year's .xlsx export"
SEMESTER = "semester .xlsx export"
TARGET_SECONDS = {OVERVIEW: 0.3, EXPORT: 5.0, SEMESTER: 5.0}
RUNS = {OVERVIEW: 15, EXPORT: 5, SEMESTER: 5}  # after one warm-up request


def step_setup(agencies: str = str(AGENCIES), year: str = "", acronym: str = ACRONYM) -> dict:
    """`agencies` plans of `year` (this year by default), their agencies named `acronym`."""
    from django.db import connection, transaction
    from django.utils import timezone

    from programs.models import (
        ActionPlan,
        Activity,
        BudgetTag,
        Pillar,
        PlanAction,
        PlanEvent,
        Progress,
        QuarterReport,
        ReviewStatus,
        TargetGroup,
    )
    from tkpk.models import Agency, Role, User

    rnd = random.Random(10)  # noqa: S311 - bench data, not secrets
    started = time.perf_counter()
    year = int(year) if year else timezone.localdate().year
    now = timezone.now()
    user, _created = User.objects.update_or_create(
        username=USERNAME,
        defaults={"name": "Bench Rencana", "role": Role.SECRETARIAT, "is_active": True},
    )
    pillars = list(Pillar.objects.order_by("order"))
    with transaction.atomic():
        agencies = Agency.objects.bulk_create(
            Agency(acronym=acronym.format(n=n), name=f"Dinas Rencana Aksi {acronym.format(n=n)}")
            for n in range(1, int(agencies) + 1)
        )
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                agency=agency,
                year=year,
                # One agency in ten is preparing a revision of its verified plan.
                status=ReviewStatus.DRAFT if n % 10 == 9 else ReviewStatus.VERIFIED,
                revision=1 if n % 10 == 9 else 0,
                verified_version=_snapshot(n, now),
                created_by=user,
            )
            for n, agency in enumerate(agencies)
        )
        activities = []
        for n, plan in enumerate(plans):
            for position in range(ACTIVITIES):
                quarter_target = 5 + (n + position) % 20
                activities.append(
                    Activity(
                        plan=plan,
                        position=position,
                        name=f"Kegiatan {position + 1} dinas {n + 1}",
                        sub_activity_code=f"1.02.02.2.{n:02d}.{position:04d}",
                        pillar=pillars[position % len(pillars)],
                        indicator="Penerima manfaat",
                        unit="orang",
                        target=quarter_target * 4,
                        target_q1=quarter_target,
                        target_q2=quarter_target,
                        target_q3=quarter_target,
                        target_q4=quarter_target,
                        budget=50_000_000 + 10_000_000 * (position % 9),
                        budget_tag=list(BudgetTag)[position % len(BudgetTag)],
                        target_group=list(TargetGroup)[position % len(TargetGroup)],
                        agreed=True,
                        updated_by=user,
                    )
                )
        Activity.objects.bulk_create(activities, batch_size=2000)
        # Every state a quarter's report takes, all four quarters of each verified plan.
        cycle = [
            ReviewStatus.VERIFIED,
            ReviewStatus.VERIFIED,
            ReviewStatus.SUBMITTED,
            ReviewStatus.RETURNED,
            ReviewStatus.DRAFT,
        ]
        reports = QuarterReport.objects.bulk_create(
            QuarterReport(
                plan=plan,
                quarter=quarter,
                status=cycle[(n + quarter) % len(cycle)],
                review_comment=(
                    "Lengkapi bukti"
                    if cycle[(n + quarter) % len(cycle)] == ReviewStatus.RETURNED
                    else ""
                ),
            )
            for n, plan in enumerate(plans)
            for quarter in (1, 2, 3, 4)
        )
        by_plan: dict[int, list[Activity]] = {}
        for activity in activities:
            by_plan.setdefault(activity.plan_id, []).append(activity)
        progress = [
            Progress(
                report=report,
                activity=activity,
                realised=round(activity.target_q1 * rnd.uniform(0.5, 1.2)),
                spent=round(activity.budget / 4 * rnd.uniform(0.3, 1.0)),
                beneficiaries=rnd.randint(5, 40),
                narrative="Kegiatan berjalan",
                updated_by=user,
            )
            for report in reports
            for activity in by_plan[report.plan_id]
        ]
        Progress.objects.bulk_create(progress, batch_size=2000)
        PlanEvent.objects.bulk_create(
            PlanEvent(plan=report.plan, quarter=report.quarter, action=PlanAction.REMINDED, by=user)
            for report in reports
            if report.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "year": year,
        "plans": len(plans),
        "activities": len(activities),
        "reports": len(reports),
        "progress": len(progress),
    }


def _snapshot(n: int, now: datetime.datetime) -> dict:
    """A verified version the size of a real one: the overview reads it with each plan."""
    return {
        "revision": 0,
        "verified_at": now.isoformat(),
        "verified_by": "Bench Rencana",
        "activities": [
            {
                "id": None,
                "name": f"Kegiatan {position + 1} dinas {n + 1}",
                "sub_activity_code": f"1.02.02.2.{n:02d}.{position:04d}",
                "indicator": "Penerima manfaat",
                "unit": "orang",
                "target": "40.00",
                "quarter_targets": ["10.00"] * 4,
                "adds_up": True,
                "budget": "50000000",
                "villages": [],
            }
            for position in range(ACTIVITIES)
        ],
    }


def step_pages(year: str) -> dict:
    from django.conf import settings
    from django.test import override_settings

    # Without collectstatic there is no manifest; plain static URLs cost the same.
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES=storages):
        return _pages(int(year))


def _pages(year: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tkpk.models import User

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    export = reverse("programs:plans_export", kwargs={"year": year})
    urls = {
        OVERVIEW: f"{reverse('programs:plan_overview')}?tahun={year}",
        EXPORT: export,
        SEMESTER: f"{export}?semester=1",
    }
    results = {}
    for label, url in urls.items():
        queries: list[str] = []
        with connection.execute_wrapper(_counted(queries)):
            status, size = _get(client, url)  # the warm-up, its queries counted
        if status != 200:
            results[label] = {"url": url, "status": status}
            continue
        times = []
        for _ in range(RUNS[label]):
            started = time.perf_counter()
            _get(client, url)
            times.append(time.perf_counter() - started)
        results[label] = {
            "url": url,
            "status": 200,
            "median": statistics.median(times),
            "p95": _p95(times),
            "runs": len(times),
            "queries": len(queries),
            "bytes": size,
        }
    return results


def _get(client, url: str) -> tuple[int, int]:
    """(status, bytes) of a GET; a file is read to its last byte, as a browser would."""
    response = client.get(url, secure=True)
    if response.streaming:
        return response.status_code, sum(len(chunk) for chunk in response.streaming_content)
    return response.status_code, len(response.content)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _counted(log: list):
    def wrapper(execute, sql, params, many, context):
        log.append(sql)
        return execute(sql, params, many, context)

    return wrapper


STEPS = {"plans-setup": step_setup, "plans-pages": step_pages}
