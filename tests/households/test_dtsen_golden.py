"""The whole report of a DTSEN load, kept as a golden file: a faster load must give the same.

A generated file of thousands of rows carries every kind of row problem and warning the
rules know, in a register that already holds some of its people. The report of its load
(the `import_dtsen --json` object with every problem), the rejected rows with their
reasons, the people it lists as added or changed and the register it leaves are compared
with what was recorded under tests/households/golden/ before the load was made faster.

After a deliberate change of the rules, record again with TKPK_RECORD_GOLDEN=1 and read
the difference before committing it.
"""

import datetime
import hashlib
import json
import os
import random
from pathlib import Path

import pytest

from households.dtsen.loading import dtsen_load
from households.dtsen.problems import RejectedRows
from households.models import (
    DtsenImport,
    Household,
    HouseholdDesil,
    ImportStatus,
    Person,
    PersonChange,
)
from tests.factories import AreaFactory
from tests.households.dtsen_files import write_csv, write_xlsx

# Committed, as a real load is: on PostgreSQL its list of changes is written beside the write.
pytestmark = pytest.mark.django_db(transaction=True)

GOLDEN = Path(__file__).parent / "golden"
RECORD = os.environ.get("TKPK_RECORD_GOLDEN") == "1"
TODAY = datetime.date(2025, 10, 1)
VILLAGES = ("63.02.17.2003", "63.02.17.2002", "63.02.01.1001")
HEADERS = [
    "nomor_induk_kependudukan",
    "nomor_kartu_keluarga",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "status_hubungan_keluarga",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "kode_kelurahan_desa",
    "desil_nasional",
    "desil_provinsi",
    "desil_kabupaten_kota",
    "Catatan Petugas",  # not a DTSEN column: listed as ignored
]
NIK, KK, NAMA, JK, TGL, SHDK, ALAMAT, RT, RW, DUSUN, DESA, DESIL, DPROV, DKAB, NOTE = range(15)
HOUSEHOLDS = 900
DESIL_FIELDS = ("desil", "desil_provinsi", "desil_kabupaten")


def _nik(district: str, born: datetime.date, female: bool, serial: int) -> str:
    day = born.day + 40 * female
    return f"{district}{day:02d}{born:%m%y}{serial:04d}"


def _households(rnd: random.Random) -> list[list[list]]:
    """Valid households of one to six people: the head first, then spouse and children."""
    households = []
    serial = 0
    for number in range(HOUSEHOLDS):
        village = VILLAGES[number % len(VILLAGES)]
        district = village[:8].replace(".", "")
        kk = f"{district}0101{18 + number % 7:02d}{number + 1:04d}"
        desil = [rnd.randint(1, 10), rnd.choice(["", rnd.randint(1, 10)]), rnd.randint(1, 10)]
        address = rnd.choice(["Jl. Raya Tarjun", "Jl. Pelabuhan", "Gang Mawar", ""])
        rt, rw = f"{rnd.randint(1, 12):03d}", f"{rnd.randint(1, 5):03d}"
        dusun = rnd.choice(["Dusun I", "Dusun II", ""])
        people = []
        for position in range(rnd.randint(1, 6)):
            serial += 1
            female = position == 1 or rnd.random() < 0.5
            born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rnd.randint(0, 26000))
            relationship = (
                ["Kepala Keluarga", "1"][serial % 2]
                if position == 0
                else rnd.choice(["Istri", "3", "Anak", "anak", "Cucu", "Famili Lain", ""])
            )
            sex = ("P" if female else "L") if serial % 3 else ("2" if female else "1")
            date = born.isoformat() if serial % 4 else born.strftime("%d-%m-%Y")
            people.append(
                [
                    _nik(district, born, female, serial % 9000 + 1),
                    kk,
                    f"WARGA {serial} {rnd.choice(['BIN', 'BINTI', 'ALIAS'])} {number}",
                    sex if rnd.random() > 0.05 else "",
                    date if rnd.random() > 0.05 else "",
                    relationship,
                    address,
                    rt,
                    rw,
                    dusun,
                    village,
                    *desil,
                    rnd.choice(["", "cek ulang"]),
                ]
            )
        households.append(people)
    return households


def _spoil(row: list, kind: int, rnd: random.Random, earlier: list[list]) -> list:
    """`row` with the problem or warning number `kind` (see the cases), or tidied text."""
    row = list(row)
    match kind:
        case 0:
            row[NIK] = ""
        case 1:
            row[NIK] = row[NIK][:15]
        case 2:
            row[NIK] = "99" + row[NIK][2:]
        case 3:
            row[NIK] = row[NIK][:6] + "32" + row[NIK][8:]
        case 4:
            row[NIK] = row[NIK][:8] + "13" + row[NIK][10:]
        case 5:
            row[NIK] = row[NIK][:12] + "0000"
        case 6:
            row[NIK] = "6,30217E+15"
        case 7:
            row[NIK] = rnd.choice(earlier)[NIK]  # repeats an earlier row's NIK
        case 8:
            row[KK] = ""
        case 9:
            row[KK] = "12" + row[KK][2:]
        case 10:
            row[KK] = row[KK][:10]
        case 11:
            row[NAMA] = "   "
        case 12:
            row[NAMA] = "NAMA " * 60
        case 13:
            row[DESA] = ""
        case 14:
            row[DESA] = "63.02.17"
        case 15:
            row[DESA] = "63.02.17.9999"  # well formed, not in the areas list
        case 16:
            row[JK] = "X"
        case 17:
            row[TGL] = "kemarin"
        case 18:
            row[TGL] = "1990"
        case 19:
            row[TGL] = "2023-02-30"
        case 20:
            row[TGL] = "1875-05-01"
        case 21:
            row[TGL] = "2030-01-01"
        case 22:
            row[TGL] = "99999999"
        case 23:
            row[DESIL] = "11"
        case 24:
            row[DPROV] = "nol"
        case 25:
            row[DKAB] = "0"
        case 26:  # several problems in one row
            row[NIK], row[NAMA], row[DESIL], row[DESA] = "123", "", "12", "6302"
        case 27:
            row[SHDK] = "Keponakan"  # warning: stored as unknown
        case 28:
            row[ALAMAT] = "Jl. " + "Panjang Sekali " * 20
        case 29:
            row[RT] = "RT 00012345"
        case 30:
            row[RW] = "RW 0005 LAMA"
        case 31:
            row[DUSUN] = "Dusun " + "Seberang " * 12
        case 32:
            row[JK] = "P" if row[JK] in ("L", "1") else "L"  # contradicts the NIK
        case 33:
            row[TGL] = "1980-07-15"  # contradicts the NIK
        case 34:
            row[DESIL] = "Desil 3"  # read as 3
        case 35:
            row[DESIL] = "4.0"
        case 36:
            row[NIK] = f"'{row[NIK][:4]}.{row[NIK][4:8]} {row[NIK][8:12]}-{row[NIK][12:]}"
        case 37:
            row[DESA] = row[DESA].replace(".", "")
        case 38:
            row[NAMA] = "  " + row[NAMA].replace(" ", "  \t") + " "
        case 39:
            row[NAMA] = "'=" + row[NAMA]  # our own exports neutralise a formula so
        case 40:
            row[TGL] = "31/12/1999"
        case 41:
            row[TGL] = "33000"  # an Excel serial typed as text
        case 42:
            row[SHDK] = "ORANG  TUA"
    return row


CASES = 43


def _xlsx_cells(row: list, kind: int) -> list:
    """What Excel would hold when the cell was typed as a number or a date."""
    row = list(row)
    if kind in (1, 2) and not str(row[NIK]).isdigit():
        return row
    if kind == 1 and row[NIK][-1] != "0":
        row[NIK] = int(row[NIK])  # a number that kept its digits: a warning
    elif kind == 2:
        row[NIK] = int(row[NIK]) // 10 * 10  # ends in 0: maybe rounded, an error
    elif kind == 3 and str(row[KK]).isdigit():
        row[KK] = float(row[KK]) if int(row[KK][-1]) % 2 else float(row[KK][:6]) + 0.5
    elif kind == 4 and _iso_date(row[TGL]):
        row[TGL] = datetime.datetime.fromisoformat(row[TGL])
    elif kind == 5 and str(row[DESIL]).isdigit():
        row[DESIL] = float(row[DESIL])
    elif kind == 6:
        row[TGL] = 40000  # a date cell Excel shows as 2009-07-06
    elif kind == 7:
        row[RT] = 7
    elif kind == 8:
        row[TGL] = 3_000_000  # beyond any date Excel has
    return row


def _iso_date(text) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def golden_rows(*, typed: bool) -> list[list]:
    """The header, then households with problems and warnings spread among them."""
    rnd = random.Random(13)  # noqa: S311 - test data, repeatable
    lines: list[list] = [["DATA DTSEN KABUPATEN KOTABARU"], [], HEADERS]
    rows: list[list] = []
    for people in _households(rnd):
        if rnd.random() < 0.12 and len(people) > 1:
            # A member whose desil or village differs from the head's: household warnings.
            member = people[-1]
            if rnd.random() < 0.5:
                member[DESIL] = member[DESIL] % 10 + 1
            else:
                member[DESA] = VILLAGES[(VILLAGES.index(member[DESA]) + 1) % len(VILLAGES)]
        if rnd.random() < 0.08:
            people = people[1:] + people[:1]  # the head is not the first row
        for row in people:
            if rows and rnd.random() < 0.35:
                row = _spoil(row, rnd.randrange(CASES), rnd, rows)
            if typed and rnd.random() < 0.15:
                row = _xlsx_cells(row, rnd.randrange(9))
            rows.append(row)
            if rnd.random() < 0.01:
                rows.append([""] * len(HEADERS))  # a blank line: skipped, not counted
    for number, row in enumerate(rows):
        if not typed and number % 97 == 5:
            row = [*row, "geser", "lagi"]  # a separator inside a value shifts the columns
        elif not typed and number % 211 == 7:
            row = row[:9]
        lines.append(row)
    return lines


def _load(path: Path, period: str, *, dry_run: bool = False):
    """The load's report, as a load of the upload page makes it (with its list of changes)."""
    dtsen_import_id = DtsenImport.objects.create(
        file_name=path.name, period=period, status=ImportStatus.IMPORTING
    ).pk
    return dtsen_load(
        path=path, period=period, dry_run=dry_run, dtsen_import_id=dtsen_import_id, today=TODAY
    ), dtsen_import_id


def _already_registered(tmp_path: Path) -> None:
    """Some of the file's people are known already, a few under other names."""
    lines = golden_rows(typed=False)
    known = [row for row in lines[3:400] if len(row) == len(HEADERS)]
    for number, row in enumerate(known):
        if number % 3 == 0:
            known[number] = [*row[:NAMA], row[NAMA] + " LAMA", *row[NAMA + 1 :]]
    _load(write_csv(tmp_path, [HEADERS, *known], name="lama.csv", delimiter=";"), "2025-Q2")


def _report(report) -> dict:
    chunks: list[str] = []
    report.write_json(chunks.append)
    result = json.loads("".join(chunks))
    result["header_row"] = report.header_row
    result["rejected_rows"] = [
        {"row": row, "cells": [repr(cell) for cell in _trimmed(cells)], "reasons": reasons}
        for row, cells, reasons in RejectedRows.read(report.rejected_rows)
    ]
    return result


def _trimmed(cells: list) -> list:
    """The cells up to the last one with something in it, as the error report shows them."""
    cells = list(cells)
    while cells and cells[-1] in ("", None):
        cells.pop()
    return cells


def _register(dtsen_import_id: int) -> dict:
    """What the load left: digests of the register, and the changes it listed."""
    people = Person.objects.order_by("nik").values_list(
        "nik", "name", "sex", "birth_date", "relationship", "household__no_kk"
    )
    households = Household.objects.order_by("no_kk").values_list(
        "no_kk", "village_id", "address", "rt", "rw", "dusun", *DESIL_FIELDS, "desil_period"
    )
    history = HouseholdDesil.objects.order_by("household__no_kk", "period").values_list(
        "household__no_kk", "period", *DESIL_FIELDS
    )
    changes = (
        PersonChange.objects.filter(dtsen_import_id=dtsen_import_id)
        .order_by("row")
        .values_list(
            *(f.name for f in PersonChange._meta.fields if f.name not in ("id", "dtsen_import"))
        )
    )
    return {
        name: {"count": len(rows), "sha256": _digest(rows)}
        for name, rows in (
            ("people", list(people)),
            ("households", list(households)),
            ("desil_history", list(history)),
            ("changes", list(changes)),
        )
    }


def _digest(rows: list) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _compare(name: str, found: dict) -> None:
    path = GOLDEN / name
    text = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if RECORD:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    found = json.loads(text)
    for key in expected:
        assert found[key] == expected[key], f"{name}: {key} differs from the golden report"
    assert found.keys() == expected.keys()


@pytest.fixture(autouse=True)
def areas(db):
    for code in VILLAGES:
        AreaFactory(code=code)


def _golden_load(tmp_path: Path, path: Path, name: str) -> None:
    _already_registered(tmp_path)
    checked = _report(_load(path, "2025-Q3", dry_run=True)[0])
    report, dtsen_import_id = _load(path, "2025-Q3")
    loaded = _report(report)
    assert checked == loaded, "a check reports what the load does"
    assert loaded["rows"] > 3000 and loaded["error_count"] > 700 and loaded["warning_count"] > 250
    _compare(f"{name}.json", {**loaded, "register": _register(dtsen_import_id)})


def test_the_report_of_a_csv_full_of_problems_is_the_golden_one(tmp_path):
    path = write_csv(tmp_path, golden_rows(typed=False), delimiter="|")
    _golden_load(tmp_path, path, "dtsen_report_csv")


def test_the_report_of_a_workbook_full_of_problems_is_the_golden_one(tmp_path):
    path = write_xlsx(tmp_path, golden_rows(typed=True))
    _golden_load(tmp_path, path, "dtsen_report_xlsx")


def test_a_streamed_workbook_gives_the_same_golden_report(tmp_path, settings):
    settings.TKPK_XLSX_STREAM_BYTES = 1000  # too large to hold: read row by row
    path = write_xlsx(tmp_path, golden_rows(typed=True))
    _golden_load(tmp_path, path, "dtsen_report_xlsx")
