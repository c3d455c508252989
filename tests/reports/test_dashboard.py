"""Each dashboard panel's numbers (reports/dashboard.py), against hand-built data."""

import datetime
from decimal import Decimal

import pytest

from programs.models import Progress
from programs.plan_services import progress_save, quarter_report_open, report_submit
from reports.dashboard import (
    agencies_table,
    partners_table,
    pillars_table,
    place_of,
    poverty_rank,
    poverty_trend,
    programs_table,
    register_by_desil,
)
from reports.models import PovertyStatistic
from reports.summaries import summaries_refresh
from tests.factories import AreaFactory, PartnerFactory, PledgeFactory, RealisationFactory
from tests.reports.conftest import YEAR
from tkpk.models import Role

TODAY = datetime.date(2026, 11, 30)


def _statistic(code, year, rate, users, **fields):
    return PovertyStatistic.objects.create(
        area=AreaFactory(code=code, name=fields.pop("name", f"Wilayah {code}")),
        year=year,
        poverty_rate=Decimal(rate),
        source=fields.pop("source", "BPS, Maret"),
        entered_by=users[Role.SECRETARIAT],
        **fields,
    )


@pytest.fixture
def statistics(db, users):
    _statistic("63", 2024, "4.07", users, name="Kalimantan Selatan")
    _statistic("63", 2025, "3.95", users, name="Kalimantan Selatan")
    _statistic("63.02", 2024, "4.48", users, name="Kotabaru", poor_people=15200)
    _statistic("63.02", 2025, "4.36", users, name="Kotabaru", is_demo=True)
    _statistic("63.03", 2025, "2.74", users, name="Banjar")
    _statistic("63.08", 2025, "6.42", users, name="Hulu Sungai Utara")


def test_the_trend_puts_the_region_beside_its_province_year_by_year(statistics):
    table = poverty_trend(2026)
    assert [row.cells[:4] for row in table.rows] == [
        ("2024", Decimal("4.48"), Decimal("4.07"), 15200),
        ("2025", Decimal("4.36"), Decimal("3.95"), None),
    ]
    assert "Kotabaru 2025" in table.note  # the demo figure is named as made up


def test_the_rank_orders_the_regencies_and_finds_the_region(statistics):
    table = poverty_rank(2026)
    assert [row.cells[:2] for row in table.rows] == [
        ("Banjar", 1),
        ("Kotabaru", 2),
        ("Hulu Sungai Utara", 3),
    ]
    assert [row.highlight for row in table.rows] == [False, True, False]
    assert (table.extra["rank"], table.extra["count"]) == (2, 3)
    assert "2025" in table.title


def test_no_statistics_no_rank(db):
    table = poverty_rank(2026)
    assert table.rows == ()
    assert table.extra["rank"] is None


def test_the_register_by_desil_of_a_village(register):
    summaries_refresh(YEAR, today=TODAY)
    table = register_by_desil(place_of("63.02.17.2003"), YEAR)
    counts = {row.cells[0]: row.cells[1] for row in table.rows}
    assert (counts["1"], counts["3"], counts["7"], counts["Tanpa desil"]) == (1, 1, 1, 1)
    assert table.rows[0].cells[2] == Decimal("25.00")


def test_programs_and_their_pillars(register):
    summaries_refresh(YEAR, today=TODAY)
    programs = programs_table(YEAR)
    by_code = {row.key: row.cells for row in programs.rows}
    # planned, reached, reached of planned, overlap, excluded, moved up, measured
    assert by_code["P1"][2:] == (8, 2, Decimal("25.00"), 1, 2, 1, 2)
    assert by_code["P2"][2:] == (None, 1, None, 1, 5, 0, 1)
    pillars = {row.cells[0]: row.cells[1:] for row in pillars_table(programs).rows}
    assert pillars == {
        register.p1.pillar.short_name: (8, 2),
        register.p2.pillar.short_name: (None, 1),
    }


def test_an_agency_sees_only_the_programs_it_leads(register):
    summaries_refresh(YEAR, today=TODAY)
    from programs.models import Program

    mine = Program.objects.filter(pk=register.p1.pk)
    assert [row.key for row in programs_table(YEAR, programs=mine).rows] == ["P1"]


def test_partners_pledged_against_verified(db, users):
    partner = PartnerFactory(name="PT Arutmin")
    pledge = PledgeFactory(
        commitment__partners=[partner],
        commitment__start_date=datetime.date(2026, 1, 1),
        commitment__end_date=datetime.date(2026, 12, 31),
        quantity=100_000_000,
    )
    RealisationFactory(pledge=pledge, quantity=40_000_000, status="verified")
    RealisationFactory(pledge=pledge, quantity=10_000_000, status="submitted")
    table = partners_table(2026)
    assert table.rows[0].cells[:5] == (
        "PT Arutmin",
        partner.get_kind_display(),
        Decimal("100000000"),
        Decimal("40000000"),
        Decimal("40.00"),
    )
    assert partners_table(2026, partner_id=partner.pk + 1).rows == ()


def test_agencies_by_quarter_with_late_reports_marked(verified_plan, users):
    operator = users[Role.AGENCY]
    report = quarter_report_open(plan=verified_plan, quarter=1, today=datetime.date(2026, 4, 1))
    for activity in verified_plan.activities.all():
        progress_save(
            progress=Progress(report=report, activity=activity, realised=activity.target_q1),
            version=None,
            by=operator,
        )
    report.refresh_from_db()
    report_submit(report=report, version=report.version, by=operator)
    summaries_refresh(2026, today=datetime.date(2026, 8, 1))
    table = agencies_table(2026, today=datetime.date(2026, 8, 1))
    row = next(row for row in table.rows if row.cells[0] == verified_plan.agency.acronym)
    assert row.cells[1].startswith("Menunggu verifikasi")  # Q1 sent
    assert row.cells[2].startswith("Terlambat")  # Q2 due 10 July, not sent
    assert row.highlight
    assert row.cells[5] == Decimal("100.0000")
