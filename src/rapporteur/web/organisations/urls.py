from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/<int:pk>/ecosoc-status", views.set_ecosoc_status, name="set-ecosoc-status"),
    path("organisations/<int:pk>/accreditation/request", views.request_accreditation, name="request-accreditation"),
    path("organisations/<int:pk>/accreditation/decide", views.decide_accreditation, name="decide-accreditation"),
]
