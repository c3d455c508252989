from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from households.models import Area
from tkpk.demo import DEMO_DTSEN, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_UPLOAD
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


def test_demo_loads_a_synthetic_register_once(settings):
    from households.models import DtsenImport, Household, Person

    settings.DEBUG = True
    seed()
    people = Person.objects.count()
    assert people == DEMO_PEOPLE
    assert Household.objects.filter(village__code__startswith="63.02.").count() > 500
    assert Person.objects.filter(household__village__code="63.02.17.2003").exists()  # Langadai
    seed()
    assert Person.objects.count() == people
    assert DtsenImport.objects.count() == 1


def test_the_example_upload_file_shows_what_real_files_contain(settings):
    from households.dtsen.loading import dtsen_load

    settings.DEBUG = True
    seed()
    report = dtsen_load(path=DEMO_UPLOAD, period="2025-Q4", dry_run=True)
    assert report.header_row == 3  # below two title rows
    assert report.rows == DEMO_PEOPLE
    assert report.people.updated > 0 and report.people.created == 0
    # The next quarter's desil are new desil records, not changed households.
    assert report.households.updated == 0
    assert report.desil_records.created == report.households.unchanged
    columns = {column for _row, column, _message in report.errors}
    assert {"NIK", "Kode Desa", "Tgl Lahir"} <= columns
    assert any(column == "SHDK" for _row, column, _message in report.warnings)


def test_the_committed_demo_register_is_what_the_generator_makes(tmp_path, settings, monkeypatch):
    import tkpk.demo as demo

    settings.DEBUG = True
    seed()
    monkeypatch.setattr(demo, "DEMO_DTSEN", tmp_path / demo.DEMO_DTSEN.name)
    monkeypatch.setattr(demo, "DEMO_UPLOAD", tmp_path / demo.DEMO_UPLOAD.name)
    demo.demo_files_write(demo.demo_villages())
    assert (tmp_path / demo.DEMO_DTSEN.name).read_bytes() == DEMO_DTSEN.read_bytes()
