"""The year's action plans as a workbook: a summary sheet of agencies × quarters, then one
sheet per pillar with one row per activity and the quarters as columns."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from programs.models import ReviewStatus
from programs.plan_exports import sheet_title, write_plans
from programs.plan_selectors import CellState
from tests.factories import ActivityFactory, AgencyFactory, ProgressFactory, QuarterReportFactory
from tests.programs.test_views_plan_overview import TODAY, scene, today, verified_plan_of
from tkpk.models import Role

pytestmark = pytest.mark.django_db

__all__ = ["scene", "today"]  # fixtures shared with the overview's tests

YEAR = reverse("programs:plans_export", args=[2026])
TRAINING = "Pelatihan menjahit"
PILLARS = ["Beban pengeluaran", "Pendapatan dan pemberdayaan", "Kantong kemiskinan", "Kemitraan"]
ACTIVITY_COLUMNS = [
    "Agency",
    "Plan",
    "Activity",
    "Sub-activity code",
    "Indicator",
    "Unit",
    "Yearly target",
    "Budget (Rp)",
    "Funding source",
    "Extreme poverty budget tag",
    "Target group",
]
QUARTER_COLUMNS = [
    "Q%(quarter)d target",
    "Q%(quarter)d realised",
    "Q%(quarter)d achievement",
    "Q%(quarter)d budget spent (Rp)",
    "Q%(quarter)d report",
]


def download(client, user, url=YEAR, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def label(state: str) -> str:
    return str(CellState(state).label)


def header(quarters) -> list[str]:
    return [gettext(text) for text in ACTIVITY_COLUMNS] + [
        gettext(text) % {"quarter": quarter} for quarter in quarters for text in QUARTER_COLUMNS
    ]


@pytest.fixture
def bappeda_in_pillar_two(scene):
    """The draft plan's activity, in pillar 2 beside the two verified plans' ones."""
    activity = scene["draft"].activities.get()
    activity.pillar = scene["plan"].activities.get(name="Pelatihan menjahit").pillar
    activity.save()
    return scene


def test_the_workbook_has_a_summary_then_one_sheet_per_pillar(client, users, scene):
    response, workbook = download(client, users[Role.SECRETARIAT])
    assert workbook.sheetnames == [gettext("Summary"), *PILLARS]
    name = gettext("action-plans-%(year)s.xlsx") % {"year": 2026}
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    for title in PILLARS:
        assert [cell.value for cell in workbook[title][1]] == header((1, 2, 3, 4))


def test_each_activity_is_a_row_with_the_quarters_as_columns(client, users, bappeda_in_pillar_two):
    _response, workbook = download(client, users[Role.SECRETARIAT])
    rows = list(workbook["Pendapatan dan pemberdayaan"].values)[1:]
    assert [(row[0], row[2]) for row in rows[:2]] == [
        ("Bappeda", "Kajian kantong kemiskinan"),
        ("Dinsos P3AP2KB", "Pelatihan menjahit"),
    ]
    assert rows[2][0] == "Disnakertrans"
    draft, training, late, total = rows
    assert draft[1] == gettext("%(status)s, plan not verified yet") % {
        "status": ReviewStatus.DRAFT.label
    }
    assert training[1] == late[1] == ReviewStatus.VERIFIED.label
    assert draft[15::5] == (label(CellState.NO_PLAN),) * 4
    assert training[3:11] == (
        "1.02.02.2.02.0001",
        "Peserta pelatihan",
        "orang",
        100,
        100_000_000,
        "APBD",
        gettext("Not tagged"),
        gettext("All poor"),
    )
    # Q1 verified: 20 of 25, Rp 20 million; Q2 awaiting verification: 30 more, 50 of 50.
    assert training[11:16] == (25, 20, 0.8, 20_000_000, label(CellState.VERIFIED))
    assert training[16:21] == (25, 30, 1.0, 30_000_000, label(CellState.SUBMITTED))
    assert training[21:26] == (25, None, None, None, label(CellState.NOT_DUE))
    # Nothing sent: the state says why; a returned report counts nowhere.
    assert late[12:16] == (
        None,
        None,
        None,
        gettext("%(state)s, late") % {"state": label(CellState.RETURNED)},
    )
    assert late[20] == label(CellState.MISSING)
    # Money adds up across activities; the targets, in different units, do not.
    assert total[0] == gettext("Total, %(count)d activities") % {"count": 3}
    assert total[7] == 300_000_000
    assert (total[14], total[19], total[24], total[29]) == (20_000_000, 30_000_000, 0, 0)
    assert total[6] is None and total[11] is None


def test_numbers_are_numbers_with_thousands_and_percent_formats(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    response = client.get(YEAR)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Pendapatan dan pemberdayaan"]
    training = next(
        row for row in sheet.iter_rows(min_row=2) if row[2].value == "Pelatihan menjahit"
    )
    assert training[7].number_format == "#,##0"  # the budget
    assert training[14].number_format == "#,##0"  # spent in Q1
    assert training[13].number_format == "0.0%"  # achievement in Q1
    assert isinstance(training[7].value, int)
    summary = workbook[gettext("Summary")]
    dinsos = next(row for row in summary.iter_rows(min_row=2) if row[0].value == "Dinsos P3AP2KB")
    assert dinsos[4].number_format == "0.0%"


def test_the_summary_is_the_overviews_matrix(client, users, scene):
    _response, workbook = download(client, users[Role.LEADER])
    rows = list(workbook[gettext("Summary")].values)
    assert rows[0][:6] == (
        gettext("Agency"),
        gettext("Agency name"),
        gettext("Plan"),
        gettext("Q%(quarter)d report") % {"quarter": 1},
        gettext("Q%(quarter)d achievement") % {"quarter": 1},
        gettext("Q%(quarter)d budget absorption") % {"quarter": 1},
    )
    by_agency = {row[0]: row for row in rows[1:]}
    assert set(by_agency) == {"Bappeda", "Dinsos P3AP2KB", "Disnakertrans", "Dispar"}
    dinsos = by_agency["Dinsos P3AP2KB"]
    # Q1: training 80 % and food aid 100 %: 90 %; Rp 20 of 100 million absorbed.
    assert dinsos[3:9] == (
        label(CellState.VERIFIED),
        0.9,
        0.2,
        label(CellState.SUBMITTED),
        1.0,
        0.5,
    )
    assert by_agency["Disnakertrans"][6] == label(CellState.MISSING)
    assert by_agency["Dispar"][2] == gettext("No plan")
    assert by_agency["Dispar"][3] == label(CellState.NO_PLAN)


def test_the_semester_report_has_only_the_first_two_quarters(client, users, scene):
    response, workbook = download(client, users[Role.SECRETARIAT], semester="1")
    name = gettext("action-plans-%(year)s-semester-1.xlsx") % {"year": 2026}
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    for title in PILLARS:
        assert [cell.value for cell in workbook[title][1]] == header((1, 2))
    summary_header = [cell.value for cell in workbook[gettext("Summary")][1]]
    assert len(summary_header) == 3 + 2 * 3
    assert not any("Q3" in text or "Q4" in text for text in summary_header)
    training = next(
        row
        for row in workbook["Pendapatan dan pemberdayaan"].values
        if row[2] == "Pelatihan menjahit"
    )
    assert len(training) == 11 + 2 * 5
    assert training[11:13] == (25, 20)


def test_a_semester_other_than_the_first_or_a_year_out_of_range_is_not_found(client, users):
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(YEAR, {"semester": "3"}).status_code == 404
    assert client.get(reverse("programs:plans_export", args=[1900])).status_code == 404


def test_the_export_is_for_the_secretariat_the_admin_and_leaders(client, users, scene):
    for role in (Role.ADMIN, Role.SECRETARIAT, Role.LEADER):
        client.force_login(users[role])
        assert client.get(YEAR).status_code == 200
    for role in (Role.AGENCY, Role.PARTNER):
        client.force_login(users[role])
        assert client.get(YEAR).status_code == 403
        assert client.get(YEAR, {"semester": "1"}).status_code == 403


def test_the_workbook_takes_the_same_queries_for_more_agencies(scene):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            write_plans(2026, today=TODAY)
        return len(captured)

    before = queries()
    for n in range(4):
        plan = verified_plan_of(AgencyFactory(acronym=f"Extra{n}"), activities=3)
        report = QuarterReportFactory(plan=plan, quarter=1, status=ReviewStatus.VERIFIED)
        for activity in plan.activities.all():
            ProgressFactory(report=report, activity=activity)
        ActivityFactory(plan=plan, agreed=False)
    assert queries() == before


def test_sheet_titles_are_what_excel_accepts_and_unique():
    taken = {"summary"}
    long_name = "Pendapatan/dan:pemberdayaan [masyarakat] miskin*ekstrem?"
    first = sheet_title(long_name, taken)
    second = sheet_title(long_name, taken)
    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & (set(first) | set(second))
    assert first != second and second.endswith("(2)")
    assert sheet_title("Summary", taken) == "Summary (2)"
    assert sheet_title("'", taken)
