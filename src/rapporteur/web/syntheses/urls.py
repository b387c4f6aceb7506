from django.urls import path

from . import delivery, views

app_name = "syntheses"
urlpatterns = [
    path("syntheses/<int:pk>/", views.synthesis_detail, name="detail"),
    path("syntheses/<int:pk>/status.json", views.synthesis_status, name="status"),
    path("syntheses/<int:pk>/report.html", views.synthesis_report, name="report"),
    path("syntheses/plotly-<slug:digest>.js", delivery.plotly_script, name="plotly"),
    path("syntheses/<int:pk>/review/", views.synthesis_review, name="review"),
    path("syntheses/<int:pk>/report.md", views.synthesis_markdown, name="markdown"),
    path("syntheses/<int:pk>/synthesis.json", views.synthesis_json, name="json"),
    path("syntheses/<int:pk>/publish", views.publish, name="publish"),
    path("sessions/<int:session_pk>/synthesize", views.start_session_synthesis, name="start-session"),
    path("phases/<int:phase_pk>/synthesize", views.start_phase_synthesis, name="start-phase"),
    path("processes/<slug:slug>/stocktake", views.start_process_synthesis, name="start-process"),
    path("syntheses/<int:pk>/assessment", views.edit_assessment, name="assessment"),
    path("syntheses/<int:pk>/desk/", views.desk, name="desk"),
    path("syntheses/<int:pk>/desk/edit", views.desk_edit, name="desk-edit"),
    path("syntheses/<int:pk>/desk/new-version", views.new_version_to_edit, name="desk-new-version"),
]
