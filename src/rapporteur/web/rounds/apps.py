from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rapporteur.web.rounds"
    label = "rounds"
    verbose_name = "rating rounds"
