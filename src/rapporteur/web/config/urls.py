from django.contrib import admin
from django.urls import include, path

from rapporteur.web.api.api import api

# a body too large to read is a 413 with its page; 403, 404 and 500 are Django's views with the site's templates
handler400 = "rapporteur.web.core.errors.bad_request"

admin.site.site_header = "rapporteur administration"
admin.site.site_title = "rapporteur"

urlpatterns = [
    path("", include("rapporteur.web.core.urls")),
    path("", include("rapporteur.web.processes.urls")),
    path("", include("rapporteur.web.organisations.urls")),
    path("", include("rapporteur.web.contributions.urls")),
    path("", include("rapporteur.web.syntheses.urls")),
    path("", include("rapporteur.web.dashboards.urls")),
    path("", include("rapporteur.web.rounds.urls")),
    path("", include("rapporteur.web.drafts.urls")),
    path("", include("rapporteur.web.exports.urls")),
    path("", include("rapporteur.web.audit.urls")),
    path("", include("rapporteur.web.api.urls")),
    path("api/v1/", api.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the visitor's choice of language
    path("admin/", admin.site.urls),
]
