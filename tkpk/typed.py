"""Nothing a user typed is lost when their session ends before they save.

A form left open past the idle limit (SESSION_COOKIE_AGE) is posted by a signed-out
browser. `KeepTypedLoginRequiredMiddleware` still sends it to the login page, but first
keeps the POST's fields (not its files, which cannot be kept; nor the CSRF token) in the
anonymous session under the path posted to. Django's login keeps an anonymous session's
data (it cycles the key), so after signing in the browser follows `next` back to that
path, and the view finds what was typed.

A form view reads its data with `typed_data(request)` instead of `request.POST or None`:

    form = SomeForm(typed_data(request), request.FILES or None, ...)
    if request.method == "POST" and form.is_valid():
        ...

On the GET that returns from the login page the form is bound to the kept fields, so it
shows what was typed and any errors next to their fields, with a warning above; nothing is
saved until the user presses save. The data is given back once (a reload shows an empty
form), and only within SESSION_COOKIE_AGE of being typed: it lives only in the session of
the browser that typed it, and the age limit keeps it from whoever signs in on that browser
much later. A few paths and at most KEPT_MAX_BYTES are kept; anything larger is not.

A form that posts to an action of its own (submit, verify, return) sends its page back
instead: the fields are kept under the page the form was on, with the action they were
sent to, and the page reads them with `typed_data(request, action=...)` to fill that
form's fields again.
"""

import json
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

KEPT_SESSION_KEY = "tkpk_typed"
KEPT_PATHS = 5
KEPT_MAX_BYTES = 64 * 1024  # a long narrative is a few KB; an anonymous row stays small
# A body Django refuses to read is not kept; the user is still sent to the login page.
UNREADABLE = (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    MultiPartParserError,
    UnreadablePostError,
)


def _entry_size(entry: dict) -> int:
    return len(json.dumps(entry, ensure_ascii=False).encode())


def typed_keep(request: HttpRequest, page: str | None = None) -> None:
    """Keep the fields of a POST in the session under its path (or the `page` it was sent
    from, for a POST-only action), within the bounds."""
    try:
        post, had_files = request.POST, bool(request.FILES)
    except UNREADABLE:
        return
    fields = [[key, values] for key, values in post.lists() if key != "csrfmiddlewaretoken"]
    kept = dict(request.session.get(KEPT_SESSION_KEY, {}))
    # A newer POST to the same path replaces the older one, even when it is too large.
    key = urlsplit(page).path if page else request.path
    kept.pop(key, None)
    entry = {"at": time.time(), "fields": fields, "files": had_files, "action": request.path}
    size = _entry_size(entry)
    if fields and size <= KEPT_MAX_BYTES:
        # The oldest paths give way (dicts keep insertion order).
        while kept and (
            len(kept) >= KEPT_PATHS or size + sum(map(_entry_size, kept.values())) > KEPT_MAX_BYTES
        ):
            kept.pop(next(iter(kept)))
        kept[key] = entry
    if kept:
        request.session[KEPT_SESSION_KEY] = kept
    else:
        request.session.pop(KEPT_SESSION_KEY, None)


def typed_data(request: HttpRequest, *, action: str | None = None) -> QueryDict | None:
    """The data a form view binds its form to: the POST; on a GET, what was typed before the
    session ended, given back once with a warning; otherwise None (an unbound form).

    `action`: on a page whose form posts elsewhere, what was typed into that form (never
    the POST, which went to the action)."""
    if request.method == "POST":
        return None if action else request.POST
    if request.method != "GET" or KEPT_SESSION_KEY not in request.session:
        return None
    kept = dict(request.session[KEPT_SESSION_KEY])
    entry = kept.get(request.path)
    if entry is None or entry.get("action", request.path) != (action or request.path):
        return None
    del kept[request.path]
    if kept:
        request.session[KEPT_SESSION_KEY] = kept
    else:
        del request.session[KEPT_SESSION_KEY]
    if time.time() - entry["at"] >= settings.SESSION_COOKIE_AGE:
        return None
    warning = _(
        "Your session had ended before this form was saved. "
        "What you typed is back: check it and save again."
    )
    if entry["files"]:
        warning = f"{warning} {_('Files must be chosen again.')}"
    messages.warning(request, warning)
    return QueryDict(urlencode(entry["fields"], doseq=True))


class KeepTypedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware that first keeps what a signed-out POST carried,
    for `typed_data` to give back after signing in."""

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if request.method == "POST":
            page = _form_page(request)
            typed_keep(request, page)
            if page:
                # Back to the page the form was on: a POST-only action (submit, verify)
                # has no page of its own to come back to.
                return redirect_to_login(
                    page, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
                )
        return super().handle_no_permission(request, view_func)


def _form_page(request: HttpRequest) -> str | None:
    """The page of this site a POST was sent from, when it is not the POST's own address."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    page = urlsplit(referer)
    if not page.path or page.path == request.path:
        return None
    return f"{page.path}?{page.query}" if page.query else page.path
