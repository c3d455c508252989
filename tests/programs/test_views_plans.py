"""The action plan pages, through their URLs: the workflow from a new plan to a verified
revision, what each role may not do, another agency's plans, and two people editing at once."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from programs.achievement import Standing
from programs.models import ActionPlan, Activity, PlanAction, ReviewStatus
from programs.plan_services import plan_create
from tests.factories import (
    PillarFactory,
    ProgressFactory,
    QuarterReportFactory,
)
from tkpk.models import Role

YEAR = 2026


def text(response) -> str:
    return response.content.decode()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def activity_data(**changes) -> dict:
    """What an operator types for a training activity of 100 people, 25 a quarter."""
    data = {
        "name": "Pelatihan tata boga",
        "sub_activity_code": "1.02.02.2.02.0001",
        "pillar": PillarFactory(order=2).pk,
        "program": "",
        "indicator": "Peserta pelatihan",
        "unit": "orang",
        "target": "100",
        "adds_up": "on",
        "target_q1": "25",
        "target_q2": "25",
        "target_q3": "25",
        "target_q4": "25",
        "budget": "150.000.000",
        "funding_source": "apbd",
        "budget_tag": "direct",
        "target_group": "productive",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def activity_edit_data(activity: Activity, **changes) -> dict:
    return activity_data(version=str(activity.version), **changes)


def version_in(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


# --- the workflow, step by step --------------------------------------------------------------


def test_plan_goes_from_start_to_verified_revision_through_the_pages(
    operator, secretariat, agency, other_agency
):
    agency_client, secretariat_client = client_for(operator), client_for(secretariat)

    listing = agency_client.get(reverse("programs:plan_list"), {"tahun": YEAR})
    assert 'data-testid="start-plan"' in text(listing)
    assert 'name="year" value="2026"' in text(listing)

    # The agency is the operator's own, whatever a tampered form adds.
    created = agency_client.post(
        reverse("programs:plan_create"), {"year": YEAR, "agency": other_agency.pk}
    )
    plan = ActionPlan.objects.get(year=YEAR)
    assert plan.agency == agency and plan.status == ReviewStatus.DRAFT
    assert created.url == reverse("programs:plan_detail", args=[plan.pk])
    assert not ActionPlan.objects.filter(agency=other_agency).exists()

    added = agency_client.post(
        reverse("programs:activity_create", args=[plan.pk]), activity_data(), follow=True
    )
    activity = plan.activities.get()
    assert activity.name == "Pelatihan tata boga" and activity.budget == 150_000_000
    page = text(added)
    assert "Pelatihan tata boga" in page and "Rp 150.000.000" in page
    assert 'data-testid="submit-form"' in page

    plan.refresh_from_db()
    submitted = agency_client.post(
        reverse("programs:plan_submit", args=[plan.pk]), {"version": plan.version}, follow=True
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.SUBMITTED
    assert 'data-testid="awaiting"' in text(submitted)
    assert 'data-testid="add-activity"' not in text(submitted)

    review = secretariat_client.get(reverse("programs:plan_detail", args=[plan.pk]))
    assert 'data-testid="review-form"' in text(review)
    returned = secretariat_client.post(
        reverse("programs:plan_review", args=[plan.pk]),
        {"decision": "return", "version": plan.version, "comment": "Target Q2 terlalu rendah"},
    )
    assert returned.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.RETURNED

    seen = text(agency_client.get(reverse("programs:plan_detail", args=[plan.pk])))
    assert 'data-testid="returned"' in seen and "Target Q2 terlalu rendah" in seen
    assert escape(secretariat.get_full_name()) in seen

    activity.refresh_from_db()
    corrected = agency_client.post(
        reverse("programs:activity_update", args=[activity.pk]),
        activity_edit_data(activity, target_q1="10", target_q2="40"),
    )
    assert corrected.status_code == 302
    activity.refresh_from_db()
    assert activity.target_q2 == 40

    plan.refresh_from_db()
    agency_client.post(reverse("programs:plan_submit", args=[plan.pk]), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.SUBMITTED
    verified = secretariat_client.post(
        reverse("programs:plan_review", args=[plan.pk]),
        {"decision": "verify", "version": plan.version, "comment": ""},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.VERIFIED and plan.revision == 0
    assert gettext("The plan was verified.") in text(verified)

    detail = text(agency_client.get(reverse("programs:plan_detail", args=[plan.pk])))
    assert 'data-testid="revise-form"' in detail and 'data-testid="quarter-links"' in detail
    assert reverse("programs:report_detail", args=[plan.pk, 1]) in detail
    assert 'data-testid="achievement-rules"' in detail

    revised = agency_client.post(
        reverse("programs:plan_revise", args=[plan.pk]),
        {"comment": "Tambah desa sasaran"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.DRAFT and plan.revision == 1
    page = text(revised)
    assert 'data-testid="verified-version"' in page
    assert "(revisi 0)" in page or "(revision 0)" in page
    assert escape(secretariat.get_full_name()) in page

    activity.refresh_from_db()
    agency_client.post(
        reverse("programs:activity_update", args=[activity.pk]),
        activity_edit_data(activity, name="Pelatihan tata boga lanjutan"),
    )
    page = text(agency_client.get(reverse("programs:plan_detail", args=[plan.pk])))
    verified_part = page.split('data-testid="verified-version"')[1].split("</details>")[0]
    assert "Pelatihan tata boga" in verified_part
    assert "Pelatihan tata boga lanjutan" not in verified_part
    assert "Pelatihan tata boga lanjutan" in page.split("</details>")[1]

    plan.refresh_from_db()
    agency_client.post(reverse("programs:plan_submit", args=[plan.pk]), {"version": plan.version})
    plan.refresh_from_db()
    secretariat_client.post(
        reverse("programs:plan_review", args=[plan.pk]),
        {"decision": "verify", "version": plan.version},
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.VERIFIED and plan.revision == 1
    page = text(agency_client.get(reverse("programs:plan_detail", args=[plan.pk])))
    assert 'data-testid="verified-version"' not in page
    actions = list(plan.events.filter(quarter=None).values_list("action", flat=True))
    assert actions[::-1] == [
        PlanAction.CREATED,
        PlanAction.CHANGED,
        PlanAction.SUBMITTED,
        PlanAction.RETURNED,
        PlanAction.CHANGED,
        PlanAction.SUBMITTED,
        PlanAction.VERIFIED,
        PlanAction.REVISION_OPENED,
        PlanAction.CHANGED,
        PlanAction.SUBMITTED,
        PlanAction.VERIFIED,
    ]


def test_history_says_who_did_what_with_the_comment(draft_plan, operator, secretariat):
    draft_plan.refresh_from_db()
    client_for(operator).post(
        reverse("programs:plan_submit", args=[draft_plan.pk]),
        {"version": draft_plan.version, "comment": "Mohon diperiksa"},
    )
    page = text(client_for(secretariat).get(reverse("programs:plan_detail", args=[draft_plan.pk])))
    history = page.split('data-testid="history"')[1].split("</ul>")[0]
    assert escape(operator.get_full_name()) in history
    assert "Mohon diperiksa" in history
    assert str(PlanAction.SUBMITTED.label) in history


def test_starting_a_second_plan_for_the_same_year_is_refused(draft_plan, operator):
    response = client_for(operator).post(
        reverse("programs:plan_create"), {"year": YEAR}, follow=True
    )
    assert ActionPlan.objects.count() == 1
    assert escape(gettext("This agency already has an action plan for that year.")) in text(
        response
    )


# --- what may not be done ------------------------------------------------------------------


def test_verified_plan_changes_only_through_a_revision(verified_plan, operator):
    client = client_for(operator)
    activity = verified_plan.activities.get(name="Pelatihan menjahit")
    url = reverse("programs:activity_update", args=[activity.pk])
    assert 'data-testid="final"' in text(client.get(url))
    refused = client.post(url, activity_edit_data(activity, name="Tanpa revisi"))
    assert refused.status_code == 400
    assert escape(gettext("The plan is verified: open a revision to change it.")) in text(refused)
    deleted = client.post(
        reverse("programs:activity_delete", args=[activity.pk]),
        {"version": activity.version},
        follow=True,
    )
    assert escape(gettext("The plan is verified: open a revision to change it.")) in text(deleted)
    activity.refresh_from_db()
    assert activity.name == "Pelatihan menjahit"


def test_revision_needs_a_comment(verified_plan, operator):
    response = client_for(operator).post(
        reverse("programs:plan_revise", args=[verified_plan.pk]), {"comment": "  "}
    )
    assert response.status_code == 400
    assert 'id="id_comment_error"' in text(response)
    verified_plan.refresh_from_db()
    assert verified_plan.status == ReviewStatus.VERIFIED and verified_plan.revision == 0


def test_returning_without_a_comment_is_refused(draft_plan, operator, secretariat):
    draft_plan.refresh_from_db()
    client_for(operator).post(
        reverse("programs:plan_submit", args=[draft_plan.pk]), {"version": draft_plan.version}
    )
    draft_plan.refresh_from_db()
    response = client_for(secretariat).post(
        reverse("programs:plan_review", args=[draft_plan.pk]),
        {"decision": "return", "version": draft_plan.version, "comment": ""},
    )
    assert response.status_code == 400
    assert gettext("Say why the plan is returned.") in text(response)
    draft_plan.refresh_from_db()
    assert draft_plan.status == ReviewStatus.SUBMITTED


def test_submitting_an_empty_plan_is_refused(operator, agency):
    plan = plan_create(agency=agency, year=YEAR, by=operator)
    response = client_for(operator).post(
        reverse("programs:plan_submit", args=[plan.pk]), {"version": plan.version}
    )
    assert response.status_code == 400
    assert gettext("A plan without activities cannot be submitted.") in text(response)
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.DRAFT


def test_leader_reads_but_cannot_act(draft_plan, users, operator):
    leader = client_for(users[Role.LEADER])
    page = text(leader.get(reverse("programs:plan_detail", args=[draft_plan.pk])))
    assert "Pelatihan menjahit" in page
    assert 'data-testid="submit-form"' not in page and 'data-testid="review-form"' not in page
    draft_plan.refresh_from_db()
    for name in ("plan_submit", "plan_review", "plan_revise"):
        response = leader.post(
            reverse(f"programs:{name}", args=[draft_plan.pk]),
            {"version": draft_plan.version, "decision": "verify", "comment": "x"},
        )
        assert response.status_code == 403, name
    assert leader.post(reverse("programs:plan_create"), {"year": YEAR}).status_code == 403


def test_agency_operator_cannot_review_its_own_plan(draft_plan, operator):
    client = client_for(operator)
    draft_plan.refresh_from_db()
    client.post(
        reverse("programs:plan_submit", args=[draft_plan.pk]), {"version": draft_plan.version}
    )
    draft_plan.refresh_from_db()
    response = client.post(
        reverse("programs:plan_review", args=[draft_plan.pk]),
        {"decision": "verify", "version": draft_plan.version},
    )
    assert response.status_code == 403
    draft_plan.refresh_from_db()
    assert draft_plan.status == ReviewStatus.SUBMITTED
    assert 'data-testid="review-form"' not in text(
        client.get(reverse("programs:plan_detail", args=[draft_plan.pk]))
    )


def test_secretariat_does_not_edit_an_agency_plan(draft_plan, secretariat):
    client = client_for(secretariat)
    activity = draft_plan.activities.get()
    assert client.get(reverse("programs:activity_update", args=[activity.pk])).status_code == 403
    response = client.post(
        reverse("programs:activity_create", args=[draft_plan.pk]), activity_data()
    )
    assert response.status_code == 403
    page = text(client.get(reverse("programs:plan_detail", args=[draft_plan.pk])))
    assert 'data-testid="add-activity"' not in page


def test_partner_and_workflow_gets(draft_plan, users):
    assert client_for(users[Role.PARTNER]).get(reverse("programs:plan_list")).status_code == 403
    operator = client_for(users[Role.AGENCY])
    for name in ("plan_submit", "plan_review", "plan_revise"):
        assert operator.get(reverse(f"programs:{name}", args=[draft_plan.pk])).status_code == 405
    activity = draft_plan.activities.get()
    assert operator.get(reverse("programs:activity_delete", args=[activity.pk])).status_code == 405


# --- another agency's plan ------------------------------------------------------------------


def test_another_agencys_plan_is_not_found_by_url(draft_plan, other_operator):
    client = client_for(other_operator)
    activity = draft_plan.activities.get()
    draft_plan.refresh_from_db()
    assert client.get(reverse("programs:plan_detail", args=[draft_plan.pk])).status_code == 404
    assert client.get(reverse("programs:activity_create", args=[draft_plan.pk])).status_code == 404
    assert client.get(reverse("programs:activity_update", args=[activity.pk])).status_code == 404
    posts = {
        reverse("programs:activity_create", args=[draft_plan.pk]): activity_data(),
        reverse("programs:activity_update", args=[activity.pk]): activity_edit_data(
            activity, name="Diambil alih"
        ),
        reverse("programs:activity_delete", args=[activity.pk]): {"version": activity.version},
        reverse("programs:plan_submit", args=[draft_plan.pk]): {"version": draft_plan.version},
        reverse("programs:plan_revise", args=[draft_plan.pk]): {"comment": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    activity.refresh_from_db()
    assert activity.name == "Pelatihan menjahit"
    assert draft_plan.activities.count() == 1
    draft_plan.refresh_from_db()
    assert draft_plan.status == ReviewStatus.DRAFT


def test_agency_operator_lists_only_its_own_plan(draft_plan, other_agency, other_operator):
    plan_create(agency=other_agency, year=YEAR, by=other_operator)
    page = text(client_for(other_operator).get(reverse("programs:plan_list"), {"tahun": YEAR}))
    assert other_agency.acronym in page
    assert reverse("programs:plan_detail", args=[draft_plan.pk]) not in page
    assert draft_plan.agency.acronym not in page
    assert 'data-testid="start-plan"' not in page


# --- the list and the achievement -------------------------------------------------------------


def test_secretariat_lists_every_agency_with_status_budget_and_achievement(
    verified_plan, secretariat, other_agency
):
    training = verified_plan.activities.get(name="Pelatihan menjahit")
    food = verified_plan.activities.get(name="Cakupan bantuan pangan")
    report = QuarterReportFactory(plan=verified_plan, quarter=1, status=ReviewStatus.SUBMITTED)
    ProgressFactory(report=report, activity=training, realised=21)
    ProgressFactory(report=report, activity=food, realised=60, spent=0)

    page = text(client_for(secretariat).get(reverse("programs:plan_list"), {"tahun": YEAR}))
    rows = page.split('data-testid="plan-row"')[1:]
    ours = next(row for row in rows if verified_plan.agency.acronym in row)
    theirs = next(row for row in rows if other_agency.acronym in row)
    assert str(ReviewStatus.VERIFIED.label) in ours
    assert "Rp 100.000.000" in ours
    assert "92 %" in ours  # (84 % + 100 %) / 2
    assert str(Standing.ON_TRACK.label) in ours
    assert gettext("No plan yet") in theirs
    assert 'data-testid="start-plan"' not in page


def test_plan_detail_shows_targets_budget_and_each_quarters_achievement(verified_plan, users):
    training = verified_plan.activities.get(name="Pelatihan menjahit")
    report = QuarterReportFactory(plan=verified_plan, quarter=1, status=ReviewStatus.VERIFIED)
    ProgressFactory(report=report, activity=training, realised=19)
    page = text(
        client_for(users[Role.LEADER]).get(reverse("programs:plan_detail", args=[verified_plan.pk]))
    )
    row = page.split(f'id="activity-{training.pk}"')[1].split("</tr>")[0]
    assert "76 %" in row and str(Standing.BEHIND.label) in row
    assert str(Standing.NO_REPORT.label) in row  # quarters 2–4 not sent
    assert "Rp 100.000.000" in row
    assert 'data-testid="not-adding-up"' in page  # the food-aid coverage in %
    assert 'data-testid="budget-total"' in page
    assert "80 %" in page.split('data-testid="achievement-rules"')[1]


# --- two people at once -----------------------------------------------------------------------


# --- the activity form ---------------------------------------------------------------------------


def test_submitting_a_plan_changed_since_it_was_read_is_refused_then_possible(draft_plan, operator):
    client = client_for(operator)
    page = text(client.get(reverse("programs:plan_detail", args=[draft_plan.pk])))
    read_version = page.split('data-testid="submit-form"')[1]
    read_version = version_in(read_version)
    client.post(reverse("programs:activity_create", args=[draft_plan.pk]), activity_data())

    refused = client.post(
        reverse("programs:plan_submit", args=[draft_plan.pk]), {"version": read_version}
    )
    assert refused.status_code == 400
    assert 'data-testid="submit-errors"' in text(refused)
    assert "Pelatihan tata boga" in text(refused)  # the page shows the plan as it is now
    draft_plan.refresh_from_db()
    assert draft_plan.status == ReviewStatus.DRAFT

    retry = text(refused).split('data-testid="submit-form"')[1]
    client.post(
        reverse("programs:plan_submit", args=[draft_plan.pk]), {"version": version_in(retry)}
    )
    draft_plan.refresh_from_db()
    assert draft_plan.status == ReviewStatus.SUBMITTED


def test_from_the_last_quarter_an_operator_is_offered_next_years_plan(
    draft_plan, operator, monkeypatch
):
    client = client_for(operator)
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(YEAR, 10, 1))
    page = text(client.get(reverse("programs:plan_list")))
    assert f"?tahun={YEAR + 1}" in page.split('data-testid="next-year"')[1][:300]
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(YEAR, 9, 30))
    assert 'data-testid="next-year"' not in text(client.get(reverse("programs:plan_list")))
