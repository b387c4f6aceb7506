"""Settings for running the platform on one machine (the default of ``rapporteur serve``).

Everything that varies comes from the environment:

- ``RAPPORTEUR_DATA_DIR``: where the SQLite database, uploads and the secret key live
  (default ``$XDG_DATA_HOME/rapporteur``, i.e. ``~/.local/share/rapporteur``).
- ``DATABASE_URL``: another database, e.g. ``postgres://user@127.0.0.1:5432/rapporteur``.
- ``RAPPORTEUR_SECRET_KEY``: the secret key; when unset, one is generated once and kept in the
  data directory.
- ``RAPPORTEUR_ALLOWED_HOSTS``: comma-separated host names (default: localhost only).
- ``RAPPORTEUR_DEBUG``: ``1`` for Django's debug pages.
- ``RAPPORTEUR_MAX_UPLOAD_MB``: the largest document a delegate may upload (default 10).

``rapporteur.web.config.production`` adds the HTTPS hardening that ``check --deploy`` asks for.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


def _data_dir() -> Path:
    configured = os.environ.get("RAPPORTEUR_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "rapporteur"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _secret_key(data_dir: Path) -> str:
    key = os.environ.get("RAPPORTEUR_SECRET_KEY")
    if key:
        return key
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


WEB_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = _data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _flag("RAPPORTEUR_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RAPPORTEUR_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("RAPPORTEUR_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "rapporteur.web.core",
    "rapporteur.web.processes",
    "rapporteur.web.organisations",
    "rapporteur.web.contributions",
    "rapporteur.web.syntheses",
    "rapporteur.web.dashboards",
    "rapporteur.web.rounds",
    "rapporteur.web.drafts",
    "rapporteur.web.exports",
    "rapporteur.web.audit",
    "rapporteur.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rapporteur.web.core.middleware.BoundedRequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # after the session (a chosen language is kept there and in a cookie), before CommonMiddleware
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rapporteur.web.core.http.LoginRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "rapporteur.web.config.urls"
WSGI_APPLICATION = "rapporteur.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rapporteur.web.core.context_processors.roles",
            ],
        },
    }
]

_SQLITE_OPTIONS = {
    # The web server and the worker write to the same file: wait for locks instead of failing,
    # and take the write lock at the start of a transaction (no upgrade deadlocks).
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "rapporteur.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself (the chooser shows them so).
# The visitor chooses (``set_language``, kept in a cookie); otherwise the browser's Accept-Language.
# Quotes, key point labels and contributions stay in the language they were said in.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files are served by WhiteNoise straight from the apps: no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents are private: they are served only through views that check permissions.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = None

RAPPORTEUR_MAX_UPLOAD_BYTES = int(float(os.environ.get("RAPPORTEUR_MAX_UPLOAD_MB", "10")) * 1024 * 1024)
# Requests larger than this are refused before they are read. It is well above the document limit, so
# that a document a few times too large reaches the form: refused there, with the typed text kept.
RAPPORTEUR_MAX_REQUEST_BYTES = 4 * RAPPORTEUR_MAX_UPLOAD_BYTES + 1024 * 1024
# Bulk imports (a CSV or a ZIP of a folder) may be larger than one statement.
RAPPORTEUR_MAX_IMPORT_BYTES = int(float(os.environ.get("RAPPORTEUR_MAX_IMPORT_MB", "50")) * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# A synthesis run whose worker has not reported for this long is taken as dead (worker killed):
# it may be started again.
RAPPORTEUR_SYNTHESIS_STALL_SECONDS = int(os.environ.get("RAPPORTEUR_SYNTHESIS_STALL_SECONDS", "60"))
RAPPORTEUR_SYNTHESIS_HEARTBEAT_SECONDS = 5

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Rating rounds: a region or stakeholder type with fewer participants than this is shown on the
# public dashboard only folded into a count (its figures would reveal individual votes).
RAPPORTEUR_ROUND_MIN_GROUP = int(os.environ.get("RAPPORTEUR_ROUND_MIN_GROUP", "3"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rapporteur.web.core.errors.csrf_failure"  # a page that says what to do
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "rapporteur": {"handlers": ["console"], "level": "INFO"},
        "django_tasks": {"handlers": ["console"], "level": "INFO"},
    },
}
