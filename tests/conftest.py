import pytest

from tests.factories import AgencyFactory, UserFactory
from tkpk.models import Role


@pytest.fixture
def agency(db):
    return AgencyFactory(acronym="Dinsos P3AP2KB", name="Dinas Sosial P3AP2KB")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(acronym="Disnakertrans", name="Dinas Tenaga Kerja dan Transmigrasi")


@pytest.fixture
def users(db, agency):
    """One user per role; the agency operator works for `agency`."""
    return {
        Role.ADMIN: UserFactory(username="admin", role=Role.ADMIN),
        Role.SECRETARIAT: UserFactory(username="sekretariat", role=Role.SECRETARIAT),
        Role.AGENCY: UserFactory(username="opd", role=Role.AGENCY, agency=agency),
        Role.LEADER: UserFactory(username="pimpinan", role=Role.LEADER),
        Role.PARTNER: UserFactory(username="mitra", role=Role.PARTNER),
    }
