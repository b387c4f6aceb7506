from django.urls import path

from . import views

app_name = "drafts"
urlpatterns = [
    path("processes/<slug:slug>/drafts/", views.draft_list, name="list"),
    path("processes/<slug:slug>/drafts/compare", views.draft_compare, name="compare"),
    path("processes/<slug:slug>/drafts/<int:number>/", views.draft_detail, name="detail"),
    path("processes/<slug:slug>/drafts/<int:number>/publish", views.draft_publish, name="publish"),
]
