from django.urls import path

from . import views

app_name = "syntheses"
urlpatterns = [
    path("syntheses/<int:pk>/", views.synthesis_detail, name="detail"),
    path("syntheses/<int:pk>/status.json", views.synthesis_status, name="status"),
    path("syntheses/<int:pk>/report.html", views.synthesis_report, name="report"),
    path("syntheses/<int:pk>/report.md", views.synthesis_markdown, name="markdown"),
    path("syntheses/<int:pk>/synthesis.json", views.synthesis_json, name="json"),
    path("syntheses/<int:pk>/publish", views.publish, name="publish"),
    path("sessions/<int:session_pk>/synthesize", views.start_session_synthesis, name="start-session"),
    path("phases/<int:phase_pk>/synthesize", views.start_phase_synthesis, name="start-phase"),
]
