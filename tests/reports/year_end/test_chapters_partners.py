"""Chapter 5 (reports/year_end/chapters/partners.py) against the hand-built year."""

from django.utils.translation import gettext as _

from partners.models import PledgeKind
from reports.charts import ChartKind
from reports.year_end.chapters.partners import partners_chapter
from tests.reports.year_end.conftest import YEAR, reordered, section, seen, tables


def test_pledged_against_verified_per_partner_drawn_as_the_share(partners):
    chapter = partners_chapter(YEAR)
    chart = section(chapter, _("Pledged and realised per partner")).blocks[0].chart
    assert chart.kind == ChartKind.HBAR
    # Awaiting and returned realisations count nowhere; the 2024 pledge is another year's.
    assert [row[:5] for row in seen(chart.table)] == [
        ["Baznas Kotabaru", "Baznas", "Rp 50.000.000", "Rp 50.000.000", "100,00 %"],
        [
            "PT Arutmin Indonesia NPLCT",
            chart.table.rows[1].cells[1],
            "Rp 100.000.000",
            "Rp 40.000.000",
            "40,00 %",
        ],
    ]
    assert "6/10" in chart.table.rows[1].cells[5]


def test_the_share_is_drawn_wherever_the_dashboard_puts_its_column(partners, monkeypatch):
    from reports.dashboard import partners_table
    from reports.year_end.chapters import partners as chapter

    monkeypatch.setattr(chapter, "partners_table", lambda year: reordered(partners_table(year)))
    chart = section(partners_chapter(YEAR), _("Pledged and realised per partner")).blocks[0].chart
    assert chart.value_column.label == _("Realised of pledged")


def test_pledged_against_verified_per_kind(partners):
    assert seen(tables(partners_chapter(YEAR))["mitra-jenis"]) == [
        [str(PledgeKind.MONEY.label), "Rp 150.000.000", "Rp 90.000.000", "60,00 %"],
        [str(PledgeKind.JOBS.label), "10 orang", "6 orang", "60,00 %"],
    ]


def test_the_partner_target(partners):
    table = tables(partners_chapter(YEAR))["mitra-target"]
    assert seen(table) == [["2", "5", "40,00 %"]]


def test_a_year_without_pledges_or_target_says_so(db):
    chapter = partners_chapter(YEAR)
    assert section(chapter, _("Pledged and realised per partner")).blocks[0].missing
    table = tables(chapter)["mitra-target"]
    assert seen(table) == [["0", "—", "—"]]
    assert table.note == _("No partner target has been set for %(year)d.") % {"year": YEAR}
