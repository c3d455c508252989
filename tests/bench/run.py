"""`make bench`: the performance figures the README names, measured on PostgreSQL.

1. import_regions: the whole official area list (91,599 areas) into an empty database and
   again unchanged. Target: under a minute.
2. import_dtsen: a synthetic DTSEN file of N rows (default 200,000; valid NIKs in the
   villages of regency 63.02), as .xlsx and as |-CSV: into an empty register (counted as
   empty, as autovacuum leaves it after a failed load), the same file again (all
   unchanged), and with 10 % of the rows changed; then a straightforward
   django-import-export ModelResource import of the same rows, for comparison; and the
   upload page's check (the load without its write) of the changed file. Targets:
   >= 25,000 rows/s (.xlsx) and >= 50,000 rows/s (CSV) for each of the three loads, at
   least 30x django-import-export, under 1 GB peak memory (meaningful with N = 1,000,000).
   Each load is also printed as a multiple of the floor measured in the same run: reading
   the same file and COPYing its raw cells, nothing else (the goal is within 3x); and with
   the CPU-seconds the whole machine was busy meanwhile (the worker, the reading child and
   PostgreSQL): divided by the cores, the least time any overlapping could reach. After
   the CSV load into an empty register, the floor of its write: the rows it wrote copied
   as they are into empty tables with the register's indexes and foreign keys (rolled
   back); read floor plus write floor is the least time of a load that reads, then writes.

3. programs: a register of TKPK_BENCH_PEOPLE people (default 1,000,000; loaded through
   import_dtsen from a generated file), 100 programs and 50,000 enrolments (bulk inserts,
   tests/bench/program_steps.py); then, as a signed-in secretariat user through Django's
   test client (one warm-up, median of seven): a program's page and the eligible list of
   one of its villages (first page), target < 200 ms each; the overlap page and a
   whole-region program's exclusion list, target < 1 s each; and `manage.py enrol` of a
   file of 10,000 eligible NIKs in a fresh process, target < 10 s.

4. plans: 30 agencies' verified action plans of this year, 25 activities each, with four
   quarters of reports and progress in every state (bulk inserts, tests/bench/plan_steps.py);
   then, as a signed-in secretariat user through Django's test client: the secretariat's
   overview of agencies × quarters (median and p95 of fifteen), target < 300 ms; the year's
   .xlsx export and the semester's (median of five), target < 5 s each.

5. dashboard: the programs part's register (TKPK_BENCH_PEOPLE people through import_dtsen),
   100 programs and 50,000 enrolments, 16 agencies' verified plans of 2025 (the plans
   part's setup) and the boundaries of 63.02 (`manage.py import_boundaries`); when the
   programs part ran first, its register and programs are used as they are (plus the
   10,000 people its `manage.py enrol` added). Then a 200,000-row DTSEN load of changed
   rows (another name, the desil shifted by one) and `summaries_refresh(2025)` in a fresh
   process, target < 30 s (the load's own time is printed beside it); then, as a signed-in
   leader through Django's test client with the settings' cache: the region's dashboard
   (after one warm-up, median and p95 of fifty), target p95 < 300 ms; and the map page of
   the district with the most village boundaries (the first, uncached request, then median
   and p95 of fifteen), target < 300 ms.

6. year_end: the dashboard part's register, programs and boundaries (set up here when the
   dashboard part did not run), 30 agencies' verified plans of 2025 with 25 activities each
   (the plans part's setup) and 40 partners with pledges and verified realisations; then
   the year-end document of 2025 from the data, each output in a fresh process: the
   figures computed and the PDF printed, target < 30 s and < 1 GB peak memory; the
   figures computed and the .docx written, target < 15 s.

Each load runs in a fresh process, so its peak memory is its own. TKPK_BENCH_PARTS (or
arguments) picks the parts: regions, dtsen, programs, plans, dashboard, year_end; all of them by
default.

    DATABASE_URL=postgres://... TKPK_BENCH_ROWS=1000000 python tests/bench/run.py
    TKPK_BENCH_PARTS=programs make bench        # or: python tests/bench/run.py programs
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dashboard_steps
import psycopg
import year_end_steps
from dashboard_steps import STEPS as DASHBOARD_STEPS
from plan_steps import STEPS as PLAN_STEPS
from plan_steps import TARGET_SECONDS as PLAN_TARGET_SECONDS
from program_steps import BULK, PAGE_TARGET_SECONDS, USERNAME
from program_steps import STEPS as PROGRAM_STEPS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tkpk_bench"
DEFAULT_REGIONS = ROOT.parent / "shared" / "data" / "wilayah_kepmendagri_2025.csv"
REGION = "63.02"
REGIONS_TARGET_SECONDS = 60
TARGET_ROWS_PER_SECOND = {"csv": 50_000, "xlsx": 25_000}
TARGET_RATIO = 30
TARGET_PEAK_MB = 1024
# django-import-export manages a few hundred rows a second: a sample keeps the run short.
IMPORT_EXPORT_ROWS = 5_000
BULK_ENROL_TARGET_SECONDS = 10
PARTS = ("regions", "dtsen", "programs", "plans", "dashboard", "year_end")
DEFAULT_BOUNDARIES = ROOT.parent / "shared" / "data" / "batas_wilayah_63.geojson"


def fresh_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def measure(step: str, *args: str, env: dict) -> dict:
    """Run one step of this script in a fresh process; it reports time, rows and memory."""
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        print(done.stderr[-4000:], file=sys.stderr)  # what went wrong, not just that it did
        done.check_returncode()
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- steps, run inside a child process -------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tkpk.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _busy_cpu_seconds() -> float:
    """The CPU time the whole machine has spent working so far (Linux's /proc/stat): around
    a load, the worker, the reading child and PostgreSQL's processes, and anything else
    that runs meanwhile (run the bench on a quiet machine)."""
    try:
        with open("/proc/stat") as stat:
            user, nice, system, _idle, _iowait, irq, softirq = (
                int(value) for value in stat.readline().split()[1:8]
            )
    except OSError:
        return float("nan")
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def step_generate(directory: str, rows: str) -> dict:
    _django()
    from households.models import Area
    from households.synthetic import synthetic_rows, write_csv, write_xlsx

    villages = list(Area.objects.within(REGION).villages().values_list("code", flat=True))
    folder = Path(directory)
    for changed_every, suffix in ((0, ""), (10, "-10pct")):
        for write, kind in ((write_csv, "csv"), (write_xlsx, "xlsx")):
            write(
                folder / f"dtsen{suffix}.{kind}",
                synthetic_rows(villages=villages, people=int(rows), changed_every=changed_every),
            )
    return {"villages": len(villages)}


def step_empty() -> dict:
    """An empty register, counted as empty: as autovacuum leaves it after a failed load,
    the worst case for the planner (a register never counted is planned as 10 pages)."""
    _django()
    from django.db import connection

    tables = ("households_householddesil", "households_person", "households_household")
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {', '.join(tables)}, households_personchange, households_dtsenimport CASCADE"
        )
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    return {}


def step_load(path: str, period: str) -> dict:
    _django()
    from households.dtsen.services import dtsen_load_command

    started, busy = time.perf_counter(), _busy_cpu_seconds()
    report, _snapshot = dtsen_load_command(
        path=Path(path), period=period, sheet=None, dry_run=False
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": _busy_cpu_seconds() - busy,
        "rows": report.rows,
        "created": report.people.created,
        "updated": report.people.updated,
        "unchanged": report.people.unchanged,
        "errors": len(report.errors),
        # The worker and the child process that reads the file run side by side: the
        # load's peak is at most the sum of theirs.
        "worker_mb": _peak_mb(),
        "reader_mb": report.reader_peak_memory / 1024 / 1024,
        "peak_mb": _peak_mb() + report.reader_peak_memory / 1024 / 1024,
    }


def step_check(path: str, period: str) -> dict:
    """The upload page's check: the load without its write, listing what it would change."""
    _django()
    from households.dtsen.loading import dtsen_load
    from households.models import DtsenImport, ImportStatus

    dtsen_import = DtsenImport.objects.create(
        file_name=Path(path).name, period=period, status=ImportStatus.CHECKING
    )
    started = time.perf_counter()
    report = dtsen_load(
        path=Path(path), period=period, dry_run=True, dtsen_import_id=dtsen_import.pk
    )
    seconds = time.perf_counter() - started
    dtsen_import.delete()
    return {"seconds": seconds, "rows": report.rows}


def step_floor(path: str) -> dict:
    """The floor of a load: read the file as the load does and COPY its raw cells, as text,
    into a table of text columns; nothing checked, nothing compared."""
    _django()
    from django.db import connection

    from households.dtsen.reading import open_source

    started = time.perf_counter()
    rows = 0
    with open_source(Path(path)) as source, connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(source.names)))
        cursor.execute(f"CREATE TEMPORARY TABLE floor ({columns})")
        with cursor.cursor.copy("COPY floor FROM STDIN") as copy:
            width = len(source.names)
            for _number, cells in source.rows:
                cells = ["" if cell is None else str(cell) for cell in cells[:width]]
                copy.write_row(cells + [""] * (width - len(cells)))
                rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows}


def step_import_export(path: str, rows: str) -> dict:
    """The same rows through a plain ModelResource, households already in place."""
    _django()
    import csv

    import tablib
    from django.db import connection
    from import_export import fields, resources, widgets

    from households.models import Household, Person

    class PersonResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="nomor_induk_kependudukan")
        name = fields.Field(attribute="name", column_name="nama")
        household = fields.Field(
            attribute="household",
            column_name="nomor_kartu_keluarga",
            widget=widgets.ForeignKeyWidget(Household, field="no_kk"),
        )
        birth_date = fields.Field(
            attribute="birth_date",
            column_name="tanggal_lahir",
            widget=widgets.DateWidget("%Y-%m-%d"),
        )

        class Meta:
            model = Person
            fields = ("nik", "name", "household", "birth_date")
            import_id_fields = ("nik",)

    with open(path, encoding="utf-8") as stream:
        reader = csv.reader(stream, delimiter="|")
        header = next(reader)
        data = [row for _n, row in zip(range(int(rows)), reader, strict=False)]
    dataset = tablib.Dataset(*data, headers=header)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE households_person CASCADE")
    started = time.perf_counter()
    result = PersonResource().import_data(dataset, raise_errors=True)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": len(data),
        "created": result.totals["new"],
        "peak_mb": _peak_mb(),
    }


# The tables a load writes, in its order, with the foreign keys the database checks; the
# list of changes is written beside them (households/dtsen/staging.py).
WRITE_FLOOR_TABLES = (
    ("households", "households_household", "village_id", "households_area (code)", "id"),
    ("people", "households_person", "household_id", "floor_households (id)", "household_id, id"),
    ("desil", "households_householddesil", "household_id", "floor_households (id)", "id"),
    ("changes", "households_personchange", None, None, "id"),
)


def step_write_floor() -> dict:
    """The floor of a load's write, right after the load into an empty register: the rows
    it wrote, copied as they are into empty tables with the register's indexes and
    foreign keys, in one transaction rolled back at the end. Nothing is chosen, compared
    or merged: no write that updates the indexes and checks the keys row by row, as one
    must while the register stays readable, can be faster."""
    _django()
    from django.db import connection, transaction

    seconds = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, table, key, target, order in WRITE_FLOOR_TABLES:
            cursor.execute(f"CREATE TABLE floor_{name} (LIKE {table} INCLUDING ALL)")
            if key:
                cursor.execute(
                    f"ALTER TABLE floor_{name} ADD FOREIGN KEY ({key}) REFERENCES {target}"
                )
            copy = f"INSERT INTO floor_{name} SELECT * FROM {table} ORDER BY {order}"  # noqa: S608
            started = time.perf_counter()
            cursor.execute(copy)
            seconds[name] = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


STEPS = {
    "generate": step_generate,
    "empty": step_empty,
    "load": step_load,
    "check": step_check,
    "floor": step_floor,
    "write-floor": step_write_floor,
    "import-export": step_import_export,
}


# --- the benchmark ---------------------------------------------------------------------


def _regions_file() -> Path:
    regions = Path(os.environ.get("TKPK_REGIONS_FILE", DEFAULT_REGIONS))
    if not regions.is_file():
        print(f"{regions}: area list not found (set TKPK_REGIONS_FILE)", file=sys.stderr)
        sys.exit(2)
    return regions


def bench_regions(env: dict) -> bool:
    regions = _regions_file()
    rows = sum(1 for _ in regions.open(encoding="utf-8")) - 1
    results = [
        (label, manage("import_regions", str(regions), env=env))
        for label in ("empty database", "second run, unchanged")
    ]
    print(f"\nimport_regions, {rows:,} areas, PostgreSQL")
    ok = True
    for label, seconds in results:
        passed = seconds < REGIONS_TARGET_SECONDS
        ok &= passed
        print(
            f"  {label:<34} {seconds:7.2f} s {rows / seconds:>9,.0f} rows/s  "
            f"{'ok' if passed else 'OVER TARGET'} (target < {REGIONS_TARGET_SECONDS} s)"
        )
    return ok


def bench_dtsen(env: dict, rows: int) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="tkpk-bench-") as directory:
        print(f"\nimport_dtsen, {rows:,} synthetic rows in the villages of {REGION}, PostgreSQL")
        measure("generate", directory, str(rows), env=env)
        folder = Path(directory)
        lines = []
        empty_csv_rate = None
        for kind in ("csv", "xlsx"):
            target = TARGET_ROWS_PER_SECOND[kind]
            floor = measure("floor", str(folder / f"dtsen.{kind}"), env=env)["seconds"]
            lines.append(
                f"  {kind:<5}{'floor: read and COPY raw cells':<29} {floor:7.2f} s "
                f"{rows / floor:>9,.0f} rows/s"
            )
            measure("empty", env=env)
            runs = [
                ("into an empty register", folder / f"dtsen.{kind}", "2025-Q3"),
                ("same file again, unchanged", folder / f"dtsen.{kind}", "2025-Q3"),
                ("10 % of the rows changed", folder / f"dtsen-10pct.{kind}", "2025-Q4"),
            ]
            for label, path, period in runs:
                result = measure("load", str(path), period, env=env)
                rate = result["rows"] / result["seconds"]
                passed = rate >= target
                ok &= passed
                passed_memory = result["peak_mb"] < TARGET_PEAK_MB
                ok &= passed_memory
                lines.append(
                    f"  {kind:<5}{label:<29} {result['seconds']:7.2f} s {rate:>9,.0f} rows/s "
                    f"{result['seconds'] / floor:4.1f}x floor {result['cpu_seconds']:5.1f} CPU-s "
                    f"{result['peak_mb']:6.0f} MB (worker {result['worker_mb']:.0f} + reader "
                    f"{result['reader_mb']:.0f})  new {result['created']:,} changed "
                    f"{result['updated']:,} unchanged {result['unchanged']:,}  "
                    f"{'ok' if passed else 'UNDER TARGET'} (>= {target:,} rows/s)"
                )
                if label.startswith("into") and kind == "csv":
                    empty_csv_rate = rate
                    lines.append(_write_floor_line(measure("write-floor", env=env), floor, rows))
            result = measure("check", str(folder / f"dtsen-10pct.{kind}"), "2025-Q4", env=env)
            lines.append(
                f"  {kind:<5}{'check of the 10 % file':<29} {result['seconds']:7.2f} s "
                f"{result['rows'] / result['seconds']:>9,.0f} rows/s "
                f"{result['seconds'] / floor:4.1f}x floor (the upload page's dry run)"
            )
        sample = min(rows, IMPORT_EXPORT_ROWS)
        result = measure("import-export", str(folder / "dtsen.csv"), str(sample), env=env)
        rate = result["rows"] / result["seconds"]
        lines.append(
            f"  {'csv':<5}{'django-import-export':<29} {result['seconds']:7.2f} s "
            f"{rate:>9,.0f} rows/s {result['peak_mb']:6.0f} MB  ({sample:,} rows, "
            "ModelResource with import_id_fields=nik, households already loaded)"
        )
        ratio = empty_csv_rate / rate
        passed = ratio >= TARGET_RATIO
        ok &= passed
        lines.append(
            f"  import_dtsen is {ratio:,.0f}x django-import-export  "
            f"{'ok' if passed else 'UNDER TARGET'} (target >= {TARGET_RATIO}x)"
        )
        print("\n".join(lines))
        print(f"  peak memory target: < {TARGET_PEAK_MB} MB (meaningful at 1,000,000 rows)")
    return ok


def _write_floor_line(seconds: dict, read_floor: float, rows: int) -> str:
    """The write's floor, and the least time of a load that reads, then writes."""
    write = seconds["households"] + seconds["people"] + seconds["desil"]
    target = rows / TARGET_ROWS_PER_SECOND["csv"]
    return (
        f"  {'csv':<5}{'floor of the write':<29} {write:7.2f} s  households "
        f"{seconds['households']:.2f} + people {seconds['people']:.2f} + desil "
        f"{seconds['desil']:.2f} (list of changes {seconds['changes']:.2f} beside); "
        f"read floor + write floor {read_floor + write:.2f} s against the target's "
        f"{target:.2f} s"
    )


def bench_programs(env: dict, people: int) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="tkpk-bench-") as directory:
        folder = Path(directory)
        print(f"\nprograms, {people:,} people in the register of {REGION}, PostgreSQL")
        setup = _register_and_programs(env, people)
        pages = measure("programs-pages", setup["targeted_village"], env=env)
        for label, target in PAGE_TARGET_SECONDS.items():
            page = pages[label]
            if page["status"] != 200:
                ok = False
                print(f"  {label:<38} HTTP {page['status']} at {page['url']}  NOT MEASURED")
                continue
            passed = page["median"] < target
            ok &= passed
            print(
                f"  {label:<38} {page['median'] * 1000:7.0f} ms  {page['queries']:3d} queries  "
                f"{'ok' if passed else 'OVER TARGET'} (target < {target * 1000:.0f} ms)"
            )
            if not passed:
                print(
                    f"    slowest query {page['slowest_query_seconds'] * 1000:.0f} ms: "
                    f"{page['slowest_query'][:1500]}\n    EXPLAIN ANALYZE:\n      "
                    + page["plan"].replace("\n", "\n      ")
                )
        niks = folder / "niks.xlsx"
        count = measure("nik-file", str(niks), env=env)["niks"]
        started = time.perf_counter()
        enrol = subprocess.run(
            [sys.executable, "manage.py", "enrol", BULK, str(niks), "--json", "--by", USERNAME],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if enrol.returncode not in (0, 1) or not enrol.stdout.strip():
            ok = False
            print(f"  manage.py enrol failed: {(enrol.stderr or enrol.stdout).strip()[-400:]}")
        else:
            passed = seconds < BULK_ENROL_TARGET_SECONDS
            ok &= passed
            print(
                f"  manage.py enrol, {count:,} NIKs (.xlsx)     {seconds:7.2f} s  "
                f"{'ok' if passed else 'OVER TARGET'} (target < {BULK_ENROL_TARGET_SECONDS} s, "
                f"fresh process)  {_enrol_summary(enrol.stdout)}"
            )
    return ok


def _register_and_programs(env: dict, people: int) -> dict:
    """The programs part's setup: the register through import_dtsen, then the programs."""
    with tempfile.TemporaryDirectory(prefix="tkpk-bench-") as directory:
        register = Path(directory) / "register.csv"
        measure("register-file", str(register), str(people), env=env)
        measure("empty", env=env)
        loaded = measure("load", str(register), "2025-Q3", env=env)
    print(f"  register loaded with import_dtsen       {loaded['seconds']:7.2f} s (setup)")
    setup = measure("programs-setup", env=env)
    print(
        f"  {setup['programs']} programs, {setup['enrolments']:,} enrolments inserted "
        f"{setup['seconds']:7.2f} s (setup)"
    )
    return setup


def bench_dashboard(env: dict, people: int, *, programs_ran: bool) -> bool:
    steps = dashboard_steps
    year = steps.YEAR
    print(f"\ndashboard, {people:,} people in the register of {REGION}, {year}, PostgreSQL")
    if programs_ran:
        print("  register and programs: the programs part's, as it left them (setup)")
    else:
        _register_and_programs(env, people)
    setup = measure("plans-setup", str(steps.AGENCIES), str(year), steps.PLAN_ACRONYM, env=env)
    print(
        f"  {setup['plans']} agencies' plans, {setup['activities']:,} activities, "
        f"{setup['progress']:,} progress rows inserted {setup['seconds']:7.2f} s (setup)"
    )
    _boundaries(env)
    first = measure("dashboard-refresh", str(year), env=env)
    print(f"  summaries_refresh, first build          {first['seconds']:7.2f} s (setup)")

    ok = True
    rows = min(steps.CHANGED_ROWS, people)
    with tempfile.TemporaryDirectory(prefix="tkpk-bench-") as directory:
        changed = Path(directory) / "changed.csv"
        measure("register-file", str(changed), str(rows), "1", env=env)
        loaded = measure("load", str(changed), "2025-Q4", env=env)
    print(
        f"  import_dtsen, {loaded['rows']:,} rows, {loaded['updated']:,} changed "
        f"{loaded['seconds']:7.2f} s (not the target)"
    )
    refresh = measure("dashboard-refresh", str(year), env=env)
    passed = refresh["seconds"] < steps.REFRESH_TARGET_SECONDS
    ok &= passed
    print(
        f"  summaries_refresh after that load       {refresh['seconds']:7.2f} s  "
        f"{'ok' if passed else 'OVER TARGET'} (target < {steps.REFRESH_TARGET_SECONDS} s)  "
        f"{refresh['areas']} areas, {refresh['programs']} programs, "
        f"{refresh['agency_quarters']} agency quarters"
    )
    parts = "  ".join(f"{name.strip('_')} {s:.2f} s" for name, s in refresh["parts"].items())
    print(
        f"    {parts}  writing {refresh['write']:.2f} s; {refresh['queries']} queries, "
        f"{refresh['query_seconds']:.2f} s in the database"
    )
    if not passed:
        for seconds, sql in refresh["slowest"]:
            print(f"    {seconds:7.2f} s  {sql}")

    pages = measure("dashboard-pages", str(year), env=env)
    print(
        f"  cache {pages['cache']}; district {pages['district']} "
        f"({pages['boundaries']} village boundaries)"
    )
    for label, target in steps.TARGET_SECONDS.items():
        page = pages[label]
        if page["status"] != 200:
            ok = False
            print(f"  {label:<38} HTTP {page['status']} at {page['url']}  NOT MEASURED")
            continue
        # The region's target is on its p95, the district's on its median and p95.
        passed = page["p95"] < target and page["median"] < target
        ok &= passed
        print(
            f"  {label:<38} {page['median'] * 1000:7.0f} ms median {page['p95'] * 1000:7.0f} ms "
            f"p95 ({page['runs']} runs)  {page['queries']:3d} queries "
            f"({page['query_seconds'] * 1000:.0f} ms)  {page['bytes']:,} bytes  "
            f"{'ok' if passed else 'OVER TARGET'} (target < {target * 1000:.0f} ms)"
        )
        print(
            f"    first request, nothing cached        {page['first'] * 1000:7.0f} ms  "
            f"{page['first_queries']:3d} queries"
        )
    return ok


def _boundaries(env: dict) -> None:
    boundaries = Path(os.environ.get("TKPK_BOUNDARIES_FILE", DEFAULT_BOUNDARIES))
    if boundaries.is_file():
        seconds = manage("import_boundaries", str(boundaries), "--within", REGION, env=env)
        print(f"  boundaries of {REGION} imported            {seconds:7.2f} s (setup)")
    else:
        print(f"  {boundaries}: not found (set TKPK_BOUNDARIES_FILE); the maps have no areas")


def bench_year_end(env: dict, people: int, *, dashboard_ran: bool, programs_ran: bool) -> bool:
    steps = year_end_steps
    year = steps.YEAR
    print(f"\nyear-end document, {people:,} people in the register of {REGION}, {year}, PostgreSQL")
    if dashboard_ran or programs_ran:
        print("  register and programs: the earlier parts', as they left them (setup)")
    else:
        _register_and_programs(env, people)
    if not dashboard_ran:
        _boundaries(env)
    setup = measure("plans-setup", str(steps.AGENCIES), str(year), steps.PLAN_ACRONYM, env=env)
    print(
        f"  {setup['plans']} agencies' plans, {setup['activities']:,} activities, "
        f"{setup['progress']:,} progress rows inserted {setup['seconds']:7.2f} s (setup)"
    )
    partners = measure("year-end-partners", str(year), env=env)
    print(
        f"  {partners['partners']} partners, {partners['pledges']} pledges inserted "
        f"{partners['seconds']:7.2f} s (setup)"
    )
    refresh = measure("dashboard-refresh", str(year), env=env)
    print(f"  summaries_refresh                       {refresh['seconds']:7.2f} s (setup)")
    ok = True
    for output, target in steps.TARGET_SECONDS.items():
        built = measure("year-end-build", str(year), output, env=env)
        passed = built["seconds"] < target and (
            output != "pdf" or built["peak_mb"] < steps.TARGET_PEAK_MB
        )
        ok &= passed
        print(
            f"  {output:<4} {built['seconds']:7.2f} s (figures {built['compute']:.2f} s, "
            f"printing {built['print']:.2f} s), {built['bytes']:,} bytes, "
            f"{built['chapters']} chapters, {built['appendices']} appendices, "
            f"{built['blocks']} blocks, peak {built['peak_mb']:.0f} MB  "
            f"{'ok' if passed else 'OVER TARGET'} (target < {target} s"
            f"{f', < {steps.TARGET_PEAK_MB} MB' if output == 'pdf' else ''})"
        )
    return ok


def bench_plans(env: dict) -> bool:
    ok = True
    setup = measure("plans-setup", env=env)
    print(
        f"\naction plans, {setup['plans']} agencies × {setup['activities'] // setup['plans']} "
        f"activities × 4 quarters of {setup['year']}, PostgreSQL"
    )
    print(
        f"  {setup['activities']:,} activities, {setup['reports']} reports, "
        f"{setup['progress']:,} progress rows inserted {setup['seconds']:7.2f} s (setup)"
    )
    pages = measure("plans-pages", str(setup["year"]), env=env)
    for label, target in PLAN_TARGET_SECONDS.items():
        page = pages[label]
        if page["status"] != 200:
            ok = False
            print(f"  {label:<38} HTTP {page['status']} at {page['url']}  NOT MEASURED")
            continue
        passed = page["median"] < target
        ok &= passed
        print(
            f"  {label:<38} {page['median'] * 1000:7.0f} ms median {page['p95'] * 1000:7.0f} ms "
            f"p95 ({page['runs']} runs)  {page['queries']:3d} queries  {page['bytes']:,} bytes  "
            f"{'ok' if passed else 'OVER TARGET'} (target < {target * 1000:.0f} ms)"
        )
    return ok


def _enrol_summary(output: str) -> str:
    try:
        result = json.loads(output)
    except ValueError:
        return output.strip()[-200:]
    if not isinstance(result, dict):
        return ""
    shown = {k: v for k, v in result.items() if isinstance(v, int | float | str)}
    return " ".join(f"{k} {v}" for k, v in shown.items())


def main() -> int:
    if sys.argv[1:2] == ["--step"]:
        name = sys.argv[2]
        if name in PROGRAM_STEPS:
            _django()
            print(json.dumps(PROGRAM_STEPS[name](*sys.argv[3:])))
        elif name in PLAN_STEPS:
            _django()
            print(json.dumps(PLAN_STEPS[name](*sys.argv[3:])))
        elif name in DASHBOARD_STEPS:
            _django()
            print(json.dumps(DASHBOARD_STEPS[name](*sys.argv[3:])))
        elif name in year_end_steps.STEPS:
            _django()
            print(json.dumps(year_end_steps.STEPS[name](*sys.argv[3:])))
        else:
            print(json.dumps(STEPS[name](*sys.argv[3:])))
        return 0
    parts = sys.argv[1:] or os.environ.get("TKPK_BENCH_PARTS", ",".join(PARTS)).split(",")
    parts = [part.strip() for part in parts if part.strip()]
    if unknown := set(parts) - set(PARTS):
        print(f"unknown bench parts {sorted(unknown)}; choose from {PARTS}", file=sys.stderr)
        return 2
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("make bench measures PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    rows = int(os.environ.get("TKPK_BENCH_ROWS", "200000"))
    people = int(os.environ.get("TKPK_BENCH_PEOPLE", "1000000"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
        # The pages are asked for through Django's test client, which calls itself so.
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    fresh_database(url)
    manage("migrate", "--no-input", "-v0", env=env)
    ok = True
    if "regions" in parts:
        ok &= bench_regions(env)
    else:
        manage("import_regions", str(_regions_file()), env=env)
    if "dtsen" in parts:
        ok &= bench_dtsen(env, rows)
    if "programs" in parts:
        ok &= bench_programs(env, people)
    if "plans" in parts:
        ok &= bench_plans(env)
    if "dashboard" in parts:
        ok &= bench_dashboard(env, people, programs_ran="programs" in parts)
    if "year_end" in parts:
        ok &= bench_year_end(
            env, people, dashboard_ran="dashboard" in parts, programs_ran="programs" in parts
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
