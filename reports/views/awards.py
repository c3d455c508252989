"""The year-end awards: a year's categories with their leading candidates, the scoring
method in plain words, a category's ranking with every part of each score, and the
certificates. The secretariat and the administrator decide; leaders read and download.

Every write goes through reports.awards.services; a refused form comes back on its page
with what was typed and why (status 400).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.models import quantity_written
from programs.models import Pillar
from reports.awards import services
from reports.awards.candidates import Ranked, ranking
from reports.awards.certificates import (
    certificate_filename,
    certificate_of,
    certificate_pdf,
    certificates_filename,
    certificates_pdf,
)
from reports.awards.forms import (
    AdjustForm,
    CandidateAddForm,
    CategoryCreateForm,
    MethodForm,
    RemoveForm,
    WinnersForm,
)
from reports.awards.scoring import Part, method_text, weights_of
from reports.awards.tables import kind_short
from reports.models import AwardCandidate, AwardCategory, ReportStatus, YearEndReport
from reports.tables import Column, Kind, written
from reports.year_end.text import text_html
from tkpk.forms import refusal_show
from tkpk.permissions import EVERYONE, MANAGERS, REGION_READERS, role_required
from tkpk.typed import typed_data
from tkpk.validators import FIRST_YEAR, LAST_YEAR

PERCENT = Column("", Kind.PERCENT, 2)
SCORE = Column("", Kind.DECIMAL, 2)
LEADING = 3  # candidates shown per category on the year's page


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _is_final(year: int) -> bool:
    return YearEndReport.objects.filter(year=year, status=ReportStatus.FINAL).exists()


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- shown on the pages ------------------------------------------------------------------


@dataclass(frozen=True)
class PartLine:
    """One part as the page writes it: value × weight = points, or why it is missing."""

    label: str
    value: str
    weight: int
    points: str
    why: str


@dataclass(frozen=True)
class RankedLine:
    item: Ranked
    kind: str
    parts: list[PartLine]
    computed: str
    adjusted: str
    final: str


def part_line(part: Part) -> PartLine:
    return PartLine(
        label=part.label,
        value=written(part.percent, PERCENT),
        weight=part.weight,
        points=quantity_written(part.points),
        why=part.why,
    )


def ranked_lines(ranked: list[Ranked]) -> list[RankedLine]:
    return [
        RankedLine(
            item=item,
            kind=kind_short(item.kind),
            parts=[part_line(part) for part in item.parts],
            computed=written(item.computed, SCORE),
            adjusted=written(item.adjusted, SCORE),
            final=written(item.final, SCORE),
        )
        for item in ranked
    ]


# --- a year ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySummary:
    category: AwardCategory
    leading: list[RankedLine]
    candidates: int
    winners: list[Ranked]


def _year_page(
    request: HttpRequest, year: int, *, create_form: CategoryCreateForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    weights = weights_of(year)
    summaries = []
    for category in AwardCategory.objects.filter(year=year).select_related("confirmed_by"):
        ranked = ranking(category, today=today, weights=weights)
        summaries.append(
            CategorySummary(
                category=category,
                leading=ranked_lines(ranked[:LEADING]),
                candidates=len(ranked),
                winners=[item for item in ranked if item.is_winner],
            )
        )
    made = {summary.category.pillar_id for summary in summaries}
    return render(
        request,
        "reports/awards/year.html",
        {
            "year": year,
            "summaries": summaries,
            "pillars_missing": Pillar.objects.exclude(pk__in=made - {None}).exists(),
            "may_decide": request.user.role in MANAGERS,
            "is_final": _is_final(year),
            "create_form": create_form or CategoryCreateForm(typed_data(request)),
            "any_winner": AwardCandidate.objects.filter(
                category__year=year, is_winner=True
            ).exists(),
            "years": sorted(
                {today.year, year, *AwardCategory.objects.values_list("year", flat=True)},
                reverse=True,
            ),
        },
        status=400 if create_form is not None else 200,
    )


@require_GET
@role_required(*REGION_READERS)
def award_index(request: HttpRequest) -> HttpResponse:
    """The page the menu opens: this year's awards, or last year's in the first quarter
    while this year has none (the year-end rakor may fall in January)."""
    today = timezone.localdate()
    year = today.year
    started = set(AwardCategory.objects.values_list("year", flat=True).distinct())
    if today.month <= 3 and year not in started and year - 1 in started:
        year -= 1
    return _year_page(request, year)


@require_GET
@role_required(*REGION_READERS)
def award_year(request: HttpRequest, year: int) -> HttpResponse:
    """A year's categories with their leading candidates and winners."""
    return _year_page(request, _year_or_404(year))


@require_POST
@role_required(*MANAGERS)
def award_start(request: HttpRequest, year: int) -> HttpResponse:
    """Make the year's categories, one per strategy pillar."""
    year = _year_or_404(year)
    try:
        services.award_categories_ensure(year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _("The awards of %(year)s are started: one category per strategy pillar.")
            % {"year": year},
        )
    return redirect("reports:award_year", year=year)


@require_POST
@role_required(*MANAGERS)
def award_category_create(request: HttpRequest, year: int) -> HttpResponse:
    """Add a special award to the year."""
    year = _year_or_404(year)
    form = CategoryCreateForm(request.POST)
    if form.is_valid():
        try:
            category = services.award_category_create(
                year=year, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("The special award “%(name)s” was added: add its candidates.")
                % {"name": category.name},
            )
            return redirect("reports:award_category", pk=category.pk)
    return _year_page(request, year, create_form=form)


# --- the method --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*EVERYONE)
def award_method(request: HttpRequest, year: int) -> HttpResponse:
    """The scoring method of a year in plain words, for everyone it scores too (agencies
    and partners are told of it on their home page); the secretariat sets its weights."""
    year = _year_or_404(year)
    may_decide = request.user.role in MANAGERS
    if request.method == "POST" and not may_decide:
        raise PermissionDenied
    form = MethodForm(typed_data(request), weights=weights_of(year)) if may_decide else None
    if request.method == "POST" and form.is_valid():
        try:
            services.award_method_set(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(request, _("The weights of %(year)s were saved.") % {"year": year})
            return redirect("reports:award_method", year=year)
    return render(
        request,
        "reports/awards/method.html",
        {
            "year": year,
            "method": text_html(method_text(year)),
            "form": form,
            "is_final": _is_final(year),
            "may_read_rankings": request.user.role in REGION_READERS,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- a category --------------------------------------------------------------------------


def _category_page(
    request: HttpRequest,
    category: AwardCategory,
    *,
    ranked: list[Ranked] | None = None,
    refused: dict | None = None,
) -> HttpResponse:
    """The category's page; `refused` holds the one form sent back with its errors."""
    ranked = ranking(category, today=timezone.localdate()) if ranked is None else ranked
    refused = refused or {}

    def typed(name: str) -> QueryDict | None:
        return typed_data(request, action=reverse(f"reports:{name}", args=[category.pk]))

    forms = {
        "adjust_form": refused.get("adjust_form")
        or AdjustForm(typed("award_adjust"), ranked=ranked),
        "add_form": refused.get("add_form") or CandidateAddForm(typed("award_candidate_add")),
        "winners_form": refused.get("winners_form") or WinnersForm(ranked=ranked),
    }
    for form in forms.values():
        if form.is_bound and form not in refused.values():
            form.is_valid()  # typed before the session ended: show it with its errors
    is_final = _is_final(category.year)
    if is_final:
        # A final year shows no forms: a refusal is said above the page instead.
        for form in refused.values():
            said = [error for errors in form.errors.values() for error in errors]
            messages.error(request, " ".join(said))
    return render(
        request,
        "reports/awards/category.html",
        {
            "category": category,
            "lines": ranked_lines(ranked),
            "may_decide": request.user.role in MANAGERS,
            "is_final": is_final,
            **forms,
        },
        status=400 if refused else 200,
    )


def _category(pk: int) -> AwardCategory:
    return get_object_or_404(AwardCategory.objects.select_related("pillar", "confirmed_by"), pk=pk)


@require_GET
@role_required(*REGION_READERS)
def award_category(request: HttpRequest, pk: int) -> HttpResponse:
    """A category's ranking, every part of each score shown so anyone can recompute it."""
    return _category_page(request, _category(pk))


def _name(ranked: list[Ranked], form: AdjustForm | RemoveForm) -> str:
    """The name of the candidate a valid form names."""
    return next(item.name for item in ranked if item.key == form.key)


def _done(request: HttpRequest, category: AwardCategory, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("reports:award_category", pk=category.pk)


@require_POST
@role_required(*MANAGERS)
def award_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Adjust a candidate's score with a written reason, or remove the adjustment."""
    category = _category(pk)
    ranked = ranking(category, today=timezone.localdate())
    form = AdjustForm(request.POST, ranked=ranked)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.award_score_adjust(
                category=category,
                key=form.key,
                score=data["score"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            name = {"name": _name(ranked, form)}
            if data["score"] is None:
                return _done(request, category, _("The adjustment of %(name)s was removed.") % name)
            return _done(request, category, _("The score of %(name)s was adjusted.") % name)
    return _category_page(request, category, ranked=ranked, refused={"adjust_form": form})


@require_POST
@role_required(*MANAGERS)
def award_candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a candidate by hand with its justification."""
    category = _category(pk)
    form = CandidateAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.award_candidate_add(category=category, by=request.user, **data)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            name = row.name or (row.agency or row.partner).name
            return _done(
                request, category, _("%(name)s was added to the candidates.") % {"name": name}
            )
    return _category_page(request, category, refused={"add_form": form})


@require_POST
@role_required(*MANAGERS)
def award_candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a candidate added by hand."""
    category = _category(pk)
    ranked = ranking(category, today=timezone.localdate())
    form = RemoveForm(request.POST, ranked=ranked)
    if not form.is_valid():
        raise Http404
    try:
        services.award_candidate_remove(category=category, key=form.key, by=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
        return redirect("reports:award_category", pk=category.pk)
    name = {"name": _name(ranked, form)}
    return _done(request, category, _("%(name)s was removed from the candidates.") % name)


@require_POST
@role_required(*MANAGERS)
def award_winners_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the category's winners."""
    category = _category(pk)
    ranked = ranking(category, today=timezone.localdate())
    form = WinnersForm(request.POST, ranked=ranked)
    if form.is_valid():
        try:
            services.award_winners_confirm(category=category, winners=form.keys, by=request.user)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            return _done(request, category, _("The winners were confirmed."))
    return _category_page(request, category, ranked=ranked, refused={"winners_form": form})


# --- certificates ------------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(*REGION_READERS)
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """One winner's certificate."""
    winner = get_object_or_404(
        AwardCandidate.objects.select_related("category", "agency", "partner"),
        pk=pk,
        is_winner=True,
    )
    return _pdf(certificate_pdf(winner), certificate_filename(certificate_of(winner)))


@require_GET
@role_required(*REGION_READERS)
def award_certificates(request: HttpRequest, year: int) -> HttpResponse:
    """Every winner's certificate of the year, to print at once."""
    content = certificates_pdf(_year_or_404(year))
    if content is None:
        raise Http404
    return _pdf(content, certificates_filename(year))
