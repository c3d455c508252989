"""The year-end document as a PDF: templates/reports/year_end/document.html through WeasyPrint.

Everything the page shows is prepared here from the Document (numbers written by
`reports.tables.written`, narratives by `text.text_html`, charts by `chart_svg`), so the
template only places it. The numbering and the cover's lines come from `outline`, as the
.docx's do.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from reports.charts import chart_svg
from reports.printing import pdf_from_html
from reports.tables import Table, written
from reports.year_end import outline
from reports.year_end.content import Block, ChartBlock, Document, Narrative
from reports.year_end.text import text_html

Progress = Callable[[str], None]
# The text block of print.css (A4 less 20 + 18 mm) and a digit of 8 pt DejaVu Sans, in mm.
MEASURE = outline.Measure(width=172, character=1.8, padding=2.9)


@dataclass(frozen=True)
class NarrativeView:
    html: SafeString
    missing: str


@dataclass(frozen=True)
class RowView:
    cells: tuple[tuple[str, bool], ...]  # (text, numeric)
    highlight: bool


@dataclass(frozen=True)
class TableView:
    title: str
    headers: tuple[tuple[str, bool], ...]  # (label, numeric)
    widths: tuple[str, ...]  # "23.40%": the columns' shares, as the .docx's (outline)
    dense: bool  # set smaller: too many columns for the page at the usual size
    rows: tuple[RowView, ...]
    note: str


@dataclass(frozen=True)
class BlockView:
    """A narrative, or a table with (for a chart) its drawing above it."""

    narrative: NarrativeView | None = None
    table: TableView | None = None
    svg: SafeString | None = None
    title: str = ""


@dataclass(frozen=True)
class SectionView:
    number: str
    heading: str
    anchor: str
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True)
class ChapterView:
    label: str
    title: str
    heading: str
    anchor: str
    lead: tuple[BlockView, ...]
    sections: tuple[SectionView, ...]


def document_pdf(document: Document, *, progress: Progress | None = None) -> bytes:
    """The PDF; `progress(chapter title)` is called as each chapter is prepared, then once
    more while the pages are laid out (the longest part of printing)."""
    html = document_html(document, progress=progress)
    if progress is not None:
        progress(gettext("Laying out the PDF's pages"))
    return pdf_from_html(html)


def document_html(document: Document, *, progress: Progress | None = None) -> str:
    """The complete HTML the PDF is printed from (styles inline)."""
    chapters = []
    for item in outline.numbered(document):
        if progress is not None:
            progress(item.chapter.title)
        chapters.append(_chapter(item))
    cover = outline.cover(document)
    context = {
        "language": get_language(),
        "cover": cover,
        "foreword": narrative_view(document.foreword),
        "chapters": chapters,
        "css": {
            "mark": css_string(cover.status if cover.draft else ""),
            "running": css_string(outline.running_header(document)),
            "page": css_string(gettext("Page")),
        },
    }
    return render_to_string("reports/year_end/document.html", context)


def _chapter(item: outline.NumberedChapter) -> ChapterView:
    return ChapterView(
        label=item.label,
        title=item.chapter.title,
        heading=item.heading,
        anchor=item.anchor,
        lead=tuple(block_view(b) for b in item.chapter.lead),
        sections=tuple(
            SectionView(
                number=s.number,
                heading=s.heading,
                anchor=s.anchor,
                blocks=tuple(block_view(b) for b in s.section.blocks),
            )
            for s in item.sections
        ),
    )


def block_view(block: Block) -> BlockView:
    if isinstance(block, Narrative):
        return BlockView(narrative=narrative_view(block))
    if isinstance(block, ChartBlock):
        chart = block.chart
        # The chart's title heads the figure; its table repeats it only when it differs.
        differs = chart.title and chart.title != chart.table.title
        table = table_view(chart.table, title=chart.table.title if differs else "")
        return BlockView(table=table, svg=mark_safe(chart_svg(chart)), title=chart.label)  # noqa: S308 - drawn by us, text escaped in chart_svg
    return BlockView(table=table_view(block.table))


def narrative_view(narrative: Narrative) -> NarrativeView:
    return NarrativeView(html=text_html(narrative.text), missing=narrative.missing)


def table_view(table: Table, *, title: str | None = None) -> TableView:
    columns = table.columns
    texts = [
        [written(value, column) for value, column in zip(row.cells, columns, strict=True)]
        for row in table.rows
    ]
    numeric = [c.numeric for c in columns]
    layout = outline.columns(table, texts, MEASURE)
    return TableView(
        title=table.title if title is None else title,
        headers=tuple((c.label, c.numeric) for c in columns),
        widths=tuple(f"{100 * width / MEASURE.width:.2f}%" for width in layout.widths),
        dense=layout.dense,
        rows=tuple(
            RowView(cells=tuple(zip(row_texts, numeric, strict=True)), highlight=row.highlight)
            for row, row_texts in zip(table.rows, texts, strict=True)
        ),
        note=table.note,
    )


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string, safe inside a <style> element (no "</style>" can end it)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,·-_:;()/'" else f"\\{ord(ch):x} " for ch in text
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every other character is a CSS escape
