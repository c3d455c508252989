from django.urls import path

from programs.views import programs, reach

app_name = "programs"

urlpatterns = [
    path("program/", programs.program_list, name="program_list"),
    # Before program/<str:code>/, which would take "tumpang-tindih" for a code.
    path("program/tumpang-tindih/", reach.overlap_list, name="overlap"),
    path("program/tumpang-tindih/unduh/", reach.overlap_export, name="overlap_export"),
    path("program/<str:code>/", programs.program_detail, name="program_detail"),
    path("program/<str:code>/belum-terjangkau/", reach.exclusion_list, name="exclusion"),
    path(
        "program/<str:code>/belum-terjangkau/unduh/",
        reach.exclusion_export,
        name="exclusion_export",
    ),
]
