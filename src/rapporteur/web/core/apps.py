from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rapporteur.web.core"
    label = "core"
    verbose_name = "rapporteur core"
