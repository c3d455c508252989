"""The partners list with the year's target, a partner's page, its profile form, and the
spreadsheets of partners and of pledges."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from partners.models import Evidence, Partner, PartnerKind, Pledge, PledgeKind
from partners.selectors import (
    Tally,
    partner_target_progress,
    partners_for,
    pledges_in_year,
    realisations_for,
    tallies,
    tallies_by,
    with_realised,
)
from partners.services import may_act_for, partner_save, partner_target_set
from tkpk.models import Role
from tkpk.permissions import MANAGERS, REGION_READERS, role_required
from tkpk.services import export_log_record

# The list shows every partner and the region's totals: not for a partner operator, who
# reads its own partner only.
LIST_READERS = (Role.ADMIN, Role.SECRETARIAT, Role.LEADER, Role.AGENCY)
PARTNER_READERS = (*LIST_READERS, Role.PARTNER)
RECENT_REALISATIONS = 10
EVIDENCE_SHOWN = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    money: Tally | None  # pledged against realised in rupiah, over all its commitments


@dataclass(frozen=True)
class PledgeLine:
    """A pledge annotated by `with_realised`, read as a Tally of its own."""

    pledge: Pledge

    @property
    def tally(self) -> Tally:
        pledge = self.pledge
        return Tally(pledge.kind, pledge.unit, pledge.quantity, pledge.reported, pledge.verified)


@dataclass(frozen=True)
class KindRow:
    """One partner type in the year: how many partners, and what they pledged and delivered."""

    kind: PartnerKind
    partners: int
    committed: int
    tallies: list[Tally]


@require_GET
@role_required(*LIST_READERS)
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner, filtered, under the year's target of partners with a commitment."""
    return _list_page(request, PartnerFilterForm(request.GET or None))


def _list_page(
    request: HttpRequest,
    form: PartnerFilterForm,
    target_form: PartnerTargetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    year = form.year()
    # Ordered here: a query with a count has no Meta.ordering.
    partners = (
        form.filter(Partner.objects.select_related("area__parent"))
        .annotate(commitment_count=Count("commitments", distinct=True))
        .order_by("name")
    )
    money = tallies_by(
        Pledge.objects.filter(partner__in=partners.values("pk"), kind=PledgeKind.MONEY), "partner"
    )
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
            "rows": [PartnerRow(p, next(iter(money.get(p.pk, [])), None)) for p in partners],
            "progress": progress,
            "target_form": target_form if may_set else None,
            "kinds": _kind_rows(year),
            "can_create": may_set,
            "can_export": request.user.role in REGION_READERS,
            "export_query": request.GET.urlencode(),
        },
        status=status,
    )


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
        return redirect(f"{reverse('partners:partner_list')}?{urlencode({'tahun': target.year})}")
    year = target_form.cleaned_data.get("year")
    form = PartnerFilterForm({"tahun": year} if year else None)
    return _list_page(request, form, target_form=target_form, status=400)


@require_GET
@role_required(*PARTNER_READERS)
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
    can_edit = may_act_for(user, partner) and not user.is_read_only
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "commitments": commitments,
            "documents": [c for c in commitments if c.document],
            "pledges": [PledgeLine(pledge) for pledge in pledges],
            "tallies": tallies(partner.pledges.all()),
            "realisations": realisations.select_related("pledge__commitment")[:RECENT_REALISATIONS],
            "evidence": evidence.order_by("-uploaded_at", "-pk")[:EVIDENCE_SHOWN],
            "evidence_count": evidence.count(),
            "evidence_shown": EVIDENCE_SHOWN,
            "can_edit": can_edit,
            "can_record": can_edit,
            "can_commit": user.role in MANAGERS,
            "can_list": user.role in LIST_READERS,
        },
    )


def _save(request: HttpRequest, partner: Partner | None) -> HttpResponse:
    form = PartnerForm(
        request.POST or None,
        instance=partner or Partner(),
        may_manage=request.user.role in MANAGERS,
    )
    if request.method == "POST" and form.is_valid():
        saved = partner_save(partner=form.save(commit=False), by=request.user)
        messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
        return redirect("partners:partner_detail", pk=saved.pk)
    return render(
        request,
        "partners/partner_form.html",
        {"form": form, "partner": partner, "can_list": request.user.role in LIST_READERS},
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
    """The partners the list's filter shows, with their profile and what they pledged."""
    form = PartnerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # No file and no log entry: the list says what is wrong with the filter.
        return _list_page(request, form, status=400)
    partners = form.filter(Partner.objects.select_related("area__parent"))
    stream, rows = write_partners(partners)
    export_log_record(
        user=request.user, what="partners", filters=form.used(), rows=rows, file_format="xlsx"
    )
    # Translators: a downloaded file's name, without spaces; %(date)s is like 2026-01-31.
    return _xlsx(stream, _("partners-%(date)s.xlsx"))


@require_GET
@role_required(*REGION_READERS)
def pledge_export(request: HttpRequest) -> HttpResponse:
    """Every pledge (of the commitments of a year, with `tahun`), and their realisations."""
    form = PartnerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # No file and no log entry: the list says what is wrong with the filter.
        return _list_page(request, form, status=400)
    year = form.cleaned_data["tahun"] if form.is_bound else None
    pledges = pledges_in_year(year) if year else Pledge.objects.all()
    stream, rows = write_pledges(pledges)
    export_log_record(
        user=request.user,
        what="pledges",
        filters={"tahun": year} if year else {},
        rows=rows,
        file_format="xlsx",
    )
    # Translators: a downloaded file's name, without spaces; %(date)s is like 2026-01-31.
    return _xlsx(stream, _("pledges-%(date)s.xlsx"))


def _xlsx(stream, filename: str) -> FileResponse:
    name = filename % {"date": f"{timezone.localdate():%Y-%m-%d}"}
    return FileResponse(stream, as_attachment=True, filename=name, content_type=XLSX)
