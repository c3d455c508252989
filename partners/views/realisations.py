"""Realisations: what a partner delivered against a pledge, its evidence, and its review.

A partner operator reaches only its own partner's pledges and realisations; another
partner's, by URL or by a tampered form, is "not found" (realisations_for, _pledge_for).
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import services
from partners.models import Partner, Pledge, Realisation, RealisationStatus
from partners.realisation_forms import (
    RealisationFilterForm,
    RealisationForm,
    participant_choices,
)
from partners.selectors import (
    commitments_for,
    pledge_progress,
    realisations_awaiting,
    realisations_for,
)
from partners.services import may_act_for, may_review, realisation_save
from programs.services import may_see_participants
from tkpk.documents import document_response
from tkpk.forms import ReviewForm, refusal_show
from tkpk.models import Role
from tkpk.permissions import EVERYONE, MANAGERS, role_required
from tkpk.typed import typed_data

# Those who may act for a partner (services.may_act_for): its operator, the secretariat and
# the administrator. They enter realisations, and only they download the evidence: receipts,
# handover lists and photos often name the people who received something.
ACTING_FOR_PARTNERS = MANAGERS | {Role.PARTNER}
REALISATIONS_PAGE = 50


def _related(realisations: QuerySet) -> QuerySet:
    return realisations.select_related(
        "pledge__partner", "pledge__commitment__program", "entered_by", "reviewed_by"
    )


def _pledge_for(request: HttpRequest, pk: int) -> Pledge:
    """A pledge the user may record against: for a partner operator, only its partner's."""
    user = request.user
    pledges = Pledge.objects.filter(commitment__in=commitments_for(user))
    if user.role == Role.PARTNER:
        pledges = pledges.filter(partner=user.partner_id)
    pledge = get_object_or_404(pledges.select_related("partner", "commitment__program"), pk=pk)
    if not may_act_for(user, pledge.partner_id):
        raise Http404
    return pledge


def _participants(request: HttpRequest, realisation: Realisation) -> QuerySet | None:
    """The enrolments the form offers to name, or None where it names nobody: only for jobs
    and training places of a program, and only to those who may see its participants."""
    pledge = realisation.pledge
    program = pledge.commitment.program
    if not pledge.names_participants or not may_see_participants(request.user, program):
        return None
    return participant_choices(program, realisation)


def _save(request: HttpRequest, realisation: Realisation) -> HttpResponse:
    # On the GET back from the login page, what was typed before the session ended.
    data = typed_data(request)
    form = RealisationForm(
        data,
        request.FILES if request.method == "POST" else None,
        instance=realisation,
        participants=_participants(request, realisation),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A copy: a refused save must leave the form as typed, without an id.
            saved = realisation_save(
                realisation=copy.copy(form.instance),
                by=request.user,
                evidence=form.cleaned_data["evidence"],
                participants=form.participants(),
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("The realisation was saved; it awaits verification."))
            return redirect("partners:realisation_detail", pk=saved.pk)
    return render(
        request,
        "partners/realisation_form.html",
        {
            "form": form,
            "realisation": realisation,
            "pledge": realisation.pledge,
            "progress": pledge_progress(realisation.pledge),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*ACTING_FOR_PARTNERS)
def realisation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what arrived against the pledge `pk`."""
    return _save(request, Realisation(pledge=_pledge_for(request, pk)))


@require_http_methods(["GET", "POST"])
@role_required(*ACTING_FOR_PARTNERS)
def realisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a realisation awaiting verification or returned; a verified one is final."""
    realisation = get_object_or_404(_related(realisations_for(request.user)), pk=pk)
    if not realisation.is_editable:
        return render(
            request,
            "partners/realisation_form.html",
            {"realisation": realisation, "pledge": realisation.pledge, "final": True},
            status=400 if request.method == "POST" else 200,
        )
    return _save(request, realisation)


@require_GET
@role_required(*EVERYONE)
def realisation_list(request: HttpRequest) -> HttpResponse:
    """Realisations by status, partner and year; for the secretariat, its queue first."""
    user = request.user
    partners = None if user.role == Role.PARTNER else Partner.objects.order_by("name")
    form = RealisationFilterForm(request.GET or None, partners=partners)
    realisations = _related(realisations_for(user))
    if form.is_valid():
        realisations = form.filter(realisations)
    page = Paginator(realisations, REALISATIONS_PAGE).get_page(request.GET.get("page"))
    reviews = may_review(user)
    return render(
        request,
        "partners/realisation_list.html",
        {
            "form": form,
            "page": page,
            "queue": list(realisations_awaiting()) if reviews else None,
            "filtered": form.is_bound,
        },
    )


def _detail(
    request: HttpRequest, realisation: Realisation, review: ReviewForm | None = None
) -> HttpResponse:
    user = request.user
    program = realisation.pledge.commitment.program
    awaiting = realisation.status == RealisationStatus.SUBMITTED
    acts_for_partner = may_act_for(user, realisation.pledge.partner_id)
    named = realisation.participants.all()
    if review is None and may_review(user) and awaiting:
        review = ReviewForm(initial={"version": realisation.version})
    return render(
        request,
        "partners/realisation_detail.html",
        {
            "realisation": realisation,
            "pledge": realisation.pledge,
            "progress": pledge_progress(realisation.pledge),
            "commitment": realisation.pledge.commitment,
            "evidence": realisation.evidence.select_related("uploaded_by"),
            "participant_count": named.count(),
            # Their names only to those who may see the program's participants; the count
            # to everyone.
            "participants": (
                named.select_related("person", "village").order_by("person__name", "pk")
                if program is not None and may_see_participants(user, program)
                else None
            ),
            "can_edit": realisation.is_editable and acts_for_partner,
            # The others read the files' names, not the files (ACTING_FOR_PARTNERS).
            "evidence_downloadable": acts_for_partner,
            "review": review if may_review(user) else None,
        },
        status=400 if review is not None and review.is_bound else 200,
    )


@require_GET
@role_required(*EVERYONE)
def realisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A realisation: what, when, the evidence, who named, and its review."""
    return _detail(request, get_object_or_404(_related(realisations_for(request.user)), pk=pk))


@require_POST
@role_required(*MANAGERS)
def realisation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify a realisation, or return it to the partner with a comment."""
    realisation = get_object_or_404(_related(realisations_for(request.user)), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.realisation_review(
                realisation=realisation,
                version=form.cleaned_data["version"],
                verified=form.verified,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            if form.verified:
                messages.success(request, _("The realisation was verified."))
            else:
                messages.success(request, _("The realisation was returned to the partner."))
            return redirect("partners:realisation_list")
    realisation.refresh_from_db()
    # The page shows the entry as it is now: a second try reviews this version.
    form.data = form.data.copy()
    form.data["version"] = realisation.version
    return _detail(request, realisation, form)


@require_GET
@role_required(*ACTING_FOR_PARTNERS)
def evidence_download(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    """An evidence file, to the secretariat, the administrator and the operator of the
    partner whose realisation it shows (realisations_for keeps it to its own)."""
    realisation = get_object_or_404(realisations_for(request.user), pk=pk)
    item = get_object_or_404(realisation.evidence, pk=evidence)
    return document_response(item.file, name=item.name)
