"""The activity pages of a plan, through their URLs: adding, changing and removing
activities, what the form keeps when a save is refused, and two people editing at once."""

import datetime
import re

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from programs.models import Activity, PlanAction, ReviewStatus
from programs.plan_services import plan_revise
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AreaFactory,
    ProgressFactory,
    QuarterReportFactory,
    UserFactory,
)
from tests.programs.test_views_plans import (
    activity_data,
    activity_edit_data,
    client_for,
    text,
    version_in,
)
from tkpk.models import Role


def test_activity_of_a_submitted_plan_cannot_be_edited(draft_plan, operator):
    draft_plan.refresh_from_db()
    client = client_for(operator)
    client.post(
        reverse("programs:plan_submit", args=[draft_plan.pk]), {"version": draft_plan.version}
    )
    activity = draft_plan.activities.get()
    url = reverse("programs:activity_update", args=[activity.pk])

    opened = text(client.get(url))
    assert 'data-testid="final"' in opened and 'name="name"' not in opened

    refused = client.post(url, activity_edit_data(activity, name="Diubah diam-diam"))
    assert refused.status_code == 400
    # What was typed stays, with the reason above it.
    assert 'value="Diubah diam-diam"' in text(refused)
    assert 'data-testid="form-errors"' in text(refused)
    activity.refresh_from_db()
    assert activity.name == "Pelatihan menjahit"

    added = client.post(reverse("programs:activity_create", args=[draft_plan.pk]), activity_data())
    assert added.status_code == 400
    assert draft_plan.activities.count() == 1


def test_second_save_of_the_same_activity_is_refused_then_kept_knowingly(
    draft_plan, operator, agency
):
    colleague = UserFactory(
        username="opd.kedua", name="Siti Rahmawati", role=Role.AGENCY, agency=agency
    )
    activity = draft_plan.activities.get()
    url = reverse("programs:activity_update", args=[activity.pk])
    first, second = client_for(colleague), client_for(operator)
    read_version = version_in(text(first.get(url)))
    assert version_in(text(second.get(url))) == read_version

    saved = first.post(url, activity_data(version=read_version, name="Pelatihan menjahit lanjut"))
    assert saved.status_code == 302

    refused = second.post(url, activity_data(version=read_version, name="Pelatihan menjahit dasar"))
    assert refused.status_code == 400
    page = text(refused)
    assert "Siti Rahmawati" in page
    conflict = page.split('data-testid="edit-conflict"')[1].split("</table>")[0]
    assert "Pelatihan menjahit lanjut" in conflict and "Pelatihan menjahit dasar" in conflict
    assert 'value="Pelatihan menjahit dasar"' in page  # what was typed stays in the form
    activity.refresh_from_db()
    assert activity.name == "Pelatihan menjahit lanjut"

    again = second.post(
        url, activity_data(version=version_in(page), name="Pelatihan menjahit dasar")
    )
    assert again.status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Pelatihan menjahit dasar"


def test_stale_delete_is_refused(draft_plan, operator):
    activity = draft_plan.activities.get()
    stale = activity.version
    client = client_for(operator)
    client.post(
        reverse("programs:activity_update", args=[activity.pk]),
        activity_edit_data(activity, name="Diubah dulu"),
    )
    response = client.post(
        reverse("programs:activity_delete", args=[activity.pk]), {"version": stale}, follow=True
    )
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert 'role="status"' in text(response) and "Diubah dulu" in text(response)


def test_quarters_not_adding_up_are_marked_on_the_field_with_everything_typed(draft_plan, operator):
    village = AreaFactory(code="63.02.17.2003", name="Langadai")
    response = client_for(operator).post(
        reverse("programs:activity_create", args=[draft_plan.pk]),
        activity_data(target_q4="20", villages=[village.pk], name="Pelatihan baru"),
    )
    assert response.status_code == 400
    page = text(response)
    error = page.split('id="id_target_q4_error"')[1].split("</div></div>")[0]
    assert "95" in error and "100" in error
    assert 'value="Pelatihan baru"' in page and 'value="20"' in page
    assert 'value="150.000.000"' in page
    assert re.search(rf'<option value="{village.pk}"[^>]*selected', page)
    assert draft_plan.activities.count() == 1


def test_activity_keeps_its_villages_and_program_of_the_year(draft_plan, operator):
    from tests.factories import ProgramFactory

    village = AreaFactory(code="63.02.17.2003", name="Langadai")
    this_year = ProgramFactory(code="PRG-2026")
    old = ProgramFactory(
        code="PRG-2020",
        start_date="2020-01-01",
        end_date="2020-12-31",
    )
    client = client_for(operator)
    form = text(client.get(reverse("programs:activity_create", args=[draft_plan.pk])))
    assert "PRG-2026" in form and "PRG-2020" not in form
    assert "Langadai" in form

    response = client.post(
        reverse("programs:activity_create", args=[draft_plan.pk]),
        activity_data(program=this_year.pk, villages=[village.pk]),
    )
    assert response.status_code == 302
    activity = draft_plan.activities.get(name="Pelatihan tata boga")
    assert activity.program == this_year and list(activity.villages.all()) == [village]
    # A program outside the plan's year cannot be slipped in.
    tampered = client.post(
        reverse("programs:activity_update", args=[activity.pk]),
        activity_edit_data(activity, program=old.pk),
    )
    assert tampered.status_code == 400
    activity.refresh_from_db()
    assert activity.program == this_year


def test_activity_with_reported_progress_stays_in_the_plan(verified_plan, operator):
    training = verified_plan.activities.get(name="Pelatihan menjahit")
    report = QuarterReportFactory(plan=verified_plan, quarter=1, status=ReviewStatus.SUBMITTED)
    ProgressFactory(report=report, activity=training)
    plan_revise(plan=verified_plan, by=operator, comment="Tambah kegiatan")
    training.refresh_from_db()
    response = client_for(operator).post(
        reverse("programs:activity_delete", args=[training.pk]),
        {"version": training.version},
        follow=True,
    )
    assert Activity.objects.filter(pk=training.pk).exists()
    assert escape(
        gettext("Progress was reported on “%(name)s”: it stays in the plan.")
        % {"name": "Pelatihan menjahit"}
    ) in text(response)


def test_activity_is_removed_from_a_draft(draft_plan, operator):
    activity = draft_plan.activities.get()
    response = client_for(operator).post(
        reverse("programs:activity_delete", args=[activity.pk]),
        {"version": activity.version},
        follow=True,
    )
    assert not draft_plan.activities.exists()
    assert 'data-testid="no-activities"' in text(response)
    removal = draft_plan.events.get(action=PlanAction.REMOVED)
    assert (removal.comment, removal.by) == ("Pelatihan menjahit", operator)


def test_an_activity_of_the_verified_plan_offers_no_remove_button_in_a_revision(
    verified_plan, operator
):
    plan = plan_revise(plan=verified_plan, by=operator, comment="APBD-P")
    added = ActivityFactory(plan=plan, name="Kegiatan tambahan", updated_by=operator)
    page = text(client_for(operator).get(reverse("programs:plan_detail", args=[plan.pk])))
    removals = re.findall(r'action="/rencana-aksi/kegiatan/(\d+)/hapus/"', page)
    assert removals == [str(added.pk)]


def test_activity_typed_when_the_session_ended_comes_back_after_signing_in(draft_plan, operator):
    client = client_for(operator)
    url = reverse("programs:activity_create", args=[draft_plan.pk])
    assert client.get(url).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(url, activity_data(name="Pelatihan sablon", target_q4="20"))
    login_url = f"{reverse('login')}?next={url}"
    assert response.url == login_url
    page = client.post(login_url, {"username": "opd", "password": PASSWORD}, follow=True)

    assert page.redirect_chain == [(url, 302)]
    typed = text(page)
    assert 'value="Pelatihan sablon"' in typed and 'value="20"' in typed
    assert 'id="id_target_q4_error"' in typed
    assert draft_plan.activities.count() == 1
