from django.urls import path

from households import views

app_name = "households"

urlpatterns = [
    path("wilayah/", views.area_list, name="area_list"),
    path("wilayah/<str:code>/", views.area_detail, name="area_detail"),
]
