from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rapporteur.web.audit"
    label = "audit"
    verbose_name = "audit log"
