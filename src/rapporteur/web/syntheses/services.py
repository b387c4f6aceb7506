"""Synthesis runs: start (enqueue), execute (in the worker, calling the engine), publish.

A run never executes inside a request: ``start_synthesis`` only records a queued version and
enqueues ``run_synthesis`` in the database queue, in the same transaction. Contributions are only
read by a run, so killing the worker loses none of them; the dead run is detected by its stale
heartbeat and a new version can be started.
"""
from __future__ import annotations

import copy
import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from rapporteur.web.contributions import selectors as contribution_selectors
from rapporteur.web.processes import services as process_services
from rapporteur.web.processes.models import Phase, Session

from .models import Synthesis

log = logging.getLogger("rapporteur.web.syntheses")
S = Synthesis.Status


def _scope_filter(session: Session | None, phase: Phase | None) -> dict:
    if (session is None) == (phase is None):
        raise ValueError("a synthesis is of one session or of one phase")
    return {"session": session} if session is not None else {"phase": phase}


def _published_contributions(session: Session | None, phase: Phase | None):
    if session is not None:
        return contribution_selectors.published_for_session(session)
    return contribution_selectors.published_for_phase(phase)


def start_synthesis(*, session: Session | None = None, phase: Phase | None = None, by=None,
                    based_on: Synthesis | None = None) -> Synthesis:
    """Record a new queued version for a session or a phase and enqueue its run.

    ``based_on``: a finished version of the same session whose text analysis is reused as it is
    (the engine does not run again); the new version adds the measured agreement of the session's
    latest rating round. Without it, the engine runs on the published contributions and the
    round's results are added too, when the session has a round with votes.
    """
    from .tasks import run_synthesis

    scope = _scope_filter(session, phase)
    if based_on is not None and (session is None or based_on.session_id != session.pk or not based_on.data):
        raise ValidationError("Only a finished version of the same session can be reused.")
    with transaction.atomic():
        # Lock the scope row so that two clicks cannot take the same version number.
        model = Session if session is not None else Phase
        model.objects.select_for_update().get(pk=(session or phase).pk)
        runs = Synthesis.objects.filter(**scope)
        for run in runs.filter(status__in=[S.QUEUED, S.RUNNING]):
            if run.is_active:
                raise ValidationError(
                    f"Version {run.version} is already {run.get_status_display()}: wait for it to finish."
                )
            _mark_failed(run.pk, "The worker stopped during this run (no heartbeat); it was started again.")
        count = based_on.contribution_count if based_on is not None else _published_contributions(session, phase).count()
        if count == 0:
            raise ValidationError("There is no published contribution to synthesise yet.")
        version = (runs.aggregate(v=Max("version"))["v"] or 0) + 1
        synthesis = Synthesis.objects.create(
            **scope, version=version, contribution_count=count, requested_by=by, stage="waiting for the worker",
            based_on=based_on,
        )
        result = run_synthesis.enqueue(synthesis.pk)
        Synthesis.objects.filter(pk=synthesis.pk).update(task_id=str(result.id))
    synthesis.refresh_from_db()
    return synthesis


def build_corpus(synthesis: Synthesis):
    """The engine's Corpus for a run: the published contributions of its session or phase."""
    from rapporteur.model import Contribution as EngineContribution
    from rapporteur.model import Corpus

    contributions = _published_contributions(synthesis.session, synthesis.phase)
    items = []
    for c in contributions:
        items.append(
            EngineContribution(
                id=f"c{c.pk}",
                stakeholder=c.organisation.to_stakeholder(),
                text=c.full_text,
                session=c.session.title,
                date=c.session.start_date.isoformat() if c.session.start_date else None,
                source=c.source or c.document_name or f"contribution {c.pk}",
            )
        )
    return Corpus(contributions=items)


class _Heartbeat(threading.Thread):
    """Tells the database, every few seconds, that the run's worker is alive."""

    def __init__(self, synthesis_id: int):
        super().__init__(daemon=True, name=f"synthesis-{synthesis_id}-heartbeat")
        self.synthesis_id = synthesis_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.RAPPORTEUR_SYNTHESIS_HEARTBEAT_SECONDS):
                try:
                    Synthesis.objects.filter(pk=self.synthesis_id, status=S.RUNNING).update(heartbeat=timezone.now())
                except Exception:  # a locked database now and then is not fatal to the run
                    log.warning("heartbeat of synthesis %s could not be recorded", self.synthesis_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


class _Progress:
    """The engine's ``progress(stage, done, total)`` callback, written to the run at most twice a second."""

    def __init__(self, synthesis_id: int):
        self.synthesis_id = synthesis_id
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        Synthesis.objects.filter(pk=self.synthesis_id, status=S.RUNNING).update(
            stage=str(stage)[:100], done=max(0, int(done)), total=max(0, int(total)), heartbeat=timezone.now()
        )


def execute_synthesis(synthesis_id: int) -> str:
    """Run the engine for a queued synthesis (called by the worker). Returns the final status."""
    from rapporteur.embed import EmbeddingCache
    from rapporteur.report.html import render_html_dict
    from rapporteur.report.markdown import render_markdown_dict
    from rapporteur.synthesis import SynthesisOptions, synthesize

    now = timezone.now()
    claimed = Synthesis.objects.filter(pk=synthesis_id, status=S.QUEUED).update(
        status=S.RUNNING, started_at=now, heartbeat=now, stage="reading contributions"
    )
    if not claimed:
        log.info("synthesis %s is no longer queued; nothing to do", synthesis_id)
        return "skipped"
    heartbeat = _Heartbeat(synthesis_id)
    heartbeat.start()
    try:
        synthesis = Synthesis.objects.select_related("session__phase", "phase", "based_on").get(pk=synthesis_id)
        if synthesis.based_on is not None:
            data = copy.deepcopy(synthesis.based_on.data)
            contribution_count = synthesis.based_on.contribution_count
        else:
            corpus = build_corpus(synthesis)
            result = synthesize(
                corpus,
                SynthesisOptions(title=f"Synthesis of {synthesis.scope_label}"),
                cache=EmbeddingCache(settings.DATA_DIR / "embeddings.sqlite3"),
                progress=_Progress(synthesis_id),
            )
            data = result.to_dict()
            contribution_count = len(corpus.contributions)
        data, round_id = add_round_results(synthesis, data)
        html, markdown = render_html_dict(data), render_markdown_dict(data)
    except BaseException as err:
        heartbeat.stop()
        _mark_failed(synthesis_id, f"{type(err).__name__}: {err}")
        raise
    heartbeat.stop()
    Synthesis.objects.filter(pk=synthesis_id, status=S.RUNNING).update(
        status=S.DRAFT, data=data, report_html=html, report_markdown=markdown, stage="done",
        done=1, total=1, finished_at=timezone.now(), contribution_count=contribution_count, round_id=round_id,
    )
    return S.DRAFT


def add_round_results(synthesis: Synthesis, data: dict) -> tuple[dict, int | None]:
    """The report with the measured agreement of the session's latest round with votes (if any).

    The votes are analysed by the vote engine (``rapporteur.votes``) and merged by the engine's
    ``rapporteur.analysis.measured``: each key point put to the vote gets its measured agreement,
    overall and per region and stakeholder type, and each area of convergence or divergence says
    whether the vote confirmed it.
    """
    from rapporteur.analysis.measured import add_measured, round_results
    from rapporteur.schema import validate_synthesis
    from rapporteur.web.rounds import selectors as round_selectors

    if not synthesis.session_id:
        return data, None
    round = round_selectors.latest_round_with_votes(synthesis.session)
    if round is None:
        return data, None
    Synthesis.objects.filter(pk=synthesis.pk, status=S.RUNNING).update(stage="measured agreement", heartbeat=timezone.now())
    analyses = round_selectors.compute_analysis(round)
    if not analyses:
        return data, None
    results = round_results(analyses, round_selectors.statement_meta(round), title=round.title)
    return validate_synthesis(add_measured(data, results)), round.pk


def _mark_failed(synthesis_id: int, error: str) -> None:
    Synthesis.objects.filter(pk=synthesis_id, status__in=[S.QUEUED, S.RUNNING]).update(
        status=S.FAILED, error=error[:5000], finished_at=timezone.now()
    )


@transaction.atomic
def publish_synthesis(synthesis: Synthesis, *, by) -> Synthesis:
    synthesis = Synthesis.objects.select_for_update().get(pk=synthesis.pk)
    if synthesis.status != S.DRAFT:
        raise ValidationError(f"Only a draft can be published; this version is {synthesis.get_status_display()}.")
    synthesis.status = S.PUBLISHED
    synthesis.published_at = timezone.now()
    synthesis.published_by = by
    synthesis.save()
    if synthesis.session_id:
        process_services.mark_synthesis_published(synthesis.session)
    return synthesis
