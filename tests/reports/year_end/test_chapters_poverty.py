"""Chapter 2 (reports/year_end/chapters/poverty.py) against the hand-built year."""

from django.utils.translation import gettext as _

from reports.charts import ChartKind
from reports.dashboard import areas_table, place_of
from reports.year_end.chapters.poverty import poverty_chapter
from reports.year_end.content import ChartBlock, Narrative
from tests.reports.year_end.conftest import YEAR, reordered, section, seen, tables


def _chapter():
    return poverty_chapter(YEAR, place_of(None))


def test_the_region_over_five_years_with_every_indicator(full_year):
    table = tables(_chapter())["kemiskinan-indikator"]
    assert seen(table) == [
        ["2022", "4,90 %", "16.100", "0,70", "0,15", "Rp 480.000", "1,20 %"],
        ["2023", "4,71 %", "15.600", "0,66", "0,14", "Rp 500.000", "0,95 %"],
        ["2024", "4,48 %", "15.200", "0,62", "0,13", "Rp 520.000", "0,60 %"],
        ["2025", "4,36 %", "14.900", "0,60", "0,12", "Rp 545.000", "0,40 %"],
        ["2026", "4,20 %", "14.500", "0,57", "0,11", "Rp 560.000", "0,21 %"],
    ]  # 2021 is outside the five years
    assert "BPS, Maret" in table.note


def test_the_p0_trend_is_drawn_against_the_province(full_year):
    chapter = _chapter()
    chart = section(chapter, _("Poverty over five years")).blocks[1].chart
    assert chart.kind == ChartKind.LINE
    assert [c.label for c in chart.table.columns[1:3]] == [
        "Kabupaten Kotabaru",
        "Kalimantan Selatan",
    ]
    assert [row[1:3] for row in seen(chart.table)][-1] == ["4,20 %", "3,80 %"]
    assert [chart.table.columns[i].label for i in chart.series] == [
        "Kabupaten Kotabaru",
        "Kalimantan Selatan",
    ]


def test_each_indicator_against_the_province_and_the_other_regencies(full_year):
    found = tables(_chapter())
    assert seen(found["kemiskinan-p0"]) == [
        ["Kabupaten Kotabaru", "4,90 %", "4,71 %", "4,48 %", "4,36 %", "4,20 %"],
        ["Kalimantan Selatan", "4,49 %", "4,29 %", "4,07 %", "3,95 %", "3,80 %"],
        ["Banjar", "—", "—", "—", "2,74 %", "2,36 %"],
    ]
    assert [row.highlight for row in found["kemiskinan-p0"].rows] == [True, False, False]
    # Only the region published the others: the province and Banjar have no empty rows.
    assert seen(found["kemiskinan-garis"]) == [
        ["Kabupaten Kotabaru", "Rp 480.000", "Rp 500.000", "Rp 520.000", "Rp 545.000", "Rp 560.000"]
    ]
    assert seen(found["kemiskinan-ekstrem"])[0][-1] == "0,21 %"
    rank = found["kemiskinan-peringkat"]
    assert seen(rank) == [["Banjar", "1", "2,36 %"], ["Kabupaten Kotabaru", "2", "4,20 %"]]


def test_the_register_by_desil_and_district_with_its_map(full_year):
    chapter = _chapter()
    desil, districts = section(chapter, _("The register by desil and district")).blocks
    assert [row[:2] for row in seen(desil.chart.table)][:4] == [
        ["1", "2"],
        ["2", "2"],
        ["3", "1"],
        ["4", "1"],
    ]
    assert districts.chart.kind == ChartKind.MAP
    assert districts.chart.series == (4,)  # the share in desil 1–4
    assert [row.key for row in districts.chart.table.rows] == ["63.02.17", "63.02.18"]
    assert [row[:9] for row in seen(districts.chart.table)] == [
        ["Kelumpang Hilir", "6", "7", "4", "66,67 %", "2", "2", "2", "1"],
        ["Pulau Laut Utara", "2", "2", "2", "100,00 %", "0", "0", "2", "0"],
    ]


def test_each_districts_villages_on_a_map_with_a_short_table(full_year):
    chapter = _chapter()
    maps = section(chapter, _("The register by village")).blocks
    assert [block.chart.kind for block in maps] == [ChartKind.MAP, ChartKind.MAP]
    first, second = (block.chart for block in maps)
    assert first.table.title == _("Villages of %(district)s: share of households in desil 1–4") % {
        "district": "Kelumpang Hilir"
    }
    assert first.value_column.label == _("Share in desil 1–4")
    assert [row.key for row in first.table.rows] == ["63.02.17.2003", "63.02.17.2004"]
    # village, households, in desil 1–4, their share: the dashboard's district page's figures
    assert seen(first.table) == [
        ["Langadai", "4", "2", "50,00 %"],
        ["Bakau", "2", "2", "100,00 %"],
    ]
    assert seen(second.table) == [
        ["Sebelimbingan", "1", "1", "100,00 %"],
        ["Sarang Tiung", "1", "1", "100,00 %"],
    ]


def test_no_village_table_is_printed_twice(full_year):
    """The chapter's maps carry four columns; every figure is the appendix's, once."""
    from reports.year_end.chapters.villages import villages_appendix

    chapter, appendix = tables(_chapter()), tables(villages_appendix(YEAR))
    mapped = [table for slug, table in chapter.items() if slug.startswith("peta-desa-")]
    assert len(mapped) == 2 and all(len(table.columns) == 4 for table in mapped)
    assert not set(chapter) & set(appendix)
    assert all(len(table.columns) == 10 for table in appendix.values())


def test_a_district_with_no_village_in_the_register_gets_no_map(full_year):
    from reports.year_end.chapters.villages import villages_appendix
    from tests.factories import AreaFactory

    AreaFactory(code="63.02.19.2001", name="Desa Kosong")
    assert "Wilayah 63.02.19" in [s.title for s in villages_appendix(YEAR).sections]
    maps = section(_chapter(), _("The register by village")).blocks
    assert [block.chart.table.rows[0].key[:8] for block in maps] == ["63.02.17", "63.02.18"]


def test_the_maps_draw_the_share_wherever_the_dashboard_puts_it(full_year, monkeypatch):
    from reports.year_end.chapters import poverty, villages

    monkeypatch.setattr(poverty, "areas_table", lambda *a: reordered(areas_table(*a)))
    monkeypatch.setattr(villages, "areas_table", lambda *a: reordered(areas_table(*a)))
    chapter = _chapter()
    districts = section(chapter, _("The register by desil and district")).blocks[1].chart
    assert districts.value_column.label == _("Share in desil 1–4")
    first = section(chapter, _("The register by village")).blocks[0].chart
    assert seen(first.table)[0] == ["Langadai", "4", "2", "50,00 %"]


def test_without_statistics_or_summaries_the_chapter_says_so(db, users):
    chapter = _chapter()
    blocks = [block for s in chapter.sections for block in s.blocks]
    assert all(isinstance(block, Narrative) and block.missing for block in blocks)
    assert not any(isinstance(block, ChartBlock) for block in blocks)
