"""The home page's action plans: an agency operator's to-do, the secretariat's card."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Progress, default_deadline
from programs.plan_services import (
    plan_create,
    plan_review,
    plan_submit,
    progress_save,
    quarter_report_open,
    reminder_send,
    report_review,
    report_submit,
)
from tests.factories import ActivityFactory, AgencyFactory, PillarFactory, UserFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The home page reads the date from the clock: the tests' story is told from here."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def english(client) -> None:
    """Our own sentences in their source language, whatever the translations say."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def verified_plan(agency, operator, secretariat, year=2026):
    """Training (25 people a quarter, Rp 100 million) and food-aid coverage in % (60, 70,
    80, 90), verified."""
    plan = plan_create(agency=agency, year=year, by=operator)
    ActivityFactory(plan=plan, name="Pelatihan menjahit", position=1, updated_by=operator)
    ActivityFactory(
        plan=plan,
        name="Cakupan bantuan pangan",
        position=2,
        pillar=PillarFactory(order=1),
        unit="%",
        adds_up=False,
        target=90,
        target_q1=60,
        target_q2=70,
        target_q3=80,
        target_q4=90,
        budget=0,
        updated_by=operator,
    )
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)
    # Verified in January, as plans are: its reports are due on the year's deadlines.
    plan.first_verified_on = datetime.date(year, 1, 20)
    plan.save(update_fields=["first_verified_on"])
    return plan


def sent_report(plan, quarter, operator, realised=(20, 30), spent=30_000_000):
    """`quarter`'s report with the training's and the coverage's realised values, sent."""
    report = quarter_report_open(plan=plan, quarter=quarter, today=TODAY)
    for activity, value in zip(plan.activities.order_by("position"), realised, strict=True):
        progress = Progress(
            report=report,
            activity=activity,
            realised=value,
            spent=spent if activity.budget else 0,
        )
        progress_save(progress=progress, version=None, by=operator)
    report.refresh_from_db()
    return report_submit(report=report, version=report.version, by=operator)


def reviewed(report, secretariat, comment=""):
    """Verified, or returned three days after its quarter's deadline (so that the two weeks
    for its correction have passed by 30 November)."""
    report = report_review(
        report=report, version=report.version, verified=not comment, comment=comment, by=secretariat
    )
    returned_on = default_deadline(report.plan.year, report.quarter) + datetime.timedelta(days=3)
    report.reviewed_at = timezone.make_aware(
        datetime.datetime.combine(returned_on, datetime.time(9))
    )
    report.save()
    return report


@pytest.fixture
def operator(users):
    return users[Role.AGENCY]


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


@pytest.fixture
def plan(agency, operator, secretariat):
    """Dinsos's 2026 plan: quarter 1 verified, quarter 2 returned, quarter 3 never sent
    and reminded; their deadlines are past."""
    plan = verified_plan(agency, operator, secretariat)
    reviewed(sent_report(plan, 1, operator), secretariat)
    reviewed(
        sent_report(plan, 2, operator, realised=(25, 70)),
        secretariat,
        comment="Daftar hadir pelatihan menjahit belum dilampirkan.",
    )
    reminder_send(plan=plan, quarter=3, due_on=default_deadline(2026, 3), by=secretariat)
    return plan


@pytest.fixture
def other_plan(other_agency, secretariat):
    """Disnakertrans's plan: its Q1 returned with a comment, its Q3 reminded."""
    other_operator = UserFactory(username="opd.lain", role=Role.AGENCY, agency=other_agency)
    plan = verified_plan(other_agency, other_operator, secretariat)
    reviewed(
        sent_report(plan, 1, other_operator), secretariat, comment="Komentar untuk Disnakertrans."
    )
    reminder_send(plan=plan, quarter=3, due_on=default_deadline(2026, 3), by=secretariat)
    return plan


def to_do_of(client) -> str:
    page = client.get(reverse("home")).content.decode()
    return page.split('data-testid="agency-to-do"')[1].split("</section>")[0]


def test_an_operator_sees_what_is_due_by_when_and_how_late(client, operator, plan):
    client.force_login(operator)
    english(client)
    to_do = to_do_of(client)
    due = to_do.split('data-testid="due"')[1].split("</ul>")[0]
    assert "Quarter 2 report of 2026" in due
    # Returned on 13 July: the correction was due two weeks later.
    assert "due 27 July 2026 — 126 days late" in " ".join(due.split())
    assert "due 10 October 2026 — 51 days late" in " ".join(due.split())
    assert "Quarter 1 report" not in due  # verified: nothing to do
    assert reverse("programs:report_detail", args=[plan.pk, 3]) in due
    upcoming = to_do.split('data-testid="upcoming"')[1][:200]
    assert "Next: the quarter 4 report of 2026, due 10 January 2027." in " ".join(upcoming.split())


def test_an_operator_sees_what_was_returned_why_and_by_whom(client, operator, secretariat, plan):
    client.force_login(operator)
    english(client)
    returned = to_do_of(client).split('data-testid="returned"')[1].split("</ul>")[0]
    assert "Daftar hadir pelatihan menjahit belum dilampirkan." in returned
    assert f"Returned by {secretariat.get_full_name()} on" in returned
    assert reverse("programs:report_detail", args=[plan.pk, 2]) in returned


def test_an_operator_sees_the_secretariats_reminder(client, operator, plan):
    client.force_login(operator)
    english(client)
    reminders = to_do_of(client).split('data-testid="reminders"')[1].split("</div>")[0]
    # The date as the page shows it, in Makassar: the evening in UTC is the next day there.
    reminded_on = timezone.localtime(plan.events.get(action="reminded").at)
    assert f"On {reminded_on:%-d %B %Y} the secretariat reminded you" in reminders
    assert "quarter 3 of 2026 is late" in reminders


def test_an_operator_sees_the_achievement_so_far_and_the_rule(client, operator, plan):
    client.force_login(operator)
    english(client)
    achievement = to_do_of(client).split('data-testid="achievement"')[1].split("</div></div>")[0]
    # Only quarter 1 counts (quarter 2 came back): training 20 of 25, coverage 30 of 60 %.
    assert "Up to quarter 1: 65 % of the cumulative target" in achievement
    assert "Behind" in achievement.split('data-testid="standing"')[1]
    assert "Budget absorbed: 30 % (Rp 30,000,000 of Rp 100,000,000)" in achievement
    assert "under 80 % of the cumulative target" in achievement
    assert reverse("programs:plan_detail", args=[plan.pk]) in to_do_of(client)


def test_in_indonesian_the_dates_and_numbers_are_written_the_indonesian_way(client, operator, plan):
    client.force_login(operator)
    to_do = to_do_of(client)
    assert "10 Oktober 2026" in to_do and "Rp 30.000.000" in to_do


def test_another_agencys_items_never_appear(client, operator, plan, other_plan):
    client.force_login(operator)
    page = client.get(reverse("home")).content.decode()
    assert "Komentar untuk Disnakertrans." not in page
    assert reverse("programs:plan_detail", args=[other_plan.pk]) not in page
    assert reverse("programs:report_detail", args=[other_plan.pk, 1]) not in page
    assert page.count('data-testid="reminders"') == 1


def test_last_years_unsent_report_is_still_due(client, operator, secretariat, agency):
    last_year = verified_plan(agency, operator, secretariat, year=2025)
    for quarter in (1, 2, 3):
        reviewed(sent_report(last_year, quarter, operator), secretariat)
    client.force_login(operator)
    english(client)
    to_do = " ".join(to_do_of(client).split())
    assert "Quarter 4 report of 2025" in to_do
    assert "due 10 January 2026 — 324 days late" in to_do
    # No plan for this year yet: a button to start it, which does.
    assert f'action="{reverse("programs:plan_create")}"' in to_do
    assert 'name="year" value="2026"' in to_do and "Start the 2026 action plan" in to_do
    response = client.post(reverse("programs:plan_create"), {"year": "2026"})
    started = agency.action_plans.get(year=2026)
    assert response.url == reverse("programs:plan_detail", args=[started.pk])
    assert "Finish and submit your plan" in to_do_of(client)


def test_a_draft_or_returned_plan_asks_to_be_finished_and_submitted(
    client, operator, secretariat, agency
):
    plan = plan_create(agency=agency, year=2026, by=operator)
    ActivityFactory(plan=plan, updated_by=operator)
    client.force_login(operator)
    english(client)
    assert "Finish and submit your plan" in to_do_of(client)
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan_review(
        plan=plan,
        version=plan.version,
        verified=False,
        comment="Kode sub kegiatan?",
        by=secretariat,
    )
    to_do = to_do_of(client)
    assert "Correct and submit your plan" in to_do
    returned = to_do.split('data-testid="returned"')[1]
    assert "Action plan for 2026" in returned and "Kode sub kegiatan?" in returned
    assert reverse("programs:plan_detail", args=[plan.pk]) in returned


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.LEADER, Role.PARTNER, Role.ADMIN])
def test_other_roles_never_see_an_agency_to_do(client, users, plan, role):
    client.force_login(users[role])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="agency-to-do"' not in page
    assert "Daftar hadir pelatihan menjahit" not in page


def plans_card(client) -> str:
    page = client.get(reverse("home")).content.decode()
    return " ".join(page.split('data-testid="plans-summary"')[1].split("</section>")[0].split())


def test_the_secretariat_counts_plans_by_status_and_late_reports(
    client, users, plan, other_plan, agency
):
    AgencyFactory(acronym="Dishub")  # no plan yet
    client.force_login(users[Role.SECRETARIAT])
    english(client)
    card = plans_card(client)
    assert "Action plans 2026" in card
    assert '2</span> <span class="small text-body-secondary">Verified' in card
    assert '1</span> <span class="small text-body-secondary">No plan yet' in card
    # Dinsos: Q2 returned and Q3 never sent; Disnakertrans: Q1 returned, Q2 and Q3 unsent.
    assert "5 quarterly reports are late" in card
    assert "0 reports await verification" in card
    assert reverse("programs:plan_overview") in card


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN])
def test_leaders_and_the_administrator_see_the_card_too(client, users, plan, role):
    client.force_login(users[role])
    assert 'data-testid="plans-summary"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_operators_do_not_see_the_secretariats_card(client, users, plan, role):
    client.force_login(users[role])
    assert 'data-testid="plans-summary"' not in client.get(reverse("home")).content.decode()


def test_the_card_costs_the_same_queries_for_more_agencies(client, users, plan, secretariat):
    client.force_login(users[Role.SECRETARIAT])
    client.get(reverse("home"))  # the session and the caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for index in range(3):
        agency = AgencyFactory(acronym=f"OPD {index}")
        agency_operator = UserFactory(role=Role.AGENCY, agency=agency)
        reviewed(
            sent_report(verified_plan(agency, agency_operator, secretariat), 1, agency_operator),
            secretariat,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)
