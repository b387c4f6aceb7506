"""Synthesis runs: start (enqueue), execute (in the worker, calling the engine), edit the assessment, publish.

A session's run is a synthesis (``rapporteur.synthesis.synthesize``); a phase's or a process's is a
stocktaking (``rapporteur.synthesis.stocktake``, by session), whose measured SWOT the secretariat may add
its own text to (``edit_assessment``) while it is a draft.

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
from django.utils import timezone, translation
from django.utils.translation import gettext

from rapporteur.web.audit import services as audit
from rapporteur.web.contributions import selectors as contribution_selectors
from rapporteur.web.processes import services as process_services
from rapporteur.web.processes.models import Phase, Process, Session

from .models import Synthesis

log = logging.getLogger("rapporteur.web.syntheses")
S = Synthesis.Status


def _scope_filter(session: Session | None, phase: Phase | None, process: Process | None = None) -> dict:
    given = {k: v for k, v in {"session": session, "phase": phase, "process": process}.items() if v is not None}
    if len(given) != 1:
        raise ValueError("a synthesis is of one session, one phase or one process")
    return given


def _published_contributions(session: Session | None, phase: Phase | None, process: Process | None = None):
    if session is not None:
        return contribution_selectors.published_for_session(session)
    if phase is not None:
        return contribution_selectors.published_for_phase(phase)
    return contribution_selectors.published_for_process(process)


def start_synthesis(*, session: Session | None = None, phase: Phase | None = None, process: Process | None = None,
                    by=None, based_on: Synthesis | None = None) -> Synthesis:
    """Record a new queued version for a session, a phase or a process and enqueue its run.

    ``based_on``: a finished version of the same session whose text analysis is reused as it is
    (the engine does not run again); the new version adds the measured agreement of the session's
    latest rating round. Without it, the engine runs on the published contributions and the
    round's results are added too, when the session has a round with votes.
    """
    from .tasks import run_synthesis

    scope = _scope_filter(session, phase, process)
    if based_on is not None and (session is None or based_on.session_id != session.pk or not based_on.data):
        raise ValidationError(gettext("Only a finished version of the same session can be reused."))
    with transaction.atomic():
        # Lock the scope row so that two clicks cannot take the same version number.
        (scope_name, scope_object), = scope.items()
        model = {"session": Session, "phase": Phase, "process": Process}[scope_name]
        model.objects.select_for_update().get(pk=scope_object.pk)
        runs = Synthesis.objects.filter(**scope)
        for run in runs.filter(status__in=[S.QUEUED, S.RUNNING]):
            if run.is_active:
                raise ValidationError(
                    gettext("Version %(version)s is already %(status)s: wait for it to finish.") % {
                        "version": run.version, "status": run.get_status_display()}
                )
            _mark_failed(run.pk, "The worker stopped during this run (no heartbeat); it was started again.")
        count = based_on.contribution_count if based_on is not None else _published_contributions(session, phase, process).count()
        if count == 0:
            raise ValidationError(gettext("There is no published contribution to synthesise yet."))
        version = (runs.aggregate(v=Max("version"))["v"] or 0) + 1
        synthesis = Synthesis.objects.create(
            **scope, version=version, contribution_count=count, requested_by=by, stage="waiting for the worker",
            based_on=based_on,
        )
        audit.record(by, audit.Act.RUN_SYNTHESIS, synthesis, label=_label(synthesis),
                     after={"version": version, "status": synthesis.status, "contributions": count,
                            **({"based_on": based_on.version} if based_on is not None else {})})
        result = run_synthesis.enqueue(synthesis.pk)
        Synthesis.objects.filter(pk=synthesis.pk).update(task_id=str(result.id))
    synthesis.refresh_from_db()
    return synthesis


def _label(synthesis: Synthesis) -> str:
    """The synthesis as the audit log names it (in the site's language, not the secretariat's)."""
    with translation.override("en"):
        return f"{synthesis.kind_label} of {synthesis.scope_label}, version {synthesis.version}"


def build_corpus(synthesis: Synthesis):
    """The engine's Corpus for a run: the published contributions of its session, phase or process, each
    with its session's title as its session (a stocktaking reads them session by session)."""
    from rapporteur.model import Contribution as EngineContribution
    from rapporteur.model import Corpus

    contributions = _published_contributions(synthesis.session, synthesis.phase, synthesis.process)
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
    from rapporteur.web.syntheses.matching import site_cache
    from rapporteur.report.html import render_html_dict
    from rapporteur.report.markdown import render_markdown_dict
    from rapporteur.synthesis import SynthesisOptions, stocktake, synthesize

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
        synthesis = Synthesis.objects.select_related("session__phase", "phase", "process", "based_on").get(
            pk=synthesis_id)
        cache = site_cache()
        with translation.override("en"):  # the report's title is the document's, not the visitor's language
            options = SynthesisOptions(title=f"{synthesis.kind_label} of {synthesis.scope_label}",
                                       focus=session_focus(synthesis, SynthesisOptions.taxonomy))
        machine = synthesis.based_on.machine if synthesis.based_on is not None else None
        if synthesis.based_on is not None:
            data = copy.deepcopy(synthesis.based_on.data)
            contribution_count = synthesis.based_on.contribution_count
        elif synthesis.is_stocktake:
            corpus = build_corpus(synthesis)
            data = stocktake(corpus, options, by="session", cache=cache, progress=_Progress(synthesis_id))
            data = _with_silent_sessions(synthesis, data)
            contribution_count = len(corpus.contributions)
        else:
            corpus = build_corpus(synthesis)
            result = synthesize(corpus, options, cache=cache, progress=_Progress(synthesis_id))
            data = result.to_dict()
            contribution_count = len(corpus.contributions)
            from .desk import replay_previous

            machine, data = replay_previous(synthesis, data)  # an earlier version's edits, where they still apply
        data, round_id = add_round_results(synthesis, data)
        html, markdown = render_html_dict(data), render_markdown_dict(data)
    except BaseException as err:
        heartbeat.stop()
        _mark_failed(synthesis_id, f"{type(err).__name__}: {err}")
        raise
    heartbeat.stop()
    Synthesis.objects.filter(pk=synthesis_id, status=S.RUNNING).update(
        status=S.DRAFT, data=data, machine=machine, report_html=html, report_markdown=markdown, stage="done",
        done=1, total=1, finished_at=timezone.now(), contribution_count=contribution_count, round_id=round_id,
    )
    return S.DRAFT


def session_focus(synthesis: Synthesis, taxonomy: str) -> str | None:
    """The theme of ``taxonomy`` a session's synthesis is about, named by the session's title or theme
    (its sub-topics are the matters expected: divergence D3); None for a stocktaking, or a session
    that names no theme of the taxonomy (then every theme is expected)."""
    from rapporteur.analysis.themes import load_taxonomy, theme_named

    if synthesis.session_id is None:
        return None
    return theme_named(load_taxonomy(taxonomy), synthesis.session.title, synthesis.session.theme)


def sessions_of_scope(synthesis: Synthesis):
    """The sessions a stocktaking covers, in the order of the timeline."""
    if synthesis.phase_id:
        return Session.objects.filter(phase=synthesis.phase).order_by("start_date", "pk")
    return Session.objects.filter(phase__process=synthesis.process).order_by("phase__number", "start_date", "pk")


def _with_silent_sessions(synthesis: Synthesis, data: dict) -> dict:
    """The stocktaking with every session of its scope that had no published contribution named in its limits."""
    from rapporteur.schema import validate_synthesis

    read = {s["id"] for s in data.get("sessions", [])}
    silent = [s.title for s in sessions_of_scope(synthesis) if s.title not in read]
    if not silent:
        return data
    data["limits"] = [*data.get("limits", []),
                      *(f"Session {title} had no published contribution: it is not read." for title in silent)]
    return validate_synthesis(data)


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
    from rapporteur.web.rounds import services as round_services

    if not synthesis.session_id:
        return data, None
    round = round_selectors.latest_round_with_votes(synthesis.session)
    if round is None:
        return data, None
    Synthesis.objects.filter(pk=synthesis.pk, status=S.RUNNING).update(stage="measured agreement", heartbeat=timezone.now())
    analyses = round_services.analyse_round(round)
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
        raise ValidationError(gettext("Only a draft can be published; this version is %(status)s.") % {
            "status": synthesis.get_status_display()})
    before = {"status": synthesis.status}
    from .desk import report_of

    report_of(synthesis)  # the signed version's report, rendered before it is frozen
    synthesis.status = S.PUBLISHED
    synthesis.published_at = timezone.now()
    synthesis.published_by = by
    synthesis.save()
    after = {"status": synthesis.status}
    if synthesis.session_id:
        before["session_status"] = synthesis.session.status
        process_services.mark_synthesis_published(synthesis.session)
        after["session_status"] = synthesis.session.status
    audit.record(by, audit.Act.PUBLISH_SYNTHESIS, synthesis, before=before, after=after, label=_label(synthesis))
    return synthesis


SWOT_HEADINGS = ("strengths", "weaknesses", "opportunities", "threats")
SECRETARIAT_RULE = "written by the secretariat"


def assessment_texts(synthesis: Synthesis) -> dict[str, str]:
    """Each SWOT heading's facts' texts, one per line: measured ones first, then the secretariat's."""
    assessment = (synthesis.data or {}).get("assessment") or {}
    return {h: "\n".join(f["text"] for f in assessment.get(h, [])) for h in SWOT_HEADINGS}


def _secretariat_text(data: dict) -> dict[str, list[str]]:
    """The secretariat's lines under each SWOT heading (what the audit log keeps of an edit)."""
    assessment = data.get("assessment") or {}
    return {h: [f["text"] for f in assessment.get(h, []) if f.get("edited")] for h in SWOT_HEADINGS}


def edit_assessment(synthesis: Synthesis, texts: dict[str, str], *, by) -> Synthesis:
    """Record the secretariat's text of a draft stocktaking's SWOT, beside the measured facts.

    ``texts``: {heading: text, one fact per line}. Every measured fact stays as the engine wrote it; a
    line that is not the text of one of the heading's measured facts is the secretariat's, stored as a
    fact with ``edited: true``, no figure, the rule "written by the secretariat" and no evidence. A
    heading left out keeps the secretariat's text it has. The report is rendered again from the
    edited document. Refused for a published version (frozen) and for anything but a stocktaking."""
    from rapporteur.report.html import render_html_dict
    from rapporteur.report.markdown import render_markdown_dict
    from rapporteur.schema import validate_synthesis

    unknown = sorted(set(texts) - set(SWOT_HEADINGS))
    if unknown:
        raise ValidationError(f"Unknown assessment heading(s): {', '.join(unknown)} "
                              f"(the headings are {', '.join(SWOT_HEADINGS)}).")
    with transaction.atomic():
        synthesis = Synthesis.objects.select_for_update().get(pk=synthesis.pk)
        if synthesis.status != S.DRAFT:
            raise ValidationError(gettext("Only a draft's assessment can be edited; version %(version)s is %(status)s.")
                                  % {"version": synthesis.version, "status": synthesis.get_status_display()})
        data = copy.deepcopy(synthesis.data or {})
        if data.get("kind") != "stocktake" or not data.get("assessment"):
            raise ValidationError(gettext("Version %(version)s is not a stocktaking: it has no assessment to edit.")
                                  % {"version": synthesis.version})
        for heading, text in texts.items():
            measured = [f for f in data["assessment"][heading] if not f.get("edited")]
            known = {f["text"] for f in measured}
            lines = dict.fromkeys(line.strip() for line in str(text).splitlines())
            written = [{"text": line, "figure": None, "rule": SECRETARIAT_RULE, "point_ids": [], "edited": True}
                       for line in lines if line and line not in known]
            data["assessment"][heading] = measured + written
        data = validate_synthesis(data)
        before = _secretariat_text(synthesis.data or {})
        synthesis.data = data
        synthesis.report_html = render_html_dict(data)
        synthesis.report_markdown = render_markdown_dict(data)
        synthesis.edited_at = timezone.now()
        synthesis.edited_by = by
        synthesis.save()
        audit.record(by, audit.Act.EDIT_ASSESSMENT, synthesis, label=_label(synthesis), before=before,
                     after=_secretariat_text(data))
    return synthesis
