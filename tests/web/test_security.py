"""CSRF, escaping, hidden drafts and syntheses, and the production settings' deploy check."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations import services as organisation_services
from rapporteur.web.syntheses.models import Synthesis

SCRIPT = '<script>alert("xss")</script>'


def _post_endpoints(people, session):
    c = Contribution.objects.create(session=session, organisation=people.own, submitted_by=people.delegate,
                                    text="x", state="submitted", submitted_at=timezone.now())
    organisation_services.request_accreditation(people.own, "why")
    draft = Synthesis.objects.create(session=session, version=1, status="draft", report_html="<p>r</p>")
    return [
        (reverse("processes:session-status", args=[session.pk]), {"status": "closed"}),
        (reverse("organisations:request-accreditation", args=[people.other.pk]), {"justification": "j"}),
        (reverse("organisations:decide-accreditation", args=[people.own.pk]), {"decision": "approve"}),
        (reverse("contributions:create", args=[session.pk]), {"organisation": people.own.pk, "text": "t"}),
        (reverse("contributions:edit", args=[c.pk]), {"text": "t"}),
        (reverse("contributions:moderate", args=[c.pk]), {"decision": "approve"}),
        (reverse("contributions:import", args=[session.pk]), {}),
        (reverse("syntheses:start-session", args=[session.pk]), {}),
        (reverse("syntheses:start-phase", args=[session.phase.pk]), {}),
        (reverse("syntheses:publish", args=[draft.pk]), {}),
        (reverse("logout"), {}),
        (reverse("login"), {"username": "admin", "password": "x"}),
        ("/admin/processes/process/add/", {"name": "x", "slug": "x"}),
    ]


def test_every_form_needs_its_csrf_token(people, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.admin)
    for url, data in _post_endpoints(people, session):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url


def test_every_form_renders_a_csrf_token(client, people, session):
    client.force_login(people.admin)
    Contribution.objects.create(session=session, organisation=people.own, text="x", state="submitted")
    for url in [reverse("processes:session", args=[session.pk]), reverse("dashboards:secretariat"),
                reverse("contributions:moderation"), reverse("contributions:create", args=[session.pk]),
                reverse("contributions:import", args=[session.pk])]:
        page = client.get(url).content.decode()
        assert page.count("<form") == page.count("csrfmiddlewaretoken"), url


def test_statement_text_stays_text_on_every_page(client, people, session):
    organisation_services.request_accreditation(people.own, f"We are {SCRIPT} legit")
    c = Contribution.objects.create(session=session, organisation=people.own, submitted_by=people.delegate,
                                    title=f"Title {SCRIPT}", text=f"Statement {SCRIPT}", state="submitted",
                                    submitted_at=timezone.now())
    published = Contribution.objects.create(session=session, organisation=people.other, title=SCRIPT,
                                            text=f"Published {SCRIPT}", state="published")
    pages = {
        people.delegate: [reverse("dashboards:delegate"), reverse("contributions:detail", args=[c.pk]),
                          reverse("contributions:edit", args=[c.pk])],
        people.secretariat: [reverse("dashboards:secretariat"), reverse("contributions:moderation"),
                             reverse("contributions:detail", args=[c.pk])],
        people.public: [reverse("processes:session", args=[session.pk]),
                        reverse("contributions:detail", args=[published.pk])],
    }
    for user, urls in pages.items():
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for url in urls:
            page = client.get(url).content.decode()
            assert "<script>" not in page, url
            assert "&lt;script&gt;" in page, url


def test_unpublished_syntheses_are_invisible_to_the_public(client, people, session):
    drafts = [Synthesis.objects.create(session=session, version=v, status=s, report_html="<h1>Secret draft</h1>",
                                       report_markdown="# Secret draft", data={"secret": True})
              for v, s in enumerate(["queued", "running", "failed", "draft"], 1)]
    for user in (people.public, people.member, people.delegate, people.moderator):
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for synthesis in drafts:
            for name in ("detail", "status", "report", "markdown", "json"):
                assert client.get(reverse(f"syntheses:{name}", args=[synthesis.pk])).status_code == 404, (user, name)
        assert "Secret draft" not in client.get(reverse("processes:session", args=[session.pk])).content.decode()
    client.force_login(people.secretariat)
    assert client.get(reverse("syntheses:report", args=[drafts[-1].pk])).status_code == 200


def test_the_report_is_served_sandboxed(client, people, session):
    synthesis = Synthesis.objects.create(session=session, version=1, status="published",
                                         report_html="<!doctype html><title>r</title><p>Report</p>")
    response = client.get(reverse("syntheses:report", args=[synthesis.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert f'src="{reverse("syntheses:report", args=[synthesis.pk])}"' in page and 'sandbox="allow-scripts' in page
    # other pages may not be framed at all
    assert client.get(reverse("processes:session", args=[session.pk]))["X-Frame-Options"] == "DENY"


def test_anonymous_users_are_sent_to_sign_in_and_others_refused(client, people, session):
    url = reverse("dashboards:secretariat")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(people.delegate)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("settings_module,clean", [
    ("rapporteur.web.config.production", True),
    ("rapporteur.web.config.settings", False),  # the local settings serve plain HTTP on localhost
])
def test_check_deploy(settings_module, clean, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "RAPPORTEUR_DATA_DIR": str(tmp_path),
           "RAPPORTEUR_SECRET_KEY": "k3y-" + "x7Q9#rT2%pL5&vB8" * 4, "RAPPORTEUR_ALLOWED_HOSTS": "rapporteur.example.org"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "rapporteur.web", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    if clean:
        assert result.returncode == 0, output
        assert "System check identified no issues (0 silenced)." in output
    else:
        assert result.returncode != 0 and "security.W" in output


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rapporteur.web.config.production", "RAPPORTEUR_DATA_DIR": str(tmp_path)}
    env.pop("RAPPORTEUR_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "rapporteur.web", "check"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "RAPPORTEUR_SECRET_KEY" in result.stderr
