from django.urls import path

from . import views

app_name = "api-tokens"
urlpatterns = [
    path("account/api-tokens", views.create_token, name="create"),
    path("account/api-tokens/<int:pk>/revoke", views.revoke_token, name="revoke"),
]
