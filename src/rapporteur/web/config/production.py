"""Settings for a public deployment behind HTTPS: ``DJANGO_SETTINGS_MODULE=rapporteur.web.config.production``.

Requires ``RAPPORTEUR_SECRET_KEY`` and ``RAPPORTEUR_ALLOWED_HOSTS``; normally ``DATABASE_URL`` too, and
``RAPPORTEUR_CACHE_URL`` (Redis) for rate limits counted across worker processes.
``python -m rapporteur.web check --deploy`` is clean under these settings.
"""
import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F401,F403

if not os.environ.get("RAPPORTEUR_SECRET_KEY"):
    raise ImproperlyConfigured("production settings need RAPPORTEUR_SECRET_KEY (a long random string)")

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("RAPPORTEUR_SSL_REDIRECT", "1") != "0"
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto, and appends the client's address to
# X-Forwarded-For (the address the rate limits and the login lockout count): RAPPORTEUR_PROXY_COUNT proxies.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
RAPPORTEUR_PROXY_COUNT = int(os.environ.get("RAPPORTEUR_PROXY_COUNT", "1"))
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
