"""The secretariat's decisions on the awards: categories, the year's weights, candidates
added by hand, adjusted scores and the winners. The awards pages call these; nothing
else writes the awards.

Each write locks the year's report (a final report freezes the awards: report_finalise
locks the same row) and then the category, so two people deciding on one category at the
same moment are served one after the other.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Partner
from programs.models import Pillar
from reports.awards.candidates import (
    CandidateKey,
    candidate_keys,
    counting_day,
    final_report,
    qualifying_keys,
    ranking,
)
from reports.awards.scoring import PARTS, WEIGHT_FIELDS
from reports.models import AwardCandidate, AwardCategory, AwardMethod, CandidateKind
from tkpk.models import Agency, User
from tkpk.permissions import MANAGERS

_NOT_100 = {
    CandidateKind.AGENCY: gettext_lazy(
        "The agency weights add up to %(total)s %%, not 100 %%: correct them."
    ),
    CandidateKind.PARTNER: gettext_lazy(
        "The partner weights add up to %(total)s %%, not 100 %%: correct them."
    ),
}
# Special categories come after the pillars' whatever order the pillars have.
SPECIAL_ORDER_FROM = 100


def _may_decide(by: User) -> None:
    if by.role not in MANAGERS:
        raise PermissionDenied


def _year_open(year: int) -> None:
    """Refuse a change to the awards of a year whose report is final; lock it otherwise."""
    if final_report(year, lock=True) is not None:
        raise ValidationError(
            _(
                "The year-end report of %(year)s is final: the awards of that year can no "
                "longer change."
            )
            % {"year": year}
        )


def _locked(category: AwardCategory) -> AwardCategory:
    _year_open(category.year)
    return AwardCategory.objects.select_for_update().get(pk=category.pk)


# --- categories and the method ---------------------------------------------------------


def award_categories_ensure(*, year: int, by: User) -> list[AwardCategory]:
    """One category per strategy pillar for `year`, named after it; those already there
    stay as they are. Returns the year's categories."""
    _may_decide(by)
    with transaction.atomic():
        _year_open(year)
        for pillar in Pillar.objects.all():
            if AwardCategory.objects.filter(year=year, pillar=pillar).exists():
                continue
            _name_free(year, pillar.name)
            category = AwardCategory(year=year, pillar=pillar, name=pillar.name, order=pillar.order)
            category.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    category.save()
            except IntegrityError:  # made by someone else a moment ago: theirs it is
                continue
    return list(AwardCategory.objects.filter(year=year).select_related("pillar"))


def _name_free(year: int, name: str, *, exclude: int | None = None) -> None:
    taken = AwardCategory.objects.filter(year=year, name__iexact=name).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {
                "name": _("%(year)s already has a category named “%(name)s”.")
                % {"year": year, "name": name}
            }
        )


def award_category_create(*, year: int, name: str, by: User) -> AwardCategory:
    """A special award of `year` (no pillar): its candidates are added by hand."""
    _may_decide(by)
    name = " ".join((name or "").split())
    with transaction.atomic():
        _year_open(year)
        _name_free(year, name)
        last = AwardCategory.objects.filter(year=year).aggregate(last=Max("order"))["last"]
        category = AwardCategory(year=year, name=name, order=max(last or 0, SPECIAL_ORDER_FROM) + 1)
        category.full_clean()
        category.save()
    return category


def award_category_rename(*, category: AwardCategory, name: str, by: User) -> AwardCategory:
    """Correct a category's name (a pillar's too): it is printed in the signed document
    and on the winners' certificates."""
    _may_decide(by)
    name = " ".join((name or "").split())
    with transaction.atomic():
        category = _locked(category)
        _name_free(category.year, name, exclude=category.pk)
        category.name = name
        category.full_clean()
        category.save(update_fields=["name"])
    return category


def award_category_delete(*, category: AwardCategory, by: User) -> None:
    """Delete a special award added by mistake, with its candidates. A pillar's category
    can only be renamed (the awards are per pillar), and one with winners is kept: their
    certificates may be printed already."""
    _may_decide(by)
    with transaction.atomic():
        category = _locked(category)
        if not category.is_special:
            raise ValidationError(
                _(
                    "“%(name)s” is the award of a strategy pillar: it cannot be deleted, "
                    "only renamed."
                )
                % {"name": category.name}
            )
        winners = category.candidates.filter(is_winner=True).select_related("agency", "partner")
        if names := [str(row) for row in winners]:
            raise ValidationError(
                _(
                    "“%(name)s” has confirmed winners (%(winners)s), whose certificates may "
                    "already be printed: to delete it, remove them from the candidates first."
                )
                % {"name": category.name, "winners": ", ".join(names)}
            )
        category.delete()


def _no_winners_yet(year: int) -> None:
    """The weights are the rules of the contest: once a winner is confirmed by them, new
    weights would change every score under the confirmed winners' feet."""
    confirmed = AwardCategory.objects.filter(year=year, confirmed_at__isnull=False)
    if names := list(confirmed.values_list("name", flat=True)):
        raise ValidationError(
            _(
                "Winners are already confirmed by these weights (%(categories)s): the weights "
                "of %(year)s can no longer change."
            )
            % {"categories": ", ".join(names), "year": year}
        )


def award_method_set(*, year: int, by: User, **weights: int) -> AwardMethod:
    """Set `year`'s weights (percent, AwardMethod's fields); each side must add up to 100,
    and no winner may be confirmed yet."""
    _may_decide(by)
    unknown = set(weights) - set(WEIGHT_FIELDS)
    if unknown or len(weights) != len(WEIGHT_FIELDS):
        raise TypeError(f"award_method_set needs exactly {WEIGHT_FIELDS}")
    problems = [
        str(message) % {"total": total}
        for kind, message in _NOT_100.items()
        if (total := sum(weights[spec.field] or 0 for spec in PARTS[kind])) != 100
    ]
    method = AwardMethod(year=year, set_by=by, **weights)
    method.full_clean(validate_unique=False, validate_constraints=False)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _year_open(year)
        _no_winners_yet(year)
        method, _created = AwardMethod.objects.update_or_create(
            year=year, defaults={**weights, "set_by": by}
        )
    return method


# --- candidates --------------------------------------------------------------------------


def award_candidate_add(
    *,
    category: AwardCategory,
    kind: str,
    by: User,
    justification: str,
    agency: Agency | None = None,
    partner: Partner | None = None,
    name: str = "",
    score: Decimal | None = None,
) -> AwardCandidate:
    """Add a candidate by hand, with a written justification: an agency (scored on its
    whole plan), a partner (on all its pledges of the year), or an other (a district,
    village or organisation) with the `score` the secretariat gives it."""
    _may_decide(by)
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Write why this candidate is added.")})
    with transaction.atomic():
        category = _locked(category)
        if kind == CandidateKind.OTHER:
            return _other_add(category, name, justification, score, by)
        key = _key_of(kind, agency, partner)
        row = _row_of(category, key)
        if row is not None and row.added_by_hand:
            raise ValidationError(_("This candidate was already added to the category."))
        if row is None and key in candidate_keys(category):
            raise ValidationError(
                _(
                    "%(name)s is already a candidate of this category from the data: it needs "
                    "no adding."
                )
                % {"name": agency.name if agency else partner.name}
            )
        row = row or AwardCandidate(category=category, kind=kind, agency=agency, partner=partner)
        row.added_by_hand, row.justification, row.updated_by = True, justification, by
        row.full_clean()
        row.save()
    return row


def _key_of(kind: str, agency: Agency | None, partner: Partner | None) -> CandidateKey:
    if kind == CandidateKind.AGENCY and agency is not None:
        return CandidateKey(kind, agency.pk)
    if kind == CandidateKind.PARTNER and partner is not None:
        return CandidateKey(kind, partner.pk)
    if kind == CandidateKind.AGENCY:
        raise ValidationError({"agency": _("Choose the agency.")})
    raise ValidationError({"partner": _("Choose the partner.")})


def _other_add(
    category: AwardCategory, name: str, justification: str, score: Decimal | None, by: User
) -> AwardCandidate:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Write the candidate's name, for example Desa Tarjun.")})
    if score is None:
        raise ValidationError(
            {"score": _("Give the score: a district, village or organisation has none computed.")}
        )
    if category.candidates.filter(kind=CandidateKind.OTHER, name__iexact=name).exists():
        raise ValidationError(_("This candidate was already added to the category."))
    row = AwardCandidate(
        category=category,
        kind=CandidateKind.OTHER,
        name=name,
        justification=justification,
        added_by_hand=True,
        # An other's score is the secretariat's, and its justification is the reason.
        adjusted_score=score,
        adjustment_reason=justification,
        updated_by=by,
    )
    row.full_clean()
    row.save()
    return row


def _row_of(category: AwardCategory, key: CandidateKey) -> AwardCandidate | None:
    if key.kind == CandidateKind.OTHER:
        return category.candidates.filter(kind=key.kind, pk=key.pk).first()
    return category.candidates.filter(kind=key.kind, **{f"{key.kind}_id": key.pk}).first()


def _row_for(category: AwardCategory, key: CandidateKey) -> AwardCandidate:
    """The row of a candidate of `category`, new (unsaved) for one ranked from the data."""
    row = _row_of(category, key)
    if row is not None:
        return row
    if key.kind == CandidateKind.OTHER or key not in candidate_keys(category):
        raise ValidationError(_("This is not a candidate of the category."))
    return AwardCandidate(category=category, kind=key.kind, **{f"{key.kind}_id": key.pk})


def _keep_or_drop(row: AwardCandidate) -> None:
    """Save `row`, or delete it once it holds no decision: a candidate from the data is
    ranked without a row."""
    if row.added_by_hand or row.adjusted_score is not None or row.is_winner:
        row.full_clean()
        row.save()
    elif row.pk is not None:
        row.delete()


def award_candidate_remove(*, category: AwardCategory, key: CandidateKey, by: User) -> bool:
    """Take back a candidate added by hand. One that qualifies from the data stays, ranked
    without the justification (a winner stays one); any other is no candidate any more,
    nor a winner. Returns whether a win was taken away."""
    _may_decide(by)
    with transaction.atomic():
        category = _locked(category)
        row = _row_of(category, key)
        if row is None or not row.added_by_hand:
            raise ValidationError(_("Only a candidate added by hand can be removed."))
        if key in qualifying_keys(category):
            row.added_by_hand, row.justification, row.updated_by = False, "", by
            _keep_or_drop(row)
            return False
        row.delete()
        if row.is_winner and not category.candidates.filter(is_winner=True).exists():
            # No winner left: the category is no longer decided.
            category.confirmed_by = category.confirmed_at = None
            category.save(update_fields=["confirmed_by", "confirmed_at"])
        return row.is_winner


def award_score_adjust(
    *,
    category: AwardCategory,
    key: CandidateKey,
    score: Decimal | None,
    reason: str,
    by: User,
) -> AwardCandidate | None:
    """Adjust a candidate's score, with the written reason the document prints; `score`
    None clears the adjustment (an other candidate keeps a score: it has no other)."""
    _may_decide(by)
    reason = (reason or "").strip()
    if score is not None and not reason:
        raise ValidationError({"reason": _("Write the reason for the adjustment.")})
    with transaction.atomic():
        category = _locked(category)
        row = _row_for(category, key)
        if score is None and row.kind == CandidateKind.OTHER:
            raise ValidationError(
                {"score": _("The secretariat gives this candidate its score: give one.")}
            )
        row.adjusted_score = score
        row.adjustment_reason = reason if score is not None else ""
        row.updated_by = by
        _keep_or_drop(row)
    return row if row.pk else None


def award_winners_confirm(
    *,
    category: AwardCategory,
    winners: list[CandidateKey],
    by: User,
    today: datetime.date | None = None,
) -> AwardCategory:
    """Confirm the winners of `category` among its ranked candidates (with a score); the
    others stop being winners. Confirming again replaces the choice."""
    _may_decide(by)
    chosen = set(winners)
    if not chosen:
        raise ValidationError({"winners": _("Choose at least one winner.")})
    with transaction.atomic():
        category = _locked(category)
        day = counting_day(category.year, today or timezone.localdate())
        ranked = {item.key: item for item in ranking(category, today=day)}
        if any(key not in ranked or ranked[key].final is None for key in chosen):
            raise ValidationError(
                {"winners": _("A winner must be a candidate of this category with a score.")}
            )
        for key, item in ranked.items():
            if key not in chosen and not item.is_winner:
                continue
            row = _row_for(category, key)
            row.is_winner, row.updated_by = key in chosen, by
            _keep_or_drop(row)
        category.confirmed_by, category.confirmed_at = by, timezone.now()
        category.save(update_fields=["confirmed_by", "confirmed_at"])
    return category
