"""The register pages: households and people, masked for those who may not see NIKs.

A search text may be a NIK or No. KK, and a URL ends up in access logs, proxy logs and the
browser's history. So the filter form is POSTed to `household_search`, which keeps the
text in the session under a short random token and redirects to the list with only that
token (`?cari=…`) and the area and desil filters in the address.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from households.forms import HouseholdExportForm, HouseholdFilterForm
from households.models import ExportStatus, Household, Person, RegisterExport
from households.models.register import PRODUCTIVE_AGE
from households.selectors import households_filtered, households_with_summary
from households.services import register_export_start, release_stale_exports
from programs.selectors import (
    enrollments_of_agency,
    people_reached_by_agency,
    programs_of_household,
    programs_of_person,
)
from tkpk.models import Role
from tkpk.permissions import MANAGERS, REGION_READERS, role_required, sees_personal_data
from tkpk.services import export_log_record

PAGE_SIZE = 50
EXPORT_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# htmx sends this id when the district select changes: the village select is redrawn too.
DISTRICT_TRIGGER = "district-field"
# The list's query parameter that stands for a search text kept in the session.
SEARCH_PARAM = "cari"
SEARCHES_SESSION_KEY = "register_searches"
# Searches a session keeps (live filtering stores each text typed); older tokens expire.
SEARCHES_KEPT = 20
# The filters that may travel in the list's address: none of them is personal data.
ADDRESS_FILTERS = ("district", "village", "desil_from", "desil_to")


def _region_households():
    return Household.objects.in_area(settings.TKPK_REGION_CODE)


def _search_token(request: HttpRequest, text: str) -> str:
    """The token that stands for `text` in the list's address; the text stays in the session."""
    searches: dict[str, str] = request.session.get(SEARCHES_SESSION_KEY, {})
    token = next((t for t, kept in searches.items() if kept == text), None)
    if token is None:
        token = secrets.token_urlsafe(6)
    else:
        del searches[token]  # moved to the end: the newest are kept
    searches[token] = text
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


def _list_address(request: HttpRequest, filters: dict) -> str:
    """The list's URL for `filters`: the search as a token, the rest as they are."""
    params = {SEARCH_PARAM: _search_token(request, filters["q"])} if filters["q"] else {}
    params.update((name, filters[name]) for name in ADDRESS_FILTERS if filters[name] is not None)
    url = reverse("households:household_list")
    return f"{url}?{urlencode(params)}" if params else url


def _list_context(request: HttpRequest, form: HouseholdFilterForm) -> dict:
    page = None
    filters = {}
    if form.is_valid():
        filters = form.filters()
        households = households_with_summary(households_filtered(**filters))
        page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "form": form,
        "page": page,
        # The export form carries the filter, search text included, in its POST body.
        "export_filters": {name: value for name, value in filters.items() if value},
        "full_data": sees_personal_data(request.user),
        "can_export": request.user.role in household_export.allowed_roles,
        "register_empty": page is not None
        and page.paginator.count == 0
        and not _region_households().exists(),
    }


def _render_list(
    request: HttpRequest, form: HouseholdFilterForm, *, status: int = 200
) -> HttpResponse:
    """The whole page, or for htmx only the results (and the villages of a new district)."""
    context = _list_context(request, form)
    htmx = request.htmx
    if htmx and not htmx.history_restore_request:
        context["redraw_villages"] = htmx.trigger == DISTRICT_TRIGGER
        return render(request, "households/household_list.html#results", context)
    return render(request, "households/household_list.html", context, status=status)


@require_GET
@vary_on_headers("HX-Request")
@role_required(*REGION_READERS)
def household_list(request: HttpRequest) -> HttpResponse:
    """The register's households, filtered by area, desil and a search kept in the session."""
    data = request.GET.copy()
    if "q" in data:
        # An old bookmark: drop the text from the address rather than echo it in links.
        del data["q"]
        return redirect(f"{request.path}?{data.urlencode()}")
    token = data.pop(SEARCH_PARAM, [""])[-1]
    searches = request.session.get(SEARCHES_SESSION_KEY, {})
    data["q"] = searches.get(token, "")
    form = HouseholdFilterForm(
        data,
        full_data=sees_personal_data(request.user),
        search_lost=bool(token) and token not in searches,
    )
    return _render_list(request, form)


@require_POST
@vary_on_headers("HX-Request")
@role_required(*REGION_READERS, session_only=True)
def household_search(request: HttpRequest) -> HttpResponse:
    """Apply the filter form: keep the search text in the session, then show the list.

    Writes nothing but the session, so leaders (read-only) may use it too.
    """
    form = HouseholdFilterForm(request.POST, full_data=sees_personal_data(request.user))
    if not form.is_valid():
        response = _render_list(request, form, status=400)
        if request.htmx:
            # htmx swaps only a 2xx answer; this one has no address of its own to push.
            push_url(response, False)
        return response
    # See Other: the browser, and htmx's request, fetch the list by GET; htmx pushes that
    # address (hx-push-url), so reload, back and the pages of the list all work.
    response = redirect(_list_address(request, form.filters()))
    response.status_code = 303
    return response


@require_GET
@role_required(*REGION_READERS)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: its members, its address, its desil in every DTSEN period, its programs."""
    household = get_object_or_404(_region_households().select_related("village__parent"), pk=pk)
    today = timezone.localdate()
    members = list(
        household.members.order_by(F("relationship").asc(nulls_last=True), "birth_date", "pk")
    )
    for member in members:
        member.current_age = member.age(on=today)
    history = household.desil_history.select_related("dtsen_import").order_by("-period")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": members,
            "history": history,
            "enrollments": programs_of_household(household),
            "full_data": sees_personal_data(request.user),
        },
    )


@require_GET
@role_required(*REGION_READERS, Role.AGENCY)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: identity, household, whether they are of productive age, their programs.

    An agency operator sees only the people its own programs reach, and only those programs.
    """
    user = request.user
    people = Person.objects.select_related("household__village__parent").filter(
        household__in=_region_households()
    )
    enrollments = None
    if user.role == Role.AGENCY:
        people = people.filter(pk__in=people_reached_by_agency(user.agency_id).values("pk"))
        enrollments = enrollments_of_agency(user.agency_id)
    person = get_object_or_404(people, pk=pk)
    age = person.age(on=timezone.localdate())
    youngest, oldest = PRODUCTIVE_AGE
    return render(
        request,
        "households/person_detail.html",
        {
            "person": person,
            "age": age,
            "productive": None if age is None else youngest <= age <= oldest,
            "productive_age": PRODUCTIVE_AGE,
            "enrollments": programs_of_person(person, among=enrollments),
            "sees_household": user.role in REGION_READERS,
            "full_data": sees_personal_data(user),
        },
    )


@require_POST
@role_required(*MANAGERS)
def household_export(request: HttpRequest) -> HttpResponse:
    """Queue the export of the filtered households' people; it is built in the background."""
    form = HouseholdExportForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    export = register_export_start(
        user=request.user, filters=form.filters(), file_format=form.cleaned_data["format"]
    )
    return redirect("households:export_detail", pk=export.pk)


@require_GET
@role_required(*MANAGERS)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One export: its progress while it is built, then the download."""
    release_stale_exports()
    export = get_object_or_404(RegisterExport, pk=pk, user=request.user)
    template = "households/export_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"export": export})


@require_GET
@never_cache
@role_required(*MANAGERS)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file; personal data leaves here, so every download is logged."""
    export = get_object_or_404(RegisterExport, pk=pk, user=request.user, status=ExportStatus.DONE)
    export_log_record(
        user=request.user,
        what="register",
        filters=export.filters,
        rows=export.rows_total,
        file_format=export.file_format,
    )
    # Translators: the name of the downloaded file; keep it free of spaces.
    filename = _("register-%(date)s.%(extension)s") % {
        "date": f"{timezone.localtime(export.created_at):%Y-%m-%d}",
        "extension": export.file_format,
    }
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=EXPORT_CONTENT_TYPES[export.file_format],
    )
