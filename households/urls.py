from django.urls import path

from households.views import areas, dtsen, register

app_name = "households"

urlpatterns = [
    path("wilayah/", areas.area_list, name="area_list"),
    path("wilayah/<str:code>/", areas.area_detail, name="area_detail"),
    path("rumah-tangga/", register.household_list, name="household_list"),
    path("rumah-tangga/cari/", register.household_search, name="household_search"),
    path("rumah-tangga/ekspor/", register.household_export, name="household_export"),
    path("rumah-tangga/ekspor/<int:pk>/", register.export_detail, name="export_detail"),
    path("rumah-tangga/ekspor/<int:pk>/unduh/", register.export_download, name="export_download"),
    path("rumah-tangga/<int:pk>/", register.household_detail, name="household_detail"),
    path("penduduk/<int:pk>/", register.person_detail, name="person_detail"),
    path("dtsen/", dtsen.dtsen_list, name="dtsen_list"),
    path("dtsen/<int:pk>/", dtsen.dtsen_detail, name="dtsen_detail"),
    path("dtsen/<int:pk>/impor/", dtsen.dtsen_import, name="dtsen_import"),
    path("dtsen/<int:pk>/batal/", dtsen.dtsen_cancel, name="dtsen_cancel"),
    path("dtsen/<int:pk>/laporan-galat/", dtsen.dtsen_error_report, name="dtsen_error_report"),
    path("dtsen/<int:pk>/perubahan/", dtsen.dtsen_changes, name="dtsen_changes"),
    path(
        "dtsen/<int:pk>/perubahan/unduh/",
        dtsen.dtsen_changes_download,
        name="dtsen_changes_download",
    ),
]
