from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rapporteur.web.core"
    label = "core"
    verbose_name = "rapporteur core"

    def ready(self):
        from django.core import checks

        from .ratelimit import check_limits

        checks.register(check_limits)
