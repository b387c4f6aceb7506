from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "rapporteur.web.dashboards"
    label = "dashboards"
    verbose_name = "dashboards"
