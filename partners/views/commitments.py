"""Joint commitments: the list, a commitment's page and document, and the one form that
enters a commitment with all its signing partners and pledge lines."""

import copy
from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partners.commitment_forms import (
    BasePledgeFormSet,
    CommitmentFilterForm,
    CommitmentForm,
    PledgeFormSet,
    partner_choices,
)
from partners.models import Commitment, Partner, Pledge, Realisation
from partners.selectors import (
    Tally,
    commitments_for,
    partners_with_tallies,
    realisations_for,
    tallies,
    tallies_by,
    with_realised,
)
from partners.services import commitment_save, may_act_for
from tkpk.documents import document_response
from tkpk.forms import refusal_show
from tkpk.models import Role
from tkpk.permissions import EVERYONE, MANAGERS, role_required

COMMITMENTS_PAGE = 25


@require_GET
@role_required(*EVERYONE)
def commitment_list(request: HttpRequest) -> HttpResponse:
    """The commitments the user may read, by year, program, partner and partner type."""
    user = request.user
    commitments = commitments_for(user)
    if user.role == Role.PARTNER:
        # Whom its partner signed with, not every partner of the region.
        partners = Partner.objects.filter(commitments__in=commitments).distinct()
    else:
        partners = Partner.objects.all()
    form = CommitmentFilterForm(request.GET or None, partners=partners.order_by("name"))
    if form.is_valid():
        commitments = form.filter(commitments)
    page = Paginator(
        commitments.select_related("program").prefetch_related("partners"), COMMITMENTS_PAGE
    ).get_page(request.GET.get("page"))
    shown = list(page)
    by_commitment = tallies_by(Pledge.objects.filter(commitment__in=shown), "commitment")
    return render(
        request,
        "partners/commitment_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, by_commitment.get(c.pk, [])) for c in shown],
            "can_create": user.role in MANAGERS,
        },
    )


@dataclass(frozen=True)
class PledgeRow:
    """A pledge line as the commitment page shows it: delivered against pledged, the
    realisations the user may read, and whether the user may record one."""

    pledge: Pledge
    tally: Tally
    realisations: list[Realisation]
    may_record: bool


def readable_commitment(request: HttpRequest, pk: int) -> Commitment:
    return get_object_or_404(commitments_for(request.user).select_related("program"), pk=pk)


@require_GET
@role_required(*EVERYONE)
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment: who signed, what each pledged, and what arrived (reported, verified)."""
    user = request.user
    commitment = readable_commitment(request, pk)
    pledges = commitment.pledges.all()
    # A partner operator sees every line and the totals, but the entries of its own only.
    realisations = (
        realisations_for(user)
        .filter(pledge__commitment=commitment)
        .order_by("pledge", "-delivered_on", "-pk")
    )
    by_pledge = {key: list(group) for key, group in groupby(realisations, lambda r: r.pledge_id)}
    rows = [
        PledgeRow(
            pledge=pledge,
            tally=Tally.of_pledge(pledge),
            realisations=by_pledge.get(pledge.pk, []),
            may_record=may_act_for(user, pledge.partner_id),
        )
        for pledge in with_realised(pledges.select_related("partner", "village__parent"))
    ]
    return render(
        request,
        "partners/commitment_detail.html",
        {
            "commitment": commitment,
            "signers": commitment.partners.order_by("name"),
            "rows": rows,
            "by_partner": partners_with_tallies(pledges),
            "by_kind": tallies(pledges),
            "can_edit": user.role in MANAGERS,
            "signatories": commitment.government_signatories.splitlines(),
        },
    )


@require_GET
@role_required(*EVERYONE)
def commitment_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed document, to those who may read the commitment."""
    commitment = readable_commitment(request, pk)
    if not commitment.document:
        raise Http404
    return document_response(commitment.document, name=commitment.document_name)


def _valid(form: CommitmentForm, pledges: BasePledgeFormSet) -> bool:
    """Check the commitment and its lines both, so that every mistake is marked at once."""
    form_valid, lines_valid = form.is_valid(), pledges.is_valid()
    if form_valid and not lines_valid:
        form.keep_documents()  # a line failed, not the document: it stays chosen
    return form_valid and lines_valid


def _save(request: HttpRequest, commitment: Commitment | None) -> HttpResponse:
    instance = commitment or Commitment()
    partners = partner_choices(instance)
    initial = {}
    if commitment is None and request.method == "GET":
        # From a partner's page: that partner is ticked already.
        chosen = request.GET.get("partner", "")
        if chosen.isdigit() and partners.filter(pk=chosen).exists():
            initial["partners"] = [int(chosen)]
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = CommitmentForm(
        data, files, instance=instance, partners=partners, initial=initial, user=request.user
    )
    pledges = PledgeFormSet(
        data, instance=instance, prefix="pledges", partners=partners, signed_by=form
    )
    if request.method == "POST" and _valid(form, pledges):
        kept, removed = pledges.changes()
        try:
            # Copies: a refused save must leave the forms as typed, without ids or files.
            saved = commitment_save(
                commitment=copy.copy(form.instance),
                partners=form.cleaned_data["partners"],
                pledges=[copy.copy(pledge) for pledge in kept],
                removed=removed,
                document=form.cleaned_data["document"],
                by=request.user,
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("The joint commitment was saved."))
            return redirect("partners:commitment_detail", pk=saved.pk)
    return render(
        request,
        "partners/commitment_form.html",
        {"form": form, "pledges": pledges, "commitment": commitment},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def commitment_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_object_or_404(Commitment, pk=pk))
