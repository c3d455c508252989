"""The demo's poverty statistics: the figures the seeds quote, with their sources, and
clearly labelled made-up values (is_demo, source "Nilai contoh (demo)") for the demo region
Kotabaru, its province and the province's other regencies and cities, so that the
dashboard's trend and rank panels have something to show.

The made-up rates stay where Kalimantan Selatan's are (roughly 2 to 7 %) and above
Banjar's, which the seeds call the lowest of the province in 2024 and 2025.
"""

from decimal import Decimal

from django.db import transaction

from reports.models import PovertyStatistic
from reports.statistics import DEMO_SOURCE, statistic_save
from tkpk.models import User

DEMO_YEARS = range(2021, 2026)

# Quoted by the seeds (shared/seeds 001, 002, 004): (area, year, P0, source, region whose
# installation keeps it). Kotawaringin Timur is another province's regency: its figures
# belong to an installation of region 62.02, as the rakor of seed 001 would enter them.
QUOTED = [
    ("63.03", 2024, "2.36", "BPS, 2024 (Rakor TKPK Kabupaten Banjar)", "63.02"),
    (
        "63.03",
        2025,
        "2.74",
        "BPS, 2025 (Rakor Penanggulangan Kemiskinan Kabupaten Banjar, 10-12-2025)",
        "63.02",
    ),
    (
        "62.02",
        2024,
        "5.66",
        "BPS, 2025 (Rakor Penanggulangan Kemiskinan Kotim, 15-12-2025)",
        "62.02",
    ),
    (
        "62.02",
        2025,
        "5.83",
        "BPS, 2025: penduduk miskin naik 1.010 jiwa dari 2024 "
        "(Rakor Penanggulangan Kemiskinan Kotim, 15-12-2025)",
        "62.02",
    ),
]

# Made-up P0 of 2025 for the province (63) and its regencies and cities; earlier years are
# a little higher. Kotabaru's 4,36 is a guess at the "43,6 persen" of seed 000's press
# release, a misplaced comma: made up all the same.
DEMO_RATES_2025 = {
    "63": "3.95",
    "63.01": "4.05",
    "63.02": "4.36",
    "63.03": "2.74",  # Banjar: only its years before 2024 are made up
    "63.04": "4.48",
    "63.05": "2.98",
    "63.06": "4.62",
    "63.07": "5.71",
    "63.08": "6.42",
    "63.09": "5.83",
    "63.10": "4.41",
    "63.11": "5.29",
    "63.71": "4.11",
    "63.72": "4.02",
}
# Points above 2025's rate, by year.
DEMO_DECLINE = {2021: "0.62", 2022: "0.45", 2023: "0.28", 2024: "0.12", 2025: "0"}


def demo_load(by: User) -> int:
    """Load (or refresh) the demo's statistics, entered by `by`; the number of figures
    written. Idempotent; a figure someone entered for real is left alone."""
    written = 0
    with transaction.atomic():
        for code, year, rate, source, region in QUOTED:
            statistic_save(
                area=code,
                year=year,
                values={"poverty_rate": Decimal(rate)},
                source=source,
                by=by,
                region=region,
            )
            written += 1
        quoted = {(code, year) for code, year, *_rest in QUOTED}
        real = set(PovertyStatistic.objects.filter(is_demo=False).values_list("area_id", "year"))
        for year in DEMO_YEARS:
            for position, code in enumerate(DEMO_RATES_2025):
                if (code, year) in quoted or (code, year) in real:
                    continue
                statistic_save(
                    area=code,
                    year=year,
                    values=demo_values(code, year, position),
                    source=DEMO_SOURCE,
                    by=by,
                    is_demo=True,
                    region="63.02",
                )
                written += 1
    return written


def demo_values(code: str, year: int, position: int) -> dict[str, object]:
    """Plausible made-up figures of one area and year; `position` varies them by area."""
    rate = Decimal(DEMO_RATES_2025[code]) + Decimal(DEMO_DECLINE[year])
    shade = Decimal(position % 5) / 100  # 0 to 0,04: areas differ a little
    later = 2025 - year
    return {
        "poverty_rate": rate,
        "poverty_gap": (rate * (Decimal("0.14") + shade)).quantize(Decimal("0.01")),
        "poverty_severity": (rate * (Decimal("0.03") + shade / 4)).quantize(Decimal("0.01")),
        "poverty_line": int(round((560_000 + 9_000 * (position % 7)) * 0.96**later, -3)),
        "extreme_poverty_rate": (rate * (Decimal("0.12") + shade) - later * Decimal("0.05"))
        .max(Decimal("0.10"))
        .quantize(Decimal("0.01")),
        "human_development_index": Decimal("70.20")
        + Decimal(position % 6)
        - Decimal("0.55") * later,
        "unemployment_rate": (Decimal("4.10") + shade * 25 + Decimal("0.15") * later).quantize(
            Decimal("0.01")
        ),
        "gini_ratio": Decimal("0.310") + Decimal(position % 4) / 100,
    }
