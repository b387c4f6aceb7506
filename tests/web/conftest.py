"""Fixtures for the web platform's tests (pytest-django).

SQLite by default; set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the same
suite on PostgreSQL. The settings module is rapporteur.web.config.test unless DJANGO_SETTINGS_MODULE
says otherwise.
"""
from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.test")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "engine: runs the real engine and embedding model (slower)")
    config.addinivalue_line("markers", "browser: end-to-end test in headless Chromium (Playwright)")
    import django

    django.setup()
    _flush_past_the_audit_triggers()


def _flush_past_the_audit_triggers():
    """The flush between transactional tests empties every table, the audit log's too, which its
    triggers refuse (``rapporteur.web.audit.triggers``): the flush drops them, empties the tables
    and makes them again, in its one transaction, as only the database's owner could."""
    from django.db import connection

    from rapporteur.web.audit import triggers

    ops, vendor = type(connection.ops), connection.vendor
    original = ops.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if triggers.TABLE not in tables or not sql:
            return sql
        return [*triggers.drop_sql(vendor), *sql, *triggers.create_sql(vendor)]

    ops.sql_flush = sql_flush


@pytest.fixture
def gcm(db):
    from rapporteur.web.processes.gcm import seed_gcm

    return seed_gcm()


@pytest.fixture
def session(gcm):
    """Thematic session 1, open for contributions."""
    from rapporteur.web.processes.models import Session

    s = Session.objects.get(phase__process=gcm, kind=Session.Kind.THEMATIC, number=1)
    s.status = Session.Status.OPEN
    s.save()
    return s


@pytest.fixture
def people(db):
    """One user per role, plus a delegate of another organisation."""
    from .factories import make_people

    return make_people()


@pytest.fixture
def server(transactional_db):
    """The site's WSGI application (whitenoise and the voting lane included) served by waitress in a thread, on the test
    database, for browser tests that set up their data in the test (pytest-django's live_server wraps
    the app in a static-files handler that fails on the site's relative STATIC_URL)."""
    import threading

    from waitress.server import create_server

    from rapporteur.web.config.wsgi import application

    wsgi = create_server(application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}"
    wsgi.close()


@pytest.fixture
def wsgi_in_test(db):
    """For tests that call the site's WSGI application in process (``config.wsgi.application``):
    Django's start- and end-of-request signals would close the test's database connection, inside
    its transaction, so they are disconnected meanwhile, as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from rapporteur.web.config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_vote_counts():
    """Each test starts with no vote counts read (rounds.ballot keeps them a second per process, and
    a test's round may have the id of an earlier test's)."""
    from rapporteur.web.rounds import ballot

    ballot._counts.clear()
    yield
    ballot._counts.clear()
