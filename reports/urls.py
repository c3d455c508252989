from django.urls import path

app_name = "reports"

urlpatterns = [
    # --- statistics (helper "statistics" adds its paths here) ---
    # --- end statistics ---
]
