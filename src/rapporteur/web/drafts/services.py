"""Drafts: upload a version (its text cut into paragraphs at once), read its coverage in the worker
against the process's latest published syntheses, publish it, compare two versions.

The coverage is the engine's (``rapporteur.analysis.coverage.cover``), read against one document made
of the latest published synthesis of every session of the process: each key point keeps its
session's name and gets the session's number before its id (``S3·KP2``), so a draft is checked against
everything the consultation has published so far.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rapporteur.errors import InputError
from rapporteur.ingest.draft import split_draft
from rapporteur.web.processes.models import Session
from rapporteur.web.syntheses import selectors as synthesis_selectors

from .models import DraftVersion

S = DraftVersion.Status


def upload_draft(process, *, text: str, file_name: str, title: str, dated, by) -> DraftVersion:
    """A new version of the process's draft (the next number); its coverage is read by the worker."""
    from .tasks import read_draft_coverage

    try:
        draft = split_draft(text, file_name)
    except InputError as error:
        raise ValidationError(error.reason) from None
    with transaction.atomic():
        number = (DraftVersion.objects.select_for_update().filter(process=process)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        version = DraftVersion.objects.create(process=process, number=number, title=title, dated=dated,
                                              file_name=file_name, text=text, split=draft.split, created_by=by)
    transaction.on_commit(lambda: read_draft_coverage.enqueue(version.pk))
    return version


def against(process) -> tuple[dict, list[int]]:
    """One synthesis document of the latest published synthesis of each session, and their ids."""
    key_points, convergence, divergence, ids = [], [], [], []
    for session in Session.objects.filter(phase__process=process).order_by("phase__number", "number"):
        synthesis = synthesis_selectors.latest_published_for_session(session)
        if synthesis is None or not synthesis.data:
            continue
        ids.append(synthesis.pk)
        prefix = f"S{session.pk}·"
        for kp in synthesis.data.get("key_points", []):
            key_points.append({**kp, "id": prefix + kp["id"], "session": session.title})
        convergence += [{**c, "key_point": prefix + c["key_point"]} for c in synthesis.data.get("convergence", [])]
        for d in synthesis.data.get("divergence", []):
            if d.get("key_point"):
                divergence.append({**d, "key_point": prefix + d["key_point"], "number": len(divergence) + 1})
    title = f"the published syntheses of {process.name}"
    return {"title": title, "key_points": key_points, "convergence": convergence, "divergence": divergence}, ids


def read_coverage(draft_id: int) -> str:
    """Read the draft's coverage (run by the worker); the version is READY or FAILED after."""
    from rapporteur.analysis.coverage import cover
    from rapporteur.analysis.readings import readings_of
    from rapporteur.web.syntheses.matching import _embedder, _learned_models, site_cache

    version = DraftVersion.objects.select_related("process").get(pk=draft_id)
    cache = site_cache()
    try:
        document, ids = against(version.process)
        embedder = _embedder()
        readings = readings_of(document, embedder, cache, models=_learned_models)  # the models, loaded once per process
        result = cover(split_draft(version.text, version.file_name), document, readings, embedder, cache)
    except Exception as error:  # noqa: BLE001 - a failed reading is shown on the page, and the upload kept
        DraftVersion.objects.filter(pk=draft_id).update(status=S.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    finally:
        cache.close()
    DraftVersion.objects.filter(pk=draft_id).update(status=S.READY, coverage=result, against=ids, error="")
    return f"draft {version.number}: {sum(k['reflected'] for k in result['key_points'])} key points reflected"


def publish(version: DraftVersion) -> DraftVersion:
    if version.status != S.READY:
        raise ValidationError(gettext("Publish a draft once its coverage has been read."))
    DraftVersion.objects.filter(pk=version.pk, published_at__isnull=True).update(published_at=timezone.now())
    version.refresh_from_db()
    return version


def compare(older: DraftVersion, newer: DraftVersion) -> dict:
    """What a revision gained and lost: key points (and areas of convergence) reflected in one version and
    not the other, by key point id; key points read in only one of the two are listed apart."""
    def reflected(v):
        return {k["id"]: k for k in (v.coverage or {}).get("key_points", [])}

    a, b = reflected(older), reflected(newer)
    both = a.keys() & b.keys()
    gained = [b[k] for k in sorted(both) if b[k]["reflected"] and not a[k]["reflected"]]
    lost = [a[k] for k in sorted(both) if a[k]["reflected"] and not b[k]["reflected"]]
    return {
        "gained": gained, "lost": lost,
        "gained_convergence": [k for k in gained if k["convergence"]], "lost_convergence": [k for k in lost if k["convergence"]],
        "kept": sum(1 for k in both if a[k]["reflected"] and b[k]["reflected"]),
        "only_older": sorted(a.keys() - b.keys()), "only_newer": sorted(b.keys() - a.keys()),
    }
