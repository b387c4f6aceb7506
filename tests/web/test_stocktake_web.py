"""A phase's and a process's stocktaking on the platform (issue 12, item 3).

Run by the worker from the published contributions of every session, reviewed and published like a
session's synthesis, linked from the process page; the secretariat adds its own text to the measured
SWOT of a draft, and the published report says which text is measured and which is the secretariat's.
"""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rapporteur.schema import validate_synthesis
from rapporteur.web.processes.models import Session
from rapporteur.web.syntheses import services
from rapporteur.web.syntheses.models import Synthesis

from .factories import PASSWORD, STATEMENTS, publish_statements
from .worker import run_worker_once

# The second session's statements: other speakers, some of the same claims (so that a key point is
# read in both sessions), some new ones.
SECOND = {
    "Germany": (
        "Member State", "DEU",
        "Germany calls for regular pathways for labour migration and for the recognition of skills. "
        "The human rights of all migrants must be protected, whatever their status. "
        "Return and readmission must be dignified and safe.",
    ),
    "Ghana": (
        "Member State", "GHA",
        "Ghana urges all States to protect the human rights of migrant workers. "
        "Remittances must become cheaper and safer to send. "
        "We call for cooperation on the drivers of migration, including climate change.",
    ),
    "Ecuador": (
        "Member State", "ECU",
        "Ecuador calls for an end to the detention of migrant children. "
        "Regular pathways for migration reduce irregular journeys. "
        "The human rights of all migrants must be protected.",
    ),
    "Caritas Internationalis": (
        "civil society", "VAT",
        "Caritas Internationalis calls for firewalls between public services and immigration enforcement. "
        "The human rights of all migrants must be protected, whatever their status. "
        "Remittances from the diaspora are vital for development.",
    ),
}

EDITED = "The secretariat notes that Member States of several sub-regions did not take part."


def _two_sessions(session):
    """Thematic sessions 1 and 2 of phase 1 with published statements; the phase's other sessions silent."""
    second = Session.objects.get(phase=session.phase, kind=session.kind, number=2)
    publish_statements(session)
    publish_statements(second, SECOND)
    return session, second


def _run_phase_stocktake(client, people, session) -> Synthesis:
    client.force_login(people.secretariat)
    response = client.post(reverse("syntheses:start-phase", args=[session.phase.pk]))
    synthesis = Synthesis.objects.get(phase=session.phase)
    assert response.status_code == 302 and synthesis.status == "queued"
    run_worker_once()
    synthesis.refresh_from_db()
    assert synthesis.status == "draft", synthesis.error
    return synthesis


def _facts(data, heading, edited):
    return [f for f in data["assessment"][heading] if f["edited"] is edited]


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_phase_stocktaking_over_its_sessions(client, people, session):
    first, second = _two_sessions(session)
    synthesis = _run_phase_stocktake(client, people, session)
    data = validate_synthesis(synthesis.data)
    assert data["kind"] == "stocktake"
    assert data["title"] == f"Stocktaking of Phase {session.phase.number}: {session.phase.name}"
    assert [s["id"] for s in data["sessions"]] == [first.title, second.title]  # in the order of their dates
    assert [s["contributions"] for s in data["sessions"]] == [len(STATEMENTS), len(SECOND)]
    assert synthesis.contribution_count == len(STATEMENTS) + len(SECOND)
    assert data["key_points"]
    for kp in data["key_points"]:
        assert set(kp["by_session"]) == {first.title, second.title} and kp["trend"]
    # a claim made in both sessions is one key point read in each
    assert any(all(row["stakeholders"] for row in kp["by_session"].values()) for kp in data["key_points"])
    assert set(data["assessment"]) == {"strengths", "weaknesses", "opportunities", "threats"}
    # every other session of the phase had no published contribution: the document says so
    silent = Session.objects.filter(phase=session.phase).exclude(pk__in=[first.pk, second.pk])
    assert silent.exists()
    for other in silent:
        assert f"Session {other.title} had no published contribution: it is not read." in data["limits"]
    assert "Stocktaking of Phase" in synthesis.report_html and "The process assessed" in synthesis.report_html
    assert "The process assessed" in synthesis.report_markdown
    page = client.get(reverse("syntheses:detail", args=[synthesis.pk])).content.decode()
    assert "Stocktaking of Phase 1" in page and "Edit the assessment" in page


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_the_secretariat_edits_the_swot_beside_the_measured_facts(client, people, session):
    _two_sessions(session)
    synthesis = _run_phase_stocktake(client, people, session)
    measured = {h: _facts(synthesis.data, h, False) for h in services.SWOT_HEADINGS}
    assert measured["weaknesses"], "the speakers of two sessions leave sub-regions out"
    lines = [f["text"] for f in measured["weaknesses"]]
    form = {h: "\n".join(f["text"] for f in measured[h]) for h in services.SWOT_HEADINGS}
    form["weaknesses"] = "\n".join([EDITED, *lines[1:]])  # the first measured line rewritten
    form["threats"] = form["threats"] + "\nA second phase may see fewer speakers."

    # the delegate and the public do not see the draft, so cannot edit it
    url = reverse("syntheses:assessment", args=[synthesis.pk])
    client.force_login(people.delegate)
    assert client.post(url, form).status_code == 404
    client.logout()
    assert client.post(url, form).status_code == 404
    synthesis.refresh_from_db()
    assert not _facts(synthesis.data, "weaknesses", True)

    client.force_login(people.secretariat)
    review = client.get(reverse("syntheses:review", args=[synthesis.pk])).content.decode()
    assert f'href="{reverse("syntheses:detail", args=[synthesis.pk])}#assessment-heading"' in review
    detail = client.get(reverse("syntheses:detail", args=[synthesis.pk])).content.decode()
    assert 'name="weaknesses"' in detail and lines[0] in detail
    assert client.post(url, form).status_code == 302
    synthesis.refresh_from_db()
    data = validate_synthesis(synthesis.data)
    # every measured fact stays as the engine wrote it; the secretariat's text is beside it, marked
    assert {h: _facts(data, h, False) for h in services.SWOT_HEADINGS} == measured
    assert _facts(data, "weaknesses", True) == [
        {"text": EDITED, "figure": None, "rule": "written by the secretariat", "point_ids": [], "edited": True}]
    assert [f["text"] for f in _facts(data, "threats", True)] == ["A second phase may see fewer speakers."]
    assert not _facts(data, "strengths", True) and not _facts(data, "opportunities", True)
    assert synthesis.edited_by == people.secretariat and synthesis.edited_at
    html = synthesis.report_html
    assert f"{EDITED} <span class=\"tag\">edited by the secretariat</span>" in html
    assert "<span class=\"tag\">measured</span>" in html and lines[0] in html
    assert f"{EDITED} (edited by the secretariat; rule: written by the secretariat)" in synthesis.report_markdown
    # the report served is the edited one (its ETag changed with the edit)
    served = client.get(reverse("syntheses:report", args=[synthesis.pk])).content.decode()
    assert EDITED in served

    # saving the same form again changes nothing; a line taken out is taken out
    client.post(url, form)
    synthesis.refresh_from_db()
    assert synthesis.data["assessment"] == data["assessment"]
    client.post(url, {**form, "threats": ""})
    synthesis.refresh_from_db()
    assert not _facts(synthesis.data, "threats", True) and _facts(synthesis.data, "threats", False) == measured["threats"]

    # published: frozen
    services.publish_synthesis(synthesis, by=people.secretariat)
    assert client.post(url, {**form, "weaknesses": "Another text."}).status_code == 403
    with pytest.raises(ValidationError, match="Only a draft"):
        services.edit_assessment(synthesis, {"weaknesses": "Another text."}, by=people.secretariat)
    synthesis.refresh_from_db()
    assert [f["text"] for f in _facts(synthesis.data, "weaknesses", True)] == [EDITED]
    client.logout()
    public = client.get(reverse("syntheses:report", args=[synthesis.pk])).content.decode()
    assert EDITED in public and "edited by the secretariat" in public and lines[0] in public


def test_only_a_stocktaking_has_an_assessment_to_edit(people, session):
    draft = Synthesis.objects.create(session=session, version=1, status="draft",
                                     data={"kind": "synthesis", "title": "A session's synthesis"})
    with pytest.raises(ValidationError, match="not a stocktaking"):
        services.edit_assessment(draft, {"strengths": "Good."}, by=people.secretariat)
    with pytest.raises(ValidationError, match="Unknown assessment heading.*risks"):
        services.edit_assessment(draft, {"risks": "Bad."}, by=people.secretariat)


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_process_gets_a_stocktaking_linked_from_its_page(client, people, session):
    first, _second = _two_sessions(session)
    later = Session.objects.filter(phase__process=session.phase.process).exclude(phase=session.phase).first()
    publish_statements(later, {"Morocco": ("Member State", "MAR",
                                           "Morocco calls for regular pathways for labour migration.")})
    process = session.phase.process
    client.force_login(people.delegate)
    assert client.post(reverse("syntheses:start-process", args=[process.slug])).status_code == 403
    client.force_login(people.secretariat)
    page = client.get(reverse("processes:process", args=[process.slug])).content.decode()
    assert "Run the stocktaking of the whole process" in page
    client.post(reverse("syntheses:start-process", args=[process.slug]))
    synthesis = Synthesis.objects.get(process=process)
    run_worker_once()
    synthesis.refresh_from_db()
    assert synthesis.status == "draft", synthesis.error
    assert synthesis.data["kind"] == "stocktake" and len(synthesis.data["sessions"]) == 3
    assert later.title in {s["id"] for s in synthesis.data["sessions"]}
    assert synthesis.contribution_count == len(STATEMENTS) + len(SECOND) + 1
    url = reverse("syntheses:detail", args=[synthesis.pk])
    client.logout()
    assert url not in client.get(reverse("processes:process", args=[process.slug])).content.decode()
    services.publish_synthesis(synthesis, by=people.secretariat)
    page = client.get(reverse("processes:process", args=[process.slug])).content.decode()
    assert f'<a href="{url}">Stocktaking of the whole process</a>' in page
    assert f"Stocktaking of {process.name}" in client.get(url).content.decode()


def test_a_phase_link_on_the_process_page_says_it_is_a_stocktaking(client, people, session):
    phase_run = Synthesis.objects.create(phase=session.phase, version=1, status="draft", report_html="<p>phase</p>")
    services.publish_synthesis(phase_run, by=people.secretariat)
    page = client.get(reverse("processes:process", args=["gcm"])).content.decode()
    assert f"Synthesis of phase {session.phase.number}</a>: a stocktaking of its sessions" in page


def test_a_synthesis_is_of_exactly_one_session_phase_or_process(session):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        Synthesis.objects.create(phase=session.phase, process=session.phase.process, version=1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Synthesis.objects.create(version=1)
    assert Synthesis.objects.create(process=session.phase.process, version=1).scope == session.phase.process


# ---------------------------------------------------------------------------------------- browser
@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.engine
def test_in_a_browser_the_secretariat_edits_and_publishes_a_phase_stocktaking(server, people, session, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    from .test_accessibility import ARGS
    from .test_browser import CHROMIUM

    _two_sessions(session)
    # Playwright's sync API keeps an event loop on this thread; the worker and the checks below use the
    # database from it, between browser steps (never at the same time).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(server + "/accounts/login/")
            page.get_by_label("Username").fill(people.secretariat.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            page.goto(server + reverse("dashboards:secretariat"))
            page.get_by_role("button", name=f"Run synthesis of phase {session.phase.number}").click()
            page.wait_for_load_state()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Stocktaking of Phase 1")
            run_worker_once()  # the worker, here, on the same database
            page.reload()
            synthesis = Synthesis.objects.get(phase=session.phase)
            assert synthesis.status == "draft", synthesis.error
            box = page.get_by_label("Weaknesses: the secretariat's text, one fact per line")
            measured = box.input_value().splitlines()
            assert measured and measured[0] in page.content()
            box.fill("\n".join([EDITED, *measured[1:]]))
            page.get_by_role("button", name="Save the assessment").click()
            page.wait_for_load_state()
            expect(page.get_by_text("The assessment of version 1 is saved")).to_be_visible()
            page.get_by_role("button", name="Publish version 1").click()
            page.wait_for_load_state()
            expect(page.locator("#synthesis-status")).to_contain_text("published")
            page.context.close()

            public = browser.new_context().new_page()
            public.goto(server + reverse("processes:process", args=[session.phase.process.slug]))
            public.get_by_role("link", name=f"Synthesis of phase {session.phase.number}").click()
            public.wait_for_load_state()
            report = public.frame_locator("iframe.report-frame")
            assessment = report.locator("#assessment")
            edited = assessment.locator("li", has_text=EDITED)
            expect(edited).to_have_count(1)
            expect(edited.locator(".tag")).to_have_text("edited by the secretariat")
            for text in measured:
                fact = assessment.locator("li", has_text=text).first
                expect(fact.locator(".tag")).to_have_text("measured")
            public.context.close()
        finally:
            browser.close()




@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_stocktaking_loses_nothing_and_the_run_resumes(people, session, settings):
    """Issue 16's fault: the worker is killed for real while it reads a phase's sessions; nothing stored
    is lost, the stalled run is seen as such, and the stocktaking started again completes."""
    import signal
    import time

    from rapporteur.web.contributions.models import Contribution

    from .worker import start_worker_process

    settings.RAPPORTEUR_SYNTHESIS_STALL_SECONDS = 2
    first_session, second_session = _two_sessions(session)
    before = sorted(Contribution.objects.values_list("pk", "text", "state"))
    first = services.start_synthesis(phase=session.phase, by=people.secretariat)
    worker = start_worker_process()
    try:
        deadline = time.monotonic() + 120
        while Synthesis.objects.get(pk=first.pk).status == "queued":
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, "the worker never picked the stocktaking up"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()
    assert sorted(Contribution.objects.values_list("pk", "text", "state")) == before
    time.sleep(2.5)
    first.refresh_from_db()
    assert first.status == "running" and first.is_stalled

    again = services.start_synthesis(phase=session.phase, by=people.secretariat)
    first.refresh_from_db()
    assert (first.status, again.version, again.status) == ("failed", 2, "queued")
    run_worker_once()
    again.refresh_from_db()
    assert again.status == "draft", again.error
    assert again.data["kind"] == "stocktake"
    assert [s["id"] for s in again.data["sessions"]] == [first_session.title, second_session.title]
    assert sorted(Contribution.objects.values_list("pk", "text", "state")) == before
