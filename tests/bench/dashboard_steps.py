"""The dashboard part of `make bench`: steps that run, each in a fresh process, from run.py.

The register, the programs and the plans are set up with the programs' and the plans' own
steps (program_steps.py, plan_steps.py); the boundaries with `manage.py import_boundaries`.
`refresh` times `summaries_refresh(year)` and each of its parts; `pages` times, as a
signed-in leader through Django's test client, the region's dashboard and a district's
map page, with the settings' cache (rendered charts are cached until their data changes).
"""

import statistics
import time

REGION = "63.02"
# Every bench program runs in 2025 (program_steps starts them in 2025's months), and the
# register is loaded for 2025-Q3 and 2025-Q4: the dashboard is looked at for 2025.
YEAR = 2025
AGENCIES = 16
PLAN_ACRONYM = "DASBOR-OPD-{n:02d}"
CHANGED_ROWS = 200_000
USERNAME = "bench.pimpinan"
REFRESH_TARGET_SECONDS = 30
DASHBOARD = "dashboard, the region"
DISTRICT = "district map page"
TARGET_SECONDS = {DASHBOARD: 0.3, DISTRICT: 0.3}
RUNS = {DASHBOARD: 50, DISTRICT: 15}  # after one warm-up request
# The parts of the rebuild, timed one by one while summaries_refresh runs.
REFRESH_PARTS = ("_area_summaries", "_program_summaries", "_agency_quarter_summaries")


def step_refresh(year: str) -> dict:
    """`summaries_refresh(year)` in a fresh process: its seconds, its parts' and its queries."""
    from django.db import connection

    from reports import summaries
    from reports.models import AgencyQuarterSummary, AreaSummary, ProgramSummary

    parts: dict[str, float] = {}
    for name in REFRESH_PARTS:
        setattr(summaries, name, _timed_part(getattr(summaries, name), name, parts))
    queries: list[tuple[float, str]] = []
    started = time.perf_counter()
    with connection.execute_wrapper(_timed_queries(queries)):
        state = summaries.summaries_refresh(int(year))
    seconds = time.perf_counter() - started
    slowest = sorted(queries, key=lambda q: q[0], reverse=True)[:5]
    return {
        "seconds": seconds,
        "parts": parts,
        "write": seconds - sum(parts.values()),
        "queries": len(queries),
        "query_seconds": sum(q[0] for q in queries),
        "slowest": [[s, sql[:600]] for s, sql in slowest],
        "version": state.version,
        "areas": AreaSummary.objects.filter(year=year).count(),
        "programs": ProgramSummary.objects.filter(year=year).count(),
        "agency_quarters": AgencyQuarterSummary.objects.filter(year=year).count(),
    }


def _timed_part(function, name: str, parts: dict):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            parts[name] = parts.get(name, 0.0) + time.perf_counter() - started

    return timed


def _timed_queries(log: list):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((time.perf_counter() - started, sql))

    return wrapper


def step_pages(year: str) -> dict:
    from django.conf import settings
    from django.test import override_settings

    # Without collectstatic there is no manifest; plain static URLs cost the same.
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES=storages):
        return _pages(int(year))


def _district() -> tuple[str, int]:
    """The region's district with the most village boundaries: the largest map there is."""
    from django.db.models import Count

    from households.models import Area
    from reports.models import Boundary

    counts = (
        Boundary.objects.filter(area__code__startswith=f"{REGION}.", area__level=4)
        .values_list("area__parent")
        .annotate(n=Count("pk"))
        .order_by("-n", "area__parent")
    )
    found = counts.first()
    if found:
        return found[0], found[1]
    return Area.objects.within(REGION).districts().order_by("code").values_list(
        "code", flat=True
    ).first(), 0


def _pages(year: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tkpk.models import Role, User

    user, _created = User.objects.update_or_create(
        username=USERNAME,
        defaults={"name": "Bench Pimpinan", "role": Role.LEADER, "is_active": True},
    )
    client = Client()
    client.force_login(user)
    district, boundaries = _district()
    urls = {
        DASHBOARD: f"{reverse('reports:dashboard')}?tahun={year}",
        DISTRICT: f"{reverse('reports:dashboard_area', kwargs={'code': district})}"
        f"?tahun={year}&peta=desil",
    }
    results = {
        "cache": settings.CACHES["default"]["BACKEND"],
        "district": district,
        "boundaries": boundaries,
    }
    for label, url in urls.items():
        queries: list[tuple[float, str]] = []
        started = time.perf_counter()
        with connection.execute_wrapper(_timed_queries(queries)):
            response = client.get(url, secure=True)  # the warm-up: nothing cached yet
        first = time.perf_counter() - started
        if response.status_code != 200:
            results[label] = {"url": url, "status": response.status_code}
            continue
        size = len(response.content)
        warm_queries: list[tuple[float, str]] = []
        with connection.execute_wrapper(_timed_queries(warm_queries)):
            client.get(url, secure=True)  # the queries of a cached page, not timed
        times = []
        for _ in range(RUNS[label]):
            started = time.perf_counter()
            client.get(url, secure=True)
            times.append(time.perf_counter() - started)
        results[label] = {
            "url": url,
            "status": 200,
            "first": first,
            "first_queries": len(queries),
            "median": statistics.median(times),
            "p95": _p95(times),
            "runs": len(times),
            "queries": len(warm_queries),
            "query_seconds": sum(q[0] for q in warm_queries),
            "bytes": size,
        }
    return results


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


STEPS = {"dashboard-refresh": step_refresh, "dashboard-pages": step_pages}
