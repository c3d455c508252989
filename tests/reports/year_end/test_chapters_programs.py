"""Chapter 3 (reports/year_end/chapters/programs.py) against the hand-built year."""

from django.utils.translation import gettext as _

from programs.models import Pillar
from reports.charts import ChartKind
from reports.year_end.chapters.programs import programs_chapter
from reports.year_end.content import Narrative
from tests.reports.year_end.conftest import YEAR, reordered, section, seen, tables


def test_a_section_per_pillar_in_their_order(full_year):
    chapter = programs_chapter(YEAR)
    pillars = list(Pillar.objects.order_by("order", "pk"))
    assert [s.title for s in chapter.sections] == [_("All pillars")] + [p.name for p in pillars]
    # Pillars 3 and 4 have no program this year, and say so.
    for pillar in pillars[2:]:
        (block,) = section(chapter, pillar.name).blocks
        assert isinstance(block, Narrative)
        assert str(YEAR) in block.missing


def test_each_program_with_its_budget_by_source(full_year):
    found = tables(programs_chapter(YEAR))
    one, two = Pillar.objects.order_by("order", "pk")[:2]
    first = found[f"pilar-{one.pk}-anggaran"]
    assert [c.label for c in first.columns[2:]] == ["APBD", "CSR", _("Total")]
    assert seen(first)[0][2:] == ["Rp 500.000.000", "Rp 150.000.000", "Rp 650.000.000"]
    second = found[f"pilar-{two.pk}-anggaran"]
    assert [row[0] for row in seen(second)] == ["P2 Program P2", "P3 Program P3"]
    assert [row[1:] for row in seen(second)] == [
        [full_year.p2.lead_agency.acronym, "Rp 250.000.000", "—", "Rp 250.000.000"],
        ["Disnakertrans", "—", "Rp 75.000.000", "Rp 75.000.000"],
    ]
    # The old program of 2024 is in no table, nor its Rp 999 million.
    overview = found["pilar-anggaran"]
    assert seen(overview)[:2] == [
        [one.short_name, "1", "Rp 500.000.000", "Rp 0", "Rp 0", "Rp 150.000.000", "Rp 650.000.000"],
        [two.short_name, "2", "Rp 0", "Rp 250.000.000", "Rp 75.000.000", "Rp 0", "Rp 325.000.000"],
    ]


def test_quota_against_reached_overlap_exclusion_and_graduation(full_year):
    found = tables(programs_chapter(YEAR))
    one, two = Pillar.objects.order_by("order", "pk")[:2]
    # planned, reached, reached of planned, overlap, excluded, moved up, measured
    assert seen(found[f"pilar-{one.pk}-jangkauan"]) == [
        ["P1 Program P1", "8", "2", "25,00 %", "1", "2", "1", "2"]
    ]
    assert seen(found[f"pilar-{two.pk}-jangkauan"]) == [
        ["P2 Program P2", "—", "1", "—", "1", "6", "0", "1"],
        ["P3 Program P3", "10", "0", "0,00 %", "0", "1", "0", "0"],
    ]


def test_reach_is_split_by_pillar_whatever_the_dashboards_column_order(full_year, monkeypatch):
    from reports.dashboard import programs_table
    from reports.year_end.chapters import programs as chapter

    monkeypatch.setattr(chapter, "programs_table", lambda year: reordered(programs_table(year)))
    one = Pillar.objects.order_by("order", "pk").first()
    reach = tables(programs_chapter(YEAR))[f"pilar-{one.pk}-jangkauan"]
    assert _("Pillar") not in [c.label for c in reach.columns]
    assert seen(reach) == [["2", "1", "2", "1", "25,00 %", "2", "8", "P1 Program P1"]]


def test_the_pillars_planned_against_held_are_drawn(full_year):
    chapter = programs_chapter(YEAR)
    chart = section(chapter, _("All pillars")).blocks[0].chart
    assert chart.kind == ChartKind.GROUPED_BAR
    assert [chart.table.columns[i].label for i in chart.series] == [
        _("Places planned"),
        _("Places held"),
    ]
    one, two = Pillar.objects.order_by("order", "pk")[:2]
    assert seen(chart.table) == [[one.short_name, "8", "2"], [two.short_name, "—", "1"]]


def test_programs_without_summaries_show_their_budget_and_say_reach_is_not_counted(programs):
    chapter = programs_chapter(YEAR)
    one = Pillar.objects.order_by("order", "pk").first()
    budget, reach = section(chapter, one.name).blocks
    assert seen(budget.table)[0][-1] == "Rp 650.000.000"
    assert isinstance(reach, Narrative) and reach.missing
