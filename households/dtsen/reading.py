"""Open a DTSEN file of any shape the secretariat receives and find its header row.

Spreadsheets (.xlsx, .xls, .ods) are read with python-calamine, except an .xlsx whose
sheet is too large to hold in memory, which is streamed (households/dtsen/xlsx.py); text
files with the csv module, after detecting the encoding (UTF-8, with or without BOM, else
Windows-1252) and the delimiter. Either way the caller gets the header and an iterator of
`(row number, cells)` where the row number is the one a person sees in Excel or in a
text editor.
"""

import codecs
import csv
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from python_calamine import CalamineError, CalamineWorkbook, WorksheetNotFound

from households.dtsen.columns import DTSEN, Columns
from households.dtsen.xlsx import SheetNotFound, XlsxError, XlsxSheet
from households.identity import mask
from tkpk.translation import Message as _
from tkpk.translation import shorten

HEADER_SEARCH_ROWS = 20
DELIMITERS = (",", ";", "|", "\t")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office file saved with a password is an OLE2 container holding this stream.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 20


class DtsenFileError(Exception):
    """The file as a whole cannot be loaded; nothing was written."""


@dataclass
class Source:
    """An opened file: its header and the data rows below it."""

    header_row: int
    columns: dict[str, int]  # field -> column index
    names: list[str]  # the header cells as written
    ignored: list[str]
    rows: Iterator[tuple[int, list]]
    total: int  # data rows below the header, counting empty ones (for progress only)
    kind: str  # "spreadsheet" or "text"
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for closer in self._closers:
            closer()

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def empty_file_message() -> str:
    return _("The file is empty. Export the data again and upload it.")


def too_large_message(size: int) -> str:
    return _("The file is %(size)s; the limit is %(limit)s. Split it, for example by district.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.TKPK_DTSEN_MAX_BYTES),
    }


def open_source(path: Path, *, sheet: str | None = None, columns: Columns = DTSEN) -> Source:
    """Open `path`, or raise DtsenFileError with a one-line message saying what to do.

    The header is the first row with every column `columns` requires.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DtsenFileError(empty_file_message())
    if size > settings.TKPK_DTSEN_MAX_BYTES:
        raise DtsenFileError(too_large_message(size))
    with path.open("rb") as stream:
        start = stream.read(8)
    if start.startswith(_ZIP) or start.startswith(_OLE2):
        if start.startswith(_OLE2) and _contains(path, _ENCRYPTED_STREAM):
            raise DtsenFileError(
                _(
                    "The workbook is protected with a password. Open it in Excel, remove the "
                    "password (File › Info › Protect Workbook) and upload it again."
                )
            )
        if start.startswith(_ZIP) and _largest_worksheet(path) > settings.TKPK_XLSX_STREAM_BYTES:
            return _open_streamed(path, sheet, columns)
        return _open_workbook(path, sheet, columns)
    if sheet:
        raise DtsenFileError(_("A sheet can only be chosen in a spreadsheet, not in a CSV file."))
    return _open_text(path, columns)


def _not_a_table() -> DtsenFileError:
    return DtsenFileError(
        _(
            "This is not a spreadsheet or CSV file. Upload the data as .xlsx, or as "
            ".csv/.txt separated by commas, semicolons, | or tabs."
        )
    )


def _contains(path: Path, needle: bytes) -> bool:
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def _find_header(rows: Iterator[tuple[int, list]], spec: Columns) -> tuple[int, dict, list, list]:
    """Consume rows up to and including the header: (row, columns, names, ignored)."""
    required = spec.required
    best: list | None = None
    best_found = -1
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        columns, ignored = spec.match_header(cells)
        if all(name in columns for name in required):
            # Cut to a sensible length: a header cell may hold 32,767 characters.
            names = ["" if cell is None else shorten(str(cell).strip()) for cell in cells]
            return number, columns, names, _listed(ignored)
        found = sum(name in columns for name in required)
        if found > best_found and any(str(c).strip() for c in cells):
            best, best_found = cells, found
    columns = spec.match_header(best)[0] if best is not None else {}
    missing = ", ".join(label for name, label in required.items() if name not in columns)
    excerpt = readable_excerpt(best or [])
    if not excerpt:
        raise _no_header(
            _(
                "No header row with the columns %(required)s in the first %(rows)d rows, "
                "and no readable text there either. Is this the right file?"
            ),
            spec,
        )
    raise _no_header(
        _(
            "No header row with the columns %(required)s in the first %(rows)d rows "
            "(missing: %(missing)s). The closest row reads: %(found)s"
        ),
        spec,
        missing=missing,
        found=excerpt,
    )


def _no_header(message: str, spec: Columns, **params) -> "DtsenFileError":
    required = ", ".join(spec.required.values())
    return DtsenFileError(message % {"required": required, "rows": HEADER_SEARCH_ROWS, **params})


MAX_IGNORED_LISTED = 30


def _listed(ignored: list[str]) -> list[str]:
    """The ignored columns as a load keeps them: a few, each of a sensible length."""
    listed = [shorten(name) for name in ignored[:MAX_IGNORED_LISTED]]
    if len(ignored) > MAX_IGNORED_LISTED:
        listed.append(f"… (+{len(ignored) - MAX_IGNORED_LISTED})")
    return listed


EXCERPT_LENGTH = 120
_LONG_NUMBER = re.compile(r"\d{9,}")
_READABLE = re.compile(r"[\w\s.,;:/()'\"&+-]")


def readable_excerpt(cells: list) -> str:
    """A short, clean quote of a row for a message; empty when it is not readable text."""
    text = " | ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
    text = " ".join("".join(c for c in text if c.isprintable()).split())
    # The closest row may be a row of data: never quote a NIK or No. KK whole.
    text = _LONG_NUMBER.sub(lambda match: mask(match.group()), text)
    if not text or len(_READABLE.findall(text)) < 0.8 * len(text):
        return ""
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _open_workbook(path: Path, sheet: str | None, spec: Columns) -> Source:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as error:
        if "password" in str(error).lower():
            raise DtsenFileError(
                _("The workbook is protected with a password. Remove it and upload again.")
            ) from error
        raise _not_a_table() from error
    try:
        try:
            table = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
        except WorksheetNotFound as error:
            raise DtsenFileError(
                _("The workbook has no sheet %(sheet)s. Its sheets: %(names)s.")
                % {"sheet": sheet, "names": ", ".join(workbook.sheet_names)}
            ) from error
        except CalamineError as error:
            raise damaged_workbook() from error
        if table.start is None:
            raise DtsenFileError(_("The sheet %(sheet)s is empty.") % {"sheet": table.name})
        # iter_rows starts at the sheet's first row even when it is empty; `start` and
        # `height` describe the used range, so the last used row is start + height.
        last_row = table.start[0] + table.height
        rows = enumerate(table.iter_rows(), start=1)
        header_row, columns, names, ignored = _find_header(rows, spec)
    except BaseException:
        workbook.close()
        raise
    return Source(
        header_row=header_row,
        columns=columns,
        names=names,
        ignored=ignored,
        rows=rows,
        total=max(0, last_row - header_row),
        kind="spreadsheet",
        _closers=[workbook.close],
    )


# A real DTSEN sheet deflates about tenfold; a sheet that unpacks a hundredfold and more is
# a zip bomb, or thousands of empty formatted rows — either way nothing worth reading.
MAX_UNPACKING_RATIO = 100
RATIO_APPLIES_FROM = 50 * 1024 * 1024


def _largest_worksheet(path: Path) -> int:
    """The uncompressed size of the largest worksheet of an .xlsx (0 for other zips).

    Refuses a workbook with a part that unpacks to far more than a spreadsheet does,
    before any reader spends minutes on it. The sizes are as the zip declares them: a zip that lies
    is stopped by the limits of the reading process instead.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        return 0
    # Every part: the strings of a sheet (sharedStrings.xml) or an .ods (content.xml) too.
    for part in parts:
        ratio = part.file_size // max(1, part.compress_size)
        if part.file_size > RATIO_APPLIES_FROM and ratio > MAX_UNPACKING_RATIO:
            raise DtsenFileError(
                _(
                    "The workbook unpacks to %(size)s, %(ratio)d times its size: that is not a "
                    "table of people (often it is thousands of empty formatted rows under the "
                    "data). Delete the empty rows and columns around the data in Excel, save "
                    "it and upload it again."
                )
                % {"size": filesizeformat(part.file_size), "ratio": ratio}
            )
    sheets = [part for part in parts if part.filename.startswith("xl/worksheets/")]
    return max((sheet.file_size for sheet in sheets), default=0)


def damaged_workbook() -> DtsenFileError:
    return DtsenFileError(
        _(
            "The workbook is damaged or cut off and cannot be read. Open it in Excel, save it "
            "again and upload it again."
        )
    )


def _open_streamed(path: Path, sheet: str | None, spec: Columns) -> Source:
    """A large .xlsx, read row by row: python-calamine would hold the whole sheet."""
    try:
        table = XlsxSheet(path, sheet=sheet)
    except SheetNotFound as error:
        raise DtsenFileError(
            _("The workbook has no sheet %(sheet)s. Its sheets: %(names)s.")
            % {"sheet": sheet, "names": ", ".join(error.names)}
        ) from error
    except XlsxError as error:
        raise _not_a_table() from error
    try:
        rows = table.rows()
        header_row, columns, names, ignored = _find_header(rows, spec)
    except XlsxError as error:
        table.close()
        raise _not_a_table() from error
    except BaseException:
        table.close()
        raise
    return Source(
        header_row=header_row,
        columns=columns,
        names=names,
        ignored=ignored,
        rows=rows,
        total=max(0, table.height - header_row),
        kind="spreadsheet",
        _closers=[table.close],
    )


def _encoding_and_lines(path: Path) -> tuple[str, int]:
    """UTF-8 (BOM or not) when every byte decodes as such, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            lines += chunk.count(b"\n")
            if b"\x00" in chunk:
                raise _not_a_table()
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return ("utf-8-sig" if utf8 else "cp1252"), lines + 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
NUMBERED_AT_ONCE = 1000


def _numbered(reader) -> Iterator[tuple[int, list]]:
    """Number each record by the line it starts on (a quoted field may span lines).

    Records are read a thousand at a time. When they took as many lines, they are numbered
    in one go; otherwise each is numbered after the line breaks quoted in the ones before.
    A record that cannot be read stops the reading after the records before it.
    """
    line = 1
    while True:
        chunk: list[list] = []
        try:
            chunk.extend(itertools.islice(reader, NUMBERED_AT_ONCE))
        except csv.Error as error:
            failed = error
        else:
            failed = None
        if reader.line_num == line + len(chunk) - 1 and failed is None:
            yield from zip(itertools.count(line), chunk)
        else:
            for record in chunk:
                yield line, record
                line += 1 + sum(len(_LINE_BREAK.findall(cell)) for cell in record)
        if failed is not None:
            raise failed
        if len(chunk) < NUMBERED_AT_ONCE:
            return
        line = reader.line_num + 1


def _open_text(path: Path, spec: Columns) -> Source:
    encoding, lines = _encoding_and_lines(path)
    with path.open(encoding=encoding, errors="replace", newline="") as stream:
        sample = "".join(itertools.islice(stream, HEADER_SEARCH_ROWS))
    if not sample.strip():
        raise DtsenFileError(empty_file_message())
    # The delimiter is the one under which a header row appears; try the likeliest first.
    # Without any delimiter the file is one column: its header is still worth reporting.
    candidates = [d for d in sorted(DELIMITERS, key=sample.count, reverse=True) if d in sample]
    first_error = None
    for delimiter in candidates or [","]:
        stream = path.open(encoding=encoding, errors="replace", newline="")
        rows = _numbered(csv.reader(stream, delimiter=delimiter))
        try:
            header_row, columns, names, ignored = _find_header(rows, spec)
        except DtsenFileError as error:
            stream.close()
            first_error = first_error or error
            continue
        except csv.Error as error:
            stream.close()
            raise _not_a_table() from error
        return Source(
            header_row=header_row,
            columns=columns,
            names=names,
            ignored=ignored,
            rows=rows,
            total=max(0, lines - header_row),
            kind="text",
            _closers=[stream.close],
        )
    if first_error is not None:
        raise first_error
    raise _not_a_table()
