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
- ``RAPPORTEUR_CACHE_URL``: a Redis server for the cache (``redis://127.0.0.1:6379/0``), shared by every
  worker process: the rate limits then count across processes (default: each process counts its own).
- ``RAPPORTEUR_PROXY_COUNT``: how many reverse proxies in front of the site append the client's address to
  ``X-Forwarded-For`` (default 0 here, 1 in the production settings): the address rate limits and the
  login lockout use.
- ``RAPPORTEUR_LOGIN_FAILURE_LIMIT``, ``RAPPORTEUR_LOGIN_COOLOFF_MINUTES``: failed sign-ins of one user name
  from one address before that pair is locked out, and for how long (default 5 and 15).
- ``RAPPORTEUR_RATE_<NAME>`` (e.g. ``RAPPORTEUR_RATE_VOTE_USER=120/min``, ``off``): one rate limit
  (``RAPPORTEUR_RATE_LIMITS`` below).

``rapporteur.web.config.production`` adds the HTTPS hardening that ``check --deploy`` asks for.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
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
    "axes",  # the login lockout; last, after the apps whose models it reads
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rapporteur.web.core.middleware.BoundedRequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # after the session (a chosen language is kept there and in a cookie), before CommonMiddleware
    "django.middleware.locale.LocaleMiddleware",
    # the API's and the sign-in form's rate limits: before anything reads the database; after the language,
    # for the page it answers
    "rapporteur.web.core.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rapporteur.web.core.http.LoginRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its page (errors.locked_out)
]

AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out (user name, address) before any password is checked
    "axes.backends.AxesStandaloneBackend",
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
    # a connection kept between requests is checked before it is reused: after a database restart the
    # next request reconnects instead of failing on the broken connection
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
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

# The caches: "default" for the key points a contribution makes (syntheses.matching), "ratelimit" for the
# rate limits' counters. Local memory is per process: with several worker processes (``rapporteur serve``),
# each counts its own requests; with Redis (RAPPORTEUR_CACHE_URL) they count together. The counters' cache
# holds many small keys (one per user, token and address in each window): room for 100 000 before it
# drops the least recently used.
if os.environ.get("RAPPORTEUR_CACHE_URL"):
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ["RAPPORTEUR_CACHE_URL"], "KEY_PREFIX": f"rapporteur-{alias}"}
              for alias in ("default", "ratelimit")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rapporteur"},
              "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "LOCATION": "rapporteur-ratelimit", "OPTIONS": {"MAX_ENTRIES": 100_000}}}

# The client's address, for the rate limits and the login lockout: REMOTE_ADDR, or behind this many
# reverse proxies that each append the address they were called from, that entry of X-Forwarded-For
# counted from the right (``core.ratelimit.client_address``). Set it only behind such proxies: a client
# writes X-Forwarded-For as it likes.
RAPPORTEUR_PROXY_COUNT = int(os.environ.get("RAPPORTEUR_PROXY_COUNT", "0"))


def _rate(name: str, default: str) -> str:
    return os.environ.get(f"RAPPORTEUR_RATE_{name.upper()}", default)


# Rate limits (``core.ratelimit``), each "COUNT/PERIOD" (PERIOD: s, min, h or seconds, e.g. "120/min",
# "50/30"), counted in fixed windows of that period in the cache; "off" (or leaving the name out) for
# none. Over a limit the site answers 429 Too Many Requests with Retry-After (seconds): JSON on the API,
# a short page elsewhere. A vote counts against vote_user and vote_address (the HTML form, the API and
# the voting lane alike) and, through the API, against api_token too.
RAPPORTEUR_RATE_LIMITS = {
    "vote_user": _rate("vote_user", "120/min"),       # votes of one user
    # votes from one address: the delegates at a venue may all come from one address
    "vote_address": _rate("vote_address", "1200/min"),
    "api_token": _rate("api_token", "600/min"),       # API requests with one bearer token
    "api_address": _rate("api_address", "300/min"),   # API requests without a token, from one address
    # API requests from one address whose token was not a live one (answered 401): past this, that
    # address's requests with a token are refused until the window ends (tokens cannot be guessed)
    "api_bad_token": _rate("api_bad_token", "30/min"),
    "login_address": _rate("login_address", "60/min"),  # sign-in attempts (POST) from one address
}
RAPPORTEUR_RATE_LIMIT_CACHE = "ratelimit"

# The login lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins of one user name from one
# address, that pair may not sign in for the cool-off (a correct password included), and each attempt
# meanwhile starts the cool-off again; other addresses, and the user's API tokens, are not affected.
# A successful sign-in resets the count. Failures are kept in the database (axes_accessattempt), until
# their cool-off ends; successful sign-ins are not logged.
AXES_FAILURE_LIMIT = int(os.environ.get("RAPPORTEUR_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("RAPPORTEUR_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "rapporteur.web.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "rapporteur.web.core.errors.locked_out"

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
        "axes": {"handlers": ["console"], "level": "WARNING"},  # failures and lockouts, not every sign-in
    },
}
