"""The year-end awards: a year's categories with their leading candidates, the scoring
method in plain words, a category's ranking with every part of each score, and the
certificates. The secretariat and the administrator decide; leaders read and download.

Every write goes through reports.awards.services; a refused form comes back on its page
with what was typed, its errors, and an alert at the top of the page that names the
problem and links to the form (status 400). A final year's rankings are counted on the
day its report was finalised (candidates.counting_day).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.models import Pillar
from reports.awards import services
from reports.awards.candidates import (
    Ranked,
    counting_day,
    final_report,
    qualifying_keys,
    ranking,
)
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
    CategoryDeleteForm,
    CategoryRenameForm,
    MethodForm,
    RemoveForm,
    WinnersForm,
)
from reports.awards.pages import CATEGORY_FORMS, CategorySummary, Refusal, ranked_lines
from reports.awards.scoring import method_text, weights_of
from reports.models import AwardCandidate, AwardCategory
from reports.year_end.text import text_html
from tkpk.forms import refusal_show
from tkpk.permissions import EVERYONE, MANAGERS, REGION_READERS, role_required
from tkpk.typed import typed_data
from tkpk.validators import FIRST_YEAR, LAST_YEAR

LEADING = 3  # candidates shown per category on the year's page


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- a year ------------------------------------------------------------------------------


def _year_page(
    request: HttpRequest, year: int, *, create_form: CategoryCreateForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    day = counting_day(year, today)
    weights = weights_of(year)
    summaries = []
    for category in AwardCategory.objects.filter(year=year).select_related("confirmed_by"):
        ranked = ranking(category, today=day, weights=weights)
        summaries.append(
            CategorySummary(
                category=category,
                leading=ranked_lines(ranked[:LEADING]),
                candidates=len(ranked),
                winners=[item for item in ranked if item.is_winner],
            )
        )
    made = {summary.category.pillar_id for summary in summaries}
    final = final_report(year)
    refused = create_form is not None
    return render(
        request,
        "reports/awards/year.html",
        {
            "year": year,
            "summaries": summaries,
            "pillars_missing": Pillar.objects.exclude(pk__in=made - {None}).exists(),
            "may_decide": request.user.role in MANAGERS,
            "final": final,
            "is_final": final is not None,
            "create_form": create_form or CategoryCreateForm(typed_data(request)),
            "refusals": [Refusal(_("Add a special award"), create_form, "create")]
            if refused
            else [],
            "any_winner": AwardCandidate.objects.filter(
                category__year=year, is_winner=True
            ).exists(),
            "years": sorted(
                {today.year, year, *AwardCategory.objects.values_list("year", flat=True)},
                reverse=True,
            ),
        },
        status=400 if refused else 200,
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
            "is_final": final_report(year) is not None,
            "may_read_rankings": request.user.role in REGION_READERS,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- a category --------------------------------------------------------------------------


def _ranking(category: AwardCategory) -> list[Ranked]:
    """The category's ranking, counted today, or on the day its final report was signed."""
    return ranking(category, today=counting_day(category.year, timezone.localdate()))


def _category_page(
    request: HttpRequest,
    category: AwardCategory,
    *,
    ranked: list[Ranked] | None = None,
    refused: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The category's page; `refused` holds the one form sent back with its errors, by
    its name in CATEGORY_FORMS."""
    ranked = _ranking(category) if ranked is None else ranked
    refused = refused or {}

    def typed(name: str) -> QueryDict | None:
        return typed_data(request, action=reverse(f"reports:{name}", args=[category.pk]))

    blank = {
        "rename_form": lambda: CategoryRenameForm(
            typed("award_category_rename"), initial={"name": category.name}
        ),
        "delete_form": CategoryDeleteForm,
        "adjust_form": lambda: AdjustForm(typed("award_adjust"), ranked=ranked),
        "add_form": lambda: CandidateAddForm(typed("award_candidate_add")),
        "winners_form": lambda: WinnersForm(ranked=ranked),
    }
    page_forms = {name: refused.get(name) or make() for name, make in blank.items()}
    for form in page_forms.values():
        if form.is_bound and form not in refused.values():
            form.is_valid()  # typed before the session ended: show it with its errors
    final = final_report(category.year)
    refusals = [
        Refusal(str(CATEGORY_FORMS[name][0]), form, "" if final else CATEGORY_FORMS[name][1])
        for name, form in refused.items()
    ]
    return render(
        request,
        "reports/awards/category.html",
        {
            "category": category,
            "lines": ranked_lines(ranked),
            "may_decide": request.user.role in MANAGERS,
            "final": final,
            "is_final": final is not None,
            "refusals": refusals,
            **page_forms,
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


def _done(request: HttpRequest, category: AwardCategory, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("reports:award_category", pk=category.pk)


@require_POST
@role_required(*MANAGERS)
def award_category_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the category's name before it is printed."""
    category = _category(pk)
    form = CategoryRenameForm(request.POST)
    if form.is_valid():
        try:
            category = services.award_category_rename(
                category=category, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            name = {"name": category.name}
            return _done(request, category, _("The award is now named “%(name)s”.") % name)
    return _category_page(request, category, refused={"rename_form": form})


@require_POST
@role_required(*MANAGERS)
def award_category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a special award added by mistake."""
    category = _category(pk)
    form = CategoryDeleteForm(request.POST)
    if form.is_valid():
        try:
            services.award_category_delete(category=category, by=request.user)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("The special award “%(name)s” was deleted.") % {"name": category.name},
            )
            return redirect("reports:award_year", year=category.year)
    return _category_page(request, category, refused={"delete_form": form})


def _name(ranked: list[Ranked], form: AdjustForm | RemoveForm) -> str:
    """The name of the candidate a valid form names."""
    return next(item.name for item in ranked if item.key == form.key)


@require_POST
@role_required(*MANAGERS)
def award_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Adjust a candidate's score with a written reason, or remove the adjustment."""
    category = _category(pk)
    ranked = _ranking(category)
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
        try:
            row = services.award_candidate_add(
                category=category, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            refusal_show(form, error)
        else:
            name = {"name": str(row)}
            return _done(request, category, _("%(name)s was added to the candidates.") % name)
    return _category_page(request, category, refused={"add_form": form})


@require_POST
@role_required(*MANAGERS)
def award_candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a candidate added by hand; a winner only once the removal is confirmed,
    on a page that says what it takes away."""
    category = _category(pk)
    ranked = _ranking(category)
    form = RemoveForm(request.POST, ranked=ranked)
    if not form.is_valid():
        raise Http404
    item = next(item for item in ranked if item.key == form.key)
    if item.is_winner and not form.cleaned_data["confirmed"]:
        return _remove_confirm_page(request, category, item)
    try:
        lost_win = services.award_candidate_remove(category=category, key=form.key, by=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
        return redirect("reports:award_category", pk=category.pk)
    name = {"name": item.name}
    if lost_win:
        message = _("%(name)s was removed from the candidates and is no longer a winner.")
    else:
        message = _("%(name)s was removed from the candidates.")
    return _done(request, category, message % name)


def _remove_confirm_page(
    request: HttpRequest, category: AwardCategory, item: Ranked
) -> HttpResponse:
    """Ask before a winner is taken out of the candidates: its certificate may be printed."""
    stays = item.key in qualifying_keys(category)
    return render(
        request,
        "reports/awards/remove_confirm.html",
        {"category": category, "item": item, "stays_winner": stays},
    )


@require_POST
@role_required(*MANAGERS)
def award_winners_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the category's winners."""
    category = _category(pk)
    ranked = _ranking(category)
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
