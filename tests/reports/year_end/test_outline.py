"""What the PDF and the .docx number, date and lay out alike."""

import dataclasses
import datetime

import pytest
from django.utils.translation import gettext

from reports.tables import Column, Kind, Row, Table, written
from reports.year_end import outline
from reports.year_end.outline import Measure, columns, letter, numbered, roman, when
from tests.reports.year_end.documents import activity_table, document, trend_table

A4 = Measure(width=172, character=1.8, padding=2.9)  # mm, as the PDF


def texts_of(table: Table) -> list[list[str]]:
    return [
        [written(v, c) for v, c in zip(r.cells, table.columns, strict=True)] for r in table.rows
    ]


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "I"), (4, "IV"), (6, "VI"), (9, "IX"), (14, "XIV"), (40, "XL")]
)
def test_chapters_are_numbered_in_roman(number, expected):
    assert roman(number) == expected


def test_appendices_are_lettered_past_z():
    assert [letter(n) for n in (1, 2, 26, 27)] == ["A", "B", "Z", "AA"]


def test_chapters_then_appendices_numbered_and_untitled_sections_skipped():
    found = numbered(document())

    chapter, appendix = gettext("CHAPTER %(number)s"), gettext("APPENDIX %(letter)s")
    assert [item.label for item in found] == [
        *(chapter % {"number": r} for r in ("I", "II", "III", "IV", "V", "VI")),
        appendix % {"letter": "A"},
        appendix % {"letter": "B"},
    ]
    assert [item.appendix for item in found] == [False] * 6 + [True] * 2
    assert found[0].heading == f"{found[0].label} Pendahuluan"
    assert [s.number for s in found[0].sections] == ["1.1", "1.2"]
    assert [s.number for s in found[-1].sections] == [""]  # an untitled section: no heading
    assert len({s.anchor for item in found for s in item.sections}) == sum(
        len(item.sections) for item in found
    )


def test_a_moment_is_written_in_local_time_the_indonesian_way():
    moment = datetime.datetime(2026, 1, 4, 14, 15, tzinfo=datetime.UTC)

    assert when(moment.isoformat()) == "4 Januari 2026 22.15"  # WITA is UTC+8


def test_the_cover_says_when_figures_were_summarised_or_that_they_were_not():
    doc = document()
    summarised = outline.cover(doc)
    never = outline.cover(dataclasses.replace(doc, figures_as_of=""))

    assert "4 Januari 2026 22.15" in summarised.figures_as_of
    assert never.figures_as_of != summarised.figures_as_of
    assert "2026" not in never.figures_as_of


def test_columns_fill_the_text_block_and_numbers_are_never_narrower_than_written():
    table = trend_table()

    layout = columns(table, texts_of(table), A4)

    assert sum(layout.widths) == pytest.approx(A4.width)
    assert not layout.dense
    kotabaru, province = layout.widths[1:]
    assert kotabaru >= len("Kotabaru") * 1.15 * A4.character + A4.padding
    assert province >= len("Kalimantan") * 1.15 * A4.character + A4.padding


def test_a_table_too_wide_for_its_headers_is_dense_and_its_name_keeps_room():
    table = activity_table(1, 25)

    layout = columns(table, texts_of(table), A4)

    assert layout.dense
    assert sum(layout.widths) == pytest.approx(A4.width)
    rupiah = table.columns.index(Column("Anggaran", Kind.RUPIAH))
    assert layout.widths[rupiah] >= len("Rp 275.000.000") * A4.character * A4.dense
    assert layout.widths[0] >= outline.NAME_LEAST * A4.character * A4.dense


def test_a_table_of_numbers_only_shares_the_width_among_them():
    table = Table("n", "Angka", (Column("A"), Column("B")), (Row((1, 22_000)),))

    widths = columns(table, texts_of(table), A4).widths

    assert sum(widths) == pytest.approx(A4.width)
    assert widths[1] > widths[0]


def test_an_empty_table_still_has_its_columns():
    table = Table("e", "Kosong", (Column("Nama", Kind.TEXT), Column("Nilai")), ())

    assert sum(columns(table, [], A4).widths) == pytest.approx(A4.width)
