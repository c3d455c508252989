"""The year-end .docx, read back with python-docx as Word would open it."""

import dataclasses
import io

import docx
import pytest
from django.utils import translation
from django.utils.translation import gettext
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.models import ReportStatus
from reports.tables import Column, Kind, Row, Table
from reports.year_end import outline
from reports.year_end.content import Section, TableBlock
from reports.year_end.docx import document_docx
from tests.reports.year_end.documents import MISSING, REGION, document

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def draft():
    with translation.override("id"):
        doc = document()
        return doc, opened(document_docx(doc))


def headings(word, level: int) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == f"Heading {level}"]


def all_text(word) -> str:
    cells = (cell.text for table in word.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in word.paragraphs), *cells])


def test_chapters_and_appendices_are_heading_1_sections_heading_2(draft):
    doc, word = draft
    numbered = outline.numbered(doc)

    assert headings(word, 1)[1:] == [item.heading for item in numbered]
    assert "2.1 Persentase penduduk miskin" in headings(word, 2)
    assert "4.2 Dinas 02" in headings(word, 2)


def test_cover_and_running_lines_name_the_region_and_year(draft):
    doc, word = draft
    section = word.sections[0]

    assert REGION.upper() in [p.text for p in word.paragraphs[:6]]
    assert section.header.paragraphs[0].text.startswith(f"{REGION} · {doc.year}")
    assert section.different_first_page_header_footer  # the cover carries none


def test_page_number_and_chapter_title_are_fields(draft):
    section = draft[1].sections[0]
    footer_xml = section.footer._element.xml
    header_xml = section.header._element.xml

    assert "PAGE" in footer_xml and 'fldCharType="begin"' in footer_xml
    assert 'STYLEREF "Heading 1"' in footer_xml
    assert "fldChar" not in header_xml


def test_contents_is_a_toc_field_word_updates_on_opening(draft):
    word = draft[1]
    body = word.element.body.xml
    update = word.settings.element.find(qn("w:updateFields"))

    assert 'TOC \\o "1-2"' in body
    assert update is not None and update.get(qn("w:val")) == "true"
    # Word refuses settings out of the schema's order: updateFields comes before compat.
    tags = [child.tag for child in word.settings.element]
    assert tags.index(qn("w:updateFields")) < tags.index(qn("w:compat"))


def test_figures_are_written_the_indonesian_way(draft):
    text = all_text(draft[1])

    assert "5,83 %" in text
    assert "1.010" in text
    assert "Rp 251.000.000" in text


def test_a_table_header_repeats_and_numbers_are_right_aligned(draft):
    word = draft[1]
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Kegiatan")
    header, first = table.rows[0], table.rows[1]

    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first._tr.trPr is None or first._tr.trPr.find(qn("w:tblHeader")) is None
    assert first.cells[2].text == "101"
    assert first.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.cells[0].paragraphs[0].alignment is None  # text stays left


def test_a_narrative_keeps_its_bold_and_its_list(draft):
    word = draft[1]
    permendagri = next(p for p in word.paragraphs if p.text == "Permendagri 53/2020.")
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]

    assert [(r.text, bool(r.bold)) for r in permendagri.runs] == [
        ("Permendagri", True),
        (" 53/2020.", False),
    ]
    assert bullets == ["Sinkronkan data NIK.", "Anggaran terpadu."]


def test_numbered_items_keep_the_writers_numbers():
    word = opened(document_docx(document(recommendations="1. Satu\n3. Tiga **penting**")))
    items = [p for p in word.paragraphs if p.text.startswith(("1.\t", "3.\t"))]

    assert [p.text for p in items] == ["1.\tSatu", "3.\tTiga penting"]
    assert items[1].runs[-1].bold


def test_an_empty_narrative_prints_what_is_missing_in_italics(draft):
    missing = next(p for p in draft[1].paragraphs if p.text == MISSING)

    assert missing.runs[0].italic


def test_charts_are_pictures(draft):
    word = draft[1]
    pictures = word.inline_shapes
    blobs = [rel.target_part.blob for rel in word.part.rels.values() if "image" in rel.reltype]

    assert len(pictures) == 1 + 4 + 1  # the trend, the four pillars, the agencies
    assert all(blob.startswith(PNG_SIGNATURE) for blob in blobs)


def test_a_draft_is_marked_in_the_header_a_final_report_is_not(draft):
    word = draft[1]
    mark = str(ReportStatus.DRAFT.label).upper()

    assert mark in word.sections[0].header.paragraphs[0].text
    assert word.paragraphs[0].text == mark  # the cover
    final = opened(document_docx(document(status="final")))
    assert mark not in final.sections[0].header.paragraphs[0].text
    assert mark not in all_text(final)


def test_typed_html_stays_literal_text():
    hostile = '<script>alert(1)</script> <img src="http://192.0.2.1/x.png">'

    word = opened(document_docx(document(introduction=hostile)))

    assert hostile in [p.text for p in word.paragraphs]


def test_progress_is_told_each_chapter_and_appendix_in_order():
    doc = document()
    told = []

    document_docx(doc, progress=told.append)

    assert told == [c.title for c in (*doc.chapters, *doc.appendices)]


def test_an_empty_table_says_so():
    doc = document(agencies=1, activities=0)

    word = opened(document_docx(doc))

    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Kegiatan")
    assert len(table.rows) == 2
    assert table.rows[1].cells[0].text == gettext("No data yet")


def with_partner_table(doc, table: Table):
    partners = dataclasses.replace(
        doc.chapters[4], sections=(Section("Mitra", (TableBlock(table),)),)
    )
    return dataclasses.replace(doc, chapters=(*doc.chapters[:4], partners, *doc.chapters[5:]))


def test_markup_and_pasted_control_characters_are_written_as_text():
    table = Table(
        "partners",
        "Mitra",
        (Column("Mitra", Kind.TEXT), Column("Nilai", Kind.RUPIAH)),
        (Row(("PT <Maju> & Jaya\x0b\x00", 1_250_000)),),
    )

    doc = with_partner_table(document(introduction="Dari Word:\vbaris\x07 baru"), table)

    word = opened(document_docx(doc))

    assert "Dari Word:\nbaris baru" in [p.text for p in word.paragraphs]

    row = next(t for t in word.tables if t.rows[0].cells[0].text == "Mitra").rows[1]
    assert [c.text for c in row.cells] == ["PT <Maju> & Jaya", "Rp 1.250.000"]


def test_a_table_too_wide_for_8_pt_is_set_smaller():
    quarters = tuple(Column(f"Realisasi triwulan {q}", Kind.RUPIAH) for q in range(1, 7))
    wide = Table(
        "wide",
        "Realisasi per triwulan",
        (Column("Mitra", Kind.TEXT), *quarters, *(Column(f"Target {q}") for q in range(1, 5))),
        (Row(("PT Maju", *([1_250_000_000] * 6), *([1_000] * 4))),),
    )

    word = opened(document_docx(with_partner_table(document(), wide)))

    dense = next(t for t in word.tables if t.rows[0].cells[0].text == "Mitra")
    years = next(t for t in word.tables if t.rows[0].cells[0].text == "Tahun")
    assert dense.rows[1].cells[0].paragraphs[0].style.font.size == Pt(7)
    assert years.rows[1].cells[0].paragraphs[0].style.font.size == Pt(8)
