"""Settings for a public deployment behind HTTPS: ``DJANGO_SETTINGS_MODULE=rapporteur.web.config.production``.

Requires ``RAPPORTEUR_SECRET_KEY`` and ``RAPPORTEUR_ALLOWED_HOSTS``; normally ``DATABASE_URL`` too.
``python -m rapporteur.web check --deploy`` is clean under these settings.
"""
import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F401,F403

if not os.environ.get("RAPPORTEUR_SECRET_KEY"):
    raise ImproperlyConfigured("production settings need RAPPORTEUR_SECRET_KEY (a long random string)")

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("RAPPORTEUR_SSL_REDIRECT", "1") != "0"
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WHITENOISE_USE_FINDERS = False  # production serves collected static files (collectstatic)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
