"""The secretariat's overview of action plans: the agencies × quarters matrix, the pillar
filter, the late list with its reminder, and the year's deadlines."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from programs.models import (
    ActionPlan,
    Activity,
    Pillar,
    PlanAction,
    PlanEvent,
    Progress,
    ReportDeadline,
    ReviewStatus,
)
from programs.views import plan_overview as views
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    AgencyFactory,
    PillarFactory,
    ProgressFactory,
    QuarterReportFactory,
    UserFactory,
)
from tkpk.models import Role

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("programs:plan_overview")
REMIND = reverse("programs:reminder_send")
# Q1 and Q2 of 2026 are past their default deadlines (10 April, 10 July); Q3 and Q4 are not.
TODAY = datetime.date(2026, 8, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(views, "_today", lambda: TODAY)


def verified_plan_of(agency, *, activities: int = 1) -> ActionPlan:
    """A verified 2026 plan of `agency`, written directly, with agreed pillar-2 activities."""
    plan = ActionPlanFactory(
        agency=agency, status=ReviewStatus.VERIFIED, verified_version={"activities": []}
    )
    for _n in range(activities):
        ActivityFactory(plan=plan, agreed=True)
    return plan


@pytest.fixture
def scene(verified_plan, agency, other_agency):
    """Dinas Sosial: Q1 verified, Q2 awaiting verification. Disnakertrans: Q1 returned,
    Q2 nothing. Bappeda: a draft plan never verified. Dispar: no plan at all."""
    training = verified_plan.activities.get(name="Pelatihan menjahit")
    food = verified_plan.activities.get(name="Cakupan bantuan pangan")
    q1 = QuarterReportFactory(plan=verified_plan, quarter=1, status=ReviewStatus.VERIFIED)
    ProgressFactory(report=q1, activity=training, realised=20, spent=20_000_000)
    ProgressFactory(report=q1, activity=food, realised=60, spent=0)
    q2 = QuarterReportFactory(plan=verified_plan, quarter=2, status=ReviewStatus.SUBMITTED)
    ProgressFactory(report=q2, activity=training, realised=30, spent=30_000_000)
    ProgressFactory(report=q2, activity=food, realised=70, spent=0)
    late = verified_plan_of(other_agency)
    QuarterReportFactory(
        plan=late, quarter=1, status=ReviewStatus.RETURNED, review_comment="Bukti belum ada"
    )
    draft = ActionPlanFactory(agency=AgencyFactory(acronym="Bappeda", name="Bappeda Kotabaru"))
    ActivityFactory(plan=draft, name="Kajian kantong kemiskinan", pillar=PillarFactory(order=3))
    AgencyFactory(acronym="Dispar", name="Dinas Pariwisata")
    return {"plan": verified_plan, "late": late, "draft": draft}


def page_of(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(OVERVIEW, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_of(html: str, agency_name: str) -> str:
    rows = re.findall(r'<tr data-testid="matrix-row">(.*?)</tr>', html, re.S)
    (row,) = [row for row in rows if agency_name in row]
    return row


def cell_of(html: str, agency_name: str, quarter: int) -> str:
    row = row_of(html, agency_name)
    return re.search(rf'<td [^>]*data-quarter="{quarter}">(.*?)</td>', row, re.S).group(0)


def state_of(html: str, agency_name: str, quarter: int) -> str:
    return re.search(r'data-state="(\w+)"', cell_of(html, agency_name, quarter)).group(1)


def late_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="late-row">(.*?)</tr>', html, re.S)


# The matrix ------------------------------------------------------------------------------


def test_each_cell_shows_the_state_of_that_agencys_report_in_that_quarter(client, users, scene):
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    states = {
        name: [state_of(html, name, quarter) for quarter in (1, 2, 3, 4)]
        for name in ("Dinas Sosial P3AP2KB", "Dinas Tenaga Kerja", "Bappeda", "Pariwisata")
    }
    assert states == {
        "Dinas Sosial P3AP2KB": ["verified", "submitted", "not_due", "not_due"],
        "Dinas Tenaga Kerja": ["returned", "missing", "not_due", "not_due"],
        "Bappeda": ["no_plan"] * 4,
        "Pariwisata": ["no_plan"] * 4,
    }
    # Late is marked where the deadline passed with nothing sent, and only there.
    late_marked = {
        (name, quarter)
        for name in ("Dinas Sosial P3AP2KB", "Dinas Tenaga Kerja", "Bappeda", "Pariwisata")
        for quarter in (1, 2, 3, 4)
        if 'data-testid="late-mark"' in cell_of(html, name, quarter)
    }
    assert late_marked == {("Dinas Tenaga Kerja", 1), ("Dinas Tenaga Kerja", 2)}


def test_each_state_has_a_text_label_beside_its_colour(client, users, scene):
    client.cookies["django_language"] = "en"
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    labels = {
        (1, "Dinas Sosial P3AP2KB"): "Verified",
        (2, "Dinas Sosial P3AP2KB"): "Awaiting verification",
        (3, "Dinas Sosial P3AP2KB"): "Not due yet",
        (1, "Dinas Tenaga Kerja"): "Returned",
        (2, "Dinas Tenaga Kerja"): "Missing",
        (1, "Bappeda"): "No verified plan",
    }
    for (quarter, name), label in labels.items():
        badge = re.search(
            r'data-testid="state-badge"><span aria-hidden="true">[^<]+</span>([^<]+)</span>',
            cell_of(html, name, quarter),
        )
        assert badge.group(1).strip() == label, (name, quarter)
    legend = html[html.index('data-testid="legend"') :]
    for label in set(labels.values()):
        assert label in legend
    assert 'data-testid="achievement-rules"' in legend


def test_a_cell_shows_achievement_and_absorption_once_reported(client, users, scene):
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    # Q1: training 20 of 25 (80 %), food aid 60 of 60 % (100 %): 90 %; Rp 20 of 100 million.
    q1 = cell_of(html, "Dinas Sosial P3AP2KB", 1)
    assert "90 %" in q1
    assert "20 %" in q1
    # Q2, awaiting verification, counts: 50 of 50 and 70 of 70; Rp 50 of 100 million.
    q2 = cell_of(html, "Dinas Sosial P3AP2KB", 2)
    assert "100 %" in q2
    assert "50 %" in q2
    # Nothing sent: no figures.
    for name, quarter in [("Dinas Tenaga Kerja", 1), ("Dinas Tenaga Kerja", 2), ("Bappeda", 1)]:
        assert 'data-testid="achievement"' not in cell_of(html, name, quarter)


def test_cells_link_to_the_report_and_agency_names_to_the_plan(client, users, scene):
    html = page_of(client, users[Role.LEADER], tahun=2026)
    plan = scene["plan"]
    assert reverse("programs:report_detail", args=[plan.pk, 2]) in cell_of(
        html, "Dinas Sosial P3AP2KB", 2
    )
    assert reverse("programs:plan_detail", args=[plan.pk]) in row_of(html, "Dinas Sosial P3AP2KB")
    assert reverse("programs:plan_detail", args=[scene["draft"].pk]) in row_of(html, "Bappeda")
    # An agency without a plan has nothing to open.
    assert "<a " not in row_of(html, "Pariwisata")


def test_the_pillar_filter_narrows_the_achievement_and_the_agencies(client, users, scene):
    income = Pillar.objects.get(order=2)
    spending = Pillar.objects.get(order=1)
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026, pilar=income.pk)
    # Only the training (pillar 2): 20 of 25.
    assert "80 %" in cell_of(html, "Dinas Sosial P3AP2KB", 1)
    assert "Dinas Tenaga Kerja" in html  # its activity is of pillar 2
    assert "Bappeda" not in html.split('data-testid="plan-matrix"')[1].split("</table>")[0]
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026, pilar=spending.pk)
    assert "100 %" in cell_of(html, "Dinas Sosial P3AP2KB", 1)
    matrix = html.split('data-testid="plan-matrix"')[1].split("</table>")[0]
    assert "Dinas Tenaga Kerja" not in matrix
    assert late_rows(html) == []  # its late reports are of another pillar


def test_a_filter_that_cannot_be_used_says_so_and_keeps_what_can(client, users, scene):
    html = page_of(client, users[Role.SECRETARIAT], tahun="abc", pilar="999")
    assert "alert-danger" in html
    assert 'data-testid="plan-matrix"' in html
    # A wrong pillar beside a right year: that year, every pillar.
    html = page_of(client, users[Role.SECRETARIAT], tahun="2026", pilar="999")
    assert "alert-danger" in html
    assert state_of(html, "Dinas Sosial P3AP2KB", 1) == "verified"
    assert "90 %" in cell_of(html, "Dinas Sosial P3AP2KB", 1)


def test_the_overview_is_for_the_secretariat_the_admin_and_leaders(client, users, scene):
    for role in (Role.ADMIN, Role.SECRETARIAT, Role.LEADER):
        client.force_login(users[role])
        assert client.get(OVERVIEW).status_code == 200
    for role in (Role.AGENCY, Role.PARTNER):
        client.force_login(users[role])
        assert client.get(OVERVIEW).status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_agencies(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(OVERVIEW, {"tahun": 2026}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        plan = verified_plan_of(AgencyFactory(acronym=f"Extra{n}"), activities=3)
        report = QuarterReportFactory(plan=plan, quarter=1, status=ReviewStatus.SUBMITTED)
        for activity in plan.activities.all():
            ProgressFactory(report=report, activity=activity)
        PlanEvent.objects.create(
            plan=plan, quarter=2, action=PlanAction.REMINDED, by=users[Role.SECRETARIAT]
        )
    assert queries() == before
    pillar = Pillar.objects.get(order=2)
    with CaptureQueriesContext(connection) as captured:
        client.get(OVERVIEW, {"tahun": 2026, "pilar": pillar.pk})
    assert len(captured) <= before + 2  # the pillar itself, and which agencies have it


# The late list and the deadlines -------------------------------------------------------------


def test_the_late_list_names_each_late_report_with_its_deadline_and_days_late(client, users, scene):
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    rows = late_rows(html)
    assert len(rows) == 2
    q1, q2 = rows
    assert "Dinas Tenaga Kerja" in q1
    assert date_format(datetime.date(2026, 4, 10), "j M Y") in q1
    assert '<td data-label="' in q1
    assert ">127<" in q1  # 10 April to 15 August
    assert date_format(datetime.date(2026, 7, 10), "j M Y") in q2
    assert ">36<" in q2
    assert all('data-testid="remind-button"' in row for row in rows)


def test_leaders_see_the_late_list_without_reminder_buttons_or_deadlines(client, users, scene):
    html = page_of(client, users[Role.LEADER], tahun=2026)
    assert len(late_rows(html)) == 2
    assert 'data-testid="remind-button"' not in html
    assert reverse("programs:deadline_edit", args=[2026]) not in html
    manager = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    assert reverse("programs:deadline_edit", args=[2026]) in manager
    for html in (manager, page_of(client, users[Role.LEADER], tahun=2026)):
        assert reverse("programs:plans_export", args=[2026]) in html
        assert reverse("programs:plans_export", args=[2026]) + "?semester=1" in html


def test_a_deadline_moved_later_takes_the_report_off_the_late_list(client, users, scene):
    ReportDeadline.objects.create(
        year=2026, quarter=2, due_on=datetime.date(2026, 9, 30), set_by=users[Role.SECRETARIAT]
    )
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    assert state_of(html, "Dinas Tenaga Kerja", 2) == "not_due"
    assert len(late_rows(html)) == 1
    assert date_format(datetime.date(2026, 9, 30), "j M Y") in html  # the column's deadline


def test_the_deadline_form_starts_from_the_defaults(client, users):
    client.force_login(users[Role.SECRETARIAT])
    html = client.get(reverse("programs:deadline_edit", args=[2026])).content.decode()
    for quarter, due in [
        (1, "2026-04-10"),
        (2, "2026-07-10"),
        (3, "2026-10-10"),
        (4, "2027-01-10"),
    ]:
        assert re.search(rf'name="q{quarter}" value="{due}"', html), quarter


def test_deadlines_saved_move_the_late_list(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("programs:deadline_edit", args=[2026]),
        {"q1": "2026-04-10", "q2": "2026-08-31", "q3": "2026-10-10", "q4": "2027-01-10"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{OVERVIEW}?tahun=2026"
    # Only the deadline that changed is stored; the others stay the defaults.
    assert list(ReportDeadline.objects.values_list("quarter", "due_on")) == [
        (2, datetime.date(2026, 8, 31))
    ]
    assert len(late_rows(page_of(client, users[Role.SECRETARIAT], tahun=2026))) == 1


def test_a_deadline_before_its_quarter_ends_is_refused_next_to_its_field_and_nothing_saved(
    client, users
):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(
        reverse("programs:deadline_edit", args=[2026]),
        {"q1": "2026-04-20", "q2": "2026-07-10", "q3": "2026-06-01", "q4": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    q3 = html[html.index('id="id_q3"') - 400 : html.index('id="id_q3"') + 600]
    assert "is-invalid" in q3
    assert 'value="2026-06-01"' in q3  # what was typed comes back
    assert "is-invalid" in html[html.index('id="id_q4"') - 400 : html.index('id="id_q4"') + 600]
    assert not ReportDeadline.objects.exists()
    # Only Q3 wrong: Q1's change is not kept without it.
    response = client.post(
        reverse("programs:deadline_edit", args=[2026]),
        {"q1": "2026-04-20", "q2": "2026-07-10", "q3": "2026-06-01", "q4": "2027-01-10"},
    )
    assert response.status_code == 400
    message = gettext("A deadline falls after its quarter has ended.")
    assert message in response.content.decode()
    assert not ReportDeadline.objects.exists()


def test_deadlines_are_set_by_managers_only(client, users):
    url = reverse("programs:deadline_edit", args=[2026])
    for role in (Role.LEADER, Role.AGENCY, Role.PARTNER):
        client.force_login(users[role])
        assert client.get(url).status_code == 403
        assert client.post(url, {"q1": "2026-04-30"}).status_code == 403
    assert not ReportDeadline.objects.exists()
    client.force_login(users[Role.ADMIN])
    assert client.get(url).status_code == 200
    assert client.get(reverse("programs:deadline_edit", args=[1900])).status_code == 404


# The reminder ----------------------------------------------------------------------------------


def reminders() -> list[tuple]:
    return list(
        PlanEvent.objects.filter(action=PlanAction.REMINDED).values_list(
            "plan__agency__acronym", "quarter"
        )
    )


def test_a_reminder_is_recorded_and_shown_on_the_late_row(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    pillar = Pillar.objects.get(order=2)
    response = client.post(REMIND, {"plan": scene["late"].pk, "quarter": 2, "pilar": pillar.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{OVERVIEW}?tahun=2026&pilar={pillar.pk}#late"
    assert reminders() == [("Disnakertrans", 2)]
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    q1, q2 = late_rows(html)
    sent = PlanEvent.objects.get(action=PlanAction.REMINDED)
    assert date_format(timezone.localtime(sent.at), "j M Y") in q2
    assert 'data-testid="reminded"><span' in q1  # not reminded yet


def test_a_reminder_is_mailed_to_the_agencys_operators_only_when_mail_is_configured(
    client, users, scene, other_agency, settings, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.AGENCY, agency=other_agency, email="opd@disnakertrans.test")
    UserFactory(role=Role.AGENCY, agency=other_agency, email="")
    UserFactory(role=Role.AGENCY, agency=scene["plan"].agency, email="lain@dinsos.test")
    client.force_login(users[Role.SECRETARIAT])
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"plan": scene["late"].pk, "quarter": 1})
    assert mail.outbox == []
    settings.EMAIL_HOST = "smtp.test"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"plan": scene["late"].pk, "quarter": 2})
    assert [message.to for message in mail.outbox] == [["opd@disnakertrans.test"]]
    assert "2026" in mail.outbox[0].subject
    assert reminders() == [("Disnakertrans", 2), ("Disnakertrans", 1)]


def test_a_reminder_for_a_report_already_sent_is_refused(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    response = client.post(REMIND, {"plan": scene["plan"].pk, "quarter": 2}, follow=True)
    assert reminders() == []
    message = gettext("This report has been sent meanwhile: no reminder is needed.")
    assert message in response.content.decode()


def test_a_tampered_reminder_sends_nothing(client, users, scene):
    client.force_login(users[Role.SECRETARIAT])
    for data in ({"plan": 99999, "quarter": 2}, {"plan": scene["late"].pk, "quarter": 5}, {}):
        response = client.post(REMIND, data)
        assert response.status_code == 302
    assert reminders() == []


def test_only_managers_send_reminders_and_only_by_post(client, users, scene):
    data = {"plan": scene["late"].pk, "quarter": 2}
    for role in (Role.LEADER, Role.AGENCY, Role.PARTNER):
        client.force_login(users[role])
        assert client.post(REMIND, data).status_code == 403
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(REMIND, data).status_code == 405
    assert reminders() == []
    client.force_login(users[Role.ADMIN])
    assert client.post(REMIND, data).status_code == 302
    assert reminders() == [("Disnakertrans", 2)]


def test_the_matrix_counts_only_agreed_activities(client, users, scene):
    """An activity added in a revision not yet verified takes no progress: it is left out."""
    plan = scene["plan"]
    ActivityFactory(plan=plan, agreed=False, name="Baru, belum disepakati")
    assert Activity.objects.filter(plan=plan).count() == 3
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    assert "90 %" in cell_of(html, "Dinas Sosial P3AP2KB", 1)


def test_an_agency_behind_its_cumulative_target_is_marked_in_its_cell(client, users, scene):
    # Q2: training 25 of 50 (50 %), coverage at its level (100 %): 75 % on average.
    Progress.objects.filter(report__quarter=2, activity__name="Pelatihan menjahit").update(
        realised=5
    )
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    assert 'data-testid="standing"' in cell_of(html, "Dinas Sosial P3AP2KB", 2)
    assert "75 %" in cell_of(html, "Dinas Sosial P3AP2KB", 2)
    assert 'data-testid="standing"' not in cell_of(html, "Dinas Sosial P3AP2KB", 1)


def test_a_plan_verified_late_shows_its_own_deadline_in_its_cells_not_in_the_header(
    client, users, scene
):
    late = scene["late"]
    late.first_verified_on = datetime.date(2026, 8, 3)
    late.save()
    html = page_of(client, users[Role.SECRETARIAT], tahun=2026)
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert "10 Apr 2026" in header and "17 Agu 2026" not in header
    assert "17 Agu 2026" in cell_of(html, "Dinas Tenaga Kerja", 1)
    assert 'data-testid="own-deadline"' not in cell_of(html, "Dinas Sosial P3AP2KB", 1)
