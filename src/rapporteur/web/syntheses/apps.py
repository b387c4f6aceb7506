from django.apps import AppConfig


class SynthesesConfig(AppConfig):
    name = "rapporteur.web.syntheses"
    label = "syntheses"
    verbose_name = "syntheses"
