import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from reports.models import PovertyStatistic
from reports.statistic_files import (
    TEMPLATE_COLUMNS,
    StatisticFileError,
    statistic_file_load,
    template_xlsx,
)
from reports.statistics import statistic_save
from tests.factories import AreaFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def areas(db):
    for code, name in (
        ("63.02", "Kabupaten Kotabaru"),
        ("63.03", "Kabupaten Banjar"),
        ("63.10", "Kabupaten Tanah Bumbu"),
        ("62.02", "Kabupaten Kotawaringin Timur"),
    ):
        AreaFactory(code=code, name=name)


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


def csv_file(tmp_path, text: str):
    path = tmp_path / "statistik.csv"
    path.write_text(text, encoding="utf-8")
    return path


def xlsx_file(tmp_path, rows: list[list]):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "statistik.xlsx"
    workbook.save(path)
    return path


def load(path, by, **kwargs):
    return statistic_file_load(path=path, by=by, today=TODAY, **kwargs)


def test_a_file_loads_every_row_read_the_indonesian_way(areas, secretariat, tmp_path):
    path = csv_file(
        tmp_path,
        "kode;tahun;p0;jumlah_penduduk_miskin;garis_kemiskinan;gini;sumber\n"
        '63.03;2024;2,36;1.010;"550.000";0,312;BPS, Maret 2024\n'
        "63.03;2025;2,74;;;;BPS, Maret 2025\n"
        "63;2025;3.95;;Rp 600.000;;\n",
    )
    report = load(path, secretariat, source="BPS Provinsi, 2025")
    assert (report.error_count, report.written, report.rows) == (0, 3, 3)
    banjar = PovertyStatistic.objects.get(area_id="63.03", year=2024)
    assert banjar.poverty_rate == Decimal("2.36")
    assert banjar.poor_people == 1010
    assert banjar.poverty_line == 550_000
    assert banjar.gini_ratio == Decimal("0.312")
    assert banjar.source == "BPS, Maret 2024"
    assert banjar.entered_by == secretariat
    province = PovertyStatistic.objects.get(area_id="63", year=2025)
    assert (province.poverty_rate, province.poverty_line) == (Decimal("3.95"), 600_000)
    assert province.source == "BPS Provinsi, 2025"  # the upload's, for an empty cell


def test_a_workbook_with_indonesian_headers_and_numeric_codes(areas, secretariat, tmp_path):
    path = xlsx_file(
        tmp_path,
        [
            ["STATISTIK KEMISKINAN KALIMANTAN SELATAN"],
            ["Kode", "Nama", "Tahun", "Persentase Penduduk Miskin", "P1", "P2", "IPM", "Sumber"],
            # 63.10 typed as a number comes back as 63.1
            [63.1, "Tanah Bumbu", 2025, 4.41, 0.62, 0.14, 71.5, "BPS"],
            ["6302", "Kotabaru", "2025", "4,36", "0,6", None, None, "BPS"],
        ],
    )
    report = load(path, secretariat)
    assert report.error_count == 0, report.errors
    assert report.ignored_columns == ["Nama"]
    tanah_bumbu = PovertyStatistic.objects.get(area_id="63.10", year=2025)
    assert tanah_bumbu.poverty_gap == Decimal("0.62")
    assert tanah_bumbu.human_development_index == Decimal("71.5")
    assert PovertyStatistic.objects.get(area_id="63.02").poverty_rate == Decimal("4.36")


def test_each_error_names_its_row_and_column_and_nothing_is_written(areas, secretariat, tmp_path):
    path = csv_file(
        tmp_path,
        "kode,tahun,p0,gini,sumber\n"
        "63.03,2025,2.74,,BPS\n"  # row 2: fine
        "63.99,2025,3.1,,BPS\n"  # row 3: unknown code
        "62.02,2025,5.83,,BPS\n"  # row 4: another province's regency
        "63.02,1999,4.4,,BPS\n"  # row 5: year out of range
        "63.02,2027,4.4,,BPS\n"  # row 6: in the future
        "63.02,2024,101,,BPS\n"  # row 7: P0 out of range
        "63.02,2023,empat,,BPS\n"  # row 8: not a number
        "63.02,2022,4.5,1.5,BPS\n"  # row 9: Gini out of range
        "63.03,2025,2.75,,BPS\n"  # row 10: the same area and year as row 2
        "63.02,2021,4.123,,BPS\n",  # row 11: too many decimals
    )
    report = load(path, secretariat)
    problems = {(row, column): message for row, column, message in report.errors}
    assert set(problems) == {
        (3, "kode"),
        (4, "kode"),
        (5, "tahun"),
        (6, "tahun"),
        (7, "p0"),
        (8, "p0"),
        (9, "gini"),
        (10, "kode"),
        (11, "p0"),
    }
    assert "63.99" in problems[3, "kode"]
    assert "62.02" in problems[4, "kode"]
    assert "1999" in problems[5, "tahun"]
    assert "101" in problems[7, "p0"]
    assert "empat" in problems[8, "p0"]
    assert "1,5" in problems[9, "gini"]
    assert "2" in problems[10, "kode"]  # names the first row
    assert report.error_count == 9
    assert report.written == 0
    assert not PovertyStatistic.objects.exists()  # row 2 was fine, and is not written either


def test_a_row_without_p0_or_source_is_an_error(areas, secretariat, tmp_path):
    path = csv_file(tmp_path, "kode,tahun,p0\n63.03,2025,\n63.02,2025,4.36\n")
    report = load(path, secretariat)
    assert [(row, column) for row, column, _message in report.errors] == [
        (2, "p0"),
    ]
    report = load(csv_file(tmp_path, "kode,tahun,p0\n63.02,2025,4.36\n"), secretariat)
    assert [(row, column) for row, column, _message in report.errors] == [(2, "sumber")]
    assert not PovertyStatistic.objects.exists()


def test_an_implausible_step_against_the_stored_year_waits_for_confirmation(
    areas, secretariat, tmp_path
):
    statistic_save(
        area="63.02",
        year=2025,
        values={"poverty_rate": Decimal("4.36")},
        source="BPS",
        by=secretariat,
    )
    path = csv_file(tmp_path, "kode,tahun,p0,sumber\n63.03,2026,2.9,BPS\n63.02,2026,43.6,BPS\n")
    report = load(path, secretariat)
    assert report.needs_confirmation
    assert report.written == 0
    (step,) = report.steps
    assert (step.row, step.area, step.from_year, step.to_year) == (3, "63.02", 2025, 2026)
    assert "4,36 % (2025)" in step.message and "43,60 % (2026)" in step.message
    assert not PovertyStatistic.objects.filter(year=2026).exists()
    report = load(path, secretariat, confirmed=report.step_keys)
    assert report.written == 2
    assert PovertyStatistic.objects.get(area_id="63.02", year=2026).poverty_rate == Decimal("43.6")


def test_an_implausible_step_between_two_rows_of_the_file(areas, secretariat, tmp_path):
    path = csv_file(
        tmp_path,
        "kode,tahun,p0,sumber\n63.03,2024,2.36,BPS\n63.03,2025,27.4,BPS\n63.02,2025,4.4,BPS\n",
    )
    report = load(path, secretariat)
    (step,) = report.steps
    assert (step.row, step.from_year, step.to_year) == (3, 2024, 2025)
    assert not PovertyStatistic.objects.exists()


def test_a_file_correcting_a_stored_typo_asks_nothing(areas, secretariat, tmp_path):
    """The file's own 2025 replaces the stored 2025 when 2026 is judged."""
    statistic_save(
        area="63.02",
        year=2024,
        values={"poverty_rate": Decimal("4.5")},
        source="BPS",
        by=secretariat,
    )
    statistic_save(
        area="63.02",
        year=2025,
        values={"poverty_rate": Decimal("43.6")},
        source="BPS",
        by=secretariat,
        confirmed=["63.02|poverty_rate|2024|2025|4.5|43.6"],
    )
    path = csv_file(tmp_path, "kode,tahun,p0,sumber\n63.02,2026,4.30,BPS\n63.02,2025,4.36,BPS\n")
    report = load(path, secretariat)
    assert report.steps == []
    assert report.written == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20),
        ("kosong.csv", b""),
        ("acak.csv", bytes(range(256)) * 40),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_whole(
    areas, secretariat, tmp_path, name, content
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StatisticFileError):
        load(path, secretariat)
    assert not PovertyStatistic.objects.exists()


def test_a_workbook_unpacking_far_beyond_a_table_is_refused_before_reading(
    areas, secretariat, tmp_path
):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))
    with pytest.raises(StatisticFileError, match=r"(new workbook|buku kerja baru)"):
        load(path, secretariat)


def test_a_file_without_the_columns_says_which_are_missing(areas, secretariat, tmp_path):
    path = csv_file(tmp_path, "wilayah,tahun,nilai\n63.02,2025,4.36\n")
    with pytest.raises(StatisticFileError, match="kode"):
        load(path, secretariat)


def test_the_template_has_the_header_and_reads_back_as_an_empty_file(areas, secretariat, tmp_path):
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    header = [cell.value for cell in next(workbook["Statistik"].iter_rows())]
    assert header == TEMPLATE_COLUMNS
    codes = [row[0].value for row in workbook["Kode wilayah"].iter_rows(min_row=2)]
    assert codes == ["63.02", "63", "63.03", "63.10"]
    path = tmp_path / "templat.xlsx"
    path.write_bytes(template_xlsx())
    with pytest.raises(StatisticFileError, match=r"(no rows|tidak ada baris)"):
        load(path, secretariat)
