"""`make bench`: the performance figures the README names, measured on PostgreSQL.

Today: the import of the whole official area list (91,599 areas) into an empty
database, and again when nothing changed. Target: under a minute on PostgreSQL.

    DATABASE_URL=postgres://... TKPK_REGIONS_FILE=path/to/list.csv python tests/bench/run.py
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tkpk_bench"
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "wilayah_kepmendagri_2025.csv"
TARGET_SECONDS = 60


def fresh_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("make bench measures PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    regions = Path(os.environ.get("TKPK_REGIONS_FILE", DEFAULT_FILE))
    if not regions.is_file():
        print(f"{regions}: area list not found (set TKPK_REGIONS_FILE)", file=sys.stderr)
        return 2
    rows = sum(1 for _ in regions.open(encoding="utf-8")) - 1
    env = {**os.environ, "DATABASE_URL": url}
    fresh_database(url)
    manage("migrate", "--no-input", "-v0", env=env)

    results = []
    for label in ("empty database", "second run, unchanged"):
        seconds = manage("import_regions", str(regions), env=env)
        results.append((label, seconds))
    print(f"\nimport_regions, {rows:,} areas, PostgreSQL")
    failed = False
    for label, seconds in results:
        ok = seconds < TARGET_SECONDS
        failed |= not ok
        print(
            f"  {label:<24} {seconds:7.2f} s  {rows / seconds:>9,.0f} rows/s  "
            f"{'ok' if ok else 'OVER TARGET'} (target < {TARGET_SECONDS} s)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
