from django.urls import path

from reports.views import awards, dashboard, statistics, year_end

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
    path("penghargaan/", awards.award_index, name="award_index"),
    path("penghargaan/<int:year>/", awards.award_year, name="award_year"),
    path("penghargaan/<int:year>/mulai/", awards.award_start, name="award_start"),
    path("penghargaan/<int:year>/metode/", awards.award_method, name="award_method"),
    path(
        "penghargaan/<int:year>/kategori-baru/",
        awards.award_category_create,
        name="award_category_create",
    ),
    path("penghargaan/<int:year>/piagam.pdf", awards.award_certificates, name="award_certificates"),
    path("penghargaan/kategori/<int:pk>/", awards.award_category, name="award_category"),
    path(
        "penghargaan/kategori/<int:pk>/ubah-nama/",
        awards.award_category_rename,
        name="award_category_rename",
    ),
    path(
        "penghargaan/kategori/<int:pk>/hapus/",
        awards.award_category_delete,
        name="award_category_delete",
    ),
    path("penghargaan/kategori/<int:pk>/sesuaikan/", awards.award_adjust, name="award_adjust"),
    path(
        "penghargaan/kategori/<int:pk>/kandidat/",
        awards.award_candidate_add,
        name="award_candidate_add",
    ),
    path(
        "penghargaan/kategori/<int:pk>/kandidat/hapus/",
        awards.award_candidate_remove,
        name="award_candidate_remove",
    ),
    path(
        "penghargaan/kategori/<int:pk>/pemenang/",
        awards.award_winners_confirm,
        name="award_winners_confirm",
    ),
    path("penghargaan/piagam/<int:pk>.pdf", awards.award_certificate, name="award_certificate"),
    # --- end awards ---
]
