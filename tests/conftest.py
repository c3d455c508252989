from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from partners.models import PartnerKind
from tests.factories import AgencyFactory, PartnerFactory, UserFactory
from tkpk.models import Role


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language, whatever the previous request chose."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def postgres_url(django_db_setup) -> str:
    """The test database's address, for a second process or connection (as a worker, a
    page or autovacuum has); skips on SQLite, whose in-memory test database no second
    connection can see."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection cannot see the in-memory SQLite test database")
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def agency(db):
    return AgencyFactory(acronym="Dinsos P3AP2KB", name="Dinas Sosial P3AP2KB")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(acronym="Disnakertrans", name="Dinas Tenaga Kerja dan Transmigrasi")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="PT Arutmin Indonesia NPLCT", kind=PartnerKind.COMPANY)


@pytest.fixture
def users(db, agency, partner):
    """One user per role; the agency operator works for `agency`, the partner's for `partner`."""
    return {
        Role.ADMIN: UserFactory(username="admin", role=Role.ADMIN),
        Role.SECRETARIAT: UserFactory(username="sekretariat", role=Role.SECRETARIAT),
        Role.AGENCY: UserFactory(username="opd", role=Role.AGENCY, agency=agency),
        Role.LEADER: UserFactory(username="pimpinan", role=Role.LEADER),
        Role.PARTNER: UserFactory(username="mitra", role=Role.PARTNER, partner=partner),
    }
