from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dashboard/", views.home, name="home"),
    path("dashboard/delegate/", views.delegate, name="delegate"),
    path("dashboard/secretariat/", views.secretariat, name="secretariat"),
]
