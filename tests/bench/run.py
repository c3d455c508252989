"""`make bench`: the performance figures the README names, measured on PostgreSQL.

1. import_regions: the whole official area list (91,599 areas) into an empty database and
   again unchanged. Target: under a minute.
2. import_dtsen: a synthetic DTSEN file of N rows (default 200,000; valid NIKs in the
   villages of regency 63.02), as .xlsx and as |-CSV: into an empty register, the same file
   again (all unchanged), and with 10 % of the rows changed; then a straightforward
   django-import-export ModelResource import of the same rows, for comparison. Targets:
   >= 25,000 rows/s (.xlsx) and >= 50,000 rows/s (CSV) into an empty register, at least
   30x django-import-export, under 1 GB peak memory (meaningful with N = 1,000,000).

Each load runs in a fresh process, so its peak memory is its own.

    DATABASE_URL=postgres://... TKPK_BENCH_ROWS=1000000 python tests/bench/run.py
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

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
    output = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- steps, run inside a child process -------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tkpk.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE households_householddesil, households_person, households_household, "
            "households_dtsenimport CASCADE"
        )
    return {}


def step_load(path: str, period: str) -> dict:
    _django()
    from households.dtsen.services import dtsen_load_command

    started = time.perf_counter()
    report, _snapshot = dtsen_load_command(
        path=Path(path), period=period, sheet=None, dry_run=False
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
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
        cursor.execute("TRUNCATE households_person")
    started = time.perf_counter()
    result = PersonResource().import_data(dataset, raise_errors=True)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": len(data),
        "created": result.totals["new"],
        "peak_mb": _peak_mb(),
    }


STEPS = {
    "generate": step_generate,
    "empty": step_empty,
    "load": step_load,
    "import-export": step_import_export,
}


# --- the benchmark ---------------------------------------------------------------------


def bench_regions(env: dict) -> bool:
    regions = Path(os.environ.get("TKPK_REGIONS_FILE", DEFAULT_REGIONS))
    if not regions.is_file():
        print(f"{regions}: area list not found (set TKPK_REGIONS_FILE)", file=sys.stderr)
        sys.exit(2)
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
            measure("empty", env=env)
            runs = [
                ("into an empty register", folder / f"dtsen.{kind}", "2025-Q3"),
                ("same file again, unchanged", folder / f"dtsen.{kind}", "2025-Q3"),
                ("10 % of the rows changed", folder / f"dtsen-10pct.{kind}", "2025-Q4"),
            ]
            for label, path, period in runs:
                result = measure("load", str(path), period, env=env)
                rate = result["rows"] / result["seconds"]
                check = ""
                if label.startswith("into"):
                    target = TARGET_ROWS_PER_SECOND[kind]
                    passed = rate >= target
                    ok &= passed
                    check = f"{'ok' if passed else 'UNDER TARGET'} (target >= {target:,} rows/s)"
                    if kind == "csv":
                        empty_csv_rate = rate
                passed_memory = result["peak_mb"] < TARGET_PEAK_MB
                ok &= passed_memory
                lines.append(
                    f"  {kind:<5}{label:<29} {result['seconds']:7.2f} s {rate:>9,.0f} rows/s "
                    f"{result['peak_mb']:6.0f} MB (worker {result['worker_mb']:.0f} + reader "
                    f"{result['reader_mb']:.0f})  new {result['created']:,} changed "
                    f"{result['updated']:,} unchanged {result['unchanged']:,}  {check}"
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


def main() -> int:
    if sys.argv[1:2] == ["--step"]:
        print(json.dumps(STEPS[sys.argv[2]](*sys.argv[3:])))
        return 0
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("make bench measures PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    rows = int(os.environ.get("TKPK_BENCH_ROWS", "200000"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
    }
    fresh_database(url)
    manage("migrate", "--no-input", "-v0", env=env)
    ok = bench_regions(env)
    ok &= bench_dtsen(env, rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
