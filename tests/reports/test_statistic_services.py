from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households.models import Area
from households.services import areas_import, read_region_file
from reports.demo import demo_load
from reports.models import PovertyStatistic
from reports.statistics import (
    DEMO_SOURCE,
    ImplausibleSteps,
    allowed_areas,
    statistic_save,
    statistic_steps,
)
from tests.factories import AreaFactory
from tkpk.demo import DEMO_AREAS
from tkpk.models import Role

pytestmark = pytest.mark.django_db


def either(indonesian: str, english: str) -> set[str]:
    """A message as the page shows it: Indonesian once the lead compiles the catalog, the
    English msgid before; numbers are written the Indonesian way in both."""
    return {indonesian, english}


@pytest.fixture
def areas(db):
    """Kalimantan Selatan with Kotabaru (the region), Banjar and Banjarmasin; and Kotim."""
    for code, name in (
        ("63.02", "Kabupaten Kotabaru"),
        ("63.03", "Kabupaten Banjar"),
        ("63.71", "Kota Banjarmasin"),
        ("62.02", "Kabupaten Kotawaringin Timur"),
        ("63.02.17", "Kelumpang Hilir"),
    ):
        AreaFactory(code=code, name=name)
    return Area.objects.all()


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


def save(by, area="63.03", year=2025, rate="2.74", confirmed=(), **values):
    return statistic_save(
        area=area,
        year=year,
        values={"poverty_rate": Decimal(rate), **values},
        source="BPS, Maret 2025",
        by=by,
        confirmed=confirmed,
    )


def test_allowed_areas_are_the_region_first_then_the_province_then_the_others(areas):
    assert list(allowed_areas().values_list("code", flat=True)) == [
        "63.02",
        "63",
        "63.03",
        "63.71",
    ]


def test_save_creates_then_updates_one_area_and_year_with_who_entered_it(areas, users):
    statistic = save(users[Role.SECRETARIAT], poor_people=41_230)
    assert statistic.entered_by == users[Role.SECRETARIAT]
    assert statistic.source == "BPS, Maret 2025"
    again = save(users[Role.ADMIN], rate="2.80")
    assert again.pk == statistic.pk
    assert PovertyStatistic.objects.count() == 1
    again.refresh_from_db()
    assert again.poverty_rate == Decimal("2.80")
    assert again.poor_people == 41_230  # not given: kept
    assert again.entered_by == users[Role.ADMIN]


@pytest.mark.parametrize("code", ["62.02", "63.02.17"])
def test_save_refuses_an_area_outside_the_province_or_below_a_regency(areas, secretariat, code):
    with pytest.raises(ValidationError) as refused:
        save(secretariat, area=code)
    assert "area" in refused.value.message_dict
    assert code in refused.value.message_dict["area"][0]
    assert not PovertyStatistic.objects.exists()


def test_save_refuses_an_unknown_area(areas, secretariat):
    with translation.override("en"), pytest.raises(ValidationError, match="not a known area code"):
        save(secretariat, area="63.99")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("poverty_rate", Decimal("100.5")),
        ("gini_ratio", Decimal("1.2")),
        ("poverty_gap", Decimal("-1")),
        ("human_development_index", Decimal("101")),
    ],
)
def test_save_refuses_values_out_of_range(areas, secretariat, field, value):
    values = {"poverty_rate": Decimal("2.74"), field: value}
    with pytest.raises(ValidationError) as refused:
        statistic_save(area="63.03", year=2025, values=values, source="BPS", by=secretariat)
    assert field in refused.value.message_dict
    assert not PovertyStatistic.objects.exists()


def test_a_step_of_more_than_five_points_asks_for_confirmation_with_a_readable_message(
    areas, secretariat
):
    save(secretariat, year=2025, rate="2.74")
    with pytest.raises(ImplausibleSteps) as asked:
        save(secretariat, year=2026, rate="43.60")
    (step,) = asked.value.steps
    assert step.message in either(
        "P0 naik dari 2,74 % (2025) ke 43,60 % (2026): lebih dari 5 poin",
        "P0 rose from 2,74 % (2025) to 43,60 % (2026): more than 5 points",
    )
    assert not PovertyStatistic.objects.filter(year=2026).exists()
    save(secretariat, year=2026, rate="43.60", confirmed=[step.key])
    assert PovertyStatistic.objects.get(year=2026).poverty_rate == Decimal("43.60")


def test_a_confirmation_holds_only_for_the_values_confirmed(areas, secretariat):
    save(secretariat, year=2025, rate="2.74")
    with pytest.raises(ImplausibleSteps) as asked:
        save(secretariat, year=2026, rate="43.60")
    with pytest.raises(ImplausibleSteps):
        save(secretariat, year=2026, rate="27.40", confirmed=[asked.value.steps[0].key])


def test_steps_compare_with_the_year_after_too_and_ignore_small_ones(areas, secretariat):
    save(secretariat, year=2024, rate="2.36")
    save(secretariat, year=2025, rate="2.74")  # 0.38 points: plausible
    steps = statistic_steps(
        area="63.03", year=2023, values={"poverty_rate": Decimal("9.5"), "gini_ratio": None}
    )
    assert [(s.from_year, s.to_year) for s in steps] == [(2023, 2024)]
    assert steps[0].message in either(
        "P0 turun dari 9,50 % (2023) ke 2,36 % (2024): lebih dari 5 poin",
        "P0 fell from 9,50 % (2023) to 2,36 % (2024): more than 5 points",
    )


def test_indicators_without_a_step_are_never_implausible(areas, secretariat):
    save(secretariat, year=2024, poor_people=10_000)
    assert not statistic_steps(
        area="63.03", year=2025, values={"poverty_rate": Decimal("2.5"), "poor_people": 90_000}
    )


def test_gini_step_is_written_with_its_decimals(areas, secretariat):
    save(secretariat, year=2024, gini_ratio=Decimal("0.310"))
    values = {"poverty_rate": Decimal("2.5"), "gini_ratio": Decimal("0.5")}
    (step,) = statistic_steps(area="63.03", year=2025, values=values)
    # Three decimals for Gini, and its step of 0,1 written as people write it.
    assert "0,310 (2024)" in step.message
    assert "0,500 (2025)" in step.message
    assert "0,1 po" in step.message  # poin / points


def test_demo_holds_the_seed_figures_with_sources_and_labelled_demo_values(users):
    areas_import(areas=read_region_file(DEMO_AREAS))
    demo_load(users[Role.SECRETARIAT])
    banjar = {s.year: s for s in PovertyStatistic.objects.filter(area_id="63.03")}
    assert banjar[2024].poverty_rate == Decimal("2.36")
    assert banjar[2025].poverty_rate == Decimal("2.74")
    assert not banjar[2025].is_demo
    assert "BPS" in banjar[2025].source
    kotim = {s.year: s for s in PovertyStatistic.objects.filter(area_id="62.02")}
    assert (kotim[2024].poverty_rate, kotim[2025].poverty_rate) == (
        Decimal("5.66"),
        Decimal("5.83"),
    )
    assert "1.010" in kotim[2025].source
    assert not kotim[2025].is_demo
    demo = PovertyStatistic.objects.filter(is_demo=True)
    assert set(demo.values_list("source", flat=True)) == {DEMO_SOURCE}
    # Every regency and city of the province and the province itself, 2021 to 2025.
    for code in [area.code for area in allowed_areas()]:
        years = set(PovertyStatistic.objects.filter(area_id=code).values_list("year", flat=True))
        assert years == {2021, 2022, 2023, 2024, 2025}, code
    assert allowed_areas().count() == 14
    # Plausible, and Banjar the lowest of the province in 2024 and 2025 as the seeds say.
    for year in (2024, 2025):
        rates = dict(
            PovertyStatistic.objects.filter(year=year, area__parent_id="63").values_list(
                "area_id", "poverty_rate"
            )
        )
        assert min(rates, key=rates.get) == "63.03"
        assert all(Decimal(2) <= rate <= Decimal(7) for rate in rates.values())


def test_demo_is_idempotent_and_keeps_figures_entered_for_real(users):
    areas_import(areas=read_region_file(DEMO_AREAS))
    demo_load(users[Role.SECRETARIAT])
    count = PovertyStatistic.objects.count()
    real = save(users[Role.ADMIN], area="63.02", year=2025, rate="4.40")
    assert not real.is_demo
    demo_load(users[Role.SECRETARIAT])
    assert PovertyStatistic.objects.count() == count
    real.refresh_from_db()
    assert (real.poverty_rate, real.is_demo) == (Decimal("4.40"), False)
