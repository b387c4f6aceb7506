from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("contributions/<int:pk>/", views.contribution_detail, name="detail"),
    path("contributions/<int:pk>/key-points", views.contribution_key_points, name="key-points"),
    path("contributions/<int:pk>/document", views.contribution_document, name="document"),
    path("contributions/<int:pk>/edit", views.contribution_edit, name="edit"),
    path("sessions/<int:session_pk>/contribute", views.contribution_create, name="create"),
    path("sessions/<int:session_pk>/import", views.import_into_session, name="import"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>", views.moderate, name="moderate"),
    path("moderation/decide", views.moderate_selected, name="moderate-selected"),
]
