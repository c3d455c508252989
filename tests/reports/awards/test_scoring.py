"""The scoring rule, without the database but for the year's weights and the method text."""

from decimal import Decimal

import pytest

from reports.awards.scoring import (
    DEFAULT_WEIGHTS,
    Measure,
    Weights,
    measured,
    method_text,
    parts,
    ratio,
    score,
    share,
    weights_of,
)
from reports.models import AwardMethod, CandidateKind

AGENCY, PARTNER = CandidateKind.AGENCY, CandidateKind.PARTNER
NONE = {
    "achievement": Measure(Decimal(0)),
    "absorption": Measure(Decimal(0)),
    "on_time": Measure(Decimal(0)),
    "evidence": Measure(Decimal(0)),
    "realised": Measure(Decimal(0)),
    "value": Measure(Decimal(0)),
    "people": Measure(Decimal(0)),
}


def only(key: str, value: str) -> dict[str, Measure]:
    return {**NONE, key: Measure(Decimal(value))}


def weights(kind: str, chosen: Weights) -> dict[str, int]:
    """part key → weight, as a `kind` candidate's parts carry them."""
    return {part.key: part.weight for part in parts(kind, NONE, chosen)}


def test_default_weights_are_the_published_method():
    assert weights(AGENCY, DEFAULT_WEIGHTS) == {
        "achievement": 40,
        "absorption": 30,
        "on_time": 15,
        "evidence": 15,
    }
    assert weights(PARTNER, DEFAULT_WEIGHTS) == {"realised": 50, "value": 30, "people": 20}


@pytest.mark.parametrize(
    ("kind", "key", "points"),
    [
        (AGENCY, "achievement", "20.00"),  # 40 × 50 %
        (AGENCY, "absorption", "15.00"),  # 30 × 50 %
        (AGENCY, "on_time", "7.50"),  # 15 × 50 %
        (AGENCY, "evidence", "7.50"),  # 15 × 50 %
        (PARTNER, "realised", "25.00"),  # 50 × 50 %
        (PARTNER, "value", "15.00"),  # 30 × 50 %
        (PARTNER, "people", "10.00"),  # 20 × 50 %
    ],
)
def test_each_part_counts_with_its_own_weight(kind, key, points):
    found = parts(kind, only(key, "0.5"), DEFAULT_WEIGHTS)
    assert score(found) == Decimal(points)
    (part,) = [part for part in found if part.key == key]
    assert part.percent == Decimal("50.0000")
    assert part.points == Decimal(points)


def test_score_is_the_sum_of_weight_times_part_rounded_half_up():
    measures = {
        "achievement": Measure(ratio(Decimal(2) / 3)),  # 0,6667 → 26,668
        "absorption": Measure(Decimal("0.75")),  # 22,5
        "on_time": Measure(Decimal(1)),  # 15
        "evidence": Measure(Decimal("0.8333")),  # 12,4995
    }
    # 26,668 + 22,5 + 15 + 12,4995 = 76,6675 → 76,67
    assert score(parts(AGENCY, measures, DEFAULT_WEIGHTS)) == Decimal("76.67")


def test_rounding_is_half_up_not_to_even():
    found = parts(PARTNER, {**NONE, "realised": Measure(Decimal("0.0001"))}, DEFAULT_WEIGHTS)
    assert found[0].points == Decimal("0.0050")
    assert score(found) == Decimal("0.01")  # banker's rounding would give 0.00


def test_a_part_over_its_target_counts_at_most_one():
    assert ratio(Decimal("1.7")) == Decimal(1)
    assert share(250, 100, "why").value == Decimal(1)
    assert score(parts(AGENCY, {k: measured(3) for k in NONE}, DEFAULT_WEIGHTS)) == Decimal(100)


def test_a_ratio_keeps_the_four_places_of_the_percentage_shown():
    assert ratio(Decimal(1) / 3) == Decimal("0.3333")
    assert ratio(Decimal("0.66665")) == Decimal("0.6667")


def test_a_part_that_cannot_be_measured_counts_zero_and_says_why():
    measure = share(5, 0, "no budget on these activities")
    assert measure == Measure(None, "no budget on these activities")
    found = parts(AGENCY, {**NONE, "absorption": measure}, DEFAULT_WEIGHTS)
    absorption = found[1]
    assert absorption.value is None and absorption.percent is None
    assert absorption.points == 0 and absorption.why == "no budget on these activities"
    assert measured(None, "why").why == "why"


def test_other_weights_change_the_score():
    weights = Weights(
        agency_achievement=100,
        agency_absorption=0,
        agency_on_time=0,
        agency_evidence=0,
        partner_realised=10,
        partner_value=10,
        partner_people=80,
    )
    assert score(parts(AGENCY, only("absorption", "1"), weights)) == 0
    assert score(parts(AGENCY, only("achievement", "0.5"), weights)) == 50
    assert score(parts(PARTNER, only("people", "0.5"), weights)) == 40


@pytest.mark.django_db
def test_weights_of_a_year_are_its_method_or_the_default():
    AwardMethod.objects.create(
        year=2026,
        agency_achievement=25,
        agency_absorption=25,
        agency_on_time=25,
        agency_evidence=25,
        partner_realised=60,
        partner_value=20,
        partner_people=20,
    )
    assert weights(AGENCY, weights_of(2026)) == dict.fromkeys(weights(AGENCY, DEFAULT_WEIGHTS), 25)
    assert weights_of(2026).partner_realised == 60
    assert weights_of(2025) == DEFAULT_WEIGHTS


@pytest.mark.django_db
def test_method_text_gives_the_year_weights_and_how_to_recompute():
    AwardMethod.objects.create(
        year=2026,
        agency_achievement=55,
        agency_absorption=15,
        agency_on_time=15,
        agency_evidence=15,
        partner_realised=50,
        partner_value=30,
        partner_people=20,
    )
    text = method_text(2026)
    assert "- **Capaian target, 55 %**" in text
    assert "- **Serapan anggaran, 15 %**" in text
    assert "2026" in text
    assert "setengah ke atas" in text  # rounded half up, said in plain words
    # The points are shown rounded; the score sums them exact: said, so that no one is
    # surprised by a hundredth.
    assert "poin yang tepat" in text
    assert "alasan tertulis" in text  # adjustments need a written reason
    assert "- **Capaian target, 40 %**" in method_text(2025)
