"""Every URL in the URLconf, for every role: the status each one must get.

Adding a URL without deciding here what each role gets fails
`test_every_url_has_a_decision_for_every_role`.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from households.models import DtsenImport, ExportStatus, ImportStatus, RegisterExport
from partners.models import Evidence
from programs.models import EnrollmentUpload, Progress, ProgressEvidence, UploadStatus
from programs.plan_services import (
    PLAN_READERS,
    plan_create,
    plan_review,
    plan_revise,
    plan_submit,
    progress_save,
    quarter_report_open,
)
from programs.views.programs import PROGRAM_READERS
from reports.models import (
    AwardCandidate,
    AwardCategory,
    BuildStatus,
    CandidateKind,
    PovertyStatistic,
    ReportBuild,
)
from reports.year_end.services import year_end_report_start
from tests.factories import (
    ActivityFactory,
    AgencyFactory,
    AreaFactory,
    CommitmentFactory,
    EnrollmentFactory,
    PersonFactory,
    PledgeFactory,
    ProgramFactory,
    RealisationFactory,
    VillageQuotaFactory,
)
from tkpk.models import Role
from tkpk.permissions import REGION_READERS

READS_PARTNERS = (Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY)
ANON = "anonymous"
ROLES = [ANON, *Role.values]
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status, anonymous=REDIRECT):
    return {ANON: anonymous, **dict.fromkeys(Role.values, status)}


def only(*roles, anonymous=REDIRECT):
    return {ANON: anonymous, **{r: OK if r in roles else FORBIDDEN for r in Role.values}}


# url name -> (kwargs builder, expected GET status per role)
EXPECTED = {
    "home": (None, everyone(OK)),
    "login": (None, everyone(REDIRECT, anonymous=OK)),
    "logout": (None, everyone(NOT_ALLOWED)),  # POST only
    "password_change": (None, everyone(OK)),
    "password_change_done": (None, everyone(OK)),
    "set_language": (None, everyone(REDIRECT)),  # back to the page it came from
    "user_list": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "user_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "user_update": (
        lambda ctx: {"pk": ctx["users"][Role.AGENCY].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "agency_list": (None, only(Role.ADMIN, Role.SECRETARIAT, Role.LEADER)),
    "agency_detail": (
        lambda ctx: {"pk": ctx["agency"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY),
    ),
    "households:area_list": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "households:area_detail": (
        lambda ctx: {"code": ctx["district"].code},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "households:household_list": (None, only(Role.ADMIN, Role.SECRETARIAT, Role.LEADER)),
    "households:household_detail": (
        lambda ctx: {"pk": ctx["person"].household_id},
        only(Role.ADMIN, Role.SECRETARIAT, Role.LEADER),
    ),
    # An agency operator opens a person only through its own agency's programs: this
    # person takes part in one the operator's agency leads.
    "households:person_detail": (
        lambda ctx: {"pk": ctx["person"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY),
    ),
    # Personal data leaves only through the secretariat, by POST (the file is built later).
    "households:household_export": (None, everyone(NOT_ALLOWED)),
    # The register's filter form is POSTed here, so a searched NIK stays out of URLs.
    "households:household_search": (None, everyone(NOT_ALLOWED)),
    # An export is seen and downloaded only by whoever asked for it (here the secretariat):
    # an administrator may export too, but not download a colleague's file.
    "households:export_detail": (
        lambda ctx: {"pk": ctx["export"].pk},
        {**only(Role.ADMIN, Role.SECRETARIAT), Role.ADMIN: NOT_FOUND},
    ),
    "households:export_download": (
        lambda ctx: {"pk": ctx["export"].pk},
        {**only(Role.ADMIN, Role.SECRETARIAT), Role.ADMIN: NOT_FOUND},
    ),
    # DTSEN loads are the secretariat's, and the administrator's (who may do everything).
    "households:dtsen_list": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "households:dtsen_detail": (
        lambda ctx: {"pk": ctx["load"].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "households:dtsen_import": (lambda ctx: {"pk": ctx["load"].pk}, everyone(NOT_ALLOWED)),
    "households:dtsen_cancel": (lambda ctx: {"pk": ctx["load"].pk}, everyone(NOT_ALLOWED)),
    # Who a load adds or changes: personal data, for those who manage the register.
    "households:dtsen_changes": (
        lambda ctx: {"pk": ctx["load"].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "households:dtsen_changes_download": (
        lambda ctx: {"pk": ctx["load"].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    # This load found no errors, so it has no error report to download.
    "households:dtsen_error_report": (
        lambda ctx: {"pk": ctx["load"].pk},
        {**only(Role.ADMIN, Role.SECRETARIAT), Role.ADMIN: NOT_FOUND, Role.SECRETARIAT: NOT_FOUND},
    ),
    # Programs: everyone reads them, a partner operator only those its partner signed a
    # commitment for (as here); the secretariat creates them, and the lead agency's
    # operator (here) manages its program and its participants.
    "programs:program_list": (None, only(*PROGRAM_READERS)),
    "programs:program_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "programs:pillar_list": (None, only(*PROGRAM_READERS)),
    "programs:pillar_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "programs:pillar_update": (
        lambda ctx: {"pk": ctx["program"].pillar_id},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "programs:program_detail": (lambda ctx: {"code": ctx["program"].code}, only(*PROGRAM_READERS)),
    "programs:program_update": (
        lambda ctx: {"code": ctx["program"].code},
        only(Role.ADMIN, Role.SECRETARIAT, Role.AGENCY),
    ),
    "programs:eligible_list": (
        lambda ctx: {"code": ctx["program"].code, "village": ctx["person"].household.village_id},
        only(Role.ADMIN, Role.SECRETARIAT, Role.AGENCY),
    ),
    # A NIK typed to find someone travels in a POST body.
    "programs:person_search": (lambda ctx: {"code": ctx["program"].code}, everyone(NOT_ALLOWED)),
    "programs:enroll": (lambda ctx: {"code": ctx["program"].code}, everyone(NOT_ALLOWED)),
    # Who takes part is not for partners, even in a program they signed for (here they did).
    "programs:participants_export": (
        lambda ctx: {"code": ctx["program"].code},
        {**only(*PROGRAM_READERS), Role.PARTNER: FORBIDDEN},
    ),
    "programs:participant_detail": (
        lambda ctx: {"code": ctx["program"].code, "pk": ctx["enrollment"].pk},
        {**only(*PROGRAM_READERS), Role.PARTNER: FORBIDDEN},
    ),
    "programs:participant_status": (
        lambda ctx: {"code": ctx["program"].code, "pk": ctx["enrollment"].pk},
        everyone(NOT_ALLOWED),
    ),
    "programs:participant_income": (
        lambda ctx: {"code": ctx["program"].code, "pk": ctx["enrollment"].pk},
        everyone(NOT_ALLOWED),
    ),
    # Overlap: region-wide for the region readers; an agency operator sees the overlap
    # touching its own programs. Exclusion: a program's, for whoever may see its
    # participants (here the operator's agency leads it). Partners: neither.
    "programs:overlap": (None, only(*REGION_READERS, Role.AGENCY)),
    "programs:overlap_export": (None, only(*REGION_READERS, Role.AGENCY)),
    "programs:exclusion": (
        lambda ctx: {"code": ctx["program"].code},
        only(*REGION_READERS, Role.AGENCY),
    ),
    "programs:exclusion_export": (
        lambda ctx: {"code": ctx["program"].code},
        only(*REGION_READERS, Role.AGENCY),
    ),
    # Enrolling from a file: those who manage the program; this upload's program is led by
    # another agency than the operator's. It found no errors, so it has no error report.
    "programs:enrollment_upload": (
        lambda ctx: {"code": ctx["enrollment_upload"].program.code},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "programs:enrollment_upload_detail": (
        lambda ctx: {
            "code": ctx["enrollment_upload"].program.code,
            "pk": ctx["enrollment_upload"].pk,
        },
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "programs:enrollment_upload_enroll": (
        lambda ctx: {
            "code": ctx["enrollment_upload"].program.code,
            "pk": ctx["enrollment_upload"].pk,
        },
        everyone(NOT_ALLOWED),
    ),
    "programs:enrollment_upload_error_report": (
        lambda ctx: {
            "code": ctx["enrollment_upload"].program.code,
            "pk": ctx["enrollment_upload"].pk,
        },
        {**only(Role.ADMIN, Role.SECRETARIAT), Role.ADMIN: NOT_FOUND, Role.SECRETARIAT: NOT_FOUND},
    ),
    # Partners: everyone but partner operators reads the partners and their commitments;
    # a partner operator reads its own partner (here `mitra` works for the context's
    # partner) and what it signed, and records its realisations; the secretariat changes
    # partners and commitments and verifies realisations.
    "partners:partner_list": (None, only(*READS_PARTNERS)),
    "partners:partner_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "partners:partner_export": (None, only(*REGION_READERS)),
    "partners:pledge_export": (None, only(*REGION_READERS)),
    "partners:partner_target": (None, everyone(NOT_ALLOWED)),  # POST only
    "partners:partner_detail": (lambda ctx: {"pk": ctx["partner"].pk}, everyone(OK)),
    "partners:partner_update": (
        lambda ctx: {"pk": ctx["partner"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.PARTNER),
    ),
    "partners:commitment_list": (None, everyone(OK)),
    "partners:commitment_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "partners:commitment_detail": (lambda ctx: {"pk": ctx["commitment"].pk}, everyone(OK)),
    "partners:commitment_update": (
        lambda ctx: {"pk": ctx["commitment"].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "partners:commitment_document": (lambda ctx: {"pk": ctx["commitment"].pk}, everyone(OK)),
    "partners:realisation_create": (
        lambda ctx: {"pk": ctx["pledge"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.PARTNER),
    ),
    "partners:realisation_list": (None, everyone(OK)),
    "partners:realisation_detail": (lambda ctx: {"pk": ctx["realisation"].pk}, everyone(OK)),
    "partners:realisation_update": (
        lambda ctx: {"pk": ctx["realisation"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.PARTNER),
    ),
    "partners:realisation_review": (
        lambda ctx: {"pk": ctx["realisation"].pk},
        everyone(NOT_ALLOWED),  # POST only
    ),
    # Evidence (receipts, handover lists, photos) often names people: the secretariat's
    # and the owning partner's only.
    "partners:evidence_download": (
        lambda ctx: {"pk": ctx["realisation"].pk, "evidence": ctx["evidence"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.PARTNER),
    ),
    # Action plans: the region's readers and the agency's own operators read them; only
    # the agency's operators write them (here the context's plan, verified and then opened
    # for a revision, so that both its activities and its Q1 report are editable); the
    # secretariat reviews, reminds and sets deadlines.
    "programs:plan_list": (None, only(*PLAN_READERS)),
    "programs:plan_create": (None, everyone(NOT_ALLOWED)),  # POST only: the year's button
    "programs:plan_overview": (None, only(*REGION_READERS)),
    "programs:reminder_send": (None, everyone(NOT_ALLOWED)),  # POST only
    "programs:deadline_edit": (lambda ctx: {"year": 2026}, only(Role.ADMIN, Role.SECRETARIAT)),
    "programs:plans_export": (lambda ctx: {"year": 2026}, only(*REGION_READERS)),
    "programs:plan_detail": (lambda ctx: {"pk": ctx["plan"].pk}, only(*PLAN_READERS)),
    "programs:activity_create": (lambda ctx: {"pk": ctx["plan"].pk}, only(Role.AGENCY)),
    "programs:activity_update": (lambda ctx: {"pk": ctx["activity"].pk}, only(Role.AGENCY)),
    "programs:activity_delete": (lambda ctx: {"pk": ctx["activity"].pk}, everyone(NOT_ALLOWED)),
    "programs:plan_submit": (lambda ctx: {"pk": ctx["plan"].pk}, everyone(NOT_ALLOWED)),
    "programs:plan_review": (lambda ctx: {"pk": ctx["plan"].pk}, everyone(NOT_ALLOWED)),
    "programs:plan_revise": (lambda ctx: {"pk": ctx["plan"].pk}, everyone(NOT_ALLOWED)),
    "programs:report_detail": (
        lambda ctx: {"pk": ctx["plan"].pk, "quarter": 1},
        only(*PLAN_READERS),
    ),
    "programs:progress_edit": (
        lambda ctx: {"pk": ctx["plan"].pk, "quarter": 1, "activity": ctx["activity"].pk},
        only(Role.AGENCY),
    ),
    "programs:report_submit": (
        lambda ctx: {"pk": ctx["plan"].pk, "quarter": 1},
        everyone(NOT_ALLOWED),
    ),
    "programs:report_review": (
        lambda ctx: {"pk": ctx["plan"].pk, "quarter": 1},
        everyone(NOT_ALLOWED),
    ),
    "reports:dashboard": (None, only(*REGION_READERS)),
    "reports:statistic_list": (None, only(*REGION_READERS)),
    "reports:statistic_create": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "reports:statistic_update": (
        lambda ctx: {"pk": ctx["statistic"].pk},
        only(Role.ADMIN, Role.SECRETARIAT),
    ),
    "reports:statistic_upload": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "reports:statistic_template": (None, only(Role.ADMIN, Role.SECRETARIAT)),
    "reports:dashboard_area": (lambda ctx: {"code": "63.02.17"}, only(*REGION_READERS)),
    "reports:dashboard_list": (
        lambda ctx: {"code": ctx["person"].household.village_id, "measure": "desil"},
        only(*REGION_READERS),
    ),
    # Leaders and the secretariat download the dashboard's figures; an operator those of
    # their own home page: the programs of an agency, not a partner's.
    "reports:figure_download": (
        lambda ctx: {"slug": "program"},
        {**everyone(OK), Role.PARTNER: NOT_FOUND},
    ),
    # The year-end report and the awards: the secretariat writes, leaders read and download,
    # agency and partner operators see neither.
    "reports:year_end_list": (None, only(*REGION_READERS)),
    "reports:year_end_detail": (lambda ctx: {"year": 2026}, only(*REGION_READERS)),
    "reports:year_end_finalise": (lambda ctx: {"year": 2026}, only(Role.ADMIN, Role.SECRETARIAT)),
    "reports:year_end_build": (lambda ctx: {"year": 2026}, everyone(NOT_ALLOWED)),
    # Outside htmx's polling, a build's progress is shown on its report's page.
    "reports:year_end_build_detail": (
        lambda ctx: {"pk": ctx["year_end_build"].pk},
        {**only(*REGION_READERS), **dict.fromkeys(REGION_READERS, REDIRECT)},
    ),
    "reports:year_end_download": (
        lambda ctx: {"pk": ctx["year_end_build"].pk, "kind": "pdf"},
        only(*REGION_READERS),
    ),
    "reports:award_index": (None, only(*REGION_READERS)),
    "reports:award_year": (lambda ctx: {"year": 2026}, only(*REGION_READERS)),
    "reports:award_start": (lambda ctx: {"year": 2026}, everyone(NOT_ALLOWED)),
    # The method is published: agencies and partners read how they are scored.
    "reports:award_method": (lambda ctx: {"year": 2026}, everyone(OK)),
    "reports:award_category_create": (lambda ctx: {"year": 2026}, everyone(NOT_ALLOWED)),
    "reports:award_category": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        only(*REGION_READERS),
    ),
    "reports:award_category_rename": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_category_delete": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_adjust": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_candidate_add": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_candidate_remove": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_winners_confirm": (
        lambda ctx: {"pk": ctx["award_winner"].category_id},
        everyone(NOT_ALLOWED),
    ),
    "reports:award_certificate": (
        lambda ctx: {"pk": ctx["award_winner"].pk},
        only(*REGION_READERS),
    ),
    "reports:award_certificates": (lambda ctx: {"year": 2026}, only(*REGION_READERS)),
    # Evidence of progress may name people, like a partner's: not for leaders.
    "programs:progress_evidence": (
        lambda ctx: {"pk": ctx["progress_evidence"].pk},
        only(Role.ADMIN, Role.SECRETARIAT, Role.AGENCY),
    ),
}
# The Django admin is for administrators only; its URLs are checked in test_admin.py.
ADMIN_NAMESPACE = "admin:"
# Account pages a leader uses on their own account; every other write is refused.
OWN_ACCOUNT = {"login", "logout", "password_change", "password_change_done", "set_language"}
# Django's own views, guarded by LoginRequiredMiddleware alone; every view of ours
# declares its roles with role_required.
DJANGO_VIEWS = OWN_ACCOUNT
# Views whose POST writes nothing but the user's own session: a leader may send it
# (tkpk/permissions.py, role_required(session_only=True)).
SESSION_ONLY = {"households:household_search"}


def url_patterns(patterns=None, prefix=""):
    """(name, view) for every pattern in the URLconf, names with their namespace."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from url_patterns(entry.url_patterns, prefix + namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.name or f"<unnamed {entry.pattern}>"), entry.callback


def test_every_url_has_a_decision_for_every_role():
    names = {n for n, _view in url_patterns() if not n.startswith(ADMIN_NAMESPACE)}
    assert names == set(EXPECTED), (
        "Decide in EXPECTED what each role gets for: "
        f"{sorted(names - set(EXPECTED))}; stale entries: {sorted(set(EXPECTED) - names)}"
    )
    for name, (_kwargs, statuses) in EXPECTED.items():
        assert set(statuses) == set(ROLES), name


def test_every_view_of_ours_declares_its_roles():
    for name, view in url_patterns():
        if name.startswith(ADMIN_NAMESPACE) or name in DJANGO_VIEWS:
            continue
        assert getattr(view, "allowed_roles", None), f"{name} is not wrapped in role_required"


def test_role_required_refuses_a_leader_write_even_where_leaders_are_allowed(rf, users):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from tkpk.permissions import role_required

    view = role_required(Role.LEADER, Role.SECRETARIAT)(lambda request: HttpResponse("ok"))
    for method in ("post", "put", "patch", "delete"):
        request = getattr(rf, method)("/")
        request.user = users[Role.LEADER]
        with pytest.raises(PermissionDenied):
            view(request)
        request.user = users[Role.SECRETARIAT]
        assert view(request).status_code == 200
    request = rf.get("/")
    request.user = users[Role.LEADER]
    assert view(request).status_code == 200


@pytest.fixture
def context(users, agency, partner):
    person = PersonFactory()
    program = ProgramFactory(code="KTB-WMP-2025", lead_agency=agency)
    VillageQuotaFactory(program=program, village=person.household.village, quota=4)
    return {
        "users": users,
        "agency": agency,
        "district": AreaFactory(code="63.02.17"),
        "person": person,
        "program": program,
        "enrollment": EnrollmentFactory(program=program, person=person),
        "export": RegisterExport.objects.create(
            user=users[Role.SECRETARIAT],
            file_format="csv",
            status=ExportStatus.DONE,
            file=ContentFile(b"nomor_induk_kependudukan\r\n", name="register.csv"),
        ),
        "enrollment_upload": EnrollmentUpload.objects.create(
            program=ProgramFactory(code="PKH-2025", lead_agency=AgencyFactory(acronym="Dinsos")),
            file_name="peserta.csv",
            created_by=users[Role.SECRETARIAT],
            status=UploadStatus.CHECKED,
        ),
        **_partner_context(users, partner, program),
        **_plan_context(users, agency),
        "statistic": PovertyStatistic.objects.create(
            area=AreaFactory(code="63.02"),
            year=2025,
            poverty_rate="4.36",
            source="BPS, Maret 2025",
            entered_by=users[Role.SECRETARIAT],
        ),
        "load": DtsenImport.objects.create(
            file_name="dtsen.csv", period="2025-Q3", status=ImportStatus.CHECKED
        ),
        **_year_end_context(users, agency),
    }


def _year_end_context(users, agency) -> dict:
    """The 2026 report with a finished build, and a confirmed winner of a special award."""
    report = year_end_report_start(year=2026, by=users[Role.SECRETARIAT])
    build = ReportBuild.objects.create(report=report, status=BuildStatus.DONE)
    build.pdf.save("laporan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    category = AwardCategory.objects.create(year=2026, name="Penghargaan Khusus")
    winner = AwardCandidate.objects.create(
        category=category, kind=CandidateKind.AGENCY, agency=agency, is_winner=True
    )
    return {"year_end_build": build, "award_winner": winner}


def _partner_context(users, partner, program) -> dict:
    """A commitment `partner` signed for `program`, with a document, and a realisation
    with evidence."""
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="komitmen.pdf")
    commitment = CommitmentFactory(partners=[partner], program=program)
    commitment.document.save("komitmen.pdf", pdf)
    realisation = RealisationFactory(pledge=PledgeFactory(commitment=commitment))
    evidence = Evidence(
        realisation=realisation, name="kuitansi.pdf", uploaded_by=users[Role.PARTNER]
    )
    evidence.file.save("kuitansi.pdf", pdf)
    return {
        "partner": partner,
        "commitment": commitment,
        "pledge": realisation.pledge,
        "realisation": realisation,
        "evidence": evidence,
    }


def _plan_context(users, agency) -> dict:
    """`agency`'s 2026 plan, verified, with Q1 progress and evidence, then opened for a
    revision."""
    operator, secretariat = users[Role.AGENCY], users[Role.SECRETARIAT]
    plan = plan_create(agency=agency, year=2026, by=operator)
    activity = ActivityFactory(plan=plan, updated_by=operator)
    plan = plan_submit(plan=plan, version=plan.version, by=operator)
    plan = plan_review(plan=plan, version=plan.version, verified=True, by=secretariat)
    report = quarter_report_open(plan=plan, quarter=1, today=datetime.date(2026, 4, 1))
    activity.refresh_from_db()
    progress = progress_save(
        progress=Progress(report=report, activity=activity, realised=20), version=None, by=operator
    )
    evidence = ProgressEvidence(progress=progress, name="daftar-hadir.pdf", uploaded_by=operator)
    evidence.file.save("daftar-hadir.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    plan = plan_revise(plan=plan, by=operator, comment="Revisi APBD-P")
    return {"plan": plan, "activity": activity, "progress_evidence": evidence}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_get_status_per_role(client, context, name, role):
    build, statuses = EXPECTED[name]
    url = reverse(name, kwargs=build(context) if build else None)
    if role != ANON:
        client.force_login(context["users"][role])
    response = client.get(url)
    assert response.status_code == statuses[role], f"{role} GET {url}"
    if role == ANON and statuses[role] == REDIRECT and name != "set_language":
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(EXPECTED) - OWN_ACCOUNT - SESSION_ONLY))
def test_a_leader_can_never_write(client, context, name):
    build, _statuses = EXPECTED[name]
    client.force_login(context["users"][Role.LEADER])
    response = client.post(reverse(name, kwargs=build(context) if build else None), {})
    assert response.status_code in (FORBIDDEN, NOT_ALLOWED)


@pytest.mark.django_db
def test_agency_operator_cannot_read_another_agency(client, users, other_agency):
    client.force_login(users[Role.AGENCY])
    response = client.get(reverse("agency_detail", kwargs={"pk": other_agency.pk}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_disabled_user_is_signed_out(client, users):
    operator = users[Role.AGENCY]
    client.force_login(operator)
    operator.is_active = False
    operator.save()
    response = client.get(reverse("home"))
    assert response.status_code == REDIRECT
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_forbidden_page_explains_in_indonesian(client, users):
    client.force_login(users[Role.PARTNER])
    response = client.get(reverse("user_list"))
    assert response.status_code == FORBIDDEN
    assert "Anda tidak boleh membuka halaman ini" in response.content.decode()


@pytest.mark.django_db
def test_unknown_user_record_is_404_not_500(client, users):
    client.force_login(users[Role.SECRETARIAT])
    assert client.get(reverse("user_update", kwargs={"pk": 999_999})).status_code == 404
