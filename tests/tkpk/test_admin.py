import pytest
from django.contrib import admin
from django.urls import reverse

from tkpk.models import Role

pytestmark = pytest.mark.django_db


def model_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_administrators_enter_django_admin(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "Anda tidak boleh membuka halaman ini" in response.content.decode()


def test_admin_sends_anonymous_users_to_the_one_sign_in_page(client, users):
    response = client.get(reverse("admin:tkpk_agency_changelist"), follow=True)
    assert response.redirect_chain[-1][0] == "/masuk/?next=/admin/tkpk/agency/"
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "admin", "password": "kata-sandi-uji-9173"},
    )
    assert response.url == "/admin/tkpk/agency/"
    evil = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert evil.url == reverse("admin:index")


def test_every_model_of_ours_is_in_admin_with_search_and_filters(client, rf, users):
    ours = {"tkpk", "households", "programs", "partners", "reports"}
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in ours:
            assert model in admin.site._registry, f"{model._meta.label} is not in admin"
    client.force_login(users[Role.ADMIN])
    for model, model_admin in model_admins():
        if model._meta.app_label not in ours:
            continue
        assert model_admin.search_fields, model._meta.label
        assert model_admin.list_filter, model._meta.label
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist, {"q": "a"}).status_code == 200
        # Read-only records (the register, the export log) have no add page.
        request = rf.get("/")
        request.user = users[Role.ADMIN]
        addable = model_admin.has_add_permission(request)
        add_page = client.get(reverse("admin:{}_{}_add".format(*info)))
        assert add_page.status_code == (200 if addable else 403), model._meta.label


def test_admin_adds_an_agency_operator_with_an_agency(client, users, agency):
    client.force_login(users[Role.ADMIN])
    response = client.post(
        reverse("admin:tkpk_user_add"),
        {
            "username": "opd.baru",
            "name": "Operator Baru",
            "role": Role.AGENCY,
            "agency": agency.pk,
            "usable_password": "true",
            "password1": "rahasia-yang-cukup-panjang-7",
            "password2": "rahasia-yang-cukup-panjang-7",
        },
    )
    assert response.status_code == 302
    missing = client.post(
        reverse("admin:tkpk_user_add"),
        {
            "username": "opd.lepas",
            "role": Role.AGENCY,
            "usable_password": "true",
            "password1": "rahasia-yang-cukup-panjang-7",
            "password2": "rahasia-yang-cukup-panjang-7",
        },
    )
    assert missing.status_code == 200
    from tkpk.models import User

    assert User.objects.filter(username="opd.baru", agency=agency).exists()
    assert not User.objects.filter(username="opd.lepas").exists()


def test_admin_refuses_a_password_holding_the_username(client, users):
    client.force_login(users[Role.ADMIN])
    response = client.post(
        reverse("admin:tkpk_user_add"),
        {
            "username": "korban3",
            "role": Role.LEADER,
            "usable_password": "true",
            "password1": "korban3korban3",
            "password2": "korban3korban3",
        },
    )
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat nama pengguna" in response.content.decode()
    from tkpk.models import User

    assert not User.objects.filter(username="korban3").exists()

    leader = users[Role.LEADER]
    change = client.post(
        reverse("admin:auth_user_password_change", args=[leader.pk]),
        {"usable_password": "true", "password1": "nanipmip-2026", "password2": "nanipmip-2026"},
    )
    assert change.status_code == 200
    assert "Kata sandi tidak boleh memuat nama pengguna" in change.content.decode()
    leader.refresh_from_db()
    assert leader.check_password("kata-sandi-uji-9173")


def test_admin_task_tables_are_in_indonesian(client, users):
    from django_tasks_db.models import DBTaskResult, get_date_max

    failed = DBTaskResult.objects.create(
        status="FAILED",
        task_path="households.tasks.check_dtsen_task",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="MemoryError",
        traceback="Traceback (most recent call last): MemoryError",
    )
    client.force_login(users[Role.ADMIN])
    changelist = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    html = changelist.content.decode()
    for indonesian in [
        "Tugas latar belakang",  # the app
        "Hasil tugas",  # the model
        "Nama tugas",
        "Masuk antrean pada",
        "Mulai pada",
        "Selesai pada",
        "Prioritas",
        "Nama antrean",
        "Gagal",  # the status of the row
        "Berhasil",  # a status filter choice
        "Berdasarkan status",
    ]:
        assert indonesian in html, indonesian
    for english in ["Task Result", "Tasks Database Backend", "Task name", "Enqueued at", "Ready"]:
        assert english not in html, english

    detail = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    ).content.decode()
    for indonesian in ["Jejak galat", "Jalankan setelah", "Nilai kembalian", "Jalur kelas galat"]:
        assert indonesian in detail, indonesian
