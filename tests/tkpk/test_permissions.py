"""The read-only rule's one exception: a POST that writes nothing but the user's session."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from tests.tkpk.test_access import SESSION_ONLY, url_patterns
from tkpk.models import Role
from tkpk.permissions import role_required

pytestmark = pytest.mark.django_db


def ok(request):
    return HttpResponse("ok")


def test_only_the_register_search_lets_read_only_users_post():
    claimed = {name for name, view in url_patterns() if getattr(view, "session_only", False)}
    assert claimed == SESSION_ONLY == {"households:household_search"}


def test_a_session_only_view_takes_a_leaders_post_and_no_other_write(rf, users):
    view = role_required(Role.LEADER, Role.SECRETARIAT, session_only=True)(ok)
    request = rf.post("/")
    request.user = users[Role.LEADER]
    assert view(request).status_code == 200
    for method in ("put", "patch", "delete"):
        request = getattr(rf, method)("/")
        request.user = users[Role.LEADER]
        with pytest.raises(PermissionDenied):
            view(request)


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER, None])
def test_a_session_only_view_still_refuses_the_roles_it_does_not_list(rf, users, role):
    view = role_required(Role.LEADER, Role.SECRETARIAT, session_only=True)(ok)
    request = rf.post("/")
    request.user = users[role] if role else AnonymousUser()
    with pytest.raises(PermissionDenied):
        view(request)


def test_without_the_declaration_a_leaders_post_is_refused(rf, users):
    view = role_required(Role.LEADER, Role.SECRETARIAT)(ok)
    request = rf.post("/")
    request.user = users[Role.LEADER]
    with pytest.raises(PermissionDenied):
        view(request)
