"""CSV and JSON downloads: contributions and points of a session, votes and statements of a round,
a round in the Pol.is openData layout, key points of a synthesis."""
from __future__ import annotations

import csv
import io

from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from rapporteur.web.audit import services as audit
from rapporteur.web.core.http import require
from rapporteur.web.processes.models import Session
from rapporteur.web.rounds.models import Round
from rapporteur.web.syntheses.models import Synthesis

from . import cells, selectors
from .polis import polis_zip

FORMATS = ("csv", "json")


def _respond(rows: list[dict], fmt: str, name: str, meta: dict | None = None) -> HttpResponse:
    if fmt == "json":
        body = {**(meta or {}), "rows": rows}
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt != "csv":
        raise Http404("Formats: csv, json")
    out = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cells.safe_cell(v) for k, v in row.items()} for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _session(request, pk) -> Session:
    session = get_object_or_404(Session.objects.select_related("phase__process"), pk=pk)
    require(request, "exports.export_session", session)
    return session


def _round(request, pk) -> Round:
    round = get_object_or_404(Round.objects.select_related("session__phase__process"), pk=pk)
    require(request, "exports.export_round", round)
    return round


def contributions(request, pk, fmt):
    session = _session(request, pk)
    return _respond(selectors.contribution_rows(session), fmt, f"session-{session.pk}-contributions",
                    {"session": session.pk, "title": session.title})


def points(request, pk, fmt):
    session = _session(request, pk)
    return _respond(selectors.point_rows(session), fmt, f"session-{session.pk}-points",
                    {"session": session.pk, "title": session.title,
                     "note": "Points as the engine segments the published contributions; text = contribution[start:end]."})


def round_votes(request, pk, fmt):
    round = _round(request, pk)
    identified = request.GET.get("identified") == "1"
    if identified:
        require(request, "rounds.export_identified_votes", round)
    history = request.GET.get("history") == "1"
    name = f"round-{round.pk}-{'vote-history' if history else 'votes'}{'-identified' if identified else ''}"
    meta = {"round": round.pk, "title": round.title, "status": round.status,
            "votes": "every vote event, in order" if history else "each participant's latest vote",
            "values": {"agree": 1, "disagree": -1, "pass": 0}}
    if fmt == "json":
        meta["statements"] = selectors.statement_rows(round)
    if fmt not in FORMATS:
        raise Http404("Formats: csv, json")
    with transaction.atomic():  # the export with identities is served only once it is in the audit log
        rows = selectors.vote_rows(round, identified=identified, history=history)
        if identified:
            audit.record(request.user, audit.Act.EXPORT_IDENTITIES, round, after={
                "export": "vote history" if history else "votes", "format": fmt, "rows": len(rows)})
    return _respond(rows, fmt, name, meta)


def round_statements(request, pk, fmt):
    round = _round(request, pk)
    return _respond(selectors.statement_rows(round), fmt, f"round-{round.pk}-statements",
                    {"round": round.pk, "title": round.title})


def round_polis(request, pk):
    round = _round(request, pk)
    folder = f"rapporteur-round-{round.pk}-{slugify(round.title)[:40]}".rstrip("-")
    show_small = request.user.has_perm("rounds.view_small_groups", round)
    response = HttpResponse(polis_zip(selectors.polis_conversation(round, show_small_groups=show_small), folder),
                            content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{folder}.zip"'
    return response


def synthesis_key_points(request, pk, fmt):
    synthesis = get_object_or_404(Synthesis.objects.select_related("session", "phase"), pk=pk)
    if not request.user.has_perm("syntheses.view_synthesis", synthesis) or not synthesis.data:
        raise Http404("No such synthesis")
    return _respond(selectors.synthesis_key_point_rows(synthesis), fmt, f"synthesis-{synthesis.pk}-v{synthesis.version}-key-points",
                    {"synthesis": synthesis.pk, "version": synthesis.version, "title": synthesis.data.get("title"),
                     "votes": (synthesis.data.get("votes") or {}).get("rules")})
