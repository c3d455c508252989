from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from households.models import Area
from tkpk.demo import DEMO_PASSWORD
from tkpk.models import Agency, Role, User

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_demo_has_one_user_per_role_and_the_seed_agencies(settings):
    settings.DEBUG = True
    output = seed()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert (
        Agency.objects.filter(
            acronym__in=["Dinsos P3AP2KB", "DisperkimLH", "Bappedalitbang"]
        ).count()
        == 3
    )
    assert Agency.objects.count() == 16
    assert Area.objects.get(code="63.02.17.2003").name == "Langadai"
    assert Area.objects.get(code="63.02.22.2005").name == "Tirawan"
    for user in User.objects.all():
        assert user.username in output
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="opd.dinsos").agency.acronym == "Dinsos P3AP2KB"


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    seed()
    counts = (Area.objects.count(), Agency.objects.count(), User.objects.count())
    seed()
    assert (Area.objects.count(), Agency.objects.count(), User.objects.count()) == counts


def test_demo_refuses_production_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not User.objects.exists()
    seed(force=True)
    assert User.objects.exists()
