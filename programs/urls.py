from django.urls import path

from programs.views import (
    activities,
    participants,
    pillars,
    plan_overview,
    plans,
    programs,
    progress,
    reach,
    uploads,
)

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
    # Agency action plans (RAT) and their quarterly progress.
    path("rencana-aksi/", plans.plan_list, name="plan_list"),
    path("rencana-aksi/baru/", plans.plan_create, name="plan_create"),
    path("rencana-aksi/rekap/", plan_overview.plan_overview, name="plan_overview"),
    path("rencana-aksi/rekap/ingatkan/", plan_overview.reminder_send, name="reminder_send"),
    path("rencana-aksi/tenggat/<int:year>/", plan_overview.deadline_edit, name="deadline_edit"),
    path("rencana-aksi/unduh/<int:year>/", plan_overview.plans_export, name="plans_export"),
    path("rencana-aksi/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path(
        "rencana-aksi/<int:pk>/kegiatan/baru/", activities.activity_create, name="activity_create"
    ),
    path("rencana-aksi/<int:pk>/kirim/", plans.plan_submit, name="plan_submit"),
    path("rencana-aksi/<int:pk>/periksa/", plans.plan_review, name="plan_review"),
    path("rencana-aksi/<int:pk>/revisi/", plans.plan_revise, name="plan_revise"),
    path("rencana-aksi/kegiatan/<int:pk>/", activities.activity_update, name="activity_update"),
    path(
        "rencana-aksi/kegiatan/<int:pk>/hapus/", activities.activity_delete, name="activity_delete"
    ),
    path(
        "rencana-aksi/<int:pk>/triwulan/<int:quarter>/",
        progress.report_detail,
        name="report_detail",
    ),
    path(
        "rencana-aksi/<int:pk>/triwulan/<int:quarter>/kegiatan/<int:activity>/",
        progress.progress_edit,
        name="progress_edit",
    ),
    path(
        "rencana-aksi/<int:pk>/triwulan/<int:quarter>/kirim/",
        progress.report_submit,
        name="report_submit",
    ),
    path(
        "rencana-aksi/<int:pk>/triwulan/<int:quarter>/periksa/",
        progress.report_review,
        name="report_review",
    ),
    path("rencana-aksi/bukti/<int:pk>/", progress.progress_evidence, name="progress_evidence"),
]
