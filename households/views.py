from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from households.selectors import region_district, region_districts
from tkpk.permissions import MANAGERS, role_required


@require_GET
@role_required(*MANAGERS)
def area_list(request: HttpRequest) -> HttpResponse:
    """The districts of the region, each with its number of villages."""
    districts = list(region_districts())
    return render(
        request,
        "households/area_list.html",
        {"districts": districts, "village_total": sum(d.village_count for d in districts)},
    )


@require_GET
@role_required(*MANAGERS)
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One district of the region and its villages."""
    district = region_district(code)
    if district is None:
        raise Http404
    villages = district.children.order_by("code")
    return render(
        request, "households/area_detail.html", {"district": district, "villages": villages}
    )
