from django.urls import path

from . import views

app_name = "rounds"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_detail, name="detail"),
    path("rounds/<int:pk>/vote", views.vote, name="vote"),
    path("rounds/<int:pk>/statements", views.add_statement, name="add-statement"),
    path("rounds/<int:pk>/status", views.change_status, name="status"),
    path("rounds/<int:pk>/add-to-synthesis", views.add_results_to_synthesis, name="add-to-synthesis"),
    path("rounds/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("rounds/<int:pk>/dashboard/live", views.dashboard_live, name="dashboard-live"),
    path("rounds/statements/<int:pk>/moderate", views.moderate, name="moderate"),
    path("sessions/<int:session_pk>/rounds/new", views.open_round, name="open"),
    path("sessions/<int:session_pk>/rounds/import", views.import_round, name="import"),
]
