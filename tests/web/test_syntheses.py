"""Synthesis runs: queued by a request, run by the worker, reviewed, published, frozen, re-run."""
from __future__ import annotations

import signal
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.contributions.models import Contribution
from rapporteur.web.processes.models import Session
from rapporteur.web.syntheses import services
from rapporteur.web.syntheses.models import FrozenSynthesis, Synthesis

from .factories import STATEMENTS, publish_statements
from .worker import run_worker_once, start_worker_process


def test_a_request_only_queues_the_run(client, people, session):
    from django_tasks_db.models import DBTaskResult

    publish_statements(session)
    client.force_login(people.secretariat)
    response = client.post(reverse("syntheses:start-session", args=[session.pk]))
    synthesis = Synthesis.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("syntheses:detail", args=[synthesis.pk])
    assert (synthesis.status, synthesis.version, synthesis.contribution_count) == ("queued", 1, len(STATEMENTS))
    task = DBTaskResult.objects.get()
    assert str(task.id) == synthesis.task_id and task.status == "READY"
    assert task.args_kwargs == {"args": [synthesis.pk], "kwargs": {}}
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker" in page and 'http-equiv="refresh"' in page


def test_no_second_run_while_one_is_queued_and_none_without_contributions(people, session):
    with pytest.raises(ValidationError, match="no published contribution"):
        services.start_synthesis(session=session, by=people.secretariat)
    publish_statements(session)
    services.start_synthesis(session=session, by=people.secretariat)
    with pytest.raises(ValidationError, match="already queued"):
        services.start_synthesis(session=session, by=people.secretariat)


def test_progress_is_visible_while_running(client, people, session):
    synthesis = Synthesis.objects.create(session=session, version=1, status="running", stage="embedding",
                                         done=5, total=12, heartbeat=timezone.now())
    client.force_login(people.secretariat)
    page = client.get(reverse("syntheses:detail", args=[synthesis.pk])).content.decode()
    assert "Stage: embedding (5 of 12)" in page and 'max="12" value="5"' in page and 'http-equiv="refresh"' in page
    status = client.get(reverse("syntheses:status", args=[synthesis.pk])).json()
    assert status == {"id": synthesis.pk, "version": 1, "status": "running", "stalled": False, "stage": "embedding",
                      "done": 5, "total": 12, "error": ""}


def test_a_stalled_run_can_be_started_again_as_a_new_version(people, session, settings):
    publish_statements(session)
    settings.RAPPORTEUR_SYNTHESIS_STALL_SECONDS = 60
    first = Synthesis.objects.create(session=session, version=1, status="running",
                                     heartbeat=timezone.now() - timezone.timedelta(seconds=61))
    assert first.is_stalled and not first.is_active
    second = services.start_synthesis(session=session, by=people.secretariat)
    first.refresh_from_db()
    assert second.version == 2 and second.status == "queued"
    assert first.status == "failed" and "worker stopped" in first.error


def test_a_published_version_is_frozen_and_a_rerun_makes_a_new_version(client, people, session):
    publish_statements(session)
    draft = Synthesis.objects.create(session=session, version=1, status="draft", report_html="<p>v1</p>")
    client.force_login(people.secretariat)
    client.post(reverse("syntheses:publish", args=[draft.pk]))
    draft.refresh_from_db()
    session.refresh_from_db()
    assert draft.status == "published" and draft.published_by == people.secretariat
    assert session.status == Session.Status.PUBLISHED
    draft.report_html = "<p>changed</p>"
    with pytest.raises(FrozenSynthesis):
        draft.save()
    with pytest.raises(FrozenSynthesis):
        draft.delete()
    assert not people.secretariat.has_perm("syntheses.publish_synthesis", draft)
    rerun = services.start_synthesis(session=session, by=people.secretariat)
    assert rerun.version == 2
    assert Synthesis.objects.get(pk=draft.pk).report_html == "<p>v1</p>"


def test_the_admin_shows_published_syntheses_read_only(client, people, session):
    published = Synthesis.objects.create(session=session, version=1, status="published")
    client.force_login(people.admin)
    url = reverse("admin:syntheses_synthesis_change", args=[published.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    for model in ["processes/process", "processes/phase", "processes/session", "processes/taxonomy",
                  "organisations/organisation", "organisations/delegate", "contributions/contribution",
                  "syntheses/synthesis"]:
        assert client.get(f"/admin/{model}/").status_code == 200, model


def test_a_phase_synthesis_reads_every_session_of_the_phase(people, session):
    other = Session.objects.filter(phase=session.phase).exclude(pk=session.pk).first()
    publish_statements(session)
    Contribution.objects.create(session=other, organisation=people.other, text="Another session.", state="published")
    synthesis = services.start_synthesis(phase=session.phase, by=people.secretariat)
    corpus = services.build_corpus(synthesis)
    assert synthesis.contribution_count == len(STATEMENTS) + 1
    assert {c.session for c in corpus.contributions} == {session.title, other.title}
    kenya = next(c for c in corpus.contributions if c.stakeholder.name == "Kenya")
    assert (kenya.stakeholder.country, kenya.stakeholder.region, kenya.stakeholder.subregion) == (
        "KEN", "Africa", "Sub-Saharan Africa")


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_engine_and_the_secretariat_publishes(client, people, session):
    """The whole path with the real engine: queue → worker → draft → publish → public, escaped."""
    publish_statements(session, {**STATEMENTS, "Chile": (
        "Member State", "CHL", 'We call for regular pathways <script>alert("xss")</script> for all migrants.')})
    client.force_login(people.secretariat)
    client.post(reverse("syntheses:start-session", args=[session.pk]))
    synthesis = Synthesis.objects.get()
    assert synthesis.status == "queued"
    run_worker_once()
    synthesis.refresh_from_db()
    assert synthesis.status == "draft", synthesis.error
    assert synthesis.stage == "done" and synthesis.finished_at and synthesis.data["counts"]["contributions"] == 5
    title = f"Synthesis of {session.title}"
    assert title in synthesis.report_markdown and title in synthesis.report_html
    # the statement's markup is quoted as text in the report, never run
    assert "<script>alert(" not in synthesis.report_html
    assert "We call for regular pathways &lt;script&gt;alert(" in synthesis.report_html
    client.logout()
    assert client.get(reverse("syntheses:report", args=[synthesis.pk])).status_code == 404
    client.force_login(people.secretariat)
    client.post(reverse("syntheses:publish", args=[synthesis.pk]))
    client.logout()
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert "Version 1, published" in page
    report = client.get(reverse("syntheses:report", args=[synthesis.pk]))
    assert report.status_code == 200 and title in report.content.decode()


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_run_loses_nothing_and_the_run_starts_again(people, settings):
    from rapporteur.web.processes.gcm import seed_gcm

    settings.RAPPORTEUR_SYNTHESIS_STALL_SECONDS = 2
    process = seed_gcm()
    session = Session.objects.get(phase__process=process, kind="thematic", number=2)
    made = publish_statements(session)
    before = sorted(Contribution.objects.values_list("pk", "text", "state"))

    first = services.start_synthesis(session=session, by=people.secretariat)
    worker = start_worker_process()
    try:
        deadline = time.monotonic() + 120
        while Synthesis.objects.get(pk=first.pk).status == "queued":
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, "the worker never picked the run up"
            time.sleep(0.1)
        assert Synthesis.objects.get(pk=first.pk).status == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()

    assert sorted(Contribution.objects.values_list("pk", "text", "state")) == before
    assert len(before) == len(made)
    time.sleep(2.5)
    first.refresh_from_db()
    assert first.status == "running" and first.is_stalled

    second = services.start_synthesis(session=session, by=people.secretariat)
    first.refresh_from_db()
    assert (first.status, second.version, second.status) == ("failed", 2, "queued")
    run_worker_once()
    second.refresh_from_db()
    assert second.status == "draft", second.error
    assert second.data["counts"]["contributions"] == len(STATEMENTS)
    assert sorted(Contribution.objects.values_list("pk", "text", "state")) == before


def test_a_published_phase_synthesis_is_linked_from_the_process_page(client, people, session):
    draft = Synthesis.objects.create(phase=session.phase, version=1, status="draft", report_html="<p>phase</p>")
    url = reverse("syntheses:detail", args=[draft.pk])
    assert url not in client.get(reverse("processes:process", args=["gcm"])).content.decode()
    services.publish_synthesis(draft, by=people.secretariat)
    page = client.get(reverse("processes:process", args=["gcm"])).content.decode()
    assert f'href="{url}"' in page and "Synthesis of phase 1" in page
    assert client.get(url).status_code == 200


def test_a_session_synthesis_expects_its_own_theme_sub_topics(session, gcm):
    """Divergence D3 checks a thematic session against its own theme, never every theme; a phase
    (a stocktaking) and a session that names no theme check the whole taxonomy."""
    third = Session.objects.get(phase__process=gcm, kind="thematic", number=3)
    assert services.session_focus(Synthesis(session=third), "gcm-sessions") == "ts3"
    assert services.session_focus(Synthesis(session=session), "gcm-sessions") == "ts1"
    other = Session.objects.filter(phase__process=gcm).exclude(kind="thematic").first()
    assert services.session_focus(Synthesis(session=other), "gcm-sessions") is None
    assert services.session_focus(Synthesis(phase=session.phase), "gcm-sessions") is None
