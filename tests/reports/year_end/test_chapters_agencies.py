"""Chapter 4 (reports/year_end/chapters/agencies.py, plans.py) against the hand-built year."""

from django.utils.translation import gettext as _

from programs.achievement import Standing
from reports.charts import ChartKind
from reports.year_end.chapters.agencies import agencies_chapter
from reports.year_end.content import Narrative
from tests.reports.year_end.conftest import TODAY, YEAR, section, seen, tables

ON_TRACK, BEHIND = str(Standing.ON_TRACK.label), str(Standing.BEHIND.label)


def q(quarter: int) -> str:
    return _("Q%(quarter)d") % {"quarter": quarter}


def _chapter():
    return agencies_chapter(YEAR, today=TODAY)


def test_a_section_per_agency_with_a_verified_plan(full_year, plans):
    titles = [s.title for s in _chapter().sections]
    # Dinkes's plan is a draft: no section of its own.
    assert titles == [
        _("All agencies"),
        "Dinas Sosial P3AP2KB (Dinsos P3AP2KB)",
        "Dinas Tenaga Kerja dan Transmigrasi (Disnakertrans)",
    ]


def test_each_activity_target_against_realised_budget_against_spent(full_year, plans):
    table = tables(_chapter())[f"rencana-aksi-{plans.dinsos.agency_id}"]
    assert table.columns[2].label == _("Target up to %(quarter)s") % {"quarter": q(2)}
    # target and realised up to Q2, achievement, budget, spent, absorption, beneficiaries
    assert seen(table) == [
        [
            "Cakupan bantuan pangan",
            "Beban pengeluaran",
            "70 %",  # a level: the second quarter's own, not a sum
            "65 %",
            "93 %",
            "Rp 0",
            "Rp 0",
            "—",
            "—",
            ON_TRACK,
        ],
        [
            "Pelatihan menjahit",
            "Pendapatan dan pemberdayaan",
            "50 orang",
            "35 orang",
            "70 %",
            "Rp 100.000.000",
            "Rp 30.000.000",
            "30 %",
            "35",
            BEHIND,
        ],
    ]


def test_the_agencies_together_with_their_absorption_drawn(full_year, plans):
    chart = section(_chapter(), _("All agencies")).blocks[0].chart
    assert chart.kind == ChartKind.HBAR
    assert chart.value_column.label == _("Budget absorption")
    assert seen(chart.table) == [
        [
            "Dinsos P3AP2KB",
            "2",
            "Rp 100.000.000",
            "Rp 30.000.000",
            "30 %",
            "81 %",
            ON_TRACK,
            q(2),
        ],
        [
            "Disnakertrans",
            "1",
            "Rp 50.000.000",
            "Rp 12.500.000",
            "25 %",
            "100 %",
            ON_TRACK,
            q(1),
        ],
    ]


def test_the_extreme_poverty_budget_tags_summed(full_year, plans):
    table = tables(_chapter())["penandaan-anggaran"]
    assert seen(table) == [
        [_("Direct"), "2", "Rp 150.000.000", "Rp 42.500.000", "28 %"],
        [_("Indirect"), "1", "Rp 0", "Rp 0", "—"],
        [_("Supporting"), "0", "Rp 0", "Rp 0", "—"],
        [_("Not tagged"), "0", "Rp 0", "Rp 0", "—"],
        [_("Total"), "3", "Rp 150.000.000", "Rp 42.500.000", "28 %"],
    ]


def test_the_agencies_by_quarter_mark_late_reports(full_year, plans):
    table = tables(_chapter())["perangkat-daerah"]
    row = next(row for row in table.rows if row.cells[0] == "Disnakertrans")
    assert row.highlight  # Q2 due 10 July was never sent
    assert "Dinkes" in table.note  # no verified plan


def test_a_plan_without_a_report_shows_its_yearly_targets(db, users, agency):
    from tests.reports.year_end.conftest import verified

    plan = verified(agency, users["agency"], users["secretariat"], [{"name": "Bedah rumah"}])
    table = tables(_chapter())[f"rencana-aksi-{plan.agency_id}"]
    assert table.columns[2].label == _("Yearly target")
    assert seen(table)[0][2:5] == ["100 orang", "—", "—"]
    assert seen(table)[0][-1] == str(Standing.NO_REPORT.label)


def test_no_verified_plan_no_agency_sections(db):
    (only,) = _chapter().sections
    (block,) = only.blocks
    assert isinstance(block, Narrative) and str(YEAR) in block.missing
