"""Run the task worker the way production does: in this process (batch), or as a subprocess."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.db import connection


def run_worker_once() -> None:
    """Process every queued task, here, then return (``db_worker --batch``)."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def synthesise_now(session, by):
    """A session synthesis run to its end by the worker, here: queued, then processed, then re-read."""
    from rapporteur.web.syntheses import services

    synthesis = services.start_synthesis(session=session, by=by)
    run_worker_once()
    synthesis.refresh_from_db()
    return synthesis


def database_url() -> str:
    """The URL of the database the tests use (pytest-django's test database)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker_process() -> subprocess.Popen:
    """``python -m rapporteur.web db_worker`` on the test database, in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "rapporteur.web.config.test"}
    return subprocess.Popen(
        [sys.executable, "-m", "rapporteur.web", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
