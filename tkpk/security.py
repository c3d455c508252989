from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the login throttle, trusting only our own proxies.

    With TKPK_PROXY_COUNT=N, the N-th address from the right of X-Forwarded-For is the
    one our outermost proxy saw; anything further left may be forged by the client.
    """
    count = settings.TKPK_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
