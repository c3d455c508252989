"""What both printings of the year-end document number and write alike: one place for it.

Chapters are "BAB I" … in Roman numerals, appendices "LAMPIRAN A" …, sections "2.1" and
"A.1"; the cover's lines and dates, and how a table's width is shared among its columns,
are decided here too, so the PDF (pdf.py) and the .docx (docx.py) cannot differ in them.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from reports.models import ReportStatus
from reports.tables import Table
from reports.year_end.content import Chapter, Document, Section

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
_ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """1 → "I", 6 → "VI", 14 → "XIV"."""
    written = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        written += letters * count
    return written


def letter(number: int) -> str:
    """1 → "A", 26 → "Z", 27 → "AA" (as spreadsheets letter their columns)."""
    written = ""
    while number:
        number, rest = divmod(number - 1, 26)
        written = chr(ord("A") + rest) + written
    return written


@dataclass(frozen=True)
class NumberedSection:
    number: str  # "2.1", "A.1"; "" for a section without a title (printed without heading)
    anchor: str
    section: Section

    @property
    def heading(self) -> str:
        return f"{self.number} {self.section.title}" if self.number else ""


@dataclass(frozen=True)
class NumberedChapter:
    label: str  # "BAB II", "LAMPIRAN A"
    anchor: str  # "bab-2", "lampiran-1": a link target in the PDF
    chapter: Chapter
    sections: tuple[NumberedSection, ...]
    appendix: bool

    @property
    def heading(self) -> str:
        """The label and the title on one line, as the table of contents lists them."""
        return f"{self.label} {self.chapter.title}"


def numbered(document: Document) -> list[NumberedChapter]:
    """The chapters then the appendices, numbered, in the order they are printed."""
    found = []
    for n, chapter in enumerate(document.chapters, start=1):
        label = gettext("CHAPTER %(number)s") % {"number": roman(n)}
        found.append(_numbered(chapter, label, f"bab-{n}", str(n), appendix=False))
    for n, chapter in enumerate(document.appendices, start=1):
        label = gettext("APPENDIX %(letter)s") % {"letter": letter(n)}
        found.append(_numbered(chapter, label, f"lampiran-{n}", letter(n), appendix=True))
    return found


def _numbered(chapter: Chapter, label: str, anchor: str, prefix: str, *, appendix: bool):
    sections = []
    count = 0
    for m, section in enumerate(chapter.sections, start=1):
        number = ""
        if section.title:
            count += 1
            number = f"{prefix}.{count}"
        sections.append(NumberedSection(number, f"{anchor}-{m}", section))
    return NumberedChapter(label, anchor, chapter, tuple(sections), appendix)


@dataclass(frozen=True)
class Cover:
    """The cover's lines, written."""

    draft: bool
    status: str  # "DRAF" / "FINAL"
    region: str
    title: str
    year: str
    figures_as_of: str
    printed: str
    signatory_title: str
    signatory_name: str


def cover(document: Document) -> Cover:
    draft = document.status != ReportStatus.FINAL
    if document.figures_as_of:
        as_of = gettext("Figures as of %(when)s WITA.") % {"when": when(document.figures_as_of)}
    else:
        as_of = gettext("The figures have not been summarised for this year yet.")
    if draft:
        printed = gettext("Draft printed on %(when)s WITA.") % {"when": when(document.generated_at)}
    else:
        printed = gettext("Final since %(when)s WITA.") % {
            "when": when(document.finalised_at or document.generated_at)
        }
    return Cover(
        draft=draft,
        status=str(ReportStatus(document.status).label).upper(),
        region=document.region,
        title=document.title,
        year=str(document.year),
        figures_as_of=as_of,
        printed=printed,
        signatory_title=document.signatory_title,
        signatory_name=document.signatory_name,
    )


def running_header(document: Document) -> str:
    """ "Kabupaten Kotabaru · 2025": the line over every page of the .docx."""
    return f"{document.region} · {document.year}"


def when(iso: str) -> str:
    """An ISO 8601 moment in local time, the Indonesian way: "4 Januari 2026 22.15"."""
    moment = datetime.datetime.fromisoformat(iso)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "j F Y H.i")


@dataclass(frozen=True)
class Measure:
    """A text block and the letters of its tables, in any one unit (mm, EMU)."""

    width: float
    character: float  # a digit of a table's text, with room to spare
    padding: float  # a cell's margins and borders
    dense: float = 7 / 8  # the letters of a dense table, for one of a table's text


@dataclass(frozen=True)
class Columns:
    """How a table is laid out: its columns' widths, and whether its text is set smaller."""

    widths: tuple[float, ...]
    dense: bool


NAME_LINE = 45  # characters: a name longer than this wraps rather than widen its column
NAME_LEAST = 10  # characters a name's column keeps however many numbers stand beside it


def columns(table: Table, texts: list[list[str]], measure: Measure) -> Columns:
    """Widths filling the text block: numbers first, whole; then the headers' longest words;
    then names, in proportion to their length (up to a line). A table whose headers do not
    fit is set smaller (`dense`)."""
    numbers, headers, names = [], [], []
    for i, column in enumerate(table.columns):
        longest = max((len(row[i]) for row in texts), default=0)
        numbers.append(longest if column.numeric else min(longest, NAME_LEAST))
        # The header is bold: its letters are wider by about a tenth.
        word = round(1.15 * max((len(w) for w in column.label.split()), default=1))
        headers.append(max(word, numbers[-1]))
        names.append(max(headers[-1], min(longest, NAME_LINE)))
    dense = sum(_widths(headers, measure, 1.0)) > measure.width
    scale = measure.dense if dense else 1.0
    widths = _widths(numbers, measure, scale)
    for goal in (headers, names):
        widths = _towards(widths, _widths(goal, measure, scale), measure.width)
    return Columns(tuple(_filled(widths, measure.width)), dense)


def _widths(characters: list[int], measure: Measure, scale: float) -> list[float]:
    return [measure.character * scale * n + measure.padding for n in characters]


def _towards(widths: list[float], goals: list[float], room: float) -> list[float]:
    """Each column grown towards its goal, in proportion to what it lacks, as room allows."""
    lacking = [max(goal - width, 0.0) for width, goal in zip(widths, goals, strict=True)]
    spare = room - sum(widths)
    if spare <= 0 or not sum(lacking):
        return widths
    part = min(1.0, spare / sum(lacking))
    return [width + part * lack for width, lack in zip(widths, lacking, strict=True)]


def _filled(widths: list[float], room: float) -> list[float]:
    """Exactly the text block: what is left is shared by all, as is what is lacking."""
    return [width * room / sum(widths) for width in widths]
