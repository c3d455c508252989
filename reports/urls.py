from django.urls import path  # noqa: F401 - the statistics block below uses it

from reports.views import statistics

app_name = "reports"

urlpatterns = [
    # --- statistics (helper "statistics" adds its paths here) ---
    path("statistik/", statistics.statistic_list, name="statistic_list"),
    path("statistik/baru/", statistics.statistic_create, name="statistic_create"),
    path("statistik/<int:pk>/", statistics.statistic_update, name="statistic_update"),
    path("statistik/unggah/", statistics.statistic_upload, name="statistic_upload"),
    path("statistik/templat.xlsx", statistics.statistic_template, name="statistic_template"),
    # --- end statistics ---
]
