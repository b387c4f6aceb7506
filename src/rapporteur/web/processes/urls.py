from django.urls import path

from . import views

app_name = "processes"
urlpatterns = [
    path("processes/<slug:slug>/", views.process_detail, name="process"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/status", views.session_status, name="session-status"),
]
