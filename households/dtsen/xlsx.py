"""Stream the rows of one .xlsx worksheet in bounded memory.

A DTSEN workbook can hold a million rows. Libraries that load a whole sheet before the
first row is read need gigabytes for that, so this reads the sheet's XML from the zip
a megabyte at a time and turns each `<row>` into a list of Python values as it goes:
text (shared or inline), numbers, booleans, and dates (cells with a date number format
or of ISO type). Only the shared-strings table is held whole, as the format requires.
"""

import codecs
import datetime
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from tkpk.translation import Message as _

CHUNK = 1 << 20
# No real row comes near this (16,384 cells of a few hundred characters each); a longer one
# is a damaged or hostile sheet, and buffering it would take the memory of the machine.
MAX_ROW_CHARACTERS = 16 * CHUNK
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
LOTUS_EPOCH = datetime.datetime(1899, 12, 31)  # serials before the phantom 1900-02-29
MAC_EPOCH = datetime.datetime(1904, 1, 1)
# Built-in number formats that show a date or time (ECMA-376 18.8.30 and the CJK ones).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)])
DURATION_FORMAT_ID = 46  # [h]:mm:ss

_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_ROW_END = re.compile(r"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")
_ROW_START = re.compile(r"<(?:\w+:)?row\b")
_SHEET_END = re.compile(r"</(?:\w+:)?worksheet>\s*$")
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTRIBUTE = re.compile(r'\b([rst])="([^"]*)"')
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>/]*>([^<]*)</(?:\w+:)?t>")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_CELL_START = re.compile(r"<(?:\w+:)?c[\s/>]")
# The shape almost every writer (Excel, LibreOffice, openpyxl) uses, read in one pass.
_PLAIN_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?: s="(\d+)")?'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


class XlsxError(Exception):
    """The workbook cannot be read; the message says why."""


class SheetNotFound(XlsxError):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def _unescape_x(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_."""
    if "_x" in text:
        text = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)
    return text


def _text(raw: str) -> str:
    """Text cut from the XML by a regex: XML entities, then _xHHHH_."""
    if "&" in raw:
        raw = _ENTITY.sub(_entity, raw)
    return _unescape_x(raw)


_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")


def _entity(match: re.Match) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _XML_ENTITIES[name]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class XlsxSheet:
    """One worksheet of an .xlsx file; iterate it for `(row number, cells)`."""

    def __init__(self, path, *, sheet: str | None = None) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise XlsxError(str(error)) from error
        try:
            self.name, self.target = self._find_sheet(sheet)
            self.shared = self._shared_strings()
            self.date_styles, self.duration_styles = self._date_styles()
            self.height = self._dimension_height()
        except KeyError as error:
            self.close()
            raise XlsxError(str(error)) from error
        except ElementTree.ParseError as error:
            self.close()
            raise XlsxError(str(error)) from error
        except BaseException:
            self.close()
            raise
        self._columns: dict[str, int] = {}

    def close(self) -> None:
        self.zip.close()

    def _xml(self, name: str) -> ElementTree.Element:
        with self.zip.open(name) as stream:
            # Our own expat parser: no external entities, and expat (>= 2.4.1) stops
            # billion-laughs expansion; the file size limit bounds the rest.
            return ElementTree.parse(stream).getroot()  # noqa: S314

    def _relationships(self) -> dict[str, tuple[str, str]]:
        """rId -> (type, path inside the zip) for the workbook part."""
        found = {}
        for element in self._xml("xl/_rels/workbook.xml.rels"):
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            found[element.get("Id")] = (element.get("Type", ""), path)
        return found

    def _find_sheet(self, wanted: str | None) -> tuple[str, str]:
        relationships = self._relationships()
        self._parts = {kind.rsplit("/", 1)[-1]: path for kind, path in relationships.values()}
        sheets = []
        self.epoch = EXCEL_EPOCH
        for element in self._xml("xl/workbook.xml").iter():
            if _local(element.tag) == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = MAC_EPOCH
            if _local(element.tag) == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                sheets.append((element.get("name", ""), relationships[rid][1]))
        if not sheets:
            raise XlsxError("no worksheet")
        if wanted is None:
            return sheets[0]
        for name, target in sheets:
            if name == wanted:
                return name, target
        raise SheetNotFound([name for name, _target in sheets])

    def _shared_strings(self) -> list[str]:
        path = self._parts.get("sharedStrings")
        if path is None or path not in self.zip.namelist():
            return []
        strings = []
        root = None
        with self.zip.open(path) as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):  # noqa: S314
                if root is None:
                    root = element
                if event == "end" and _local(element.tag) == "si":
                    # The text of <si><t> or of its runs <si><r><t>; never the phonetic
                    # reading in <rPh>. The parser has already decoded the entities.
                    parts = []
                    for child in element:
                        name = _local(child.tag)
                        if name == "t":
                            parts.append(child.text or "")
                        elif name == "r":
                            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
                    strings.append(_unescape_x("".join(parts)))
                    root.clear()  # keep only the strings, not the tree
        return strings

    def _date_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell style indexes whose number format shows a date, and a duration."""
        path = self._parts.get("styles")
        if path is None or path not in self.zip.namelist():
            return frozenset(), frozenset()
        root = self._xml(path)
        custom = {}
        styles = []
        for element in root.iter():
            name = _local(element.tag)
            if name == "numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif name == "cellXfs":
                styles = [int(xf.get("numFmtId", "0")) for xf in element]
        dates, durations = set(), set()
        for index, format_id in enumerate(styles):
            if format_id in custom:
                code = custom[format_id].split(";")[0].lower()
                if re.search(r"\[(h+|m+|s+)\]", code):
                    durations.add(index)
                elif re.search(r"[dmy]", _FORMAT_NOISE.sub("", code)):
                    dates.add(index)
            elif format_id == DURATION_FORMAT_ID:
                durations.add(index)
            elif format_id in DATE_FORMAT_IDS:
                dates.add(index)
        return frozenset(dates), frozenset(durations)

    def _dimension_height(self) -> int:
        """The last row the sheet uses, for progress: as it says, else estimated."""
        with self.zip.open(self.target) as stream:
            head = stream.read(CHUNK).decode("utf-8", "replace")
        match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]*\d+:?[A-Z]*(\d*)"', head)
        if match and match.group(1):
            return int(match.group(1))
        rows = len(_ROW_END.findall(head))
        size = self.zip.getinfo(self.target).file_size
        return rows * size // len(head) if rows and head else 0

    def _column(self, letters: str) -> int:
        index = self._columns.get(letters)
        if index is None:
            index = 0
            for letter in letters:
                index = index * 26 + ord(letter) - 64
            index = self._columns[letters] = index - 1
        return index

    def _number(self, raw: str, style: str | None):
        if not raw:
            return ""
        number = float(raw)  # a spreadsheet number is a double, as python-calamine gives it
        if style and int(style) in self.duration_styles:
            return datetime.timedelta(milliseconds=round(number * 86_400_000))
        if style and int(style) in self.date_styles:
            # Serial days, rounded to the millisecond a spreadsheet can show.
            elapsed = datetime.timedelta(milliseconds=round(number * 86_400_000))
            if number < 1:
                return (datetime.datetime.min + elapsed).time()  # a time of day, no date
            # Excel's 1900 calendar has a 29 February 1900 that never was.
            epoch = self.epoch if self.epoch.year == 1904 or number >= 60 else LOTUS_EPOCH
            moment = epoch + elapsed
            return moment.date() if moment.time() == datetime.time() else moment
        return number

    def _value(self, kind: str | None, style: str | None, raw: str | None, inline: str | None):
        if kind == "s":
            return self.shared[int(raw)] if raw else ""
        if kind == "inlineStr":
            return _text(inline or "")
        if raw is None:
            return ""
        if kind == "e":
            return ""  # #N/A, #VALUE!…: no value, as python-calamine reads it
        if kind == "str":
            return _text(raw)
        if kind == "b":
            return raw == "1"
        if kind == "d":
            try:
                if len(raw) == 10:  # a date alone
                    return datetime.date.fromisoformat(raw)
                return datetime.datetime.fromisoformat(raw)
            except ValueError:
                return raw
        return self._number(raw, style)

    def _cells(self, body: str) -> list:
        plain = _PLAIN_CELL.findall(body)
        if not plain or len(plain) != len(_CELL_START.findall(body)):
            return self._place(self._cells_slowly(body))
        # The common shapes inline: this runs for every cell of a million rows.
        columns, shared = self._columns, self.shared
        cells: list = []
        for letters, style, kind, style_after, raw, inline in plain:
            index = columns.get(letters)
            if index is None:
                index = self._column(letters)
            if kind == "s":
                value = shared[int(raw)] if raw else ""
            elif kind == "inlineStr":
                value = _text(inline) if "&" in inline or "_x" in inline else inline
            else:
                value = self._value(kind or None, style or style_after or None, raw, inline)
            if index == len(cells):
                cells.append(value)
            else:
                if index > len(cells):
                    cells.extend([""] * (index - len(cells)))
                    cells.append(value)
                else:
                    cells[index] = value
        return cells

    @staticmethod
    def _place(parsed) -> list:
        cells: list = []
        position = -1
        for index, value in parsed:
            position = position + 1 if index is None else index
            if position >= len(cells):
                cells.extend([""] * (position - len(cells) + 1))
            cells[position] = value
        return cells

    def _cells_slowly(self, body: str) -> Iterator[tuple[int | None, object]]:
        """Any other shape: prefixed tags, formulas, rich text, cells without `r`."""
        for match in _CELL.finditer(body):
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            inner = match.group(2) or ""
            reference = attributes.get("r")
            index = self._column(reference.rstrip("0123456789")) if reference else None
            kind = attributes.get("t")
            value = _VALUE.search(inner)
            inline = (
                "".join(_TEXT.findall(_PHONETIC.sub("", inner))) if kind == "inlineStr" else None
            )
            yield index, self._value(kind, attributes.get("s"), value and value.group(1), inline)

    def rows(self) -> Iterator[tuple[int, list]]:
        try:
            yield from self._rows()
        except (IndexError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise XlsxError(str(error)) from error

    def _rows(self) -> Iterator[tuple[int, list]]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        buffer = ""
        number = 0
        with self.zip.open(self.target) as stream:
            while True:
                chunk = stream.read(CHUNK)
                buffer += decoder.decode(chunk, final=not chunk)
                if chunk:
                    ends = _ROW_END.findall(buffer, max(0, len(buffer) - len(chunk) - 64))
                    if not ends:
                        if len(buffer) > MAX_ROW_CHARACTERS:
                            raise XlsxError(
                                _("a row after row %(row)d is longer than %(mb)d MB")
                                % {"row": number, "mb": MAX_ROW_CHARACTERS // CHUNK}
                            )
                        continue
                    cut = buffer.rindex(ends[-1]) + len(ends[-1])
                    complete, buffer = buffer[:cut], buffer[cut:]
                else:
                    complete, buffer = buffer, ""
                for match in _ROW.finditer(complete):
                    found = _ROW_NUMBER.search(match.group(1))
                    number = int(found.group(1)) if found else number + 1
                    yield number, self._cells(match.group(2) or "")
                if not chunk:
                    # A sheet cut off in the middle, or a row never closed, is damage:
                    # never a sheet that merely ends early.
                    if not _SHEET_END.search(complete[-256:]) or _ROW_START.search(
                        _ROW.sub("", complete)
                    ):
                        raise XlsxError(
                            _("the sheet ends abruptly after row %(row)d") % {"row": number}
                        )
                    return
