from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from households.selectors import (
    district_villages_with_register,
    region_district,
    region_districts_with_register,
)
from tkpk.permissions import MANAGERS, role_required


@require_GET
@role_required(*MANAGERS)
def area_list(request: HttpRequest) -> HttpResponse:
    """The districts of the region, each with its villages, households and people."""
    districts = list(region_districts_with_register())
    return render(
        request,
        "households/area_list.html",
        {
            "districts": districts,
            "village_total": sum(d.village_count for d in districts),
            "household_total": sum(d.household_count for d in districts),
            "person_total": sum(d.person_count for d in districts),
        },
    )


@require_GET
@role_required(*MANAGERS)
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One district of the region and its villages, with their households and people."""
    district = region_district(code)
    if district is None:
        raise Http404
    villages = list(district_villages_with_register(district))
    return render(
        request,
        "households/area_detail.html",
        {
            "district": district,
            "villages": villages,
            "household_total": sum(v.household_count for v in villages),
            "person_total": sum(v.person_count for v in villages),
        },
    )
