"""The DTSEN load (households/dtsen): files it reads, row rules 1–8, what it writes.

Every test builds its own small file. Messages are translated, so tests check where a
problem is (row as Excel shows it, header as written) and the stable parts of the
message (numbers, codes, cell values), not whole sentences.
"""

import csv
import datetime
import re

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError

from households.dtsen import checking, staging
from households.dtsen.loading import LoadCancelled, dtsen_load
from households.dtsen.problems import RejectedRows
from households.dtsen.reading import DtsenFileError
from households.models import (
    DtsenImport,
    Household,
    HouseholdDesil,
    ImportPhase,
    ImportStatus,
    Person,
    PersonChange,
)
from households.selectors import households_with_summary
from tests.factories import AreaFactory
from tests.households.dtsen_files import (
    DTSEN_HEADERS,
    OTHER_VILLAGE,
    VILLAGE,
    excel_serial,
    kk,
    nik,
    person,
    table,
    write_csv,
    write_encrypted_xlsx,
    write_pdf_as_xlsx,
    write_xlsx,
)

TODAY = datetime.date(2025, 10, 1)
BORN = datetime.date(1990, 1, 1)  # the birth date in nik() by default

# The headers of a sheet made by hand, to check that problems name them as written.
HAND_HEADERS = {
    "nik": "NIK",
    "no_kk": "No. KK",
    "nama": "Nama Lengkap",
    "jenis_kelamin": "L/P",
    "tanggal_lahir": "Tgl Lahir",
    "hubungan": "SHDK",
    "alamat": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "village": "KD_DESA",
    "desil": "Desil",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def villages(db):
    AreaFactory(code=VILLAGE, name="Langadai")
    AreaFactory(code=OTHER_VILLAGE, name="Tarjun")


def load(path, *, period="2025-Q3", dry_run=False, **options):
    """Load as the command does: a real load belongs to a DtsenImport."""
    dtsen_import_id = None
    if not dry_run:
        dtsen_import_id = DtsenImport.objects.create(
            file_name=path.name, period=period, status=ImportStatus.IMPORTING
        ).pk
    return dtsen_load(
        path=path,
        period=period,
        dry_run=dry_run,
        dtsen_import_id=dtsen_import_id,
        today=TODAY,
        **options,
    )


def csv_of(tmp_path, people, *, headers=HAND_HEADERS, **options):
    return write_csv(tmp_path, table(people, headers=headers), **options)


def xlsx_of(tmp_path, people, *, headers=HAND_HEADERS, **options):
    return write_xlsx(tmp_path, table(people, headers=headers), **options)


def where(problems):
    """[(row, column)] of a report's errors or warnings."""
    return [(row, column) for row, column, _message in problems]


def message_at(problems, row):
    messages = [message for problem_row, _column, message in problems if problem_row == row]
    assert messages, f"no problem reported in row {row}"
    return " | ".join(messages)


def names_by_nik():
    return dict(Person.objects.values_list("nik", "name"))


def register():
    """Everything the register holds, to compare before and after a load."""
    return (
        list(Household.objects.order_by("no_kk").values()),
        list(Person.objects.order_by("nik").values()),
        list(HouseholdDesil.objects.order_by("pk").values()),
    )


def one_line(error) -> str:
    text = str(error)
    assert text.strip()
    assert "\n" not in text and "\r" not in text
    return text


# =======================================================================================
# Files it reads


def test_a_workbook_is_read_from_its_first_sheet(tmp_path):
    path = xlsx_of(
        tmp_path,
        [person(1), person(2)],
        sheet="Data",
        sheets_after={"Lama": table([person(3)], headers=HAND_HEADERS)},
    )

    report = load(path)

    assert report.rows == 2
    assert sorted(names_by_nik().values()) == ["WARGA 1", "WARGA 2"]


def test_a_workbook_is_read_from_the_sheet_named(tmp_path):
    path = xlsx_of(
        tmp_path,
        [person(3)],
        sheet="Desil Q3",
        sheets_before={"Petunjuk": [["Cara mengisi"], ["NIK ditulis sebagai teks"]]},
    )

    report = load(path, sheet="Desil Q3")

    assert report.rows == 1
    assert list(names_by_nik().values()) == ["WARGA 3"]


def test_an_unknown_sheet_is_a_file_error_that_names_the_sheets(tmp_path):
    path = xlsx_of(tmp_path, [person(1)], sheet="DTSEN", sheets_after={"Rekap": [["x"]]})

    with pytest.raises(DtsenFileError) as raised:
        load(path, sheet="Data")

    text = one_line(raised.value)
    assert "Data" in text
    assert "DTSEN" in text and "Rekap" in text
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "delimiter", [",", ";", "|", "\t"], ids=["comma", "semicolon", "pipe", "tab"]
)
def test_csv_is_read_whatever_its_delimiter(tmp_path, delimiter):
    people = [
        person(1, alamat="Jl. Transmigrasi No. 5", rt="001", rw="002", desil="3"),
        person(2, nama="MUHAMMAD ANSHARI", jenis_kelamin="L"),
    ]
    path = csv_of(tmp_path, people, headers=DTSEN_HEADERS, delimiter=delimiter)

    report = load(path)

    assert (report.rows, list(report.errors), list(report.warnings)) == (2, [], [])
    assert names_by_nik() == {nik(serial=1): "WARGA 1", nik(serial=2): "MUHAMMAD ANSHARI"}
    household = Household.objects.get(no_kk=kk(1))
    assert (household.address, household.rt, household.rw, household.desil) == (
        "Jl. Transmigrasi No. 5",
        "001",
        "002",
        3,
    )


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-8", "cp1252"], ids=["utf8-bom", "utf8", "windows-1252"]
)
def test_csv_names_are_read_right_in_utf8_with_or_without_bom_and_windows_1252(tmp_path, encoding):
    people = [person(1, nama="Siti Ma\u2019rifah"), person(2, nama="Ñoman Müller")]
    path = csv_of(tmp_path, people, headers=DTSEN_HEADERS, delimiter=";", encoding=encoding)

    report = load(path)

    assert list(report.errors) == []
    assert report.ignored_columns == []  # a BOM must not hide the first header
    assert names_by_nik() == {nik(serial=1): "Siti Ma\u2019rifah", nik(serial=2): "Ñoman Müller"}


def test_a_windows_1252_file_is_read_whole_even_when_its_first_lines_are_plain_ascii(tmp_path):
    people = [person(n) for n in range(1, 2000)] + [person(2000, nama="Siti Ma\u2019rifah")]
    path = csv_of(tmp_path, people, encoding="cp1252")

    report = load(path)

    assert list(report.errors) == []
    assert Person.objects.get(nik=nik(serial=2000)).name == "Siti Ma\u2019rifah"


@pytest.mark.parametrize("make", [csv_of, xlsx_of], ids=["csv", "xlsx"])
def test_the_header_may_sit_below_title_rows_and_row_numbers_count_them(tmp_path, make):
    lines = [
        ["DATA DTSEN KABUPATEN KOTABARU"],
        [""],
        *table([person(1), person(2, nik="630217010190000")], headers=HAND_HEADERS),
    ]
    path = (
        write_csv(tmp_path, lines) if make is csv_of else write_xlsx(tmp_path, lines, sheet="Data")
    )

    report = load(path)

    assert report.header_row == 3
    assert report.rows == 2
    assert where(report.errors) == [(5, "NIK")]  # title 1–2, header 3, data 4 and 5
    assert list(names_by_nik()) == [nik(serial=1)]


def test_a_sheet_whose_first_rows_are_empty_keeps_excel_row_numbers(tmp_path):
    lines = [
        [""],
        ["", "", "DATA DTSEN"],
        [""],
        *table([person(1), person(2, no_kk="123")], headers=HAND_HEADERS),
    ]
    path = write_xlsx(tmp_path, lines)

    report = load(path)

    assert report.header_row == 4
    assert where(report.errors) == [(6, "No. KK")]


def test_csv_row_numbers_count_the_lines_of_a_quoted_cell_that_spans_two(tmp_path):
    path = tmp_path / "dtsen.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerows(table([person(1, alamat="Jl. Langadai\nRT 003"), person(2, nik="1")]))

    report = load(path)

    # header on line 1, the first person on lines 2–3, the second on line 4
    assert where(report.errors) == [(4, "nomor_induk_kependudukan")]
    assert Household.objects.get().address == "Jl. Langadai RT 003"


def test_csv_row_numbers_stay_right_among_thousands_of_rows_and_quoted_lines(tmp_path):
    people = [person(n) for n in range(1, 3001)]
    for n in (700, 1999):
        people[n - 1] = person(n, alamat="Jl. Langadai\r\nRT 003\nGang 2")  # three lines
    people[2499] = person(2500, nik="1")
    path = tmp_path / "dtsen.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(table(people))

    report = load(path, dry_run=True)

    # the header on line 1; persons 700 and 1999 take three lines each
    assert where(report.errors) == [(2500 + 1 + 4, "nomor_induk_kependudukan")]


def test_a_line_that_cannot_be_read_as_csv_names_the_row_before_it(tmp_path):
    lines = table([person(n) for n in range(1, 1501)])
    path = write_csv(tmp_path, lines)
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write('"' + "x" * 200_000 + '",1\r\n')  # beyond what a cell may hold

    with pytest.raises(DtsenFileError, match="1501"):
        load(path, dry_run=True)


def test_the_header_is_not_looked_for_below_row_20(tmp_path):
    lines = [[f"catatan {n}"] for n in range(1, 21)] + table([person(1)])
    path = write_csv(tmp_path, lines)

    with pytest.raises(DtsenFileError):
        load(path)


ALIASES_FROM_THE_ISSUE = [
    ("nik", "NIK"),
    ("nik", "No NIK"),
    ("no_kk", "No KK"),
    ("no_kk", "No. KK"),
    ("no_kk", "NOKK"),
    ("no_kk", "Nomor KK"),
    ("nama", "Nama Lengkap"),
    ("village", "Kode Desa"),
    ("village", "KD_DESA"),
    ("village", "Kode Wilayah"),
    ("jenis_kelamin", "JK"),
    ("jenis_kelamin", "L/P"),
    ("jenis_kelamin", "Jenis Kelamin"),
    ("tanggal_lahir", "Tgl Lahir"),
    ("tanggal_lahir", "Tanggal Lahir"),
    ("hubungan", "SHDK"),
    ("hubungan", "Hubungan Keluarga"),
    ("hubungan", "Hubungan"),
    ("alamat", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("dusun", "Dusun"),
    ("desil", "Desil"),
    ("desil_provinsi", "desil_provinsi"),
    ("desil_kabupaten_kota", "desil_kabupaten_kota"),
]
ALL_FIELDS = {
    **DTSEN_HEADERS,
    "dusun": "dusun",
    "desil_provinsi": "desil_provinsi",
    "desil_kabupaten_kota": "desil_kabupaten_kota",
}
FULL_ROW = person(
    1,
    jenis_kelamin="P",
    tanggal_lahir="1990-01-01",
    hubungan="Kepala Keluarga",
    alamat="Jl. Langadai",
    rt="003",
    rw="001",
    dusun="Dusun II",
    desil="2",
    desil_provinsi="3",
    desil_kabupaten_kota="4",
    nik=nik(female=True),
)


def stored(field):
    someone = Person.objects.select_related("household").get()
    household = someone.household
    return {
        "nik": someone.nik,
        "no_kk": household.no_kk,
        "nama": someone.name,
        "village": household.village_id,
        "jenis_kelamin": someone.sex,
        "tanggal_lahir": someone.birth_date,
        "hubungan": someone.relationship,
        "alamat": household.address,
        "rt": household.rt,
        "rw": household.rw,
        "dusun": household.dusun,
        "desil": household.desil,
        "desil_provinsi": household.desil_provinsi,
        "desil_kabupaten_kota": household.desil_kabupaten,
    }[field]


EXPECTED = {
    "nik": nik(female=True),
    "no_kk": kk(1),
    "nama": "WARGA 1",
    "village": VILLAGE,
    "jenis_kelamin": "P",
    "tanggal_lahir": BORN,
    "hubungan": 1,
    "alamat": "Jl. Langadai",
    "rt": "003",
    "rw": "001",
    "dusun": "Dusun II",
    "desil": 2,
    "desil_provinsi": 3,
    "desil_kabupaten_kota": 4,
}


@pytest.mark.parametrize(("field", "alias"), ALIASES_FROM_THE_ISSUE)
def test_every_header_alias_in_the_issue_is_read(tmp_path, field, alias):
    path = csv_of(tmp_path, [FULL_ROW], headers=ALL_FIELDS | {field: alias})

    report = load(path)

    assert (list(report.errors), list(report.warnings), report.ignored_columns) == ([], [], [])
    assert stored(field) == EXPECTED[field]


def test_headers_match_whatever_their_case_spaces_underscores_and_punctuation(tmp_path):
    headers = {
        "nik": "  nik ",
        "no_kk": "NO_KK.",
        "nama": "nama  LENGKAP",
        "village": "Kd-Desa",
        "jenis_kelamin": "l / p",
        "tanggal_lahir": "TGL. LAHIR",
        "hubungan": "S.H.D.K.",
        "desil": "DESIL:",
    }
    path = xlsx_of(tmp_path, [FULL_ROW], headers=headers)

    report = load(path)

    assert (list(report.errors), list(report.warnings), report.ignored_columns) == ([], [], [])
    for field in headers:
        assert stored(field) == EXPECTED[field], field


def test_columns_it_does_not_know_are_ignored_and_listed(tmp_path):
    headers = ALL_FIELDS | {"kode_provinsi": "kode_provinsi", "catatan": "Keterangan Petugas"}
    path = csv_of(
        tmp_path, [FULL_ROW | {"kode_provinsi": "63", "catatan": "pindah"}], headers=headers
    )

    report = load(path)

    assert report.ignored_columns == ["kode_provinsi", "Keterangan Petugas"]
    assert report.as_dict()["ignored_columns"] == ["kode_provinsi", "Keterangan Petugas"]
    assert list(report.errors) == []


@pytest.mark.parametrize("make", [csv_of, xlsx_of], ids=["csv", "xlsx"])
def test_empty_rows_are_skipped_uncounted_and_row_numbers_go_on(tmp_path, make):
    people = [
        person(1),  # row 2
        {},  # row 3: every cell empty
        {"alamat": "   "},  # row 4: only blanks
        person(2, village="63.02.17.9999"),  # row 5
        {},  # row 6
        person(3),  # row 7
    ]
    path = make(tmp_path, people)

    report = load(path)

    assert report.rows == 3
    assert where(report.errors) == [(5, "KD_DESA")]
    assert (report.people.created, report.rejected) == (2, 1)


def test_csv_row_numbers_are_the_editor_line_numbers_even_with_blank_lines(tmp_path):
    text = table([person(1), person(2, nik="x")])
    lines = [text[0], [], text[1], [], [], text[2]]  # header 1, data rows 3 and 6
    path = write_csv(tmp_path, lines)

    report = load(path)

    assert report.rows == 2
    assert where(report.errors) == [(6, "nomor_induk_kependudukan")]


# =======================================================================================
# File-level failures: nothing written, one line that says what to do


@pytest.fixture
def someone_known(tmp_path_factory):
    """A register that already holds one person, to show a failed load leaves it alone."""
    load(write_csv(tmp_path_factory.mktemp("known"), table([person(9)])))
    return register()


def test_a_pdf_renamed_to_xlsx_is_refused_as_not_a_spreadsheet(tmp_path, someone_known):
    with pytest.raises(DtsenFileError) as raised:
        load(write_pdf_as_xlsx(tmp_path))

    assert ".xlsx" in one_line(raised.value)
    assert register() == someone_known


def test_an_empty_file_is_refused(tmp_path, someone_known):
    path = tmp_path / "dtsen.csv"
    path.write_bytes(b"")

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    one_line(raised.value)
    assert register() == someone_known


def test_a_password_protected_workbook_is_refused(tmp_path, someone_known):
    path = write_encrypted_xlsx(tmp_path, table([person(1)]))

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    one_line(raised.value)
    assert register() == someone_known


@pytest.mark.parametrize("make", [csv_of, xlsx_of], ids=["csv", "xlsx"])
def test_without_a_header_row_the_message_lists_missing_columns_and_headers_found(
    tmp_path, someone_known, make
):
    headers = {"nik": "NIK", "nama": "Nama", "alamat": "Alamat Rumah", "desil": "Desil"}
    path = make(tmp_path, [person(1)], headers=headers)

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    text = one_line(raised.value)
    missing = re.search(r"\(([^)]*)\)", text).group(1)  # the part in brackets names them
    assert "No. KK" in missing and "Kode Desa" in missing
    assert "NIK" not in missing  # NIK was found
    for found in ("NIK", "Nama", "Alamat Rumah", "Desil"):
        assert found in text.split(missing)[1]
    assert register() == someone_known


def test_a_csv_of_a_single_column_lists_the_missing_columns_too(tmp_path):
    path = write_csv(tmp_path, [["NIK"], [nik(serial=1)], [nik(serial=2)]])

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    text = one_line(raised.value)
    assert "No. KK" in text and "Kode Desa" in text
    assert "NIK" in text


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "dtsen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.txt", "bukan data")

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    assert ".xlsx" in one_line(raised.value)


def test_an_empty_sheet_is_refused(tmp_path):
    path = xlsx_of(tmp_path, [person(1)], sheets_after={"Kosong": []})

    with pytest.raises(DtsenFileError) as raised:
        load(path, sheet="Kosong")

    assert "Kosong" in one_line(raised.value)


def test_a_file_over_the_size_limit_is_refused(tmp_path, someone_known, settings):
    path = write_csv(tmp_path, table([person(n) for n in range(1, 30)]))
    settings.TKPK_DTSEN_MAX_BYTES = path.stat().st_size - 1

    with pytest.raises(DtsenFileError) as raised:
        load(path)

    one_line(raised.value)
    assert register() == someone_known


def test_a_file_at_the_size_limit_is_read(tmp_path, settings):
    path = write_csv(tmp_path, table([person(1)]))
    settings.TKPK_DTSEN_MAX_BYTES = path.stat().st_size

    assert load(path).people.created == 1


def test_the_default_size_limit_is_200_mb(settings):
    assert settings.TKPK_DTSEN_MAX_BYTES == 200 * 1024 * 1024


# =======================================================================================
# Rule 1: NIK and No. KK


def test_nik_and_no_kk_lose_spaces_dots_dashes_and_a_leading_apostrophe(tmp_path):
    people = [
        person(1, nik="'6302 1701 0190 0001", no_kk="'6302.1715.0320.0001"),
        person(2, nik="6302-1701-0190-0002", no_kk="6302 1715 0320 0002"),
        person(3, nik="6302.1701.0190.0003", no_kk="6302-1715-0320-0003"),
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    assert set(names_by_nik()) == {nik(serial=1), nik(serial=2), nik(serial=3)}
    assert set(Household.objects.values_list("no_kk", flat=True)) == {kk(1), kk(2), kk(3)}


def test_nik_and_no_kk_must_be_exactly_16_digits(tmp_path):
    people = [
        person(1, nik="630217010190001"),  # row 2: 15 digits
        person(2, nik="63021701019000021"),  # row 3: 17 digits
        person(3, no_kk="630217150320003"),  # row 4
        person(4, no_kk="63021715032000041"),  # row 5
        person(5, nik="63021701019O0005"),  # row 6: a letter O
        person(6),  # row 7
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [
        (2, "NIK"),
        (3, "NIK"),
        (4, "No. KK"),
        (5, "No. KK"),
        (6, "NIK"),
    ]
    assert "630217010190001" in message_at(report.errors, 2)
    assert list(names_by_nik()) == [nik(serial=6)]


def test_nik_and_no_kk_must_start_with_a_province_code(tmp_path):
    people = [
        person(1, nik=nik(serial=1, region="100217")),
        person(2, no_kk="9902171503200002"),
        person(3, nik=nik(serial=3, region="920101")),  # Papua Barat Daya, fine
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [(2, "NIK"), (3, "No. KK")]
    assert "10" in message_at(report.errors, 2)
    assert "99" in message_at(report.errors, 3)
    assert list(names_by_nik()) == [nik(serial=3, region="920101")]


@pytest.mark.parametrize(
    ("bad_nik", "shown"),
    [
        ("6302170001900001", "00"),  # day 00
        ("6302173201900001", "32"),
        ("6302174001900001", "40"),
        ("6302177201900001", "72"),
        ("6302170113900001", "13"),  # month 13
        ("6302170101900000", "0000"),  # serial
    ],
)
def test_a_nik_with_an_impossible_day_month_or_serial_is_rejected(tmp_path, bad_nik, shown):
    path = csv_of(tmp_path, [person(1, nik=bad_nik), person(2)])

    report = load(path)

    assert where(report.errors) == [(2, "NIK")]
    assert shown in message_at(report.errors, 2)
    assert list(names_by_nik()) == [nik(serial=2)]


def test_a_nik_with_a_womans_day_is_accepted(tmp_path):
    path = csv_of(tmp_path, [person(1, nik="6302174101900001"), person(2, nik="6302177101900002")])

    report = load(path)

    assert list(report.errors) == []
    assert Person.objects.count() == 2


def test_numbers_in_numeric_cells_that_excel_may_have_rounded_are_errors(tmp_path):
    people = [
        person(1, nik=6302170101900010),  # row 2: ends in 0
        person(2, no_kk=6302171503200020),  # row 3: ends in 0
        person(3, nik=630217010190.5),  # row 4: decimals
        person(4, nik="6.30217E+15"),  # row 5: text in scientific notation
        person(5, no_kk="6,30217E+15"),  # row 6: the same with a decimal comma
        person(6, nik=9100000000000001),  # row 7: 2**53 or more
        person(7),  # row 8
    ]
    path = xlsx_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [
        (2, "NIK"),
        (3, "No. KK"),
        (4, "NIK"),
        (5, "NIK"),
        (6, "No. KK"),
        (7, "NIK"),
    ]
    assert "6302170101900010" in message_at(report.errors, 2)
    assert "6.30217E+15" in message_at(report.errors, 5)
    assert list(names_by_nik()) == [nik(serial=7)]


def test_numbers_in_numeric_cells_that_survived_are_accepted_with_a_warning(tmp_path):
    people = [
        person(1, nik=6302170101900001),
        person(2, no_kk=6302171503200002),
    ]
    path = xlsx_of(tmp_path, people)

    report = load(path)

    assert list(report.errors) == []
    assert where(report.warnings) == [(2, "NIK"), (3, "No. KK")]
    assert set(names_by_nik()) == {"6302170101900001", nik(serial=2)}
    assert Household.objects.filter(no_kk="6302171503200002").exists()


# =======================================================================================
# Rule 2: the village


def test_the_village_may_be_written_with_or_without_dots(tmp_path):
    people = [
        person(1, village="63.02.17.2003"),
        person(2, village="6302172003"),
        person(3, village=6302172002),  # a number cell
        person(4, village=" 63.02.17.2002 "),
    ]
    path = xlsx_of(tmp_path, people)

    report = load(path)

    assert list(report.errors) == []
    assert dict(Household.objects.values_list("no_kk", "village_id")) == {
        kk(1): VILLAGE,
        kk(2): VILLAGE,
        kk(3): OTHER_VILLAGE,
        kk(4): OTHER_VILLAGE,
    }


def test_a_village_not_in_the_areas_table_or_not_a_village_code_is_rejected(tmp_path):
    AreaFactory(code="63.03.01")  # a district: exists, but is not a village
    people = [
        person(1, village="63.02.17.2999"),
        person(2, village="6302179999"),
        person(3, village="63.03.01"),
        person(4, village="Langadai"),
        person(5, village=""),
        person(6),
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [(n, "KD_DESA") for n in range(2, 7)]
    assert "63.02.17.2999" in message_at(report.errors, 2)
    assert "9999" in message_at(report.errors, 3)
    assert list(names_by_nik()) == [nik(serial=6)]


# =======================================================================================
# Rule 3: jenis_kelamin


@pytest.mark.parametrize(
    ("written", "sex"),
    [
        ("1", "L"),
        ("L", "L"),
        ("l", "L"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("laki-laki", "L"),
        ("M", "L"),
        ("m", "L"),
        (1, "L"),
        ("2", "P"),
        ("P", "P"),
        ("p", "P"),
        ("Perempuan", "P"),
        ("PEREMPUAN", "P"),
        ("F", "P"),
        ("f", "P"),
        (2, "P"),
        ("", ""),
    ],
)
def test_jenis_kelamin_is_read_in_every_usual_spelling(tmp_path, written, sex):
    path = xlsx_of(tmp_path, [person(1, jenis_kelamin=written, nik=nik(female=sex == "P"))])

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    assert Person.objects.get().sex == sex


def test_an_unknown_jenis_kelamin_is_an_error(tmp_path):
    path = csv_of(tmp_path, [person(1, jenis_kelamin="X"), person(2, jenis_kelamin="L")])

    report = load(path)

    assert where(report.errors) == [(2, "L/P")]
    assert "X" in message_at(report.errors, 2)
    assert list(names_by_nik()) == [nik(serial=2)]


def test_a_true_cell_is_not_read_as_a_1_even_after_one(tmp_path):
    """A workbook's TRUE equals 1 to Python: each is still read for what it is."""
    path = xlsx_of(tmp_path, [person(1, jenis_kelamin=1), person(2, jenis_kelamin=True)])

    report = load(path)

    assert where(report.errors) == [(3, "L/P")]
    assert "True" in message_at(report.errors, 3)
    assert Person.objects.get().sex == "L"


def test_a_sex_that_contradicts_the_nik_is_a_warning(tmp_path):
    people = [
        person(1, jenis_kelamin="P"),  # a man's NIK
        person(2, jenis_kelamin="L", nik=nik(serial=2, female=True)),
        person(3, jenis_kelamin="P", nik=nik(serial=3, female=True)),
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert list(report.errors) == []
    assert where(report.warnings) == [(2, "L/P"), (3, "L/P")]
    assert Person.objects.count() == 3
    assert Person.objects.get(nik=nik(serial=1)).sex == "P"  # kept as the file says


# =======================================================================================
# Rule 4: tanggal_lahir


@pytest.mark.parametrize(
    "written",
    [
        BORN,
        datetime.datetime(1990, 1, 1, 0, 0),
        excel_serial(BORN),
        "1990-01-01",
        "01-01-1990",
        "01/01/1990",
        "1-1-1990",
        str(excel_serial(BORN)),
    ],
    ids=[
        "date-cell",
        "datetime-cell",
        "serial-number-cell",
        "iso",
        "dd-mm-yyyy",
        "dd/mm/yyyy",
        "d-m-yyyy",
        "serial-as-text",
    ],
)
def test_tanggal_lahir_is_read_from_a_date_cell_a_serial_or_the_usual_texts(tmp_path, written):
    path = xlsx_of(tmp_path, [person(1, tanggal_lahir=written)])

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    assert Person.objects.get().birth_date == BORN


@pytest.mark.parametrize("written", ["1990-01-01", "01-01-1990", "01/01/1990", "32874"])
def test_tanggal_lahir_is_read_from_a_csv(tmp_path, written):
    path = csv_of(tmp_path, [person(1, tanggal_lahir=written)])

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    assert Person.objects.get().birth_date == BORN


def test_a_day_before_the_month_is_read_as_day_month_not_month_day(tmp_path):
    born = datetime.date(1990, 2, 11)
    path = csv_of(tmp_path, [person(1, nik=nik(day=11, month=2), tanggal_lahir="11/02/1990")])

    report = load(path)

    assert list(report.warnings) == []
    assert Person.objects.get().birth_date == born


def test_an_impossible_or_future_or_unreadable_birth_date_is_an_error(tmp_path):
    people = [
        person(1, tanggal_lahir="31-02-1990"),  # row 2
        person(2, tanggal_lahir="1990-13-01"),  # row 3
        person(3, tanggal_lahir="2026-01-01"),  # row 4: after TODAY
        person(4, tanggal_lahir="kemarin"),  # row 5
        person(5, tanggal_lahir="1990-01-01"),  # row 6
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [(n, "Tgl Lahir") for n in range(2, 6)]
    assert "31-02-1990" in message_at(report.errors, 2)
    assert "2026" in message_at(report.errors, 4)
    assert list(names_by_nik()) == [nik(serial=5)]


def test_a_birth_date_that_contradicts_the_nik_is_a_warning(tmp_path):
    people = [
        person(1, tanggal_lahir="1990-01-02"),
        person(2, tanggal_lahir="1991-01-01"),
        person(3, nik=nik(serial=3, female=True, day=5), tanggal_lahir="05-01-1990"),
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert list(report.errors) == []
    assert where(report.warnings) == [(2, "Tgl Lahir"), (3, "Tgl Lahir")]
    assert Person.objects.get(nik=nik(serial=1)).birth_date == datetime.date(1990, 1, 2)


# =======================================================================================
# Rule 5: desil


@pytest.mark.parametrize(
    ("written", "desil"),
    [
        ("1", 1),
        ("10", 10),
        ("3.0", 3),
        ("Desil 3", 3),
        ("DESIL 3", 3),
        ("desil 10", 10),
        (3, 3),
        (3.0, 3),
        ("", None),
    ],
)
def test_desil_is_a_whole_number_from_1_to_10_however_written(tmp_path, written, desil):
    path = xlsx_of(tmp_path, [person(1, desil=written)])

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    household = Household.objects.get()
    assert household.desil == desil
    history = list(household.desil_history.values_list("period", "desil"))
    assert history == ([("2025-Q3", desil)] if desil else [])


@pytest.mark.parametrize("written", ["0", "11", "abc", "3.5", "-1", "Desil", 11])
def test_a_desil_outside_1_to_10_is_an_error(tmp_path, written):
    path = xlsx_of(tmp_path, [person(1, desil=written), person(2, desil="4")])

    report = load(path)

    assert where(report.errors) == [(2, "Desil")]
    assert str(written) in message_at(report.errors, 2)
    assert list(Household.objects.values_list("no_kk", "desil")) == [(kk(2), 4)]


def test_a_note_beside_the_last_column_is_not_read_as_a_missing_one(tmp_path, settings):
    """A streamed sheet's row may hold cells beyond the header: no column takes them."""
    settings.TKPK_XLSX_STREAM_BYTES = 0  # read row by row
    headers = {"nik": "NIK", "no_kk": "No. KK", "nama": "Nama", "village": "Kode Desa"}
    lines = table([person(1), person(2)], headers=headers)
    lines[2] = [*lines[2], "cek lagi"]  # a note in the column right of the header
    path = write_xlsx(tmp_path, lines)

    report = load(path)

    assert list(report.errors) == [] and list(report.warnings) == []
    assert list(Household.objects.values_list("desil", "desil_provinsi", "dusun")) == [
        (None, None, ""),
        (None, None, ""),
    ]


def test_household_desil_comes_from_the_heads_row_even_when_the_head_comes_later(tmp_path):
    family = kk(1)
    people = [
        person(1, no_kk=family, hubungan="Anak", desil="4"),  # row 2
        person(2, no_kk=family, hubungan="Kepala Keluarga", desil="2"),  # row 3
        person(3, no_kk=family, hubungan="Istri", desil="5"),  # row 4
        person(4, no_kk=family, hubungan="Cucu", desil="2"),  # row 5
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert list(report.errors) == []
    assert where(report.warnings) == [(2, "Desil"), (4, "Desil")]
    for row in (2, 4):
        assert re.search(r"\b3\b", message_at(report.warnings, row))  # the head's row
    assert Household.objects.get().desil == 2
    assert Person.objects.count() == 4
    assert (report.households.created, report.people.created) == (1, 4)


def test_household_desil_comes_from_the_first_row_when_no_head_is_listed(tmp_path):
    family = kk(1)
    people = [
        person(1, no_kk=family, desil="4"),  # row 2
        person(2, no_kk=family, hubungan="Anak", desil="5"),  # row 3
        person(3, no_kk=family, hubungan="Anak", desil="4"),  # row 4
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.warnings) == [(3, "Desil")]
    assert re.search(r"\b2\b", message_at(report.warnings, 3))
    assert Household.objects.get().desil == 4


# =======================================================================================
# Rule 6: hubungan


@pytest.mark.parametrize(
    ("written", "relationship"),
    [
        ("Kepala Keluarga", 1),
        ("KEPALA KELUARGA", 1),
        ("kepala  keluarga", 1),
        ("Istri/Suami", 2),
        ("Istri", 2),
        ("SUAMI", 2),
        ("Anak", 3),
        ("Menantu", 4),
        ("Cucu", 5),
        ("Orang Tua/Mertua", 6),
        ("Famili Lain", 7),
        ("Lainnya", 8),
        *((str(code), code) for code in range(1, 9)),
        (2, 2),
        ("", None),
    ],
)
def test_hubungan_is_read_from_the_labels_or_codes_1_to_8(tmp_path, written, relationship):
    path = xlsx_of(tmp_path, [person(1, hubungan=written)])

    report = load(path)

    assert (list(report.errors), list(report.warnings)) == ([], [])
    assert Person.objects.get().relationship == relationship


@pytest.mark.parametrize("written", ["Pacar", "9", "0", "Kepala"])
def test_an_unknown_hubungan_is_a_warning_and_stored_as_unknown(tmp_path, written):
    path = csv_of(tmp_path, [person(1, hubungan=written)])

    report = load(path)

    assert list(report.errors) == []
    assert where(report.warnings) == [(2, "SHDK")]
    assert written in message_at(report.warnings, 2)
    assert Person.objects.get().relationship is None


# =======================================================================================
# Rule 7: the same NIK twice


def test_a_repeated_nik_is_an_error_naming_the_first_row_which_counts(tmp_path):
    people = [
        person(1, nama="SITI AMINAH"),  # row 2
        person(2),  # row 3
        person(1, nama="SITI AMINAH BINTI UTUH"),  # row 4
        person(1, nik="6302 1701 0190 0001", nama="SITI"),  # row 5: the same, spaced
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert where(report.errors) == [(4, "NIK"), (5, "NIK")]
    for row in (4, 5):
        assert re.search(r"\b2\b", message_at(report.errors, row))
    assert names_by_nik() == {nik(serial=1): "SITI AMINAH", nik(serial=2): "WARGA 2"}
    assert (report.rows, report.people.created, report.rejected) == (4, 2, 2)


# =======================================================================================
# Rule 8: an error rejects its row, not the file


def test_an_error_rejects_only_its_row_and_all_its_problems_are_reported(tmp_path):
    people = [
        person(1),  # row 2
        person(2, nik="123", village="99.99.99.9999", desil="12"),  # row 3
        person(3),  # row 4
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert sorted(where(report.errors)) == [(3, "Desil"), (3, "KD_DESA"), (3, "NIK")]
    assert (report.rows, report.accepted, report.rejected) == (3, 2, 1)
    assert set(names_by_nik()) == {nik(serial=1), nik(serial=3)}


def test_rejected_rows_are_kept_as_they_were_with_their_problems(tmp_path):
    path = csv_of(tmp_path, [person(1), person(2, nik="123")])

    report = load(path)

    [(row, cells, reasons)] = RejectedRows.read(report.rejected_rows)
    assert row == 3
    assert cells[:3] == ["123", kk(2), "WARGA 2"]
    assert [column for column, _message in reasons] == ["NIK"]


# =======================================================================================
# What it writes


def test_a_first_load_creates_people_and_households(tmp_path):
    people = [
        person(1, no_kk=kk(1), hubungan="1", jenis_kelamin="L", tanggal_lahir="1990-01-01"),
        person(2, no_kk=kk(1), hubungan="2", nik=nik(serial=2, female=True), jenis_kelamin="P"),
        person(3, no_kk=kk(2), village=OTHER_VILLAGE, alamat="Jl. Tarjun", desil="2"),
    ]
    path = csv_of(tmp_path, people)

    report = load(path)

    assert report.people.as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    assert report.households.as_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    first = Person.objects.get(nik=nik(serial=1))
    assert (first.name, first.sex, first.birth_date, first.relationship) == (
        "WARGA 1",
        "L",
        BORN,
        1,
    )
    assert first.household.no_kk == kk(1)
    assert first.household.members.count() == 2
    tarjun = Household.objects.get(no_kk=kk(2))
    assert (tarjun.village_id, tarjun.address, tarjun.desil, tarjun.desil_period) == (
        OTHER_VILLAGE,
        "Jl. Tarjun",
        2,
        "2025-Q3",
    )


def test_a_changed_person_is_updated_and_the_others_left_alone(tmp_path):
    load(csv_of(tmp_path, [person(1), person(2)], name="q3.csv"))
    untouched = Person.objects.get(nik=nik(serial=2)).updated_at

    report = load(csv_of(tmp_path, [person(1, nama="WARGA SATU"), person(2)], name="q3b.csv"))

    assert report.people.as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert names_by_nik() == {nik(serial=1): "WARGA SATU", nik(serial=2): "WARGA 2"}
    assert Person.objects.get(nik=nik(serial=2)).updated_at == untouched


def test_a_person_whose_no_kk_changed_moves_to_that_household(tmp_path):
    load(csv_of(tmp_path, [person(1), person(2)], name="before.csv"))

    report = load(csv_of(tmp_path, [person(1, no_kk=kk(2)), person(2)], name="after.csv"))

    assert report.people.as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    moved = Person.objects.get(nik=nik(serial=1))
    assert moved.household.no_kk == kk(2)
    assert sorted(moved.household.members.values_list("nik", flat=True)) == [
        nik(serial=1),
        nik(serial=2),
    ]


def test_a_household_that_moved_village_or_address_is_updated(tmp_path):
    load(csv_of(tmp_path, [person(1, alamat="Jl. Lama"), person(2)], name="before.csv"))

    report = load(
        csv_of(
            tmp_path,
            [person(1, alamat="Jl. Baru"), person(2, village=OTHER_VILLAGE)],
            name="after.csv",
        )
    )

    assert report.households.as_dict() == {"created": 0, "updated": 2, "unchanged": 0}
    assert report.people.as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert dict(Household.objects.values_list("no_kk", "address")) == {
        kk(1): "Jl. Baru",
        kk(2): "",
    }
    assert Household.objects.get(no_kk=kk(2)).village_id == OTHER_VILLAGE


def test_a_person_moving_to_a_new_household_creates_it(tmp_path):
    load(csv_of(tmp_path, [person(1)], name="before.csv"))

    report = load(csv_of(tmp_path, [person(1, no_kk=kk(7), desil="2")], name="after.csv"))

    assert report.people.updated == 1
    assert report.households.created == 1
    assert Person.objects.get().household.no_kk == kk(7)


def test_loading_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    people = [
        person(1, hubungan="Kepala Keluarga", jenis_kelamin="L", tanggal_lahir="1990-01-01"),
        person(2, no_kk=kk(1), hubungan="Anak", desil="3", alamat="Jl. A", rt="1", rw="2"),
        person(3, village="6302172002", desil="Desil 7"),
        person(4, nik="bad"),
    ]
    path = xlsx_of(tmp_path, people)
    first = load(path)
    before = register()

    again = load(path)

    assert first.people.created == 3
    assert again.people.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert again.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert register() == before


def test_loading_the_same_file_for_the_next_period_adds_desil_history_only(tmp_path):
    path = csv_of(tmp_path, [person(1, desil="3"), person(2)])
    load(path, period="2025-Q3")

    report = load(path, period="2025-Q4")

    assert report.people.as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    household = Household.objects.get(no_kk=kk(1))
    assert list(household.desil_history.values_list("period", "desil")) == [
        ("2025-Q4", 3),
        ("2025-Q3", 3),
    ]
    assert household.desil_period == "2025-Q4"


def test_a_newer_period_adds_to_the_desil_history_and_becomes_the_latest(tmp_path):
    load(csv_of(tmp_path, [person(1, desil="3")], name="q3.csv"), period="2025-Q3")

    report = load(csv_of(tmp_path, [person(1, desil="2")], name="q4.csv"), period="2025-Q4")

    household = Household.objects.get()
    assert (household.desil, household.desil_period) == (2, "2025-Q4")
    assert list(household.desil_history.values_list("period", "desil")) == [
        ("2025-Q4", 2),
        ("2025-Q3", 3),
    ]
    # The household itself is as it was; its desil for the new period is a new record.
    assert report.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert report.desil_records.as_dict() == {"created": 1, "updated": 0, "unchanged": 0}
    assert Household.objects.desil_between(1, 2).count() == 1


def test_a_household_without_a_head_is_named_after_its_first_row(tmp_path):
    # Two such households, their rows interleaved: the members are written household by
    # household, and the file's order still decides who comes first in each.
    rows = [
        person(100 * household + n, no_kk=kk(household), hubungan="Anak")
        for n in range(30)
        for household in (1, 2)
    ]
    load(csv_of(tmp_path, rows))

    heads = dict(households_with_summary(Household.objects.all()).values_list("no_kk", "head_name"))
    assert heads == {kk(1): "WARGA 100", kk(2): "WARGA 200"}


def test_a_load_that_gave_households_their_desil_cannot_be_deleted(tmp_path):
    # The database no longer checks the history's pointer to its load: Django guards it.
    load(csv_of(tmp_path, [person(1, desil="3")], name="q3.csv"), period="2025-Q3")
    dtsen_import = DtsenImport.objects.get()

    with pytest.raises(ProtectedError):
        dtsen_import.delete()

    assert list(HouseholdDesil.objects.values_list("dtsen_import", "desil")) == [
        (dtsen_import.pk, 3)
    ]


def test_an_older_period_loaded_later_fills_the_history_but_not_the_latest_desil(tmp_path):
    load(csv_of(tmp_path, [person(1, desil="2")], name="q4.csv"), period="2025-Q4")

    load(csv_of(tmp_path, [person(1, desil="5")], name="q2.csv"), period="2025-Q2")

    household = Household.objects.get()
    assert (household.desil, household.desil_period) == (2, "2025-Q4")
    assert list(household.desil_history.values_list("period", "desil")) == [
        ("2025-Q4", 2),
        ("2025-Q2", 5),
    ]


def test_each_desil_is_kept_per_period_national_provincial_and_regency(tmp_path):
    headers = HAND_HEADERS | {
        "desil_provinsi": "desil_provinsi",
        "desil_kabupaten_kota": "desil_kabupaten_kota",
    }
    path = csv_of(
        tmp_path,
        [person(1, desil="2", desil_provinsi="3", desil_kabupaten_kota="4")],
        headers=headers,
    )

    load(path, period="2025-Q3")

    history = HouseholdDesil.objects.get()
    assert (history.period, history.desil, history.desil_provinsi, history.desil_kabupaten) == (
        "2025-Q3",
        2,
        3,
        4,
    )
    assert history.dtsen_import.period == "2025-Q3"


def test_a_blank_cell_does_not_erase_what_the_register_knows(tmp_path):
    full = person(
        1,
        jenis_kelamin="L",
        tanggal_lahir="1990-01-01",
        hubungan="Kepala Keluarga",
        alamat="Jl. Langadai RT 3",
        rt="003",
        rw="001",
        desil="2",
    )
    load(csv_of(tmp_path, [full], name="full.csv"), period="2025-Q3")
    before = register()

    report = load(csv_of(tmp_path, [person(1)], name="sparse.csv"), period="2025-Q3")

    assert report.people.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert report.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert register() == before


def test_a_file_without_the_optional_columns_does_not_erase_them(tmp_path):
    full = person(1, jenis_kelamin="L", tanggal_lahir="1990-01-01", hubungan="1", desil="2")
    load(csv_of(tmp_path, [full], name="full.csv"))
    before = register()

    required_only = {f: HAND_HEADERS[f] for f in ("nik", "no_kk", "nama", "village")}
    report = load(csv_of(tmp_path, [person(1)], headers=required_only, name="min.csv"))

    assert report.people.unchanged == 1
    assert register() == before


def test_a_dry_run_writes_nothing_and_reports_what_the_load_will_do(tmp_path):
    load(csv_of(tmp_path, [person(1), person(2), person(3, desil="4")], name="q3.csv"))
    changes = [
        person(1),  # unchanged
        person(2, nama="WARGA DUA"),  # updated
        person(3, no_kk=kk(9), desil="3"),  # moves to a new household
        person(4, no_kk=kk(1), hubungan="Anak"),  # new, joins household 1
        person(5, nik="0000"),  # rejected
    ]
    path = csv_of(tmp_path, changes, name="q4.csv")
    before = register()
    imports = DtsenImport.objects.count()

    checked = load(path, period="2025-Q4", dry_run=True)

    assert register() == before
    assert DtsenImport.objects.count() == imports
    done = load(path, period="2025-Q4")
    assert checked.as_dict() == done.as_dict()
    assert checked.people.as_dict() == {"created": 1, "updated": 2, "unchanged": 1}
    assert checked.households.as_dict() == {"created": 1, "updated": 0, "unchanged": 2}


# =======================================================================================
# All or nothing


@pytest.fixture
def loaded_twice_over(tmp_path):
    """A register with two people, and a file that changes one and adds another."""
    load(csv_of(tmp_path, [person(1, desil="3"), person(2)], name="q3.csv"), period="2025-Q3")
    path = csv_of(
        tmp_path,
        [person(1, nama="WARGA SATU", desil="1"), person(2), person(3)],
        name="q4.csv",
    )
    return path, register()


def test_a_crash_after_the_register_was_written_leaves_it_as_before(loaded_twice_over, monkeypatch):
    path, before = loaded_twice_over
    real_write = staging.Staging.write

    def write_then_crash(self, **kwargs):
        real_write(self, **kwargs)
        assert Person.objects.filter(name="WARGA SATU").exists()  # it really was written
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(staging.Staging, "write", write_then_crash)

    with pytest.raises(RuntimeError):
        load(path, period="2025-Q4")

    assert register() == before
    assert names_by_nik() == {nik(serial=1): "WARGA 1", nik(serial=2): "WARGA 2"}


def test_a_database_error_mid_write_leaves_the_register_as_before(loaded_twice_over, monkeypatch):
    path, before = loaded_twice_over
    real_write = staging.Staging.write

    def write_then_fail(self, **kwargs):
        real_write(self, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(staging.Staging, "write", write_then_fail)

    with pytest.raises(Exception):  # noqa: B017 - whichever DatabaseError the backend raises
        load(path, period="2025-Q4")

    assert register() == before


def test_a_failure_while_recording_the_load_undoes_the_write(loaded_twice_over):
    path, before = loaded_twice_over

    def on_written(report):
        raise RuntimeError("could not record the snapshot")

    with pytest.raises(RuntimeError):
        load(path, period="2025-Q4", on_written=on_written)

    assert register() == before


def test_a_cancel_mid_read_writes_nothing(loaded_twice_over, monkeypatch, tmp_path):
    _path, before = loaded_twice_over
    monkeypatch.setattr(checking, "CHUNK_ROWS", 2)
    path = csv_of(tmp_path, [person(n, nama=f"BARU {n}") for n in range(1, 8)], name="big.csv")
    calls = []

    def progress(phase, done, total):
        calls.append((phase, done))
        if phase == ImportPhase.READING and done >= 4:
            raise LoadCancelled

    with pytest.raises(LoadCancelled):
        load(path, period="2025-Q4", progress=progress)

    assert register() == before
    assert (ImportPhase.WRITING, 7) not in calls


def test_the_register_can_be_loaded_after_a_failed_load(loaded_twice_over):
    path, _before = loaded_twice_over

    def on_written(report):
        raise RuntimeError("could not record the snapshot")

    with pytest.raises(RuntimeError):
        load(path, period="2025-Q4", on_written=on_written)
    report = load(path, period="2025-Q4")

    assert report.people.as_dict() == {"created": 1, "updated": 1, "unchanged": 1}
    assert Person.objects.get(nik=nik(serial=1)).name == "WARGA SATU"


@pytest.mark.django_db(transaction=True)
def test_a_crash_mid_write_outside_any_test_transaction_commits_nothing(tmp_path, monkeypatch):
    # No test transaction around this one: the load's own transaction is all there is.
    load(csv_of(tmp_path, [person(1)], name="q3.csv"), period="2025-Q3")
    before = register()
    real_write = staging.Staging.write

    def write_then_crash(self, **kwargs):
        real_write(self, **kwargs)
        raise RuntimeError("power cut")

    monkeypatch.setattr(staging.Staging, "write", write_then_crash)
    path = csv_of(tmp_path, [person(1, nama="BERUBAH"), person(2)], name="q4.csv")

    with pytest.raises(RuntimeError):
        load(path, period="2025-Q4")

    assert not transaction.get_connection().in_atomic_block
    assert register() == before
    # On PostgreSQL the list was written on another connection: it went with the write.
    assert not PersonChange.objects.filter(dtsen_import=DtsenImport.objects.latest("pk")).exists()


@pytest.mark.django_db(transaction=True)
def test_a_list_of_changes_that_fails_fails_the_load(tmp_path, monkeypatch):
    load(csv_of(tmp_path, [person(1)], name="q3.csv"), period="2025-Q3")
    before = register()

    def fail(self, dtsen_import_id):
        raise RuntimeError("the list could not be written")

    monkeypatch.setattr(staging.Staging, "record_changes", fail)
    path = csv_of(tmp_path, [person(1, nama="BERUBAH"), person(2)], name="q4.csv")

    with pytest.raises(RuntimeError, match="list"):
        load(path, period="2025-Q4")

    assert register() == before


# --- the register's statistics, by which PostgreSQL plans every later load -------------


REGISTER_TABLES = ("households_household", "households_person", "households_householddesil")


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the planner's statistics and autovacuum are PostgreSQL's")


def _count_as_empty():
    """The register's tables counted as empty, as autovacuum leaves them after a failed load."""
    with connection.cursor() as cursor:
        for table in REGISTER_TABLES:
            cursor.execute(f"ANALYZE {table}")


@pytest.mark.django_db(transaction=True)
def test_while_a_load_writes_the_register_can_be_read_and_written_but_not_counted(
    tmp_path, monkeypatch, postgres_url
):
    # Autovacuum's ANALYZE would count the register without the rows the write adds: the
    # rest of the write and the next load would be planned for an empty register.
    load(csv_of(tmp_path, [person(1)], name="q3.csv"), period="2025-Q3")
    seen = {}
    write_people = staging.Staging._write_people

    def write_people_watched(self, cursor, now):
        with psycopg.connect(postgres_url, autocommit=True) as other:
            other.execute("SET lock_timeout = '200ms'")
            seen["people"] = other.execute("SELECT COUNT(*) FROM households_person").fetchone()
            other.execute("UPDATE households_person SET name = name WHERE false")
            for table in REGISTER_TABLES:
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute(f"ANALYZE {table}")
        write_people(self, cursor, now)

    monkeypatch.setattr(staging.Staging, "_write_people", write_people_watched)
    load(csv_of(tmp_path, [person(1), person(2)], name="q4.csv"), period="2025-Q4")

    assert seen == {"people": (1,)}  # a page reading the register did not wait
    assert Person.objects.count() == 2


def test_a_load_that_fills_the_register_tells_the_planner_its_size(tmp_path):
    # Until autovacuum counts again, a minute or more after the commit, the next load would
    # be planned for an empty register.
    _postgresql_only()
    _count_as_empty()

    load(csv_of(tmp_path, [person(n, desil="2") for n in range(1, 41)]))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [list(REGISTER_TABLES)],
        )
        counted = dict(cursor.fetchall())
    assert counted == dict.fromkeys(REGISTER_TABLES, 40)


def test_a_register_counted_as_empty_is_not_rescanned_for_each_new_row(tmp_path, monkeypatch):
    # Planned for an empty table, the check that a row is new can become a scan of the
    # whole table per staged row while the INSERT grows it: quadratic, 27 s for 58,000
    # households. Written in one pass, each new row costs about one block.
    _postgresql_only()
    _count_as_empty()
    blocks = {}
    count_if_grown = staging.Staging._count_if_grown

    def count_watched(self, cursor, model):
        table = model._meta.db_table
        cursor.execute("SELECT pg_stat_get_xact_blocks_fetched(%s::regclass)", [table])
        blocks[table] = cursor.fetchone()[0]
        count_if_grown(self, cursor, model)

    monkeypatch.setattr(staging.Staging, "_count_if_grown", count_watched)
    rows = 1000
    load(csv_of(tmp_path, [person(n, desil="2") for n in range(1, rows + 1)]))

    assert Person.objects.count() == rows
    assert blocks.keys() == set(REGISTER_TABLES)
    assert all(fetched < 3 * rows for fetched in blocks.values()), blocks


# --- what a review found: desil columns, periods, control characters, stops -------------

ALL_DESIL = {
    **DTSEN_HEADERS,
    "desil_provinsi": "desil_provinsi",
    "desil_kab": "desil_kabupaten_kota",
}


def test_a_file_without_the_provincial_desil_column_keeps_the_known_one(tmp_path):
    load(
        write_csv(
            tmp_path, table([person(1, desil=3, desil_provinsi=4, desil_kab=5)], headers=ALL_DESIL)
        )
    )
    report = load(csv_of(tmp_path, [person(1, desil=3)], headers=DTSEN_HEADERS))

    household = Household.objects.get()
    assert (household.desil, household.desil_provinsi, household.desil_kabupaten) == (3, 4, 5)
    history = HouseholdDesil.objects.get()
    assert (history.desil, history.desil_provinsi, history.desil_kabupaten) == (3, 4, 5)
    assert report.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}


def test_a_new_period_with_the_same_desil_is_a_new_desil_record_not_a_changed_household(
    tmp_path,
):
    path = csv_of(tmp_path, [person(1, desil=3)], headers=DTSEN_HEADERS)
    load(path, period="2025-Q3")
    checked = load(path, period="2025-Q4", dry_run=True)
    written = load(path, period="2025-Q4")

    assert checked.households.as_dict() == written.households.as_dict()
    assert written.households.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert checked.desil_records.as_dict() == written.desil_records.as_dict()
    assert written.desil_records.as_dict() == {"created": 1, "updated": 0, "unchanged": 0}
    assert Household.objects.get().desil_period == "2025-Q4"
    assert list(HouseholdDesil.objects.values_list("period", flat=True).order_by("period")) == [
        "2025-Q3",
        "2025-Q4",
    ]


def test_an_older_period_than_one_already_imported_is_refused(tmp_path):
    DtsenImport.objects.create(file_name="q4.csv", period="2025-Q4", status=ImportStatus.DONE)
    before = register()
    with pytest.raises(DtsenFileError, match="2025-Q4"):
        load(csv_of(tmp_path, [person(1)]), period="2025-Q3")
    assert register() == before
    # The same period again (a corrected file) is fine.
    assert load(csv_of(tmp_path, [person(1)]), period="2025-Q4").people.created == 1


def test_a_period_still_to_come_is_refused():
    from django.core.exceptions import ValidationError

    from households.dtsen.services import current_period, validate_period

    assert validate_period(current_period().lower()) == current_period()
    with pytest.raises(ValidationError):
        validate_period("2099-Q1")


def test_a_dos_end_of_file_mark_is_not_a_row_and_control_characters_leave_names(tmp_path):
    lines = table([person(1, nama="SITI\x1b AMINAH\x07"), person(2)], headers=DTSEN_HEADERS)
    path = write_csv(tmp_path, lines)
    path.write_bytes(path.read_bytes() + b"\x1a")

    report = load(path)

    assert (report.rows, list(report.errors)) == (2, [])
    assert Person.objects.get(nik=nik(serial=1)).name == "SITI AMINAH"


def test_a_stop_that_arrives_just_before_the_write_is_honoured(tmp_path, monkeypatch):
    from households.dtsen import services

    load_record = DtsenImport.objects.create(
        file_name="dtsen.csv",
        period="2025-Q3",
        status=ImportStatus.IMPORT_QUEUED,
        holds_register=True,
    )
    load_record.file.save("dtsen.csv", open(csv_of(tmp_path, [person(1)]), "rb"))  # noqa: SIM115

    def progress_that_misses_the_stop(dtsen_import_id):
        def progress(phase, done, total):
            if phase == ImportPhase.WRITING:  # the stop lands after the last check
                DtsenImport.objects.filter(pk=dtsen_import_id).update(cancel_requested=True)

        return progress

    monkeypatch.setattr(services, "_progress_updater", progress_that_misses_the_stop)
    services.dtsen_import_run(dtsen_import_id=load_record.pk)

    load_record.refresh_from_db()
    assert load_record.status == ImportStatus.CANCELLED
    assert load_record.holds_register is None
    assert not Person.objects.exists()


def test_a_newer_period_replaces_the_latest_desil_as_a_whole(tmp_path):
    """The household's latest desil is always one period's snapshot, never a mix."""
    q3 = write_csv(
        tmp_path,
        table([person(1, desil=3, desil_provinsi=4, desil_kab=5)], headers=ALL_DESIL),
        name="q3.csv",
    )
    load(q3, period="2025-Q3")
    q4 = write_csv(tmp_path, table([person(1, desil_provinsi=6)], headers=ALL_DESIL), name="q4.csv")
    load(q4, period="2025-Q4")

    household = Household.objects.get()
    latest = (household.desil, household.desil_provinsi, household.desil_kabupaten)
    assert (household.desil_period, latest) == ("2025-Q4", (None, 6, None))
    snapshot = HouseholdDesil.objects.get(period="2025-Q4")
    assert (snapshot.desil, snapshot.desil_provinsi, snapshot.desil_kabupaten) == latest


def test_progress_is_reported_while_reading_even_when_every_row_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(checking, "CHUNK_ROWS", 2)
    path = csv_of(tmp_path, [person(n, nik="1") for n in range(1, 8)])
    calls = []
    load(path, dry_run=True, progress=lambda phase, done, total: calls.append((phase, done)))
    reading = [done for phase, done in calls if phase == ImportPhase.READING]
    assert reading == [0, 2, 4, 6]
