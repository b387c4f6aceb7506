"""Page speed of a session and its synthesis, with a real synthesis, served as ``rapporteur serve`` serves them.

    .venv/bin/python benchmarks/page_speed.py [--statements 40] [--requests 30] [--database-url URL]

What it does, all on this machine (loopback only):

1. makes a fresh data directory (SQLite, or a fresh database ``rapporteur_pages_<pid>`` on the
   PostgreSQL server of ``--database-url``); seeds the GCM process; imports ``--statements``
   statements of the 2017 General Debate excerpt (``examples/ungdc-2017-migration``) into thematic
   session 1, as ``rapporteur import-contributions`` does; queues a synthesis, runs the worker once
   (the real engine) and publishes the result;
2. starts the site as ``rapporteur serve`` runs it;
3. visits, as an anonymous reader with a browser would, the session page and the synthesis page:
   the page itself, the report in its iframe (``/syntheses/ID/report.html``) and every script the
   report loads from the site, each asked with ``Accept-Encoding: gzip`` and decoded. A **first
   visit** starts with an empty cache; a **repeat visit** keeps an HTTP cache as a browser does
   (a response that is still fresh by its ``Cache-Control`` is not asked again; one with an
   ``ETag`` or ``Last-Modified`` is revalidated with ``If-None-Match`` / ``If-Modified-Since``);
4. prints p50/p95 per page and visit kind (``--requests`` visits each, one after the other), with
   the bytes sent over the wire, and the sizes of the stored and the served report.

Goal (issue 11): p95 < 300 ms for every page on loopback.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from _site import wait_for_site  # benchmarks/_site.py (this folder is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ungdc-2017-migration" / "TXT" / "Session 72 - 2017"
LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}


# -------------------------------------------------------------------------------------- setup
def setup(out: Path, statements: int, folder: Path) -> None:
    """Runs in a subprocess with RAPPORTEUR_DATA_DIR (and DATABASE_URL) set: seed, import, synthesise, publish."""
    from rapporteur.web.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from rapporteur.web.contributions.services import import_contributions
    from rapporteur.web.processes.gcm import seed_gcm
    from rapporteur.web.processes.models import Session
    from rapporteur.web.syntheses import services
    from rapporteur.web.syntheses.models import Synthesis

    process = seed_gcm()
    session = Session.objects.get(phase__process=process, kind="thematic", number=1)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(EXAMPLE.glob("*.txt"))[:statements]:
        shutil.copy(path, folder / path.name)
    report = import_contributions(session, folder)
    secretariat = get_user_model().objects.create_user(username="secretariat", password=None)
    secretariat.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    synthesis = services.start_synthesis(session=session, by=secretariat)
    t0 = time.monotonic()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    synthesis.refresh_from_db()
    if synthesis.status != Synthesis.Status.DRAFT:
        raise SystemExit(f"page_speed: the synthesis did not finish: {synthesis.status} {synthesis.error}")
    services.publish_synthesis(synthesis, by=secretariat)
    out.write_text(json.dumps({"session": session.pk, "synthesis": synthesis.pk, "contributions": len(report.created),
                               "engine_s": time.monotonic() - t0, "report_bytes": len(synthesis.report_html.encode())}))


# -------------------------------------------------------------------------------------- client
class Browser:
    """One connection to the site, an HTTP cache that follows Cache-Control, ETag and Last-Modified."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.base = base
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cache: dict[str, dict] = {}
        self.wire_bytes = 0

    def get(self, url: str) -> bytes:
        entry = self.cache.get(url)
        if entry and entry["fresh_until"] > time.monotonic():
            return entry["body"]
        headers = {"Accept-Encoding": "gzip", "Accept": "text/html,*/*"}
        if entry and entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry and entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        self.connection.request("GET", urlsplit(url).path, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        self.wire_bytes += len(raw)
        if response.status == 304 and entry:
            entry["fresh_until"] = time.monotonic() + _max_age(response.getheader("Cache-Control", ""))
            return entry["body"]
        if response.status != 200:
            raise RuntimeError(f"page_speed: GET {url}: HTTP {response.status}: {raw[:200]!r}")
        body = gzip.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw
        cache_control = response.getheader("Cache-Control", "")
        if "no-store" not in cache_control:
            self.cache[url] = {"body": body, "etag": response.getheader("ETag"),
                               "last_modified": response.getheader("Last-Modified"),
                               "fresh_until": time.monotonic() + _max_age(cache_control)}
        return body

    def visit(self, path: str) -> None:
        """The page, its iframes, and the scripts they load from the site (as a browser would)."""
        page = self.get(urljoin(self.base, path))
        for frame in re.findall(rb'<iframe[^>]*\ssrc="([^"]+)"', page):
            report = self.get(urljoin(self.base, frame.decode()))
            for script in re.findall(rb'<script[^>]*\ssrc="([^"]+)"', report):
                if script.startswith(b"/"):
                    self.get(urljoin(self.base, script.decode()))
        for script in re.findall(rb'<script[^>]*\ssrc="(/[^"]+)"', page):
            self.get(urljoin(self.base, script.decode()))


def _max_age(cache_control: str) -> float:
    if "no-cache" in cache_control or "no-store" in cache_control:
        return 0.0
    found = re.search(r"max-age=(\d+)", cache_control)
    return float(found.group(1)) if found else 0.0


def measure(base: str, path: str, requests: int, repeat: bool) -> tuple[list[float], int]:
    """Latency of ``requests`` visits of ``path``; ``repeat``: with the cache of a first visit."""
    times, wire = [], 0
    warm = Browser(base)
    warm.visit(path)  # the first visit fills the cache (and warms the server)
    for _ in range(requests):
        browser = Browser(base)
        if repeat:
            browser.cache = {url: dict(entry) for url, entry in warm.cache.items()}
        start = time.perf_counter()
        browser.visit(path)
        times.append(time.perf_counter() - start)
        wire += browser.wire_bytes
        browser.connection.close()
    warm.connection.close()
    return times, wire // max(1, requests)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=40, help="statements of the example to import (max 154; the "
                        "report is mostly its inlined chart library, 4.8 MB, whatever the number)")
    parser.add_argument("--requests", type=int, default=30, help="visits per page and kind")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (default: SQLite in a temp folder)")
    parser.add_argument("--keep", type=Path, help="a folder to keep the seeded site in and reuse on the next run "
                        "(SQLite only; the engine runs once)")
    parser.add_argument("--_setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._setup:
        setup(Path(args._setup), args.statements, Path(args._setup).parent / "statements")
        return 0

    if args.keep and args.database_url:
        sys.exit("page_speed: --keep works with SQLite only")
    tmp = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="rapporteur-pages-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RAPPORTEUR_DATA_DIR": str(tmp / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    admin = name = None
    if args.database_url:
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(args.database_url)
        if cfg["HOST"] not in LOOPBACK:
            sys.exit(f"page_speed: the database must be on this machine (127.0.0.1), not {cfg['HOST']}")
        name = f"rapporteur_pages_{os.getpid()}"
        admin = dict(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or None,
                     password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = args.database_url.rsplit("/", 1)[0] + "/" + name
    server = None
    try:
        t0 = time.monotonic()
        if not (tmp / "setup.json").exists():
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_setup", str(tmp / "setup.json"),
                            "--statements", str(args.statements)], env=env, check=True, timeout=1800)
        seeded = json.loads((tmp / "setup.json").read_text())
        print(f"setup: {seeded['contributions']} contributions, synthesis {seeded['synthesis']} published, "
              f"engine {seeded['engine_s']:.0f} s, stored report {seeded['report_bytes'] / 1e6:.2f} MB "
              f"({time.monotonic() - t0:.0f} s in all)")
        port = _free_port()
        log = open(tmp / "server.log", "wb")
        server = subprocess.Popen([sys.executable, "-m", "rapporteur.web.cli", "serve", "--port", str(port), "--no-worker"],
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        wait_for_site(server, base + "/", tmp / "server.log", "page_speed")
        report = Browser(base)
        served = report.get(f"{base}/syntheses/{seeded['synthesis']}/report.html")
        print(f"served report: {len(served) / 1e6:.2f} MB decoded, {report.wire_bytes / 1e6:.2f} MB on the wire; "
              f"{args.requests} visits per page and kind, one after the other")
        worst = 0.0
        for label, path in (("session page", f"/sessions/{seeded['session']}/"),
                            ("synthesis page", f"/syntheses/{seeded['synthesis']}/")):
            for kind, repeat in (("first visit", False), ("repeat visit", True)):
                times, wire = measure(base, path, args.requests, repeat)
                worst = max(worst, _pct(times, .95))
                print(f"{label:15s} {kind:13s} p50 {1000 * _pct(times, .5):7.1f} ms  "
                      f"p95 {1000 * _pct(times, .95):7.1f} ms  max {1000 * max(times):7.1f} ms  "
                      f"{wire / 1e3:8.1f} kB on the wire per visit")
        print(f"worst p95 {1000 * worst:.1f} ms: " + ("OK (< 300 ms)" if worst < 0.3 else "over the 300 ms goal"))
        return 0 if worst < 0.3 else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
        if admin is not None:
            import psycopg

            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
