from django.conf import settings
from django.http import HttpRequest

from households.selectors import region_name
from tkpk.menu import menu_for


def shell(request: HttpRequest) -> dict:
    """What templates/base.html needs on every page: the region and the user's menu."""
    user = getattr(request, "user", None)
    return {
        "region_code": settings.TKPK_REGION_CODE,
        "region_name": region_name(),
        "menu": menu_for(user, request.path) if user is not None else [],
    }
