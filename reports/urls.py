from django.urls import path

from reports.views import dashboard, statistics, year_end

app_name = "reports"

urlpatterns = [
    path("dasbor/", dashboard.dashboard_region, name="dashboard"),
    path("dasbor/wilayah/<str:code>/", dashboard.dashboard_area, name="dashboard_area"),
    path(
        "dasbor/wilayah/<str:code>/daftar/<str:measure>/",
        dashboard.dashboard_list,
        name="dashboard_list",
    ),
    path("dasbor/unduh/<slug:slug>/", dashboard.figure_download, name="figure_download"),
    # --- statistics (helper "statistics" adds its paths here) ---
    path("statistik/", statistics.statistic_list, name="statistic_list"),
    path("statistik/baru/", statistics.statistic_create, name="statistic_create"),
    path("statistik/<int:pk>/", statistics.statistic_update, name="statistic_update"),
    path("statistik/unggah/", statistics.statistic_upload, name="statistic_upload"),
    path("statistik/templat.xlsx", statistics.statistic_template, name="statistic_template"),
    # --- end statistics ---
    # --- year-end report (helper "views" adds its paths here) ---
    path("laporan-tahunan/", year_end.year_end_list, name="year_end_list"),
    path("laporan-tahunan/<int:year>/", year_end.year_end_detail, name="year_end_detail"),
    path("laporan-tahunan/<int:year>/susun/", year_end.year_end_build, name="year_end_build"),
    path(
        "laporan-tahunan/<int:year>/finalisasi/",
        year_end.year_end_finalise,
        name="year_end_finalise",
    ),
    path(
        "laporan-tahunan/penyusunan/<int:pk>/",
        year_end.year_end_build_detail,
        name="year_end_build_detail",
    ),
    path(
        "laporan-tahunan/penyusunan/<int:pk>/unduh/<slug:kind>/",
        year_end.year_end_download,
        name="year_end_download",
    ),
    # --- end year-end report ---
    # --- awards (helper "awards" adds its paths here) ---
    # --- end awards ---
]
