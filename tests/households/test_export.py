"""The register export: a DTSEN-shaped file for the secretariat, and a log row for each."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from households.models import ExportStatus, RegisterExport, Relationship, Sex
from households.resources import COLUMNS, neutralise
from tests.factories import AreaFactory, HouseholdFactory, PersonFactory
from tkpk.models import ExportLog, Role

pytestmark = pytest.mark.django_db

EXPORT = reverse("households:household_export")


@pytest.fixture
def register(settings):
    settings.TKPK_REGION_CODE = "63.02"
    AreaFactory(code="63.02.17", name="Kelumpang Hilir")
    AreaFactory(code="63.02.06", name="Kelumpang Tengah")
    langadai = AreaFactory(code="63.02.17.2003", name="Langadai")
    tarjun = AreaFactory(code="63.02.06.2013", name="Tarjun")
    ahmad = HouseholdFactory(
        no_kk="6302170101200001",
        village=langadai,
        address="Jl. Transmigrasi No. 7",
        rt="003",
        rw="001",
        dusun="Dusun Harapan",
        desil=1,
        desil_provinsi=2,
        desil_kabupaten=1,
        desil_period="2025-09",
    )
    PersonFactory(household=ahmad, nik="6302170101850001", name="AHMAD FAUZI")
    PersonFactory(
        household=ahmad,
        nik="6302174202880002",
        name='=HYPERLINK("http://evil.example","klik")',
        sex=Sex.FEMALE,
        birth_date=datetime.date(1988, 2, 2),
        relationship=Relationship.SPOUSE,
    )
    PersonFactory(
        household=ahmad,
        nik="6302170303150003",
        name="@SUM(A1)",
        birth_date=None,
        relationship=Relationship.GRANDCHILD,
    )
    other = HouseholdFactory(
        no_kk="6302060101200003", village=tarjun, address="-", desil=7, desil_period="2025-09"
    )
    PersonFactory(household=other, nik="6302064101750005", name="+JAMILAH", sex=Sex.FEMALE)
    return {"ahmad": ahmad, "other": other}


def export(client, user, **params):
    """Ask for an export, let the worker build it, open its page and download the file."""
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(EXPORT, params)
    if response.status_code != 302:
        return response
    page = client.get(response["Location"])
    assert page.status_code == 200
    export = RegisterExport.objects.latest("pk")
    assert export.status == ExportStatus.DONE
    download = reverse("households:export_download", args=[export.pk])
    assert download in page.content.decode()
    return client.get(download)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def read_csv(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_secretariat_exports_the_filtered_people_as_xlsx(client, users, register):
    response = export(client, users[Role.SECRETARIAT], village="63.02.17.2003", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="data-penduduk-{today}.xlsx"'
    rows = read_xlsx(response)
    assert [cell.value for cell in rows[0]] == list(COLUMNS)
    values = [[cell.value for cell in row] for row in rows[1:]]
    assert values == [
        [
            "6302170101850001",
            "6302170101200001",
            "AHMAD FAUZI",
            1,
            "1990-01-01",
            "Kepala Keluarga",
            "Jl. Transmigrasi No. 7",
            "003",
            "001",
            "Dusun Harapan",
            "63.02.17.2003",
            "Langadai",
            "Kelumpang Hilir",
            1,
            2,
            1,
            "2025-09",
        ],
        [
            "6302174202880002",
            "6302170101200001",
            '\'=HYPERLINK("http://evil.example","klik")',
            2,
            "1988-02-02",
            "Istri/Suami",
            "Jl. Transmigrasi No. 7",
            "003",
            "001",
            "Dusun Harapan",
            "63.02.17.2003",
            "Langadai",
            "Kelumpang Hilir",
            1,
            2,
            1,
            "2025-09",
        ],
        [
            "6302170303150003",
            "6302170101200001",
            "'@SUM(A1)",
            1,
            None,
            "Cucu",
            "Jl. Transmigrasi No. 7",
            "003",
            "001",
            "Dusun Harapan",
            "63.02.17.2003",
            "Langadai",
            "Kelumpang Hilir",
            1,
            2,
            1,
            "2025-09",
        ],
    ]


def test_xlsx_holds_nik_and_no_kk_as_text_and_no_formula(client, users, register):
    rows = read_xlsx(export(client, users[Role.SECRETARIAT], format="xlsx"))
    for row in rows[1:]:
        nik, no_kk = row[0], row[1]
        assert nik.data_type == "s" and len(nik.value) == 16
        assert no_kk.data_type == "s" and len(no_kk.value) == 16
        assert all(cell.data_type != "f" for cell in row), [c.value for c in row]


def test_csv_has_the_same_columns_and_neutralised_cells(client, users, register):
    response = export(client, users[Role.SECRETARIAT], format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert rows[0] == list(COLUMNS)
    by_nik = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert len(by_nik) == 4
    assert by_nik["6302174202880002"]["nama"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert by_nik["6302170303150003"]["nama"] == "'@SUM(A1)"
    assert by_nik["6302064101750005"]["nama"] == "'+JAMILAH"
    assert by_nik["6302064101750005"]["alamat"] == "'-"
    assert by_nik["6302170101850001"]["nama"] == "AHMAD FAUZI"
    assert by_nik["6302170303150003"]["tanggal_lahir"] == ""
    assert by_nik["6302064101750005"]["desil_nasional"] == "7"
    assert by_nik["6302064101750005"]["desil_provinsi"] == ""
    for row in rows[1:]:
        assert not row[2].startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+62 812", "'+62 812"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("SITI", "SITI"),
        ("", ""),
        (7, 7),
        (None, None),
    ],
)
def test_neutralise_prefixes_only_text_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


def test_every_export_is_logged_with_its_filter_and_row_count(client, users, register):
    secretariat = users[Role.SECRETARIAT]
    export(client, secretariat, district="63.02.17", desil_to="3", q="", format="xlsx")
    export(client, secretariat, q="6302 0641 0175 0005", format="csv")
    first, second = ExportLog.objects.order_by("pk")
    assert (first.user, first.what, first.file_format, first.rows) == (
        secretariat,
        "register",
        "xlsx",
        3,
    )
    assert first.filters == {
        "q": "",
        "district": "63.02.17",
        "village": None,
        "desil_from": None,
        "desil_to": 3,
    }
    assert (second.file_format, second.rows) == ("csv", 1)
    assert second.filters["q"] == "6302 0641 0175 0005"


def test_an_export_that_matches_nobody_is_a_header_only_file_and_still_logged(
    client, users, register
):
    response = export(client, users[Role.SECRETARIAT], desil_from="10", format="csv")
    assert read_csv(response) == [list(COLUMNS)]
    assert ExportLog.objects.get().rows == 0


@pytest.mark.parametrize("role", [Role.LEADER, Role.AGENCY, Role.PARTNER])
def test_only_the_secretariat_and_administrators_may_export(client, users, register, role):
    response = export(client, users[role], format="xlsx")
    assert response.status_code == 403
    assert not ExportLog.objects.exists()
    response = export(client, users[Role.ADMIN], format="xlsx")
    assert response.status_code == 200
    assert ExportLog.objects.get().user == users[Role.ADMIN]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"format": "pdf"},
        {"format": "xlsx", "desil_from": "11"},
        {"format": "csv", "desil_from": "8", "desil_to": "2"},
        {"format": "csv", "district": "99.99.99"},
        {"format": "csv", "q": "63021701"},
    ],
)
def test_an_invalid_filter_is_refused_without_a_file_or_a_log(client, users, register, params):
    client.cookies["django_language"] = "en"
    response = export(client, users[Role.SECRETARIAT], **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert "The filter cannot be used" in response.content.decode()
    assert not ExportLog.objects.exists()


def export_form(html: str) -> str:
    form = html[html.index(f'action="{EXPORT}"') :]
    return form[: form.index("</form>")]


def test_the_list_offers_the_export_with_its_filter_to_the_secretariat_and_admin_only(
    client, users, register
):
    params = {"district": "63.02.17", "desil_to": "3"}
    for role in (Role.SECRETARIAT, Role.ADMIN):
        client.force_login(users[role])
        page = client.get(reverse("households:household_list"), params).content.decode()
        form = export_form(page)
        assert '<input type="hidden" name="district" value="63.02.17">' in form
        assert '<input type="hidden" name="desil_to" value="3">' in form
        assert 'name="format" value="xlsx"' in form and 'name="format" value="csv"' in form
    client.force_login(users[Role.LEADER])
    page = client.get(reverse("households:household_list"), params).content.decode()
    assert EXPORT not in page


def test_a_searched_list_exports_what_it_shows_without_the_number_in_a_url(client, users, register):
    client.force_login(users[Role.SECRETARIAT])
    listing = client.post(
        reverse("households:household_search"),
        {"q": "6302 1742 0288 0002", "district": "63.02.17"},
        follow=True,
    )
    assert "6302" not in listing.request["QUERY_STRING"]
    # The export form carries the filter in its POST body, the search text included.
    fields = dict(
        re.findall(
            r'type="hidden" name="(\w+)" value="([^"]*)"', export_form(listing.content.decode())
        )
    )
    del fields["csrfmiddlewaretoken"]
    assert fields == {"q": "6302 1742 0288 0002", "district": "63.02.17"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued = client.post(EXPORT, {**fields, "format": "csv"})
    assert queued.status_code == 302
    assert "6302" not in queued["Location"]
    download = reverse("households:export_download", args=[RegisterExport.objects.get().pk])
    niks = [row[0] for row in read_csv(client.get(download))[1:]]
    assert niks == ["6302170101850001", "6302174202880002", "6302170303150003"]
    assert ExportLog.objects.get().filters["q"] == "6302 1742 0288 0002"


def test_export_response_is_not_cached(client, users, register):
    response = export(client, users[Role.SECRETARIAT], format="csv")
    assert "no-store" in response["Cache-Control"]


def test_an_export_is_seen_and_downloaded_only_by_who_asked(client, users, register):
    from tests.factories import UserFactory

    export(client, users[Role.SECRETARIAT], format="csv")
    done = RegisterExport.objects.get()
    colleague = UserFactory(username="sekretariat.2", role=Role.SECRETARIAT)
    client.force_login(colleague)
    for name in ("households:export_detail", "households:export_download"):
        assert client.get(reverse(name, args=[done.pk])).status_code == 404
    assert ExportLog.objects.count() == 1


def test_a_large_export_reports_its_progress_while_it_is_built(client, users, register):
    from households import services

    client.force_login(users[Role.SECRETARIAT])
    response = client.post(EXPORT, {"format": "csv"})  # not built yet: no worker ran
    export_record = RegisterExport.objects.get()
    page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert reverse("households:export_download", args=[export_record.pk]) not in page
    services.register_export_build(export_id=export_record.pk)
    page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in page
    assert reverse("households:export_download", args=[export_record.pk]) in page
    assert not ExportLog.objects.exists()  # built is not downloaded


def test_an_export_built_in_many_chunks_keeps_every_person_in_order(
    client, users, register, monkeypatch
):
    from households import services

    whole = read_csv(export(client, users[Role.SECRETARIAT], format="csv"))
    monkeypatch.setattr(services, "EXPORT_CHUNK", 1)
    chunked = read_csv(export(client, users[Role.SECRETARIAT], format="csv"))
    assert chunked == whole
    assert len(chunked) == 1 + 4
    assert RegisterExport.objects.latest("pk").rows_total == 4


def test_an_export_whose_worker_died_says_it_failed_instead_of_waiting_forever(
    client, users, register
):
    from django.utils import timezone

    from households import services

    client.force_login(users[Role.SECRETARIAT])
    response = client.post(EXPORT, {"format": "csv"})  # never built: no worker
    RegisterExport.objects.update(heartbeat_at=timezone.now() - services.EXPORT_STALE_AFTER * 2)
    page = client.get(response["Location"]).content.decode()
    assert RegisterExport.objects.get().status == ExportStatus.FAILED
    assert "hx-trigger" not in page


def test_the_file_names_the_village_district_and_period_and_loads_back(
    client, users, register, tmp_path
):
    from households.dtsen.loading import dtsen_load

    response = export(client, users[Role.SECRETARIAT], format="xlsx")
    rows = read_xlsx(response)
    header = [cell.value for cell in rows[0]]
    people = {row[0].value: dict(zip(header, [c.value for c in row], strict=True)) for row in rows}
    jamilah = people["6302064101750005"]
    assert jamilah["nama_desa"] == "Tarjun"
    assert jamilah["nama_kecamatan"] == "Kelumpang Tengah"
    assert jamilah["periode_desil"] == "2025-09"
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(body(client.get(response.request["PATH_INFO"])))
    report = dtsen_load(path=path, period="2025-Q4", dry_run=True).as_dict()
    assert (report["rows"], report["error_count"], report["created"]) == (4, 0, 0)
    assert {"nama_desa", "nama_kecamatan", "periode_desil"} <= set(report["ignored_columns"])


def test_the_download_is_named_in_the_chosen_language(client, users, register):
    client.cookies["django_language"] = "en"
    response = export(client, users[Role.SECRETARIAT], format="csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="register-{today}.csv"'


def test_building_an_export_costs_the_same_queries_for_many_households(
    client, users, register, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from households import services

    def queries_to_build() -> int:
        export = RegisterExport.objects.create(
            user=users[Role.SECRETARIAT], filters={"q": ""}, file_format="xlsx"
        )
        with CaptureQueriesContext(connection) as queries:
            services.register_export_build(export_id=export.pk)
        assert RegisterExport.objects.get(pk=export.pk).status == ExportStatus.DONE
        return len(queries)

    few = queries_to_build()
    for n in range(30):
        village = AreaFactory(code=f"63.02.{10 + n % 3}.20{n:02d}", name=f"Desa {n}")
        household = HouseholdFactory(village=village, desil=n % 10 + 1, desil_period="2025-09")
        PersonFactory(household=household)
        PersonFactory(household=household, relationship=Relationship.CHILD)
    assert queries_to_build() == few
