from django.conf import settings
from django.db.models import Count

from households.models import Area, AreaLevel


def region_name() -> str:
    """The name of the regency or city this installation serves, or its code if unknown."""
    name = (
        Area.objects.filter(code=settings.TKPK_REGION_CODE).values_list("name", flat=True).first()
    )
    return name or settings.TKPK_REGION_CODE


def region_districts():
    """The districts of the installation's region with their number of villages."""
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .districts()
        .annotate(village_count=Count("children"))
        .order_by("code")
    )


def region_district(code: str) -> Area | None:
    return (
        Area.objects.within(settings.TKPK_REGION_CODE)
        .filter(code=code, level=AreaLevel.DISTRICT)
        .first()
    )
