from django.urls import path

from programs.views import participants, pillars, programs, reach, uploads

app_name = "programs"

urlpatterns = [
    path("program/", programs.program_list, name="program_list"),
    path("program/baru/", programs.program_create, name="program_create"),
    path("pilar/", pillars.pillar_list, name="pillar_list"),
    path("pilar/baru/", pillars.pillar_create, name="pillar_create"),
    path("pilar/<int:pk>/", pillars.pillar_update, name="pillar_update"),
    # Before program/<str:code>/, which would take "tumpang-tindih" for a code.
    path("program/tumpang-tindih/", reach.overlap_list, name="overlap"),
    path("program/tumpang-tindih/unduh/", reach.overlap_export, name="overlap_export"),
    path("program/<str:code>/", programs.program_detail, name="program_detail"),
    path("program/<str:code>/ubah/", programs.program_update, name="program_update"),
    path(
        "program/<str:code>/layak/<str:village>/",
        participants.eligible_list,
        name="eligible_list",
    ),
    path("program/<str:code>/cari/", participants.person_search, name="person_search"),
    path("program/<str:code>/daftarkan/", participants.enroll, name="enroll"),
    path(
        "program/<str:code>/peserta/unduh/",
        participants.participants_export,
        name="participants_export",
    ),
    path(
        "program/<str:code>/peserta/<int:pk>/",
        participants.participant_detail,
        name="participant_detail",
    ),
    path(
        "program/<str:code>/peserta/<int:pk>/status/",
        participants.participant_status,
        name="participant_status",
    ),
    path(
        "program/<str:code>/peserta/<int:pk>/pendapatan/",
        participants.participant_income,
        name="participant_income",
    ),
    path("program/<str:code>/belum-terjangkau/", reach.exclusion_list, name="exclusion"),
    path(
        "program/<str:code>/belum-terjangkau/unduh/",
        reach.exclusion_export,
        name="exclusion_export",
    ),
    path("program/<str:code>/unggah-peserta/", uploads.enrollment_upload, name="enrollment_upload"),
    path(
        "program/<str:code>/unggah-peserta/<int:pk>/",
        uploads.enrollment_upload_detail,
        name="enrollment_upload_detail",
    ),
    path(
        "program/<str:code>/unggah-peserta/<int:pk>/daftarkan/",
        uploads.enrollment_upload_enroll,
        name="enrollment_upload_enroll",
    ),
    path(
        "program/<str:code>/unggah-peserta/<int:pk>/laporan-galat/",
        uploads.enrollment_upload_error_report,
        name="enrollment_upload_error_report",
    ),
]
