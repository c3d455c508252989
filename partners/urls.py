from django.urls import path

from partners.views import commitments, partners, realisations

app_name = "partners"

urlpatterns = [
    path("mitra/", partners.partner_list, name="partner_list"),
    path("mitra/baru/", partners.partner_create, name="partner_create"),
    path("mitra/unduh/", partners.partner_export, name="partner_export"),
    path("mitra/target/", partners.partner_target, name="partner_target"),
    path("mitra/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("mitra/<int:pk>/ubah/", partners.partner_update, name="partner_update"),
    path("komitmen/", commitments.commitment_list, name="commitment_list"),
    path("komitmen/baru/", commitments.commitment_create, name="commitment_create"),
    path("komitmen/unduh/", partners.pledge_export, name="pledge_export"),
    path("komitmen/<int:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("komitmen/<int:pk>/ubah/", commitments.commitment_update, name="commitment_update"),
    path("komitmen/<int:pk>/dokumen/", commitments.commitment_document, name="commitment_document"),
    path(
        "janji/<int:pk>/realisasi-baru/", realisations.realisation_create, name="realisation_create"
    ),
    path("realisasi/", realisations.realisation_list, name="realisation_list"),
    path("realisasi/<int:pk>/", realisations.realisation_detail, name="realisation_detail"),
    path("realisasi/<int:pk>/ubah/", realisations.realisation_update, name="realisation_update"),
    path(
        "realisasi/<int:pk>/verifikasi/", realisations.realisation_review, name="realisation_review"
    ),
    path(
        "realisasi/<int:pk>/bukti/<int:evidence>/",
        realisations.evidence_download,
        name="evidence_download",
    ),
]
