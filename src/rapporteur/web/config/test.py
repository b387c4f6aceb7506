"""Settings for the test suite: the local settings with a fast password hasher.

SQLite unless ``DATABASE_URL`` is set (then pytest-django creates ``test_<name>`` on that server).
The SQLite test database is a file, so that a worker started as a subprocess can share it.
"""
import os
import tempfile
from pathlib import Path

os.environ.setdefault("RAPPORTEUR_DATA_DIR", tempfile.mkdtemp(prefix="rapporteur-test-"))

from .settings import *  # noqa: E402,F401,F403
from .settings import DATA_DIR, DATABASES  # noqa: E402

(Path(DATA_DIR) / "static").mkdir(exist_ok=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}
RAPPORTEUR_MAX_UPLOAD_BYTES = 512 * 1024
RAPPORTEUR_MAX_REQUEST_BYTES = 4 * RAPPORTEUR_MAX_UPLOAD_BYTES + 64 * 1024
RAPPORTEUR_MAX_IMPORT_BYTES = 2 * 1024 * 1024
RAPPORTEUR_SYNTHESIS_HEARTBEAT_SECONDS = 1
# Many sign-ins and votes in a row, and Client.login (no request, which django-axes needs): limits and
# lockout off; tests/web/test_limits.py turns them on with override_settings.
RAPPORTEUR_RATE_LIMITS = {}
AXES_ENABLED = False
