"""How ``rapporteur serve`` serves the site: gunicorn with several worker processes where the platform
can fork (Linux, macOS), waitress (threads in one process) elsewhere or with ``--workers 1``.

One Python process runs one request's Django code at a time (the GIL): with a few milliseconds of CPU
per request, a single process saturates one core, and fifty voters without think time queue behind
each other. Several processes use every core; each keeps its own database connections.
"""
from __future__ import annotations

import os


def default_workers() -> int:
    """One process per core and one more (a process waiting on the database leaves its core to another)."""
    return min(8, (os.cpu_count() or 1) + 1)


def can_fork() -> bool:
    return hasattr(os, "fork")


def serve_gunicorn(application, *, host: str, port: int, workers: int, threads: int) -> None:
    """Run ``application`` under gunicorn's arbiter in this process until SIGTERM or SIGINT (graceful stop)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()  # the migrations' connection must not be shared by forked workers

    class Rapporteur(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                "preload_app": True,  # Django is imported once, before the workers are forked
                "proc_name": "rapporteur",
                "timeout": 120,
                "graceful_timeout": 20,
                "keepalive": 5,
                "post_fork": _post_fork,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Rapporteur().run()


def _post_fork(server, worker) -> None:
    from django.db import connections

    connections.close_all()


def serve_waitress(application, *, host: str, port: int, threads: int) -> None:
    from waitress import serve

    serve(application, host=host, port=port, threads=threads, ident="rapporteur")
