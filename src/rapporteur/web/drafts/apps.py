from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "rapporteur.web.drafts"
    label = "drafts"
    verbose_name = "draft outcome documents"
