"""Uptake: where the items of a source — a forum's recommendations, a published synthesis's key points —
travel in later contributions: who took each up, when, in which session, in which words.

The items are read from the source (``items_of``): the key points of a ``synthesis.json`` (its areas of
convergence first when ``convergence_only``) or the paragraphs of a document, cut as a draft is
(``ingest.draft``). Every analysed sentence of the later contributions (with ``about``, only those on the
subject, as the synthesis keeps them) joins at most one item by the synthesis's own membership rule
(``keypoints.join_key_points``: read against its nearest items, it joins those it makes and argues for,
and the best of them); a sentence that joins an item is an **uptake** of it, quoted verbatim with its
speaker, session, date and match probability. Items nobody took up are listed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapporteur.analysis.keypoints import KeyPointSettings, join_key_points
from rapporteur.model import Corpus


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    origin: str  # "key point", "convergence", "paragraph"


def items_of(document: dict | None, paragraphs=None, *, convergence_only: bool = False) -> list[Item]:
    """The items to trace: a synthesis document's key points (or only its areas of convergence), or
    a document's paragraphs (``ingest.draft.DraftParagraph``)."""
    if document is not None:
        converging = {c["key_point"] for c in document.get("convergence", [])}
        return [Item(kp["id"], kp["label"], "convergence" if kp["id"] in converging else "key point")
                for kp in document.get("key_points", []) if not convergence_only or kp["id"] in converging]
    return [Item(p.id, p.text, "paragraph") for p in paragraphs or []]


def trace(items: list[Item], corpus: Corpus, readings, embedder, cache=None, *, source: str = "the source",
          about: str | None = None, after: str | None = None, settings: KeyPointSettings = KeyPointSettings()) -> dict:
    """The uptake of ``items`` in ``corpus`` (contributions dated after ``after``, ISO date or year, when given)."""
    from rapporteur.embed import embed_texts
    from rapporteur.synthesis import keep_subject
    from rapporteur.text.segment import segment_all

    contributions = [c for c in corpus.contributions if after is None or (c.date or "") > after]
    by_id = {c.id: c for c in contributions}
    points = [p for p in segment_all(contributions) if p.analysed]
    vectors = embed_texts(embedder, [p.text for p in points], cache=cache)
    points, vectors, _ = keep_subject(points, vectors, about, embedder, cache)
    joined = join_key_points([p.text for p in points], [i.text for i in items], readings, settings, vectors,
                             embed_texts(embedder, [i.text for i in items], cache=cache)) if items else []
    uptakes: dict[int, list[dict]] = {j: [] for j in range(len(items))}
    for point, found in zip(points, joined):
        if found is None:
            continue
        j, probability = found
        c = by_id[point.contribution_id]
        s = c.stakeholder
        uptakes[j].append({"point_id": point.id, "text": point.text, "start": point.start, "end": point.end,
                           "probability": round(float(probability), 4), "stakeholder": s.name,
                           "type": s.type.value, "country": s.country,
                           "region": s.region, "contribution": c.id, "session": c.session, "date": c.date,
                           "source": c.source})
    out_items = []
    for j, item in enumerate(items):
        found = sorted(uptakes[j], key=lambda u: (u["date"] or "", u["session"] or "", u["stakeholder"], u["start"]))
        speakers = sorted({u["stakeholder"] for u in found})
        out_items.append({"id": item.id, "text": item.text, "origin": item.origin, "taken_up": bool(found),
                          "stakeholders": speakers, "n_stakeholders": len(speakers),
                          "first": found[0]["date"] if found else None,
                          "by_period": dict(sorted(Counter(_period(u) for u in found).items())),
                          "uptakes": found})
    return {
        "source": source, "contributions": len(contributions), "points_read": len(points), "about": about, "after": after,
        "rules": {"match_threshold": settings.match_threshold, "side_threshold": settings.side_threshold,
                  "shortlist": settings.shortlist, "learned": readings.learned},
        "items": out_items,
        "not_taken_up": [i["id"] for i in out_items if not i["taken_up"]],
    }


def _period(uptake: dict) -> str:
    """When: the session, else the date's year, else 'undated'."""
    return uptake["session"] or (uptake["date"] or "")[:4] or "undated"
