from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "rapporteur.web.exports"
    label = "exports"
    verbose_name = "exports"
