"""How an award candidate's score is made: the weights of a year, the parts, the sum.

Each part is a ratio from 0 to 1, capped at 1, kept as the percentage shown (two
decimals); its points are its weight (percent) times the ratio, exact; the score is the sum
of the exact points, rounded half up to two decimals, so anyone can recompute it from the
percentages on the page. A part that cannot be measured counts 0 and says why. Only
`weights_of` and `method_text` read the database (the year's AwardMethod row).
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from reports.models.awards import AwardMethod, CandidateKind

ONE = Decimal(1)
ZERO = Decimal(0)
RATIO_PLACES = Decimal("0.0001")  # a ratio as the percentage shown: 66,67 %
SCORE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Weights:
    """A year's weights in percent, named as AwardMethod's fields; each side adds up to 100."""

    agency_achievement: int
    agency_absorption: int
    agency_on_time: int
    agency_evidence: int
    partner_realised: int
    partner_value: int
    partner_people: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


DEFAULT_WEIGHTS = Weights(
    agency_achievement=40,
    agency_absorption=30,
    agency_on_time=15,
    agency_evidence=15,
    partner_realised=50,
    partner_value=30,
    partner_people=20,
)
WEIGHT_FIELDS = tuple(field.name for field in fields(Weights))


@dataclass(frozen=True)
class PartSpec:
    """One part of a kind of candidate's score; `field` names its weight."""

    kind: str
    key: str

    @property
    def field(self) -> str:
        return f"{self.kind}_{self.key}"

    @property
    def label(self) -> Promise:
        return AwardMethod._meta.get_field(self.field).verbose_name


PARTS: dict[str, tuple[PartSpec, ...]] = {
    CandidateKind.AGENCY: tuple(
        PartSpec(CandidateKind.AGENCY, key)
        for key in ("achievement", "absorption", "on_time", "evidence")
    ),
    CandidateKind.PARTNER: tuple(
        PartSpec(CandidateKind.PARTNER, key) for key in ("realised", "value", "people")
    ),
}


@dataclass(frozen=True)
class Measure:
    """One part as measured: a ratio from 0 to 1, or None with why it could not be."""

    value: Decimal | None
    why: str = ""


def ratio(value: Decimal | int | float) -> Decimal:
    """`value` between 0 and 1, rounded half up to the four places of a percentage shown
    with two decimals."""
    value = min(max(Decimal(value), ZERO), ONE)
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def measured(value: Decimal | int | float | None, why_not: str = "") -> Measure:
    """A Measure of `value` (a ratio, capped at 1); unmeasured with `why_not` when None."""
    return Measure(None, why_not) if value is None else Measure(ratio(value))


def share(part: Decimal | int, whole: Decimal | int, why_not: str) -> Measure:
    """part / whole as a Measure; unmeasured with `why_not` when there is no whole."""
    if not whole:
        return Measure(None, why_not)
    return Measure(ratio(Decimal(part) / Decimal(whole)))


@dataclass(frozen=True)
class Part:
    """One part of a score as shown: value × weight = points."""

    key: str
    label: str
    weight: int
    value: Decimal | None  # the ratio, 0..1; None: not measured (counts 0)
    why: str = ""

    @property
    def percent(self) -> Decimal | None:
        return None if self.value is None else self.value * 100

    @property
    def points(self) -> Decimal:
        """Exact (up to four decimals): shown rounded, summed unrounded by `score`."""
        return self.weight * (self.value if self.value is not None else ZERO)


def parts(kind: str, measures: Mapping[str, Measure], weights: Weights) -> tuple[Part, ...]:
    """The parts of a `kind` candidate's score; a part missing from `measures` counts 0."""
    missing = Measure(None, _("not measured"))
    return tuple(
        Part(
            key=spec.key,
            label=str(spec.label),
            weight=getattr(weights, spec.field),
            value=measures.get(spec.key, missing).value,
            why=measures.get(spec.key, missing).why,
        )
        for spec in PARTS[kind]
    )


def score(found: tuple[Part, ...]) -> Decimal:
    """The sum of the parts' exact points, rounded half up to two decimals."""
    total = sum((part.points for part in found), ZERO)
    return total.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def weights_of(year: int) -> Weights:
    """The weights the secretariat set for `year`, else DEFAULT_WEIGHTS."""
    row = AwardMethod.objects.filter(year=year).values(*WEIGHT_FIELDS).first()
    return Weights(**row) if row else DEFAULT_WEIGHTS


def method_text(year: int) -> str:
    """The method of `year` in plain words with its weights, in simple formatting
    (reports.year_end.text): what the page explains and the document prints."""
    weights = weights_of(year)
    w = {name: _number(value) for name, value in weights.as_dict().items()}
    blocks = [
        _(
            "Each award category is a strategy pillar, or a special award the secretariat "
            "adds. Its candidates are ranked by a score from 0 to 100 computed from the data "
            "of %(year)s, with the weights below."
        )
        % {"year": year},
        _(
            "**Agencies** are candidates in a pillar when their verified action plan of the "
            "year has agreed activities in it; only those activities count. An agency the "
            "secretariat adds by hand is scored on all agreed activities of its plan."
        ),
        _agency_bullets(w),
        _(
            "**Partners** are candidates in a pillar when they pledged in the year on "
            "commitments for a program of that pillar. A general commitment, without a "
            "program, makes no one a candidate by itself: the secretariat adds such a partner "
            "to a category by hand, and then all its pledges of the year count."
        ),
        _partner_bullets(w),
        _(
            "**Others** (a district, a village, an organisation) are added by the secretariat "
            "with a written justification; their score is the one the secretariat gives."
        ),
        _(
            "**Recomputing a score by hand.** Each part is a percentage from 0 to 100, "
            "rounded to two decimals. Its points are the percentage times its weight, divided "
            "by 100: an achievement of 80 with a weight of 40 gives 80 × 40 / 100 = 32 "
            "points. The points are shown with two decimals, but the score is the sum of the "
            "exact points, rounded half up to two decimals: the points as shown may add up to "
            "a hundredth more or less than the score. A part that cannot be measured (for "
            "example, when no quarterly report was sent) is shown as “—” with the reason, and "
            "counts 0."
        ),
        _(
            "**Adjustments.** The secretariat may adjust a computed score only with a written "
            "reason, which is printed with the ranking. The final score is the adjusted score "
            "where there is one, else the computed score. Candidates are ranked by final "
            "score; equal scores share a rank. The secretariat then confirms the winners."
        ),
    ]
    return "\n\n".join(blocks)


def _agency_bullets(w: dict[str, str]) -> str:
    return "\n".join(
        [
            _(
                "- **Achievement of targets, %(w)s %%**: over the activities, the mean of "
                "realised against target up to the last quarter reported, each activity "
                "counted up to 100 %%."
            )
            % {"w": w["agency_achievement"]},
            _(
                "- **Budget absorption, %(w)s %%**: budget spent against the activities' "
                "budget of the year."
            )
            % {"w": w["agency_absorption"]},
            _(
                "- **Quarterly reports on time, %(w)s %%**: of the quarters whose report was "
                "due by the day the scores are counted, the share whose report was first sent "
                "by its deadline."
            )
            % {"w": w["agency_on_time"]},
            _(
                "- **Verified evidence, %(w)s %%**: of the progress entries with something "
                "realised, the share that are in a verified report and have at least one "
                "evidence file."
            )
            % {"w": w["agency_evidence"]},
        ]
    )


def _partner_bullets(w: dict[str, str]) -> str:
    return "\n".join(
        [
            _(
                "- **Realised against pledged, %(w)s %%**: for each pledge, the verified "
                "realisations against the quantity pledged, counted up to 100 %%, averaged "
                "over the pledges."
            )
            % {"w": w["partner_realised"]},
            _(
                "- **Value realised against the largest, %(w)s %%**: the verified value in "
                "rupiah, against the largest among the category's partners."
            )
            % {"w": w["partner_value"]},
            _(
                "- **People reached, %(w)s %%**: the program participants named in verified "
                "realisations, each person once, against the most among the category's "
                "partners."
            )
            % {"w": w["partner_people"]},
        ]
    )


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)
