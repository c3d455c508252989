"""The error report (households/dtsen/report.py): rejected rows as they were, readable."""

import openpyxl
import pytest

from households.dtsen.loading import dtsen_load
from households.dtsen.report import write_error_report
from tests.factories import AreaFactory
from tests.households.dtsen_files import VILLAGE, kk, nik, person, table, write_csv

pytestmark = pytest.mark.django_db
HEADERS = {
    "nik": "NIK",
    "no_kk": "No. KK",
    "nama": "Nama",
    "village": "Kode Desa",
    "hubungan": "SHDK",
}


@pytest.fixture(autouse=True)
def village(db):
    AreaFactory(code=VILLAGE, name="Langadai")


def error_report(tmp_path, people, *, extra_lines=()):
    lines = [*table(people, headers=HEADERS), *extra_lines]
    report = dtsen_load(path=write_csv(tmp_path, lines), period="2025-Q3", dry_run=True)
    path = tmp_path / "galat.xlsx"
    with path.open("wb") as stream:
        write_error_report(report, stream)
    return openpyxl.load_workbook(path)


def test_rejected_rows_keep_their_values_under_their_headers_with_the_reason(tmp_path):
    workbook = error_report(
        tmp_path,
        [person(1), person(2, nik="123", nama="=SUM(A1)"), person(3, nik=nik(serial=1))],
        extra_lines=[[nik(serial=4), kk(4), "SITI", VILLAGE, "1", "lebih"]],
    )

    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Baris", "NIK", "No. KK", "Nama", "Kode Desa", "SHDK", "Alasan", None)
    assert rows[1][:6] == (3, "123", kk(2), "'=SUM(A1)", VILLAGE, None)  # never a formula
    assert rows[1][6] == "NIK: harus tepat 16 digit, bukan '123'"  # the column said once
    assert rows[2][0] == 4 and rows[2][6].startswith(f"NIK: {nik(serial=1)} sudah ada di baris 2")
    # A value beyond the header stays, after the reason.
    assert rows[3][0] == 5 and rows[3][7] == "lebih"


def test_the_header_is_bold_frozen_and_columns_are_wide_enough(tmp_path):
    workbook = error_report(tmp_path, [person(1), person(2, nik="123")])

    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value)
    rejected = workbook.worksheets[0]
    assert rejected.column_dimensions["A"].width < rejected.column_dimensions["B"].width
    assert rejected.column_dimensions["G"].width >= 60  # the reason


def test_every_warning_is_listed_on_its_own_sheet(tmp_path):
    workbook = error_report(
        tmp_path, [person(1, hubungan="Pacar"), person(2, no_kk=kk(1), hubungan="Keponakan")]
    )

    warnings = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert warnings[0] == ("Baris", "Kolom", "Peringatan")
    assert [(row, column) for row, column, _message in warnings[1:]] == [(2, "SHDK"), (3, "SHDK")]
    assert "'Pacar'" in warnings[1][2]
