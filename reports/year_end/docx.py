"""The year-end document as an editable .docx (python-docx): finished and signed in Word.

The same Document as the PDF (pdf.py), numbered and dated by `outline`, narratives read by
`text.paragraphs`, numbers written by `reports.tables.written`, charts drawn by the same
functions as the PDF's SVG (`chart_png`). Chapters and sections are Heading 1 and 2, so
Word's table of contents (a TOC field Word offers to update on opening) and its navigation
pane find them.
"""

import io
from collections.abc import Callable

import docx
from django.utils.translation import gettext
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from reports.charts import chart_png
from reports.tables import Kind, Table, written
from reports.year_end import outline
from reports.year_end.content import Block, ChartBlock, Document, Narrative
from reports.year_end.text import ParagraphKind, paragraphs

Progress = Callable[[str], None]
DRAFT_RED = RGBColor(0xB0, 0x00, 0x20)
MUTED = RGBColor(0x55, 0x55, 0x55)
HIGHLIGHT_FILL = "FFF4CC"
HEADER_FILL = "E8E8E8"
TEXT_WIDTH = Mm(172)  # A4 less the margins below, as the PDF's text block
CHART_WIDTH = Cm(16)


def document_docx(document: Document, *, progress: Progress | None = None) -> bytes:
    """The .docx; `progress(chapter title)` is called as each chapter is written."""
    word = docx.Document()
    cover = outline.cover(document)
    _set_up(word, document)
    _header_and_footer(word, document, cover)
    _cover(word, cover)
    _foreword(word, document, cover)
    _contents(word)
    for item in outline.numbered(document):
        if progress is not None:
            progress(item.chapter.title)
        _chapter(word, item)
    stream = io.BytesIO()
    word.save(stream)
    return stream.getvalue()


def _set_up(word, document: Document) -> None:
    """A4 portrait with the PDF's margins; styles for tables; Word updates fields on opening."""
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.different_first_page_header_footer = True  # the cover has no running header
    # Table text is set once on the table style, not cell by cell (thousands of cells).
    grid = word.styles["Table Grid"]
    grid.font.size = Pt(8)
    grid.paragraph_format.space_after = Pt(0)
    grid.paragraph_format.space_before = Pt(0)
    word.styles["Normal"].font.size = Pt(10)
    properties = word.core_properties
    properties.title = f"{document.title} {document.region} {document.year}"
    properties.author = document.region
    properties.comments = ""
    _update_fields_on_opening(word.settings.element)


# What follows w:updateFields in w:settings: Word refuses elements out of the schema's order.
_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")
} | {qn("m:mathPr")}


def _update_fields_on_opening(settings) -> None:
    """Word asks to update the fields (the table of contents' entries and pages) on opening."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    following = next((e for e in settings if e.tag in _AFTER_UPDATE_FIELDS), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


def _header_and_footer(word, document: Document, cover: outline.Cover) -> None:
    """Chapter title (STYLEREF) and the draft mark over the pages; region, year, page under."""
    section = word.sections[0]
    right = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    _field(header, 'STYLEREF "Heading 1"', "")
    header.runs[-1].font.size = Pt(8)
    if cover.draft:
        mark = header.add_run("\t" + cover.status)
        mark.bold = True
        mark.font.color.rgb = DRAFT_RED
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(f"{outline.running_header(document)}\t{gettext('Page')} ")
    _field(footer, "PAGE", "1")
    for run in (*header.runs, *footer.runs):
        run.font.size = Pt(8)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, TOC, STYLEREF) with `shown` standing in until Word updates it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _cover(word, cover: outline.Cover) -> None:
    status = word.add_paragraph()
    status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = status.add_run(cover.status)
    run.bold, run.font.size = True, Pt(16)
    if cover.draft:
        run.font.color.rgb = DRAFT_RED
    title = _centred(word, cover.title, size=22, bold=True)
    title.paragraph_format.space_before = Cm(5)
    _centred(word, cover.region.upper(), size=18, bold=True)
    year = _centred(word, gettext("Year %(year)s") % {"year": cover.year}, size=16)
    year.paragraph_format.space_after = Cm(7)
    if cover.signatory_title or cover.signatory_name:
        _centred(word, cover.signatory_title, size=11)
        _centred(word, cover.signatory_name, size=11, bold=True)
    for line in (cover.figures_as_of, cover.printed):
        _centred(word, line, size=9).runs[0].font.color.rgb = MUTED
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _centred(word, text: str, *, size: int, bold: bool = False):
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    return paragraph


def _foreword(word, document: Document, cover: outline.Cover) -> None:
    word.add_heading(gettext("Foreword"), level=1)
    _narrative(word, document.foreword)
    if cover.signatory_title or cover.signatory_name:
        signature = word.add_paragraph()
        signature.paragraph_format.left_indent = Cm(9)
        signature.paragraph_format.space_before = Cm(1)
        signature.add_run(cover.signatory_title)
        signature.add_run().add_break()
        for _line in range(3):  # room to sign
            signature.add_run().add_break()
        signature.add_run(cover.signatory_name).bold = True


def _contents(word) -> None:
    """A TOC field over Heading 1–2; Word fills the entries and page numbers when updated."""
    heading = word.add_paragraph()
    heading.paragraph_format.page_break_before = True
    run = heading.add_run(gettext("Table of contents"))
    run.bold, run.font.size = True, Pt(15)
    _field(
        word.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        gettext("Right-click here and choose Update Field to show the table of contents."),
    )


def _chapter(word, item: outline.NumberedChapter) -> None:
    heading = word.add_heading(item.heading, level=1)
    heading.paragraph_format.page_break_before = True
    for block in item.chapter.lead:
        _block(word, block)
    for numbered in item.sections:
        if numbered.number:
            word.add_heading(numbered.heading, level=2)
        for block in numbered.section.blocks:
            _block(word, block)


def _block(word, block: Block) -> None:
    if isinstance(block, Narrative):
        _narrative(word, block)
    elif isinstance(block, ChartBlock):
        chart = block.chart
        word.add_heading(chart.label, level=3)
        word.add_picture(io.BytesIO(chart_png(chart)), width=CHART_WIDTH)
        differs = chart.title and chart.title != chart.table.title
        _table(word, chart.table, title=chart.table.title if differs else "")
    else:
        _table(word, block.table, title=block.table.title)


def _narrative(word, narrative: Narrative) -> None:
    found = paragraphs(narrative.text)
    if not found:
        run = word.add_paragraph().add_run(narrative.missing)
        run.italic = True
        run.font.color.rgb = MUTED
        return
    for paragraph in found:
        if paragraph.kind == ParagraphKind.BULLET:
            written_paragraph = word.add_paragraph(style="List Bullet")
        else:
            written_paragraph = word.add_paragraph()
        if paragraph.kind == ParagraphKind.NUMBERED:
            # The writer's own number, as the PDF prints it (Word's lists would renumber).
            written_paragraph.paragraph_format.left_indent = Cm(0.75)
            written_paragraph.paragraph_format.first_line_indent = Cm(-0.75)
            written_paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
            written_paragraph.add_run(f"{paragraph.number}.\t")
        for part in paragraph.runs:
            run = written_paragraph.add_run(part.text)  # "\n" becomes a line break
            run.bold = part.bold or None
            run.italic = part.italic or None


def _table(word, table: Table, *, title: str) -> None:
    """The table with a header row Word repeats on each page, numbers right-aligned."""
    if title:
        word.add_heading(title, level=3)
    columns = table.columns
    grid = word.add_table(rows=1, cols=len(columns))
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    for column, cell, width in zip(grid.columns, header.cells, _widths(table), strict=True):
        column.width = cell.width = width  # the grid for new rows, the cell for this one
    _repeat_as_header(header._tr)
    for cell, column in zip(header.cells, columns, strict=True):
        _fill(cell, column.label, numeric=column.numeric, bold=True, fill=HEADER_FILL)
    for row in table.rows:
        cells = grid.add_row().cells
        fill = HIGHLIGHT_FILL if row.highlight else None
        for cell, value, column in zip(cells, row.cells, columns, strict=True):
            _fill(
                cell, written(value, column), numeric=column.numeric, bold=row.highlight, fill=fill
            )
    if not table.rows:
        cells = grid.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        merged.paragraphs[0].add_run(gettext("No data yet")).italic = True
    if table.note:
        note = word.add_paragraph()
        run = note.add_run(table.note)
        run.font.size, run.font.color.rgb = Pt(8), MUTED


def _widths(table: Table) -> list:
    """Numbers narrow, names wide: the first text column takes twice a text column's share."""
    weights = [_weight(n, column) for n, column in enumerate(table.columns)]
    total = sum(weights)
    return [int(TEXT_WIDTH * w / total) for w in weights]


def _weight(n: int, column) -> float:
    if column.numeric:
        return 1.5 if column.kind == Kind.RUPIAH else 1.0  # "Rp 250.000.000" is long
    return 2.4 if n == 0 else 1.4


def _fill(cell, text: str, *, numeric: bool, bold: bool, fill: str | None) -> None:
    paragraph = cell.paragraphs[0]
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(tr) -> None:
    """w:tblHeader: Word repeats this row at the top of each page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)
