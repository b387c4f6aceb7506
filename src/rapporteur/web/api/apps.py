from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rapporteur.web.api"
    label = "api"
    verbose_name = "API"
