from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "rapporteur.web.organisations"
    label = "organisations"
    verbose_name = "organisations and accreditation"
