"""Refuse oversized request bodies before anything reads them.

The reverse proxy's body limit is the first defence (README, "Deploying"); this is the
second. Django spools an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file as soon as something reads request.POST or request.FILES, so without this an
anonymous client could make the server write hundreds of megabytes to disk.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Room for the multipart boundaries and the form's other fields around the largest file.
UPLOAD_MARGIN_BYTES = 1024 * 1024


def declared_length(request: HttpRequest) -> int:
    """The body size the client announced; Django reads no more than this (0 if absent)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE unsigned-in, or over the upload limit.

    Must come after AuthenticationMiddleware (it asks who is signed in) and before any
    middleware that reads the body in its request phase; CsrfViewMiddleware reads it only
    in process_view, which runs after every middleware's request phase.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit and not request.user.is_authenticated:
            return self.refuse(_("The request is too large. Sign in before uploading a file."))
        if length > settings.TKPK_DTSEN_MAX_BYTES + UPLOAD_MARGIN_BYTES:
            megabytes = settings.TKPK_DTSEN_MAX_BYTES // (1024 * 1024)
            return self.refuse(
                _("The request is too large: files of at most %(size)s MB are accepted.")
                % {"size": megabytes}
            )
        return self.get_response(request)

    @staticmethod
    def refuse(message: str) -> HttpResponse:
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
