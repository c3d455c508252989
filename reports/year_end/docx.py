"""The year-end document as an editable .docx (python-docx): finished and signed in Word.

The same Document as the PDF (pdf.py), numbered and dated by `outline`, narratives read by
`text.paragraphs`, numbers written by `reports.tables.written`, charts drawn by the same
functions as the PDF's SVG (`chart_png`). Chapters and sections are Heading 1 and 2, so
Word's table of contents (a TOC field Word offers to update on opening) and its navigation
pane find them.
"""

import io
import re
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape

import docx
from django.utils.translation import gettext
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from reports.charts import chart_png
from reports.tables import Table, written
from reports.year_end import outline
from reports.year_end.content import Block, ChartBlock, Document, Narrative
from reports.year_end.text import ParagraphKind, paragraphs

Progress = Callable[[str], None]
FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
DRAFT_RED = RGBColor(0xB0, 0x00, 0x20)
MUTED = RGBColor(0x55, 0x55, 0x55)
HIGHLIGHT_FILL = "FFF4CC"
HEADER_FILL = "E8E8E8"
TEXT_WIDTH = Mm(172)  # A4 less the margins below, as the PDF's text block
CHART_WIDTH = Cm(16)
CELL_STYLE = "Table Text"
CELL_STYLE_ID = "TableText"
DENSE_CELL_STYLE = "Table Text Small"  # for a table too wide for 8 pt (outline.columns)
DENSE_CELL_STYLE_ID = "TableTextSmall"
EMU_PER_TWIP = 635
CELL_MARGIN_TWIPS = 57  # 1 mm each side
# 8 pt Arial; both cell margins and the rounding of Word's line breaking.
MEASURE = outline.Measure(width=TEXT_WIDTH, character=Mm(1.5), padding=Mm(2.6))


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
    _styles(word, section.page_width - section.left_margin - section.right_margin)
    # Word lets Normal's size win over a table style's, so cells get a paragraph style.
    cell_text = word.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_text.base_style = word.styles["Normal"]
    cell_text.font.size = Pt(8)
    cell_text.paragraph_format.space_after = Pt(0)
    cell_text.paragraph_format.space_before = Pt(0)
    cell_text.paragraph_format.line_spacing = 1.0
    dense = word.styles.add_style(DENSE_CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    dense.base_style = cell_text
    dense.font.size = Pt(7)
    # Narrow cell margins (1 mm, not Word's 1.9): a table of nine columns leaves its names room.
    for side in word.styles["Table Grid"].element.iter(qn("w:left"), qn("w:right")):
        if side.getparent().tag == qn("w:tblCellMar"):
            side.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
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


def _styles(word, text_width: int) -> None:
    """Arial in black everywhere (the template's theme fonts are not on every computer);
    header and footer lines with one tab stop, at the right margin."""
    word.styles["Normal"].font.size = Pt(10)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = word.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{script}"), FONT)
        if name != "Normal":
            style.font.color.rgb = BLACK
    for name in ("Header", "Footer"):
        stops = word.styles[name].paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)


def _header_and_footer(word, document: Document, cover: outline.Cover) -> None:
    """Region and year, and the draft mark, over the pages; the chapter (a STYLEREF field,
    which Word fills page by page) and the page number under them."""
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.add_run(clean(outline.running_header(document)))
    if cover.draft:
        mark = header.add_run("\t" + cover.status)
        mark.bold = True
        mark.font.color.rgb = DRAFT_RED
    footer = section.footer.paragraphs[0]
    _field(footer, 'STYLEREF "Heading 1"', "")
    footer.add_run(clean(f"\t{gettext('Page')} "))
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
    run = paragraph.add_run(clean(text))
    run.bold, run.font.size = bold, Pt(size)
    return paragraph


def _foreword(word, document: Document, cover: outline.Cover) -> None:
    word.add_heading(gettext("Foreword"), level=1)
    _narrative(word, document.foreword)
    if cover.signatory_title or cover.signatory_name:
        signature = word.add_paragraph()
        signature.paragraph_format.left_indent = Cm(9)
        signature.paragraph_format.space_before = Cm(1)
        signature.add_run(clean(cover.signatory_title))
        signature.add_run().add_break()
        for _line in range(3):  # room to sign
            signature.add_run().add_break()
        signature.add_run(clean(cover.signatory_name)).bold = True


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
    heading = word.add_heading(clean(item.heading), level=1)
    heading.paragraph_format.page_break_before = True
    for block in item.chapter.lead:
        _block(word, block)
    for numbered in item.sections:
        if numbered.number:
            word.add_heading(clean(numbered.heading), level=2)
        for block in numbered.section.blocks:
            _block(word, block)


def _block(word, block: Block) -> None:
    if isinstance(block, Narrative):
        _narrative(word, block)
    elif isinstance(block, ChartBlock):
        chart = block.chart
        word.add_heading(clean(chart.label), level=3)
        word.add_picture(io.BytesIO(chart_png(chart)), width=CHART_WIDTH)
        differs = chart.title and chart.title != chart.table.title
        _table(word, chart.table, title=chart.table.title if differs else "")
    else:
        _table(word, block.table, title=block.table.title)


def _narrative(word, narrative: Narrative) -> None:
    found = paragraphs(narrative.text)
    if not found:
        run = word.add_paragraph().add_run(clean(narrative.missing))
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
            run = written_paragraph.add_run(clean(part.text))  # "\n" becomes a line break
            run.bold = part.bold or None
            run.italic = part.italic or None


def _table(word, table: Table, *, title: str) -> None:
    """The table with a header row Word repeats on each page, numbers right-aligned.

    Written as one piece of XML and parsed once: python-docx's cell by cell API took most of
    the .docx's time for the bench's ten thousand cells.
    """
    if title:
        word.add_heading(clean(title), level=3)
    columns = table.columns
    texts = [
        [written(value, column) for value, column in zip(row.cells, columns, strict=True)]
        for row in table.rows
    ]
    layout = outline.columns(table, texts, MEASURE)
    twips = [round(width / EMU_PER_TWIP) for width in layout.widths]
    style = DENSE_CELL_STYLE_ID if layout.dense else CELL_STYLE_ID
    numeric = [column.numeric for column in columns]
    rows = [
        _row(
            [c.label for c in columns],
            numeric,
            twips,
            style,
            bold=True,
            fill=HEADER_FILL,
            header=True,
        )
    ]
    for row, row_texts in zip(table.rows, texts, strict=True):
        fill = HIGHLIGHT_FILL if row.highlight else ""
        rows.append(_row(row_texts, numeric, twips, style, bold=row.highlight, fill=fill))
    if not table.rows:
        rows.append(_empty_row(twips, style))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    word.element.body.sectPr.addprevious(parse_xml(xml))
    if table.note:
        note = word.add_paragraph()
        run = note.add_run(clean(table.note))
        run.font.size, run.font.color.rgb = Pt(8), MUTED


def _row(
    texts: list[str],
    numeric: list[bool],
    twips: list[int],
    style: str,
    *,
    bold: bool,
    fill: str,
    header=False,
) -> str:
    # w:tblHeader: Word repeats the row at the top of each page the table runs onto.
    properties = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    cells = "".join(
        _cell(text, width, style, right=is_numeric, bold=bold, fill=fill)
        for text, is_numeric, width in zip(texts, numeric, twips, strict=True)
    )
    return f"<w:tr>{properties}{cells}</w:tr>"


def _empty_row(twips: list[int], style: str) -> str:
    cell = _cell(gettext("No data yet"), sum(twips), style, italic=True, span=len(twips))
    return f"<w:tr>{cell}</w:tr>"


def _cell(
    text: str, width: int, style: str, *, right=False, bold=False, italic=False, fill="", span=1
) -> str:
    spans = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    alignment = '<w:jc w:val="right"/>' if right else ""
    looks = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    run_properties = f"<w:rPr>{looks}</w:rPr>" if looks else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{spans}{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{alignment}</w:pPr><w:r>{run_properties}'
        f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p></w:tc>'
    )


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Without the control characters XML cannot hold (pasted from a spreadsheet or Word)."""
    return _NOT_XML.sub("", text)


def _xml_text(text: str) -> str:
    return xml_escape(clean(text))
