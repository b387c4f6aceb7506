from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "rapporteur.web.contributions"
    label = "contributions"
    verbose_name = "contributions"
