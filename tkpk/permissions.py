"""The one permission layer every view uses: a role check and queryset scoping.

Views declare who may use them with `@role_required(...)`; a class view is wrapped in
the URLconf: `role_required(Role.SECRETARIAT)(SomeView.as_view())`. Leaders are read-only
everywhere: a write request from a leader is refused here, whatever roles the view lists.
The one exception is a view declared `session_only=True`: its POST changes nothing but
the user's own session. The register search is such a view, so that a search text (which
may be a NIK) travels in a request body, never in a URL; tests/tkpk/test_permissions.py
fails if another view claims it.
Records that belong to an agency are read through `scope_to_user()`, so an agency
operator only ever sees their own. tests/tkpk/test_access.py fails for a URL whose view
declares no roles.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from tkpk.models import Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

EVERYONE = frozenset(Role)
MANAGERS = frozenset({Role.ADMIN, Role.SECRETARIAT})
REGION_READERS = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.LEADER})
# Roles that see every agency's records; the others see only what is theirs.
REGION_WIDE = REGION_READERS
# Roles that see NIK and No. KK in full and a household's street address (UU 27/2022):
# those who manage the register. Every other role that may open a register page sees masks.
PERSONAL_DATA_ROLES = frozenset({Role.ADMIN, Role.SECRETARIAT})


def check_role(
    request: HttpRequest, allowed: frozenset[str], *, session_only: bool = False
) -> None:
    """Raise PermissionDenied unless the signed-in user may make this request.

    `session_only` lets read-only users POST too: only for a view whose POST writes
    nothing but their own session.
    """
    user = request.user
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if user.role not in allowed:
        raise PermissionDenied
    writes = request.method not in SAFE_METHODS
    if user.is_read_only and writes and not (session_only and request.method == "POST"):
        raise PermissionDenied


def role_required(*roles: str, session_only: bool = False) -> Callable:
    """Decorate a function view so that only these roles reach it.

    `session_only=True` declares that the view's POST writes nothing but the user's own
    session, so a read-only user may send it (see the module's docstring).
    """
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            check_role(request, allowed, session_only=session_only)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        wrapped.session_only = session_only
        return wrapped

    return decorator


def scope_to_user(queryset: QuerySet, user, *, agency_field: str = "agency") -> QuerySet:
    """Narrow `queryset` to the rows `user` may see: all of them, one agency's, or none."""
    if user.role in REGION_WIDE:
        return queryset
    if user.role == Role.AGENCY and user.agency_id is not None:
        return queryset.filter(**{agency_field: user.agency_id})
    return queryset.none()


def sees_personal_data(user) -> bool:
    """Whether `user` may see NIKs and No. KKs in full, and where a household lives.

    The one place this is decided; views pass the answer to templates, which mask otherwise.
    """
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in PERSONAL_DATA_ROLES
    )
