"""Small DTSEN files for tests, written into a test's tmp_path.

A file is a list of lines (lists of cells); `table()` builds the header and one line per
person from dicts keyed by field (`nik`, `no_kk`, `nama`, ...), so a test names only the
cells it is about. Spreadsheets are written with openpyxl, which keeps Python types: an
int becomes a number cell, a date a date cell, a str a text cell — as Excel would.
"""

import datetime
import io
import zlib
from collections.abc import Sequence
from pathlib import Path

VILLAGE = "63.02.17.2003"  # Langadai, Kelumpang Hilir, Kotabaru
OTHER_VILLAGE = "63.02.17.2002"  # Tarjun

# field -> the DTSEN header of its column, in the order of a DTSEN export.
DTSEN_HEADERS = {
    "nik": "nomor_induk_kependudukan",
    "no_kk": "nomor_kartu_keluarga",
    "nama": "nama",
    "jenis_kelamin": "jenis_kelamin",
    "tanggal_lahir": "tanggal_lahir",
    "hubungan": "status_hubungan_keluarga",
    "alamat": "alamat",
    "rt": "rt",
    "rw": "rw",
    "village": "kode_kelurahan_desa",
    "desil": "desil_nasional",
}


def nik(
    *,
    day: int = 1,
    month: int = 1,
    year: int = 90,
    serial: int = 1,
    female: bool = False,
    region: str = "630217",
) -> str:
    """A valid NIK: issued in `region`, born on day/month/year, 40 added to the day for women."""
    return f"{region}{day + 40 * female:02d}{month:02d}{year:02d}{serial:04d}"


def kk(serial: int = 1) -> str:
    """A valid No. KK issued in Kelumpang Hilir."""
    return f"630217150320{serial:04d}"


def person(n: int = 1, **cells) -> dict:
    """One valid row: person `n` (a man born 1 January 1990) alone in household `n`."""
    return {"nik": nik(serial=n), "no_kk": kk(n), "nama": f"WARGA {n}", "village": VILLAGE} | cells


def table(people: Sequence[dict], *, headers: dict[str, str] | None = None) -> list[list]:
    """The header line and one line per person; cells a person does not give are empty."""
    headers = headers or DTSEN_HEADERS
    return [list(headers.values()), *([p.get(field, "") for field in headers] for p in people)]


def write_csv(
    tmp_path: Path,
    lines: Sequence[Sequence],
    *,
    name: str = "dtsen.csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """A text file: cells joined by `delimiter`, no quoting (tests choose cells without it)."""
    text = "".join(delimiter.join(str(cell) for cell in line) + "\r\n" for line in lines)
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(
    tmp_path: Path,
    lines: Sequence[Sequence],
    *,
    name: str = "dtsen.xlsx",
    sheet: str = "DTSEN",
    sheets_before: dict[str, Sequence[Sequence]] | None = None,
    sheets_after: dict[str, Sequence[Sequence]] | None = None,
) -> Path:
    """A workbook whose sheet `sheet` holds `lines` (row 1 is lines[0]); empty cells for ""."""
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(lines, sheet=sheet, before=sheets_before, after=sheets_after))
    return path


def xlsx_bytes(lines, *, sheet="DTSEN", before=None, after=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, content in [*(before or {}).items(), (sheet, lines), *(after or {}).items()]:
        worksheet = workbook.create_sheet(title)
        for row_number, line in enumerate(content, start=1):
            for column_number, value in enumerate(line, start=1):
                if value != "" and value is not None:
                    worksheet.cell(row=row_number, column=column_number, value=value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write_encrypted_xlsx(tmp_path: Path, lines) -> Path:
    """A workbook saved with a password, as Excel's File › Info › Protect Workbook does."""
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(lines))).encrypt("rahasia", encrypted)
    path = tmp_path / "dtsen.xlsx"
    path.write_bytes(encrypted.getvalue())
    return path


def write_pdf_as_xlsx(tmp_path: Path) -> Path:
    """A small but real PDF (binary marker line, compressed page) renamed to .xlsx."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Data DTSEN Desa Langadai) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, body in enumerate(objects, start=1):
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    data += b"trailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n"
    path = tmp_path / "dtsen.xlsx"
    path.write_bytes(data)
    return path


def excel_serial(day: datetime.date) -> int:
    """The number Excel stores for a date."""
    return (day - datetime.date(1899, 12, 30)).days


# ---------------------------------------------------------------------------------------
# Hostile files: small on disk, ruinous for a reader that trusts them.

DTSEN_HEADER_CELLS = (
    '<c r="A1" t="inlineStr"><is><t>NIK</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>No KK</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Nama</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>Kode Desa</t></is></c>'
)


def write_xlsx_with_sheet(tmp_path: Path, parts, *, name: str = "dtsen.xlsx") -> Path:
    """A real workbook whose first sheet's XML is `parts` (strings), streamed into the zip.

    The sheet is compressed as Excel would; a repetitive sheet becomes a zip bomb.
    """
    import zipfile

    skeleton = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in skeleton.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with archive.open(item.filename, "w", force_zip64=True) as sheet:
                    for part in parts:
                        sheet.write(part.encode())
            else:
                archive.writestr(item, skeleton.read(item.filename))
    return path


def sheet_start(header: bool = True) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>",
        f'<row r="1">{DTSEN_HEADER_CELLS}</row>' if header else "",
    ]


SHEET_END = "</sheetData></worksheet>"


def write_far_cell_xlsx(tmp_path: Path, cell: str = "XFD1048576") -> Path:
    """A header in A1 and one cell far away: a reader that makes the sheet a dense grid
    needs rows × columns cells (512 GiB for XFD1048576)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet[cell] = "NIK", "x"
    path = tmp_path / "jauh.xlsx"
    workbook.save(path)
    return path


def write_zip_bomb_xlsx(tmp_path: Path, megabytes: int) -> Path:
    """About `megabytes` MB of rows of nothing but '1' cells, which deflate to almost nothing."""
    row = "<row>" + '<c t="inlineStr"><is><t>1</t></is></c>' * 4 + "</row>"
    rows_per_part = 10_000
    parts = (megabytes * 1024 * 1024) // (len(row) * rows_per_part) + 1

    def sheet():
        yield from sheet_start()
        for _part in range(parts):
            yield row * rows_per_part
        yield SHEET_END

    return write_xlsx_with_sheet(tmp_path, sheet(), name="bom.xlsx")


def write_unclosed_row_xlsx(tmp_path: Path, megabytes: int) -> Path:
    """A header row, then a row that opens and never closes: `megabytes` MB of cells.

    The cells differ, so the sheet deflates no more than a real one does.
    """

    def sheet():
        yield from sheet_start()
        yield '<row r="2">'
        number = 6302170101900001
        for _part in range(megabytes):
            cells = []
            for _cell in range(1024 * 1024 // 30):
                number += 7919
                cells.append(f"<c><v>{number}</v></c>")
            yield "".join(cells)

    return write_xlsx_with_sheet(tmp_path, sheet(), name="terbuka.xlsx")


def write_truncated_sheet_xlsx(tmp_path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """A valid zip whose sheet XML stops in the middle of a row, as a cut-off save leaves it."""
    body = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in cells) + "</row>"
        for cells in rows
    )
    return write_xlsx_with_sheet(
        tmp_path, [*sheet_start(), body, '<row><c t="inlineStr"><is><t>63'], name="putus.xlsx"
    )
