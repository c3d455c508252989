"""The programs part of `make bench`: steps that run, each in a fresh process, from run.py.

`setup` writes 100 programs (rules, target villages, quotas) and 50,000 enrolments with
their first history entry straight into the database (bulk inserts: setting up, not the
thing measured); `pages` times the program pages with Django's test client as a signed-in
secretariat user; `nik_file` writes 10,000 NIKs of eligible people for `manage.py enrol`.
"""

import datetime
import random
import statistics
import time
from pathlib import Path

REGION = "63.02"
PROGRAMS = 100
ENROLMENTS = 50_000
BULK_NIKS = 10_000
# The program each page is measured on (made by `setup`).
TARGETED = "BENCH-001"  # five target villages with quotas, Kotabaru's rules
WHOLE_REGION = "BENCH-002"  # desil 1-4 in the whole region, one per household
BULK = "BENCH-100"  # empty, for the bulk enrolment: desil 1-4, ages 18-59
USERNAME = "bench.sekretariat"
PAGE_TARGET_SECONDS = {
    "program page": 0.2,
    "eligible list, one village": 0.2,
    "overlap, whole region": 1.0,
    "exclusion, whole region": 1.0,
}
REQUESTS = 7  # after one warm-up request; the median is reported


def step_setup() -> dict:
    from django.db import connection, transaction

    from households.models import Area
    from programs.models import (
        Enrollment,
        EnrollmentEvent,
        EnrollmentStatus,
        ExitReason,
        Pillar,
        Program,
        ProgramKind,
        ProgramStatus,
        VillageQuota,
    )
    from tkpk.models import Agency, Role, User

    rnd = random.Random(8)  # noqa: S311 - bench data, not secrets
    started = time.perf_counter()
    villages = sorted(Area.objects.within(REGION).villages().values_list("code", flat=True))
    user, _created = User.objects.update_or_create(
        username=USERNAME, defaults={"name": "Bench", "role": Role.SECRETARIAT, "is_active": True}
    )
    agencies = [
        Agency.objects.get_or_create(acronym=f"OPD-{n}", defaults={"name": f"Dinas Bench {n}"})[0]
        for n in range(1, 11)
    ]
    pillars = list(Pillar.objects.order_by("order"))
    kinds = [ProgramKind.SOCIAL_ASSISTANCE, ProgramKind.EMPOWERMENT, ProgramKind.INFRASTRUCTURE]
    with transaction.atomic():
        programs, targets = [], {}
        for n in range(1, PROGRAMS + 1):
            code = f"BENCH-{n:03d}"
            if code == TARGETED:
                rules = {"max_desil": 4, "min_age": 18, "max_age": 59, "one_per_household": True}
            elif code in (WHOLE_REGION, BULK):
                rules = {"max_desil": 4, "one_per_household": code == WHOLE_REGION}
                if code == BULK:
                    rules |= {"min_age": 18, "max_age": 59}
            else:
                rules = {
                    "max_desil": rnd.choice([None, 3, 4, 4, 5]),
                    "productive_age_only": rnd.random() < 0.4,
                    "one_per_household": rnd.random() < 0.5,
                }
            start = datetime.date(2025, 1 + n % 12, 1)
            programs.append(
                Program(
                    code=code,
                    name=f"Program bench {n}",
                    pillar=pillars[n % len(pillars)],
                    lead_agency=agencies[n % len(agencies)],
                    kind=kinds[n % len(kinds)],
                    start_date=start,
                    end_date=start + datetime.timedelta(days=180 + 30 * (n % 7)),
                    status=ProgramStatus.RUNNING,
                    **rules,
                )
            )
            # Three programs in five are for target villages (3-20), with quotas.
            if code == TARGETED:
                targets[code] = rnd.sample(villages, 5)
            elif code not in (WHOLE_REGION, BULK) and n % 5 < 3:
                targets[code] = rnd.sample(villages, 3 + n % 18)
        Program.objects.bulk_create(programs)
        by_code = {p.code: p for p in Program.objects.filter(code__startswith="BENCH-")}
        VillageQuota.objects.bulk_create(
            VillageQuota(program=by_code[code], village_id=village, quota=None if n % 4 else 400)
            for code, chosen in targets.items()
            for n, village in enumerate(chosen)
        )

        # About 200,000 people programs draw from (a fifth of a million): their household's
        # village and desil. Many people end up in two programs or more, as in life.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM households_person")
            every = max(1, cursor.fetchone()[0] // 200_000)
            cursor.execute(
                "SELECT p.id, p.household_id, h.village_id, h.desil, h.desil_period "
                "FROM households_person p JOIN households_household h ON h.id = p.household_id "
                "WHERE p.id %% %s = 0 AND h.desil <= 5 ORDER BY p.id",
                [every],
            )
            pool = cursor.fetchall()
        in_village: dict[str, list] = {}
        for row in pool:
            in_village.setdefault(row[2], []).append(row)
        statuses = [EnrollmentStatus.ACTIVE] * 6 + [EnrollmentStatus.ENROLLED] * 2
        statuses += [EnrollmentStatus.GRADUATED, EnrollmentStatus.EXITED]
        per_program = ENROLMENTS // (PROGRAMS - 1)
        enrollments = []
        for code, program in sorted(by_code.items()):
            if code == BULK:
                continue
            wanted = per_program
            if code == TARGETED:
                wanted += ENROLMENTS - per_program * (PROGRAMS - 1)
            chosen = targets.get(code)
            candidates = [r for v in chosen for r in in_village.get(v, [])] if chosen else pool
            limit = program.max_desil or 10
            households, added = set(), 0
            for row in rnd.sample(candidates, min(len(candidates), wanted * 3)):
                if row[3] > limit or (program.one_per_household and row[1] in households):
                    continue
                households.add(row[1])
                status = statuses[len(enrollments) % len(statuses)]
                on = program.start_date + datetime.timedelta(days=len(enrollments) % 60)
                enrollments.append(
                    Enrollment(
                        program=program,
                        person_id=row[0],
                        household_id=row[1],
                        village_id=row[2],
                        status=status,
                        enrolled_on=on,
                        status_changed_on=on,
                        exit_reason=ExitReason.OTHER if status == EnrollmentStatus.EXITED else "",
                        desil_at_enrollment=row[3],
                        desil_period_at_enrollment=row[4],
                        created_by=user,
                    )
                )
                added += 1
                if added == wanted:
                    break
        Enrollment.objects.bulk_create(enrollments, batch_size=5000)
        EnrollmentEvent.objects.bulk_create(
            (
                EnrollmentEvent(enrollment=e, status=e.status, on=e.enrolled_on, by=user)
                for e in enrollments
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "programs": len(by_code),
        "enrolments": len(enrollments),
        "targeted_village": targets[TARGETED][0],
    }


def step_pages(village: str) -> dict:
    from django.conf import settings
    from django.test import override_settings

    # Without collectstatic there is no manifest; plain static URLs cost the same.
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES=storages):
        return _pages(village)


def _pages(village: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tkpk.models import User

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    urls = {
        "program page": reverse("programs:program_detail", kwargs={"code": TARGETED}),
        "eligible list, one village": reverse(
            "programs:eligible_list", kwargs={"code": TARGETED, "village": village}
        ),
        "overlap, whole region": reverse("programs:overlap"),
        "exclusion, whole region": reverse("programs:exclusion", kwargs={"code": WHOLE_REGION}),
    }
    results = {}
    for label, url in urls.items():
        queries: list[tuple[float, str, object]] = []
        with connection.execute_wrapper(_timed(queries)):
            response = client.get(url, secure=True)  # the warm-up, its queries kept
        if response.status_code != 200:
            results[label] = {"url": url, "status": response.status_code}
            continue
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url, secure=True)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        seconds, sql, params = max(queries, key=lambda q: q[0], default=(0.0, "", None))
        results[label] = {
            "url": url,
            "status": 200,
            "median": median,
            "queries": len(queries),
            "slowest_query_seconds": seconds,
            "slowest_query": sql,
            "plan": _plan(sql, params) if median >= PAGE_TARGET_SECONDS[label] else "",
        }
    return results


def _timed(log: list):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((time.perf_counter() - started, sql, params))

    return wrapper


def _plan(sql: str, params) -> str:
    """EXPLAIN ANALYZE of a page's slowest query, to say what would make it fast."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def step_nik_file(path: str) -> dict:
    """NIKs of people the BULK program admits (desil 1-4, 18-59 years old), none enrolled."""
    from django.utils import timezone

    from households.models import Person
    from households.synthetic import write_xlsx
    from programs.models import Program

    program = Program.objects.get(code=BULK)
    today = timezone.localdate()
    niks = list(
        Person.objects.filter(household__desil__lte=program.max_desil)
        .aged_between(program.min_age, program.max_age, on=today)
        .exclude(enrollments__program=program)
        .order_by("household_id", "pk")
        .values_list("nik", flat=True)[:BULK_NIKS]
    )
    write_xlsx(Path(path), ([nik] for nik in niks), header=["NIK"])
    return {"niks": len(niks)}


def step_register_file(path: str, people: str, changed_every: str = "0") -> dict:
    """A synthetic DTSEN file of `people` rows in the region's villages, loaded next.

    The generator is a stream: N rows are the first N of any longer file. With
    `changed_every=1` every one of them is changed (another name, the desil shifted by one),
    which is how the dashboard part makes a 200,000-row load into a larger register."""
    from households.models import Area
    from households.synthetic import synthetic_rows, write_csv

    villages = list(Area.objects.within(REGION).villages().values_list("code", flat=True))
    rows = write_csv(
        Path(path),
        synthetic_rows(villages=villages, people=int(people), changed_every=int(changed_every)),
    )
    return {"rows": rows, "villages": len(villages)}


STEPS = {
    "register-file": step_register_file,
    "programs-setup": step_setup,
    "programs-pages": step_pages,
    "nik-file": step_nik_file,
}
