"""What a dashboard page looks at: the area, the year, and how numbers are compared."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from households.models import Area, AreaLevel
from reports.models import (
    SummaryRefresh,
)

TREND_YEARS = 5


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """part / whole in percent with two places; None when there is no whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Place:
    """The area a dashboard page is about: the region, one of its districts or villages."""

    area: Area

    @property
    def level(self) -> int:
        return self.area.level

    @property
    def is_region(self) -> bool:
        return self.area.code == settings.TKPK_REGION_CODE

    @property
    def is_village(self) -> bool:
        return self.area.level == AreaLevel.VILLAGE


def place_of(code: str | None) -> Place | None:
    """The region, or an area inside it; None for an area outside the region."""
    region = settings.TKPK_REGION_CODE
    code = code or region
    area = Area.objects.within(region).filter(code=code).select_related("parent").first()
    if area is None and code == region:
        # Before the area list is loaded the region page still opens, saying it has no
        # figures yet, rather than a 404 from the menu's first link.
        area = Area(code=region, name=region, level=AreaLevel.REGENCY)
    return Place(area) if area else None


def dashboard_years() -> list[int]:
    """Years with summaries, newest first."""
    return list(
        SummaryRefresh.objects.filter(version__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def shown_year(today: datetime.date, years: list[int] | None = None) -> int:
    """The year a dashboard shows unless asked: this year once it has figures, else the
    newest year that has (in early January, last year's until the first rebuild)."""
    years = dashboard_years() if years is None else years
    if today.year in years or not years:
        return today.year
    return max((year for year in years if year < today.year), default=years[0])


def refresh_state(year: int) -> SummaryRefresh | None:
    return SummaryRefresh.objects.filter(year=year).first()


def area_url(code: str, year: int, measure: str = "desil") -> str:
    """An area's dashboard page, showing the same year and map measure."""
    url = reverse("reports:dashboard_area", kwargs={"code": code}) + f"?tahun={year}"
    return url if measure == "desil" else f"{url}&peta={measure}"
