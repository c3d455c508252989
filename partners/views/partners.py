"""The partners list with the year's target, a partner's page, its profile form, and the
spreadsheets of partners and of pledges."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.exports import write_partners, write_pledges
from partners.forms import PartnerFilterForm, PartnerForm, PartnerTargetForm
from partners.models import Evidence, Partner, PartnerKind, Pledge
from partners.selectors import (
    Tally,
    partner_target_progress,
    partners_for,
    pledges_in_year,
    realisations_for,
    rupiah_total,
    tallies,
    tallies_by,
    with_realised,
)
from partners.services import may_act_for, partner_save, partner_target_set
from tkpk.forms import refusal_show
from tkpk.models import Role
from tkpk.permissions import EVERYONE, MANAGERS, REGION_READERS, role_required
from tkpk.services import export_log_record

# The list shows every partner and the region's totals: every role but a partner operator,
# who reads its own partner only.
EVERY_PARTNER_READERS = (*REGION_READERS, Role.AGENCY)
RECENT_REALISATIONS = 10
EVIDENCE_SHOWN = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    # Everything in rupiah (money, capital or goods valued in rupiah) it pledged in the
    # commitments running in the list's year; None if nothing.
    rupiah: Tally | None


@dataclass(frozen=True)
class PledgeLine:
    pledge: Pledge
    tally: Tally


@dataclass(frozen=True)
class KindRow:
    """One partner type in the year: how many partners, and what they pledged and delivered."""

    kind: PartnerKind
    partners: int
    committed: int
    tallies: list[Tally]


@require_GET
@role_required(*EVERY_PARTNER_READERS)
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner, filtered, under the year's target of partners with a commitment."""
    return _list_page(request, PartnerFilterForm(request.GET or None))


def _list_page(
    request: HttpRequest,
    form: PartnerFilterForm,
    target_form: PartnerTargetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    year = form.chosen_year()
    partners = form.filter(Partner.objects.select_related("area__parent")).order_by("name")
    by_partner = tallies_by(pledges_in_year(year), "partner")
    progress = partner_target_progress(year)
    may_set = request.user.role in MANAGERS
    if may_set and target_form is None:
        target_form = PartnerTargetForm(initial={"year": year, "partners": progress.target})
    return render(
        request,
        "partners/partner_list.html",
        {
            "form": form,
            "year": year,
            "rows": [PartnerRow(p, _in_rupiah(by_partner.get(p.pk, []))) for p in partners],
            "progress": progress,
            "target_form": target_form if may_set else None,
            "kinds": _kind_rows(year),
            "can_create": may_set,
            "can_export": request.user.role in REGION_READERS,
            "export_query": urlencode({**form.used(), "year": year}),
        },
        status=status,
    )


def _in_rupiah(partner_tallies: list[Tally]) -> Tally | None:
    if not any(tally.in_rupiah for tally in partner_tallies):
        return None
    return rupiah_total(partner_tallies)


def _kind_rows(year: int) -> list[KindRow]:
    def per_kind(partners: QuerySet) -> dict[str, int]:
        return dict(partners.order_by().values_list("kind").annotate(n=Count("pk")))

    registered = per_kind(Partner.objects.all())
    committed = per_kind(Partner.objects.committed_in(year))
    by_kind = tallies_by(pledges_in_year(year), "partner__kind")
    return [
        KindRow(kind, registered.get(kind, 0), committed.get(kind, 0), by_kind.get(kind, []))
        for kind in PartnerKind
        if kind in registered
    ]


@require_POST
@role_required(*MANAGERS)
def partner_target(request: HttpRequest) -> HttpResponse:
    """Set or change how many partners the region wants with a commitment in a year."""
    target_form = PartnerTargetForm(request.POST)
    if target_form.is_valid():
        data = target_form.cleaned_data
        target = partner_target_set(year=data["year"], partners=data["partners"], by=request.user)
        messages.success(
            request,
            _("The target for %(year)s is now %(partners)d partners.")
            % {"year": target.year, "partners": target.partners},
        )
        return redirect(f"{reverse('partners:partner_list')}?{urlencode({'year': target.year})}")
    year = target_form.cleaned_data.get("year")
    form = PartnerFilterForm({"year": year} if year else None)
    return _list_page(request, form, target_form=target_form, status=400)


@require_GET
@role_required(*EVERYONE)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner: profile, commitments, pledges against realisations, documents."""
    partner = get_object_or_404(partners_for(request.user).select_related("area__parent"), pk=pk)
    user = request.user
    # Every commitment and realisation of a partner the user may open is theirs to read too.
    realisations = realisations_for(user).filter(pledge__partner=partner)
    evidence = Evidence.objects.filter(realisation__in=realisations).select_related(
        "realisation__pledge"
    )
    commitments = list(
        partner.commitments.select_related("program")
        .prefetch_related("partners")
        .order_by("-signed_on", "-pk")
    )
    pledges = with_realised(partner.pledges.select_related("commitment", "village")).order_by(
        "-commitment__signed_on", "commitment", "pk"
    )
    can_edit = may_act_for(user, partner)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "commitments": commitments,
            "documents": [c for c in commitments if c.document],
            "pledges": [PledgeLine(pledge, Tally.of_pledge(pledge)) for pledge in pledges],
            "tallies": tallies(partner.pledges.all()),
            "realisations": realisations.select_related("pledge__commitment")[:RECENT_REALISATIONS],
            "evidence": evidence.order_by("-uploaded_at", "-pk")[:EVIDENCE_SHOWN],
            "evidence_count": evidence.count(),
            "evidence_shown": EVIDENCE_SHOWN,
            "can_edit": can_edit,
            "can_record": can_edit,
            "can_commit": user.role in MANAGERS,
            "can_list": user.role in EVERY_PARTNER_READERS,
        },
    )


def _save(request: HttpRequest, partner: Partner | None) -> HttpResponse:
    form = PartnerForm(
        request.POST or None,
        instance=partner or Partner(),
        may_manage=request.user.role in MANAGERS,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = partner_save(partner=form.save(commit=False), by=request.user)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect("partners:partner_detail", pk=saved.pk)
    return render(
        request,
        "partners/partner_form.html",
        {
            "form": form,
            "partner": partner,
            "can_list": request.user.role in EVERY_PARTNER_READERS,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def partner_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS, Role.PARTNER)
def partner_update(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(partners_for(request.user), pk=pk)
    if not may_act_for(request.user, partner):
        raise PermissionDenied
    return _save(request, partner)


@require_GET
@role_required(*REGION_READERS)
def partner_export(request: HttpRequest) -> HttpResponse:
    """The partners the list's filter shows, with their profile and what they pledged in the
    list's year."""
    form = PartnerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # No file and no log entry: the list says what is wrong with the filter.
        return _list_page(request, form, status=400)
    year = form.chosen_year()
    partners = form.filter(Partner.objects.select_related("area__parent"))
    stream, rows = write_partners(partners, year)
    export_log_record(
        user=request.user,
        what="partners",
        filters={**form.used(), "year": year},
        rows=rows,
        file_format="xlsx",
    )
    # Translators: a downloaded file's name, without spaces; %(year)s is the year its amounts
    # are of, %(date)s the day it was made, like 2026-01-31.
    return _xlsx(stream, _("partners-%(year)s-as-of-%(date)s.xlsx"), year=year)


@require_GET
@role_required(*REGION_READERS)
def pledge_export(request: HttpRequest) -> HttpResponse:
    """Every pledge (of the commitments running in a year, with `year`), and their
    realisations."""
    form = PartnerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # No file and no log entry: the list says what is wrong with the filter.
        return _list_page(request, form, status=400)
    year = form.cleaned_data["year"] if form.is_bound else None
    pledges = pledges_in_year(year) if year else Pledge.objects.all()
    stream, rows = write_pledges(pledges)
    export_log_record(
        user=request.user,
        what="pledges",
        filters={"year": year} if year else {},
        rows=rows,
        file_format="xlsx",
    )
    if year:
        # Translators: a downloaded file's name, without spaces; %(year)s is the year of the
        # commitments in it, %(date)s the day it was made, like 2026-01-31.
        return _xlsx(stream, _("pledges-%(year)s-as-of-%(date)s.xlsx"), year=year)
    # Translators: a downloaded file's name, without spaces; %(date)s is like 2026-01-31.
    return _xlsx(stream, _("pledges-%(date)s.xlsx"))


def _xlsx(stream, filename: str, year: int | None = None) -> FileResponse:
    name = filename % {"date": f"{timezone.localdate():%Y-%m-%d}", "year": year}
    return FileResponse(stream, as_attachment=True, filename=name, content_type=XLSX)
