"""Issue 11, items 9, 12, 16, 17: error pages, the API's index and docs, report delivery, serving with processes.

The test client runs with DEBUG=False, as a deployment does: Django's error views render the site's
templates.
"""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import path, reverse

from rapporteur.web.config.urls import handler400, urlpatterns as site_urlpatterns  # noqa: F401 (urlconf below)

from .factories import PASSWORD


def _boom(request):
    raise RuntimeError("a bug in a view")


# A urlconf for the 500 test: the site's, plus a view that fails.
urlpatterns = [*site_urlpatterns, path("test-boom/", _boom)]


def _in_layout(html: str) -> None:
    assert '<html lang="en" dir="ltr">' in html and 'class="site-header"' in html and "rapporteur/site.css" in html


# ------------------------------------------------------------------------- item 9: error pages
@pytest.mark.django_db
def test_404_is_a_page_of_the_site_that_says_what_to_do(client, settings):
    assert settings.DEBUG is False
    response = client.get("/sessions/987654/")
    html = response.content.decode()
    assert response.status_code == 404
    _in_layout(html)
    assert "Page not found" in html and "Check the address" in html
    assert f'href="{reverse("login")}?next=/sessions/987654/"' in html  # anonymous: sign in, it may be a draft


@pytest.mark.django_db
def test_403_says_who_is_signed_in_and_to_ask_the_secretariat(client, people):
    client.force_login(people.delegate)
    response = client.get(reverse("contributions:moderation"))
    html = response.content.decode()
    assert response.status_code == 403
    _in_layout(html)
    assert "You may not do this" in html and "signed in as <strong>delegate</strong>" in html
    assert "contact the secretariat" in html and "sign in with it" in html


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_says_to_reload_it(people):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "delegate", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    _in_layout(html)
    assert "The form could not be sent" in html and "Nothing was saved" in html
    assert f'<a href="{reverse("login")}">Reload the form</a>' in html and "cookies" in html


@pytest.mark.django_db
def test_a_request_over_the_size_limit_gets_a_413_page(client, people, session, settings):
    client.force_login(people.delegate)
    response = client.post(
        reverse("contributions:create", args=[session.pk]), data=b"x" * 10,
        content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(settings.RAPPORTEUR_MAX_REQUEST_BYTES + 1),
    )
    html = response.content.decode()
    assert response.status_code == 413
    _in_layout(html)
    mb = f"{settings.RAPPORTEUR_MAX_REQUEST_BYTES / (1024 * 1024):.1f}"
    assert "What you sent is too large" in html and f"limit of <strong>{mb} MB</strong>" in html
    assert "send a smaller document" in html and "contact the secretariat" in html
    # the API answers in its own format
    api = client.post("/api/v1/sessions/1/match", data=b"{}", content_type="application/json",
                      CONTENT_LENGTH=str(settings.RAPPORTEUR_MAX_REQUEST_BYTES + 1))
    assert api.status_code == 413 and api.json()["code"] == "too_large"


@pytest.mark.django_db
def test_a_form_too_large_to_read_is_a_413_page_not_a_bare_400(client, settings):
    """Django's own limit (RequestDataTooBig, a SuspiciousOperation) would answer a bare 400."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(reverse("login"), {"username": "x" * 20_000, "password": "y"})
    html = response.content.decode()
    assert response.status_code == 413
    _in_layout(html)
    assert "What you sent is too large" in html


@pytest.mark.django_db
def test_a_bad_request_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="not-an-allowed-host.example")  # DisallowedHost: a 400
    html = response.content.decode()
    assert response.status_code == 400
    _in_layout(html)
    assert "The request could not be understood" in html and "reload the page" in html


@pytest.mark.django_db
def test_500_is_a_self_contained_page_that_needs_no_database(settings, django_assert_num_queries):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en" dir="ltr">' in html and 'class="site-header"' in html and "/static/rapporteur/site.css" in html
    assert "Something went wrong on our side" in html and "contact the secretariat" in html
    assert "a bug in a view" not in html  # nothing of the error is shown


# ---------------------------------------------------------------- item 12: the API's index and docs
@pytest.mark.django_db
def test_the_api_root_links_to_the_schema_the_docs_and_the_resources(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    index = response.json()
    assert index["openapi"] == "/api/v1/openapi.json" and index["docs"] == "/api/v1/docs"
    schema = client.get(index["openapi"]).json()
    assert schema["openapi"].startswith("3.")
    assert client.get(index["docs"]).status_code == 200
    assert client.get(index["resources"]["processes"]).status_code == 200
    # every resource listed is an operation of the schema
    for link in index["resources"].values():
        assert link in schema["paths"], link


@pytest.mark.django_db
def test_the_api_docs_page_is_in_english(client):
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html and "/static/api/docs.css" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html  # still django-ninja's own files, no CDN


@pytest.mark.browser
def test_the_api_docs_have_enough_contrast_everywhere(server):
    """axe's color-contrast rule on the docs with every operation opened, and the schemas (was 2.0–3.8:1)."""
    from playwright.sync_api import sync_playwright

    from .axe import AXE
    from .test_browser import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(server + "/api/v1/docs")
            page.wait_for_selector(".opblock-summary-control")
            for control in page.query_selector_all(".opblock-summary-control"):  # the schemas are open already
                control.click()
            page.wait_for_selector(".opblock-body")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast', "
                                   "'html-has-lang', 'html-lang-valid']})")
        finally:
            browser.close()
    problems = [f"{v['id']}: {n['target']} {n['failureSummary']}" for v in result["violations"] for n in v["nodes"]]
    assert not problems, "\n".join(problems[:10])
    assert any(r["id"] == "color-contrast" and len(r["nodes"]) > 20 for r in result["passes"])  # it checked things


# ------------------------------------------------------ item 16: the report, compressed and cached
@pytest.fixture
def published_synthesis(people, session):
    """A real synthesis (the engine run by the worker, here) of the session, published."""
    from rapporteur.web.syntheses import services

    from .factories import publish_statements
    from .worker import synthesise_now

    publish_statements(session)
    synthesis = synthesise_now(session, by=people.secretariat)
    assert synthesis.status == "draft", synthesis.error
    return services.publish_synthesis(synthesis, by=people.secretariat)


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_the_report_is_served_compressed_cached_and_without_the_inlined_chart_library(client, people,
                                                                                      published_synthesis):
    import gzip

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapporteur.report.html import _plotly_js

    synthesis = published_synthesis
    synthesis.refresh_from_db()
    library = str(_plotly_js())
    assert library in synthesis.report_html  # what the worker stored is self-contained, as the engine wrote it
    url = reverse("syntheses:report", args=[synthesis.pk])

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert response["ETag"] and response["Last-Modified"]
    html = gzip.decompress(response.content).decode()
    assert f"Synthesis of {synthesis.session.title}" in html and "plotly.js v" not in html
    script = re.search(r'<script src="(/syntheses/plotly-[0-9a-f]+\.js)"></script>', html).group(1)
    assert len(response.content) < len(synthesis.report_html.encode()) / 10
    # without gzip: the same page, plain
    plain = client.get(url)
    assert "Content-Encoding" not in plain and plain.content.decode() == html

    # a browser that has it asks again with its ETag: 304, and the report is not even read
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 304 and again.content == b""
    assert not any("report_html" in q["sql"] for q in queries.captured_queries)

    # the chart library: once, compressed, frozen for a year under an address that names its content
    asset = client.get(script, HTTP_ACCEPT_ENCODING="gzip")
    assert asset.status_code == 200 and asset["Content-Type"].startswith("text/javascript")
    assert asset["Content-Encoding"] == "gzip" and asset["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(asset.content).decode() == library
    assert client.get(script, HTTP_IF_NONE_MATCH=asset["ETag"]).status_code == 304


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_draft_report_is_private_and_revalidated_and_hidden_from_the_public(client, people, session):
    from .factories import publish_statements
    from .worker import synthesise_now

    publish_statements(session)
    draft = synthesise_now(session, by=people.secretariat)
    url = reverse("syntheses:report", args=[draft.pk])
    client.force_login(people.secretariat)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    client.logout()
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404  # no leak through the ETag


# ------------------------------------------------- item 17: several server processes, cheaper votes
@pytest.mark.django_db
def test_a_vote_checks_the_token_and_the_accreditation_in_one_query(client, people, session, settings):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapporteur.web.api.services import issue_token
    from rapporteur.web.rounds import services as round_services
    from rapporteur.web.rounds.models import Vote

    from .factories import make_round_delegates, make_synthesis_with_key_points

    settings.RAPPORTEUR_ROUND_COUNTS_SECONDS = 60
    make_round_delegates(("mexico",))
    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    token = issue_token(get_user_model().objects.get(username="mexico"), "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = client.post(f"/api/v1/rounds/{round.pk}/statements/0/vote", {"vote": "agree"},
                        content_type="application/json", **auth)
    assert first.status_code == 201  # (the first vote makes the participant)
    for method, url, body in (("get", f"/api/v1/rounds/{round.pk}/next", None),
                              ("post", f"/api/v1/rounds/{round.pk}/statements/1/vote", {"vote": "pass"})):
        with CaptureQueriesContext(connection) as queries:
            if method == "get":
                response = client.get(url, **auth)
            else:
                response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code in (200, 201), response.content
        sql = [q["sql"] for q in queries.captured_queries]
        assert sum("api_apitoken" in q for q in sql) == 1
        assert [q for q in sql if "organisations_delegate" in q] == [q for q in sql if "api_apitoken" in q], sql
        # the token, the ballot (rounds.ballot, with the statements' texts), and the vote recorded; the
        # votes per statement are counted at most once a second (counted here: the first read of the round)
        # (a vote inside the test's transaction writes its history row as a second statement)
        work = [q for q in sql if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
        assert len(work) <= 4, sql
    assert Vote.objects.filter(round=round).count() == 2
    with CaptureQueriesContext(connection) as queries:  # counted a moment ago: not again
        nxt = client.get(f"/api/v1/rounds/{round.pk}/next", **auth).json()
    assert len(queries.captured_queries) == 2 and nxt["done"] == 2 and nxt["total"] > 2  # the token, the ballot
    # a delegate whose organisation is no longer accredited is refused at once
    from rapporteur.web.organisations.models import Organisation

    Organisation.objects.filter(name="Mexico").update(accreditation="pending")
    refused = client.post(f"/api/v1/rounds/{round.pk}/statements/2/vote", {"vote": "agree"},
                          content_type="application/json", **auth)
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_participant"


def _children(pid: int) -> list[int]:
    from pathlib import Path

    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/task"), reason="reads /proc (Linux)")
def test_rapporteur_serve_starts_several_server_processes(tmp_path):
    """`rapporteur serve --workers 3`: gunicorn's arbiter and three processes answering; SIGTERM stops all."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RAPPORTEUR_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "rapporteur.web.cli", "serve", "--port", str(port), "--no-worker",
                               "--workers", "3", "--threads", "2"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stdout.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the site did not start"
                time.sleep(0.3)
        deadline = time.monotonic() + 30
        while len(_children(server.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _children(server.pid)
        assert len(workers) == 3, workers
        for pid in workers:
            assert "rapporteur.web.cli" in open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        output = server.stdout.read().decode()
        assert "gunicorn, 3 processes of 2 threads" in output
        for pid in workers:
            assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.mark.browser
@pytest.mark.engine
def test_the_charts_of_the_served_report_still_draw_in_its_sandboxed_frame(server, published_synthesis, session):
    """The library now comes from the site: in the session page's sandboxed iframe Plotly loads and draws."""
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            loaded = []
            page.on("response", lambda r: loaded.append((r.url, r.status)) if "/plotly-" in r.url else None)
            page.goto(server + reverse("processes:session", args=[session.pk]))
            frame = page.frame_locator("iframe.report-frame")
            frame.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            drawn = frame.locator(".js-plotly-plot .main-svg").count()
        finally:
            browser.close()
    assert drawn > 0 and loaded and all(status == 200 for _url, status in loaded)
