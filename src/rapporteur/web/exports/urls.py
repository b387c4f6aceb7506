from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("sessions/<int:pk>/export/contributions.<str:fmt>", views.contributions, name="contributions"),
    path("sessions/<int:pk>/export/points.<str:fmt>", views.points, name="points"),
    path("rounds/<int:pk>/export/votes.<str:fmt>", views.round_votes, name="round-votes"),
    path("rounds/<int:pk>/export/statements.<str:fmt>", views.round_statements, name="round-statements"),
    path("rounds/<int:pk>/export/polis.zip", views.round_polis, name="round-polis"),
    path("syntheses/<int:pk>/export/key-points.<str:fmt>", views.synthesis_key_points, name="synthesis-key-points"),
]
