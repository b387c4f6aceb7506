from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "rapporteur.web.processes"
    label = "processes"
    verbose_name = "processes, phases and sessions"
