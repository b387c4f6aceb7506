from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations/<int:pk>/accreditation/request", views.request_accreditation, name="request-accreditation"),
    path("organisations/<int:pk>/accreditation/decide", views.decide_accreditation, name="decide-accreditation"),
]
