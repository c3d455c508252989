from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from tkpk import views
from tkpk.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_update, name="user_update"),
    path("perangkat-daerah/", views.agency_list, name="agency_list"),
    path("perangkat-daerah/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("", include("households.urls")),
    path("", include("programs.urls")),
    path("", include("partners.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
