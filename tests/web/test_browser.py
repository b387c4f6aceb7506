"""End to end, in a real browser: the site as ``rapporteur serve`` runs it, with its worker.

A delegate signs in and submits a statement with a PDF; the secretariat accredits the
organisation, publishes the statement, runs the session's synthesis and publishes it; an
anonymous visitor reads it. Playwright drives Debian's Chromium (/usr/bin/chromium); screenshots
and the server's log are saved under out/web-e2e/ when a step fails.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .factories import make_pdf

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "out" / "web-e2e"
CHROMIUM = os.environ.get("RAPPORTEUR_CHROMIUM", "/usr/bin/chromium")
UNGDC = REPO / "examples" / "ungdc-2017-migration" / "TXT" / "Session 72 - 2017"
PASSWORD = "e2e-password-that-is-long"
STATEMENT = ('Migrant Voices Network asks that the compact protect the human rights of all migrants, '
             'whatever their status. We call for firewalls between public services and immigration '
             'enforcement. <script>alert("xss")</script> must stay text.')

pytestmark = [pytest.mark.browser, pytest.mark.engine]


@pytest.fixture(autouse=True)
def _chromium_installed():
    """`make test` installs Debian's Chromium; a missing browser is a failure, never a silent skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium chromium-driver (make test does)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _database():
    """SQLite in the data directory; or, when DATABASE_URL names PostgreSQL, a fresh database there."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"rapporteur_e2e_{os.getpid()}"
    admin = dict(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or None,
                 password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cli(env, *args):
    result = subprocess.run([sys.executable, "-m", "rapporteur.web.cli", *args], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def site(tmp_path):
    """A running site (server + worker) on a new data directory, seeded, with a delegate and a secretariat."""
    with _database() as database_url:
        env = {**os.environ, "RAPPORTEUR_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1",
               "TRANSFORMERS_OFFLINE": "1", "RAPPORTEUR_USER_PASSWORD": PASSWORD,
               "RAPPORTEUR_ADMIN_PASSWORD": PASSWORD}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        _cli(env, "seed-gcm")
        _cli(env, "createadmin", "--username", "admin")
        _cli(env, "adduser", "sofia", "--role", "secretariat")
        _cli(env, "adduser", "amina", "--role", "delegate", "--organisation", "Migrant Voices Network",
             "--type", "civil society", "--country", "KEN")
        port = _free_port()
        log = open(tmp_path / "server.log", "wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "rapporteur.web.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the site did not start"
                    time.sleep(0.3)
            started = (tmp_path / "server.log").read_text()
            expected = f"postgresql database {database_url.rsplit('/', 1)[1]}" if database_url else "SQLite database"
            assert expected in started, started
            yield {"base": base, "env": env, "log": tmp_path / "server.log", "tmp": tmp_path}
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # the worker, if it outlived the server
            log.close()


def _statements_to_import(tmp_path) -> Path:
    """6 General Debate statements from the bundled example (whole speeches: enough for key points, and the
    synthesis in the served site stays short), or a small statements CSV without it."""
    if UNGDC.is_dir():
        folder = tmp_path / "ungdc" / "TXT" / "Session 72 - 2017"
        folder.mkdir(parents=True)
        for file in sorted(UNGDC.glob("*.txt"))[:6]:
            shutil.copy(file, folder / file.name)
        return tmp_path / "ungdc"
    import csv

    from .factories import STATEMENTS

    path = tmp_path / "statements.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["stakeholder", "type", "country", "text"])
        for name, (type_, iso3, text) in STATEMENTS.items():
            writer.writerow([name, type_, iso3, text])
    return path


def _sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.slow
def test_statement_to_published_synthesis(site, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base = site["base"]
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(make_pdf("Regular pathways for migrant workers must include the recognition of skills "
                             "and qualifications. Fair recruitment protects migrant workers from abuse."))
    statements = _statements_to_import(tmp_path)

    dialogs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        pages = {}
        try:
            for who in ("secretariat", "delegate", "public"):
                pages[who] = browser.new_context().new_page()
                pages[who].on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            sec, dele, pub = pages["secretariat"], pages["delegate"], pages["public"]

            # The secretariat opens thematic session 1 and imports the General Debate statements into it.
            _sign_in(sec, base, "sofia")
            expect(sec.get_by_role("heading", name="Secretariat dashboard")).to_be_visible()
            sec.goto(base + "/processes/gcm/")
            sec.get_by_role("link", name=re.compile(r"^Informal thematic session 1:")).click()
            session_id = re.search(r"/sessions/(\d+)/", sec.url).group(1)
            sec.get_by_label("New status").select_option(label="open for contributions")
            sec.get_by_role("button", name="Change status").click()
            expect(sec.get_by_role("status")).to_contain_text("open for contributions")
            out = _cli(site["env"], "import-contributions", session_id, str(statements))
            imported = int(re.search(r"imported (\d+) contributions", out).group(1))
            assert imported >= 4

            # The delegate asks for accreditation and submits a statement with a PDF.
            _sign_in(dele, base, "amina")
            expect(dele.get_by_role("heading", name="Delegate dashboard")).to_be_visible()
            dele.get_by_role("link", name="Request special accreditation").click()
            dele.get_by_label("Why does your organisation ask to take part?").fill(
                "A network of 40 migrant associations in East Africa.")
            dele.get_by_role("button", name="Send the request").click()
            expect(dele.get_by_role("status")).to_contain_text("sent to the secretariat")
            dele.get_by_role("link", name=re.compile(r"^Submit a contribution to Informal thematic session 1")).click()
            dele.get_by_label("Title (optional)").fill("Firewalls and fair recruitment")
            dele.get_by_label("Statement").fill(STATEMENT)
            dele.get_by_label("Document (PDF, Word .docx or plain text)").set_input_files(str(pdf))
            dele.get_by_role("button", name="Submit", exact=True).click()
            expect(dele.get_by_role("status")).to_contain_text("submitted, awaiting moderation")
            expect(dele.get_by_role("cell", name="Firewalls and fair recruitment", exact=True)).to_be_visible()

            # The secretariat accredits the organisation, publishes the statement, runs the synthesis.
            sec.goto(base + "/dashboard/secretariat/")
            decision = sec.get_by_role("form", name="Accreditation of Migrant Voices Network")
            decision.get_by_label("Approve").check()
            decision.get_by_label("Reason (required to reject)").fill("Migrant-led network, active since 2009.")
            decision.get_by_role("button", name="Record the decision").click()
            expect(sec.get_by_role("status")).to_contain_text("special accreditation approved")
            moderation = sec.get_by_role("form", name="Moderate the selected items")
            moderation.get_by_label("Select Firewalls and fair recruitment").check()
            moderation.get_by_role("button", name="Publish selected").click()
            expect(sec.get_by_role("status")).to_contain_text("Published 1: “Firewalls and fair recruitment”")
            sec.get_by_role("button", name=re.compile(r"^Run synthesis of Informal thematic session 1:")).click()
            expect(sec.get_by_role("status").first).to_contain_text("queued")
            synthesis_url = sec.url
            expect(sec.locator("#synthesis-status")).to_contain_text("draft, ready for review", timeout=300_000)
            sec.goto(synthesis_url)
            report = sec.frame_locator("iframe.report-frame")
            expect(report.locator("body")).to_contain_text("Synthesis of Informal thematic session 1")
            sec.get_by_role("button", name="Publish version 1").click()
            expect(sec.locator("#synthesis-status")).to_have_text("published")

            # An anonymous visitor reads the published synthesis and the statement.
            pub.goto(base + "/")
            pub.get_by_role("link", name="Global Compact for Safe, Orderly and Regular Migration").click()
            expect(pub.get_by_role("heading", name="Timeline")).to_be_visible()
            pub.get_by_role("link", name=re.compile(r"^Informal thematic session 1:")).click()
            expect(pub.get_by_text("Version 1, published")).to_be_visible()
            public_report = pub.frame_locator("iframe.report-frame")
            expect(public_report.locator("body")).to_contain_text("Synthesis of Informal thematic session 1")
            expect(public_report.locator("body")).to_contain_text(re.compile(rf"{imported + 1}\s*contributions"))
            pub.screenshot(path=str(tmp_path / "public-session.png"), full_page=True)
            pub.get_by_role("link", name="Firewalls and fair recruitment").click()
            expect(pub.locator(".statement").first).to_contain_text('<script>alert("xss")</script> must stay text.')
            expect(pub.get_by_role("link", name="statement.pdf")).to_be_visible()
            assert dialogs == [], "a statement's script ran"
            if os.environ.get("RAPPORTEUR_E2E_SCREENSHOTS"):
                OUT.mkdir(parents=True, exist_ok=True)
                for who, page in pages.items():
                    page.screenshot(path=str(OUT / f"ok-{who}.png"), full_page=True)
        except BaseException:
            OUT.mkdir(parents=True, exist_ok=True)
            for who, page in pages.items():
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(OUT / f"failed-{who}.png"), full_page=True)
            shutil.copy(site["log"], OUT / "server.log")
            raise
        finally:
            browser.close()
