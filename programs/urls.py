from django.urls import path

from programs.views import programs

app_name = "programs"

urlpatterns = [
    path("program/", programs.program_list, name="program_list"),
    path("program/<str:code>/", programs.program_detail, name="program_detail"),
]
