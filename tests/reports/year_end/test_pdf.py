"""The year-end PDF, read back with pypdf as a reader would find it."""

import io
import re
import socket

import pypdf
import pytest
from django.utils import translation

from reports.models import ReportStatus
from reports.year_end import outline
from reports.year_end.pdf import css_string, document_html, document_pdf
from tests.reports.year_end.documents import MISSING, REGION, document

HOSTILE = '<script>alert(1)</script> <img src="http://192.0.2.1/x.png"> <b>tebal?</b>'


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def draft():
    """A short draft (printed once for the module: WeasyPrint takes a second or two)."""
    with translation.override("id"):
        doc = document(activities=60)  # one agency's table runs over a page
        return doc, pages_of(document_pdf(doc))


def test_pdf_names_the_region_the_year_and_every_chapter_and_appendix(draft):
    doc, pages = draft
    text = "\n".join(pages)

    assert REGION.upper() in pages[0]  # the cover
    assert doc.title in pages[0].replace("\n", " ")
    for item in outline.numbered(doc):
        assert f"{item.label}\n{item.chapter.title}" in text
    assert "LAMPIRAN A" in text or "APPENDIX A" in text


def test_figures_are_written_the_indonesian_way(draft):
    text = "\n".join(draft[1])

    assert "5,83 %" in text
    assert "Kenaikan 1.010" in text
    assert "Rp 251.000.000" in text


def test_contents_give_the_page_each_chapter_starts_on(draft):
    doc, pages = draft
    contents = next(i for i, text in enumerate(pages) if "Pendahuluan . ." in text)
    listed = "\n".join(pages[contents : contents + 2])

    for item in outline.numbered(doc):
        entry = re.search(re.escape(item.heading) + r"[ .]*?(\d+)\n", listed)
        assert entry, item.heading
        starts = next(
            i for i, text in enumerate(pages) if f"{item.label}\n{item.chapter.title}" in text
        )
        assert int(entry[1]) == starts + 1, item.heading


def test_a_long_table_repeats_its_header_on_the_next_page(draft):
    pages = draft[1]
    first = next(i for i, text in enumerate(pages) if re.search(r"Kegiatan 01\.01\b", text))
    later = next(i for i, text in enumerate(pages) if re.search(r"Kegiatan 01\.60\b", text))

    assert later > first
    for text in (pages[first], pages[later]):
        assert "Realisasi" in text and "Terserap" in text and "Penerima" in text


def test_a_draft_is_marked_on_every_page(draft):
    doc, pages = draft
    mark = outline.cover(doc).status

    assert mark == str(ReportStatus.DRAFT.label).upper()
    assert all(mark in text for text in pages)


def test_a_final_report_carries_no_draft_mark():
    with translation.override("id"):
        pages = pages_of(document_pdf(document(status="final")))
        mark = str(ReportStatus.DRAFT.label).upper()

    assert not any(mark in text for text in pages)
    assert str(ReportStatus.FINAL.label).upper() in pages[0]


def test_running_header_names_the_chapter_and_footer_numbers_the_page(draft):
    doc, pages = draft
    agencies = outline.numbered(doc)[3]
    later = next(i for i, text in enumerate(pages) if re.search(r"Kegiatan 01\.60\b", text))

    assert agencies.heading in pages[later]
    assert f"{agencies.label}\n" not in pages[later]  # not where the chapter starts
    assert f"{REGION} · {doc.year}" in pages[later]
    assert re.search(rf"\b{later + 1}$", pages[later].strip())


def test_an_empty_narrative_prints_what_is_missing(draft):
    assert MISSING in "\n".join(draft[1])


def test_typed_html_is_printed_as_text_and_nothing_is_fetched(monkeypatch):
    calls = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: calls.append(args))
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kw: calls.append(args))
    doc = document(introduction=HOSTILE + '\n\n<img src="file:///etc/passwd">')

    text = "\n".join(pages_of(document_pdf(doc))).replace("\n", " ")

    assert "<script>alert(1)</script>" in text
    assert '<img src="http://192.0.2.1/x.png">' in text
    assert "<b>tebal?</b>" in text
    assert '<img src="file:///etc/passwd">' in text
    assert calls == []


def test_the_html_escapes_narratives_and_table_cells():
    html = document_html(document(introduction=HOSTILE))

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_progress_is_told_each_chapter_and_appendix_in_order():
    doc = document()
    told = []

    document_html(doc, progress=told.append)

    assert told == [c.title for c in (*doc.chapters, *doc.appendices)]


def test_css_string_cannot_close_the_style_element():
    assert css_string('a</style>"') == '"a\\3c /style\\3e \\22 "'


@pytest.mark.django_db
def test_a_map_without_boundaries_says_so_in_the_pdf():
    text = "\n".join(pages_of(document_pdf(document(with_map=True)))).replace("\n", " ")

    assert "Desa 001" in text  # its table
    assert re.search(r"(No boundaries|Belum ada batas wilayah)", text)
