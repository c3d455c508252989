from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import PovertyStatistic
from reports.statistics import DEMO_SOURCE, statistic_save
from reports.views.statistics import SESSION_KEY, UPLOAD_FOLDER
from tests.factories import AreaFactory
from tkpk.models import Role

pytestmark = pytest.mark.django_db

LIST = reverse("reports:statistic_list")
CREATE = reverse("reports:statistic_create")
UPLOAD = reverse("reports:statistic_upload")
TEMPLATE = reverse("reports:statistic_template")


@pytest.fixture
def areas(db):
    AreaFactory(code="63", name="Kalimantan Selatan")
    for code, name in (
        ("63.02", "Kabupaten Kotabaru"),
        ("63.03", "Kabupaten Banjar"),
        ("62.02", "Kabupaten Kotawaringin Timur"),
    ):
        AreaFactory(code=code, name=name)


@pytest.fixture
def banjar(areas, users):
    statistic_save(
        area="63.03",
        year=2025,
        values={"poverty_rate": Decimal("2.74"), "poor_people": 41_230},
        source="BPS, Maret 2025",
        by=users[Role.SECRETARIAT],
    )
    return PovertyStatistic.objects.get(area_id="63.03", year=2025)


@pytest.fixture
def signed_in(client, users):
    def sign_in(role):
        client.force_login(users[role])
        return client

    return sign_in


def form_data(**changes):
    data = {
        "area": "63.02",
        "year": "2025",
        "poverty_rate": "4,36",
        "poor_people": "",
        "poverty_gap": "0,62",
        "poverty_severity": "",
        "poverty_line": "550.000",
        "extreme_poverty_rate": "",
        "human_development_index": "",
        "unemployment_rate": "",
        "gini_ratio": "",
        "source": "BPS, Maret 2025",
        "steps": "",
    }
    return {**data, **changes}


# --- the list ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARIAT, Role.LEADER])
def test_region_readers_see_the_list_with_the_region_first(signed_in, banjar, role):
    response = signed_in(role).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    page = page[page.index('data-testid="statistic-trend"') :]
    assert page.index("Kabupaten Kotabaru") < page.index("Kalimantan Selatan")
    assert page.index("Kalimantan Selatan") < page.index("Kabupaten Banjar")
    assert 'data-testid="region-row"' in page
    assert "2,74 %" in page and "41.230" in page and "BPS, Maret 2025" in page
    assert "Kotawaringin" not in page  # another province's regency


def test_managers_get_edit_links_and_leaders_do_not(signed_in, banjar):
    page = signed_in(Role.SECRETARIAT).get(LIST).content.decode()
    assert reverse("reports:statistic_update", args=[banjar.pk]) in page
    assert f"{CREATE}?wilayah=63.02&amp;tahun=2025" in page
    page = signed_in(Role.LEADER).get(LIST).content.decode()
    assert reverse("reports:statistic_update", args=[banjar.pk]) not in page
    assert UPLOAD not in page


def test_the_list_labels_demo_values_and_filters_by_year(signed_in, areas, users):
    for year, rate in ((2024, "4.45"), (2025, "4.36")):
        statistic_save(
            area="63.02",
            year=year,
            values={"poverty_rate": Decimal(rate)},
            source=DEMO_SOURCE,
            by=users[Role.ADMIN],
            is_demo=True,
        )
    client = signed_in(Role.LEADER)
    page = client.get(LIST).content.decode()
    assert 'data-testid="demo-note"' in page and 'data-testid="demo-badge"' in page
    assert DEMO_SOURCE in page
    year_table = page[page.index('data-testid="statistic-year"') :]
    assert "4,36 %" in year_table and "4,45 %" not in year_table
    page = client.get(LIST, {"tahun": 2024}).content.decode()
    year_table = page[page.index('data-testid="statistic-year"') :]
    assert "4,45 %" in year_table and "4,36 %" not in year_table


@pytest.mark.parametrize("role", [Role.AGENCY, Role.PARTNER])
def test_agency_and_partner_operators_cannot_open_statistics(signed_in, banjar, role):
    client = signed_in(role)
    for url in (
        LIST,
        CREATE,
        UPLOAD,
        TEMPLATE,
        reverse("reports:statistic_update", args=[banjar.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_a_leader_reads_but_cannot_write(signed_in, banjar):
    client = signed_in(Role.LEADER)
    assert client.get(LIST).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert (
        client.post(reverse("reports:statistic_update", args=[banjar.pk]), form_data()).status_code
        == 403
    )
    upload = SimpleUploadedFile("s.csv", b"kode,tahun,p0,sumber\n63.02,2025,4.36,BPS\n")
    assert client.post(UPLOAD, {"file": upload}).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert PovertyStatistic.objects.count() == 1


# --- the form ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARIAT])
def test_managers_enter_figures_typed_the_indonesian_way(signed_in, areas, users, role):
    response = signed_in(role).post(CREATE, form_data())
    assert response.status_code == 302
    assert response.url == f"{LIST}?tahun=2025"
    statistic = PovertyStatistic.objects.get(area_id="63.02", year=2025)
    assert statistic.poverty_rate == Decimal("4.36")
    assert statistic.poverty_gap == Decimal("0.62")
    assert statistic.poverty_line == 550_000
    assert statistic.entered_by == users[role]
    assert not statistic.is_demo


def test_the_form_offers_only_the_allowed_areas(signed_in, areas):
    page = signed_in(Role.SECRETARIAT).get(CREATE).content.decode()
    assert "63.03 Kabupaten Banjar" in page
    assert "62.02" not in page
    response = signed_in(Role.SECRETARIAT).post(CREATE, form_data(area="62.02"))
    assert response.status_code == 200
    assert not PovertyStatistic.objects.exists()


def test_the_form_refuses_out_of_range_values_and_keeps_what_was_typed(signed_in, areas):
    response = signed_in(Role.SECRETARIAT).post(
        CREATE, form_data(poverty_rate="104,5", gini_ratio="1,5")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"poverty_rate", "gini_ratio"}
    assert 'value="104,5"' in response.content.decode()
    assert not PovertyStatistic.objects.exists()


def test_an_existing_area_and_year_is_edited_not_entered_twice(signed_in, banjar):
    response = signed_in(Role.SECRETARIAT).post(CREATE, form_data(area="63.03"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert PovertyStatistic.objects.get().poverty_rate == Decimal("2.74")


def test_an_implausible_step_is_saved_only_once_confirmed(signed_in, banjar):
    client = signed_in(Role.SECRETARIAT)
    data = form_data(area="63.03", year="2026", poverty_rate="43,60", poverty_line="")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="implausible-steps"' in page
    assert "2,74 % (2025)" in page and "43,60 % (2026)" in page
    assert 'data-testid="confirm-box"' in page
    assert 'value="43,60"' in page  # what was typed stays
    assert not PovertyStatistic.objects.filter(year=2026).exists()
    # Saving again without ticking the box asks again.
    steps = response.context["form"].data["steps"]
    response = client.post(CREATE, {**data, "steps": steps})
    assert response.status_code == 200
    assert not PovertyStatistic.objects.filter(year=2026).exists()
    response = client.post(CREATE, {**data, "steps": steps, "confirmed": "on"})
    assert response.status_code == 302
    assert PovertyStatistic.objects.get(year=2026).poverty_rate == Decimal("43.60")


def test_a_confirmation_does_not_cover_a_value_changed_afterwards(signed_in, banjar):
    client = signed_in(Role.SECRETARIAT)
    data = form_data(area="63.03", year="2026", poverty_rate="43,60")
    steps = client.post(CREATE, data).context["form"].data["steps"]
    response = client.post(
        CREATE, {**data, "poverty_rate": "27,40", "steps": steps, "confirmed": "on"}
    )
    assert response.status_code == 200
    assert "27,40 % (2026)" in response.content.decode()
    assert not PovertyStatistic.objects.filter(year=2026).exists()


def test_editing_keeps_the_area_and_year(signed_in, banjar, users):
    url = reverse("reports:statistic_update", args=[banjar.pk])
    client = signed_in(Role.ADMIN)
    page = client.get(url).content.decode()
    assert 'value="2,74"' in page and 'value="41.230"' in page
    response = client.post(
        url, form_data(area="63.02", year="2020", poverty_rate="2,80", poor_people="41.500")
    )
    assert response.status_code == 302
    banjar.refresh_from_db()
    assert (banjar.area_id, banjar.year) == ("63.03", 2025)
    assert (banjar.poverty_rate, banjar.poor_people) == (Decimal("2.80"), 41_500)
    assert banjar.entered_by == users[Role.ADMIN]


# --- the file ------------------------------------------------------------------------------


def upload(client, content: bytes, name="statistik.csv", **data):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **data})


def test_a_good_file_is_loaded_and_the_list_follows(signed_in, areas):
    client = signed_in(Role.SECRETARIAT)
    response = upload(
        client,
        b"kode;tahun;p0;sumber\n63.03;2024;2,36;BPS 2024\n63.03;2025;2,74;\n",
        source="BPS 2025",
    )
    assert response.status_code == 302
    assert PovertyStatistic.objects.count() == 2
    assert PovertyStatistic.objects.get(year=2025).source == "BPS 2025"


def test_file_errors_are_listed_by_row_and_column_and_nothing_is_written(
    signed_in, areas, settings
):
    client = signed_in(Role.SECRETARIAT)
    response = upload(client, b"kode,tahun,p0,sumber\n63.03,2025,2.74,BPS\n63.99,2025,3,BPS\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="file-errors"' in page
    assert "63.99" in page
    report = response.context["report"]
    assert [(row, column) for row, column, _m in report.errors] == [(3, "kode")]
    assert not PovertyStatistic.objects.exists()
    assert not list((settings.MEDIA_ROOT / UPLOAD_FOLDER).iterdir())  # nothing kept


def test_a_file_that_is_not_a_spreadsheet_is_refused(signed_in, areas):
    response = upload(
        signed_in(Role.SECRETARIAT), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, name="x.xlsx"
    )
    assert response.status_code == 200
    assert 'data-testid="file-error"' in response.content.decode()
    assert not PovertyStatistic.objects.exists()


def test_a_file_with_an_implausible_step_is_kept_until_confirmed(signed_in, banjar, settings):
    client = signed_in(Role.SECRETARIAT)
    response = upload(client, b"kode,tahun,p0,sumber\n63.02,2025,4.36,BPS\n63.03,2026,43.6,BPS\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="file-confirmation"' in page
    assert "2,74 % (2025)" in page and "43,60 % (2026)" in page
    assert PovertyStatistic.objects.count() == 1
    pending = client.session[SESSION_KEY]
    kept = settings.MEDIA_ROOT / UPLOAD_FOLDER / pending["token"]
    assert kept.is_file()
    # Unticked: asked again, nothing written.
    response = client.post(UPLOAD, {"action": "confirm"})
    assert response.status_code == 200
    assert 'data-testid="file-confirmation"' in response.content.decode()
    assert PovertyStatistic.objects.count() == 1
    response = client.post(UPLOAD, {"action": "confirm", "confirmed": "on"})
    assert response.status_code == 302
    assert PovertyStatistic.objects.count() == 3
    assert not kept.exists()
    assert SESSION_KEY not in client.session


def test_a_kept_file_is_named_by_the_session_never_by_the_client(
    signed_in, banjar, settings, tmp_path
):
    client = signed_in(Role.SECRETARIAT)
    elsewhere = tmp_path / "other.csv"
    elsewhere.write_bytes(b"kode,tahun,p0,sumber\n63.02,2025,4.36,BPS\n")
    session = client.session
    session[SESSION_KEY] = {
        "token": "../../" + str(elsewhere),
        "name": "x",
        "source": "",
        "steps": [],
    }
    session.save()
    response = client.post(
        UPLOAD, {"action": "confirm", "confirmed": "on", "token": str(elsewhere)}
    )
    assert response.status_code == 302
    assert response.url == UPLOAD
    assert PovertyStatistic.objects.count() == 1
    assert elsewhere.exists()


def test_setting_a_kept_file_aside_deletes_it(signed_in, banjar, settings):
    client = signed_in(Role.SECRETARIAT)
    upload(client, b"kode,tahun,p0,sumber\n63.03,2026,43.6,BPS\n")
    kept = settings.MEDIA_ROOT / UPLOAD_FOLDER / client.session[SESSION_KEY]["token"]
    response = client.post(UPLOAD, {"action": "cancel"})
    assert response.status_code == 302
    assert not kept.exists()
    assert PovertyStatistic.objects.count() == 1


def test_the_template_downloads_for_managers(signed_in, areas):
    response = signed_in(Role.SECRETARIAT).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")
