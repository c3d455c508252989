"""Partners as award candidates: who qualifies in a pillar, and the three parts of their
score, from their pledges of the year and what was verified against them.

A partner qualifies in a pillar with pledges in the year on commitments for a program of
that pillar; those pledges count. A general commitment (no program) qualifies nowhere by
itself: a partner the secretariat adds by hand is measured on all its pledges of the year.
"Verified" is partners.selectors' rule (with_realised, Realisation.objects.verified()).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from partners.models import Partner, Pledge, Realisation
from partners.selectors import Tally, pledges_in_year, rupiah_total, with_realised
from reports.awards.scoring import Measure, measured, share

ZERO = Decimal(0)


@dataclass(frozen=True)
class PartnerScored:
    partner: Partner
    measures: dict[str, Measure]


def qualifying_pledges(year: int, pillar_id: int | None) -> QuerySet[Pledge]:
    """The pledges of `year` on commitments for a program of the pillar."""
    if pillar_id is None:
        return Pledge.objects.none()
    return pledges_in_year(year).filter(commitment__program__pillar=pillar_id)


def partner_measures(
    year: int, pillar_id: int | None, *, by_hand: Iterable[int], others: Iterable[Partner]
) -> list[PartnerScored]:
    """Every partner qualifying in the pillar, those added by hand (ids), and `others` (with
    a row in the category without qualifying any more), each with its three parts; value
    and people are measured against the largest among them."""
    by_hand = set(by_hand)
    partners = {partner.pk: partner for partner in others}
    counted = Q(partner__in=by_hand)
    if pillar_id is not None:
        counted |= Q(commitment__program__pillar=pillar_id)
    pledges = pledges_in_year(year).filter(counted)
    per_partner: dict[int, list[Pledge]] = defaultdict(list)
    for pledge in with_realised(pledges).select_related("partner"):
        per_partner[pledge.partner_id].append(pledge)
        partners[pledge.partner_id] = pledge.partner
    missing = by_hand - set(partners)
    partners.update({partner.pk: partner for partner in Partner.objects.filter(pk__in=missing)})
    people = dict(
        Realisation.objects.verified()
        .filter(pledge__in=pledges)
        .values("pledge__partner")
        .annotate(people=Count("participants__person", distinct=True))
        .values_list("pledge__partner", "people")
    )
    values = {pk: _rupiah_verified(per_partner.get(pk, [])) for pk in partners}
    largest_value = max(values.values(), default=ZERO)
    most_people = max((people.get(pk, 0) for pk in partners), default=0)
    return [
        PartnerScored(
            partner=partner,
            measures={
                "realised": _realised(per_partner.get(pk, [])),
                "value": share(values[pk], largest_value, _("no candidate has verified rupiah")),
                "people": share(
                    people.get(pk, 0), most_people, _("no candidate reached named participants")
                ),
            },
        )
        for pk, partner in partners.items()
    ]


def _realised(pledges: list[Pledge]) -> Measure:
    """Per pledge, verified against pledged (up to 100 %), averaged over the pledges."""
    if not pledges:
        return Measure(None, _("no pledge of the year counts here"))
    ratios = [min(pledge.verified / pledge.quantity, Decimal(1)) for pledge in pledges]
    return measured(sum(ratios, ZERO) / len(ratios))


def _rupiah_verified(pledges: list[Pledge]) -> Decimal:
    return rupiah_total([Tally.of_pledge(pledge) for pledge in pledges]).verified
