"""The streaming .xlsx reader gives exactly what python-calamine gives, in bounded memory."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from python_calamine import CalamineWorkbook

from households.dtsen.loading import dtsen_load
from households.dtsen.reading import DtsenFileError
from households.dtsen.xlsx import SheetNotFound, XlsxSheet
from households.synthetic import synthetic_rows, write_xlsx
from tests.factories import AreaFactory

VILLAGES = ["63.02.17.2003", "63.02.17.2002"]


def trimmed(row) -> list:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def streamed(path, **options) -> dict[int, list]:
    sheet = XlsxSheet(path, **options)
    try:
        return {number: trimmed(cells) for number, cells in sheet.rows()}
    finally:
        sheet.close()


def by_calamine(path, name=None) -> dict[int, list]:
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_name(name) if name else workbook.get_sheet_by_index(0)
    rows = {n: trimmed(r) for n, r in enumerate(sheet.iter_rows(), start=1)}
    return {n: r for n, r in rows.items() if r}


@pytest.fixture
def mixed(tmp_path):
    """A workbook as Excel-like writers make it: shared strings, styles, gaps, dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet["C2"] = "DATA DTSEN <Kotabaru> & sekitarnya"
    sheet.append([])
    sheet["A4"], sheet["B4"], sheet["D4"] = "NIK", "Nama", "Tgl Lahir"
    sheet["A5"] = 6302170101850001
    sheet["B5"] = "SITI MA’RIFAH"
    sheet["C5"] = 3.5
    sheet["D5"] = datetime.date(1985, 1, 1)
    sheet["E5"] = True
    sheet["F5"] = datetime.datetime(2025, 3, 1, 8, 30)
    sheet["A7"] = "6302170101850002"
    sheet["B7"] = CellRichText(TextBlock(InlineFont(b=True), "AHMAD"), " FAUZI")
    sheet["C7"] = -2
    sheet["Z7"] = "far right"
    other = workbook.create_sheet("Lain")
    other["A1"] = "only here"
    path = tmp_path / "mixed.xlsx"
    workbook.save(path)
    return path


def test_streamed_rows_equal_calamine_rows(mixed):
    assert streamed(mixed) == by_calamine(mixed)
    assert streamed(mixed, sheet="Lain") == by_calamine(mixed, "Lain") == {1: ["only here"]}


def test_a_missing_sheet_names_the_sheets_there_are(mixed):
    with pytest.raises(SheetNotFound) as raised:
        XlsxSheet(mixed, sheet="DTSEN")
    assert raised.value.names == ["Data", "Lain"]


def test_prefixed_tags_and_cells_without_references_are_read(tmp_path):
    """Some generators write <x:row>/<x:c> and leave out the optional r attributes."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    path = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<x:workbook xmlns:x="{main}" xmlns:r="{relationships}"><x:sheets>'
            '<x:sheet name="S" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<x:worksheet xmlns:x="{main}"><x:sheetData>'
            '<x:row><x:c t="inlineStr"><x:is><x:t>NIK</x:t></x:is></x:c>'
            '<x:c t="str"><x:f>A1</x:f><x:v>Nama &amp; gelar</x:v></x:c></x:row>'
            '<x:row r="3"><x:c><x:v>42</x:v></x:c><x:c r="C3" t="b"><x:v>0</x:v></x:c></x:row>'
            "</x:sheetData></x:worksheet>",
        )
    assert streamed(path) == {1: ["NIK", "Nama & gelar"], 3: [42, "", False]}


@pytest.mark.django_db
def test_a_load_reports_the_same_whether_the_sheet_is_streamed_or_not(tmp_path, settings):
    for code in VILLAGES:
        AreaFactory(code=code)
    rows = list(synthetic_rows(villages=VILLAGES, people=300))
    rows[7] = (rows[7][0][:15] + "X", *rows[7][1:])  # a bad NIK
    path = tmp_path / "dtsen.xlsx"
    write_xlsx(path, rows, title_rows=["DATA DTSEN"])

    settings.TKPK_XLSX_STREAM_BYTES = 10**9
    whole = dtsen_load(path=path, period="2025-Q3", dry_run=True).as_dict()
    settings.TKPK_XLSX_STREAM_BYTES = 0
    stream = dtsen_load(path=path, period="2025-Q3", dry_run=True).as_dict()

    assert stream == whole
    assert stream["rows"] == 300
    assert [(e["row"], e["column"]) for e in stream["errors"]] == [(10, "nomor_induk_kependudukan")]


@pytest.mark.django_db
def test_a_broken_large_workbook_is_refused_as_not_a_table(tmp_path, settings):
    settings.TKPK_XLSX_STREAM_BYTES = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DtsenFileError):
        dtsen_load(path=path, period="2025-Q3", dry_run=True)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def hand_made(tmp_path, rows_xml, *, shared="", styles="", workbook_pr=""):
    """A minimal workbook as Excel lays it out, with the parts a test needs."""
    path = tmp_path / "hand.xlsx"
    parts = [f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>']
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        if shared:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
            parts.append(
                f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            )
        if styles:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
            parts.append(f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>')
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(parts)
            + "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{workbook_pr}<sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>',
        )
    return path


def test_shared_strings_are_decoded_once_and_without_their_phonetic_reading(tmp_path):
    path = hand_made(
        tmp_path,
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>',
        shared="<si><t>A &amp;amp; B &amp;lt;x&amp;gt; Toko&amp;notes</t></si>"
        '<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></si>'
        '<si><r><t>AHMAD</t></r><r><t xml:space="preserve"> FAUZI_x000D_</t></r></si>',
    )
    assert streamed(path) == by_calamine(path)
    assert streamed(path)[1][0] == "A &amp; B &lt;x&gt; Toko&notes"


def test_cells_without_a_reference_keep_their_place_beside_referenced_ones(tmp_path):
    path = hand_made(
        tmp_path,
        '<row r="5"><c><v>1</v></c><c r="D5"><v>4</v></c><c><v>5</v></c>'
        '<c r="F5" t="e"><v>#N/A</v></c></row>',
    )
    assert streamed(path) == by_calamine(path) == {5: [1.0, "", "", 4.0, 5.0]}


def test_dates_follow_the_workbook_calendar_and_the_number_format(tmp_path):
    styles = (
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="[$-421]d mmmm yyyy"/></numFmts>'
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
        '<xf numFmtId="46"/></cellXfs>'
    )
    rows = (
        '<row r="1"><c r="A1" s="1"><v>32874</v></c><c r="B1" s="2"><v>59</v></c>'
        '<c r="C1" s="3"><v>1.5</v></c><c r="D1" s="0"><v>32874</v></c></row>'
    )
    for workbook_pr in ("", '<workbookPr date1904="1"/>'):
        path = hand_made(tmp_path, rows, styles=styles, workbook_pr=workbook_pr)
        assert streamed(path) == by_calamine(path)
    assert streamed(path)[1][0] == datetime.date(1994, 1, 2)  # 1904 calendar
