"""The rows of each export, as plain dicts (the views turn them into CSV or JSON).

Public exports hold only what the site shows the public: published contributions, published
syntheses, and a round's votes without who cast them (participants are numbered, as in Pol.is's
openData). With ``identified=True`` (the secretariat only) a vote row also names the participant's
organisation, region and stakeholder type.
"""
from __future__ import annotations

from rapporteur.web.contributions import selectors as contribution_selectors
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.rounds.models import VOTE_NAMES, Participant, Round, Statement, Vote, VoteEvent

from .polis import PolisComment, PolisConversation


def contribution_rows(session) -> list[dict]:
    rows = []
    for c in contribution_selectors.published_for_session(session):
        o = c.organisation
        rows.append({
            "id": f"c{c.pk}", "session": session.pk, "session_title": session.title, "organisation": o.name,
            "type": o.type, "country": o.country, "region": o.region, "subregion": o.subregion, "title": c.title or f"Statement by {o.name}",
            "text": c.full_text, "document": c.document_name, "source": c.source,
            "published_at": (c.moderated_at or c.submitted_at or c.created_at).isoformat(),
        })
    return rows


def point_rows(session) -> list[dict]:
    """Every point (sentence or bullet) of the published contributions, as the engine segments them.

    Ids are the ones a synthesis of the session uses (``c<contribution>#<n>``); ``text`` is always
    ``contribution_text[start:end]``; ``language`` and ``kind`` are read as a synthesis reads them
    (``rapporteur.lang``: a point in a language without a home is ``unread language``).
    """
    from rapporteur.lang.points import read_languages
    from rapporteur.model import Contribution as EngineContribution
    from rapporteur.model import Corpus
    from rapporteur.text.segment import segment

    published = list(contribution_selectors.published_for_session(session))
    corpus = Corpus([EngineContribution(id=f"c{c.pk}", stakeholder=c.organisation.to_stakeholder(), text=c.full_text)
                     for c in published])
    points = {c.id: segment(c) for c in corpus.contributions}
    read_languages(corpus, [p for found in points.values() for p in found])
    rows = []
    for c, engine in zip(published, corpus.contributions):
        o = c.organisation
        for p in points[engine.id]:
            rows.append({
                "id": p.id, "contribution": p.contribution_id, "organisation": o.name, "type": o.type, "region": o.region,
                "kind": p.kind.value, "analysed": p.analysed, "language": p.language,
                "start": p.start, "end": p.end, "text": p.text,
            })
    return rows


def round_numbering(round: Round) -> tuple[dict[int, int], dict[int, int]]:
    """(statement pk → statement id, participant pk → participant id): the round's own numbering, the
    same on the site and in the API (``rounds.selectors.round_numbering``)."""
    return round_selectors.round_numbering(round)


def statement_rows(round: Round) -> list[dict]:
    tids, pids = round_numbering(round)
    rows = []
    for s in Statement.objects.filter(round=round).exclude(state=Statement.State.PENDING).order_by("pk"):
        rows.append({"statement": tids[s.pk], "text": s.text, "origin": s.origin, "state": s.state,
                     "key_point": s.key_point, "author": pids.get(s.author_id) if s.author_id else None})
    return rows


def vote_rows(round: Round, identified: bool = False, history: bool = False) -> list[dict]:
    """Each participant's latest vote (or, with ``history``, every vote event) on the round's statements."""
    tids, pids = round_numbering(round)
    model = VoteEvent if history else Vote
    qs = model.objects.filter(round=round).order_by("pk").values_list("participant_id", "statement_id", "value",
                                                                       "created_at" if history else "updated_at")
    people = {}
    if identified:
        people = {p.pk: p for p in Participant.objects.filter(round=round).select_related("organisation")}
    rows = []
    for participant, statement, value, at in qs.iterator():
        row = {"participant": pids[participant], "statement": tids[statement], "vote": value,
               "vote_name": VOTE_NAMES[value], "time": at.isoformat()}
        if identified:
            p = people[participant]
            row.update(organisation=p.organisation.name if p.organisation_id else "", region=p.region,
                       type=p.stakeholder_type, country=p.country)
        rows.append(row)
    return rows


def polis_conversation(round: Round, show_small_groups: bool = False) -> PolisConversation:
    """The round in the Pol.is openData layout (opinion groups from the last dashboard analysis).

    An opinion group of fewer than ``RAPPORTEUR_ROUND_MIN_GROUP`` participants is left out (its
    members' ``group-id`` is empty) unless ``show_small_groups`` (the secretariat), as on the dashboard."""
    tids, pids = round_numbering(round)
    moderation = {Statement.State.ACCEPTED: 1, Statement.State.PENDING: 0, Statement.State.REJECTED: -1}
    comments = [
        PolisComment(id=tids[s.pk], text=s.text, moderated=moderation[s.state], created=s.created_at,
                     author=pids.get(s.author_id) if s.author_id else None)
        for s in Statement.objects.filter(round=round).order_by("pk")
    ]
    events = [(at, tids[s], pids[p], v) for p, s, v, at in
              VoteEvent.objects.filter(round=round).order_by("created_at", "pk")
              .values_list("participant_id", "statement_id", "value", "created_at").iterator()]
    groups = {}
    analysis = getattr(round, "analysis", None)
    data = round_selectors.analyses(analysis.data if analysis is not None else None)
    if data:
        main = next(iter(data.values()))
        shown = {g["id"] for g in main.get("groups", [])
                 if show_small_groups or g["size"] >= round_selectors.min_group_participants()}
        known = set(pids.values())
        for p in main.get("participants", []):
            if p.get("group") in shown and p["id"].isdigit() and int(p["id"]) in known:
                groups[int(p["id"])] = p["group"]
    return PolisConversation(
        topic=round.title, comments=comments, participants=sorted(pids.values()), events=events, groups=groups,
        description=f"Rating round of {round.session.title} ({round.session.phase.process.name})",
    )


def synthesis_key_point_rows(synthesis) -> list[dict]:
    """The key points of a synthesis, with the measured agreement when the version has a round's results, and
    what the rapporteur changed (``origin``: machine, edited or added; the machine's label; the note)."""
    data = synthesis.data or {}
    convergence = {c["key_point"]: c["number"] for c in data.get("convergence", [])}
    divergence = {d["key_point"]: d["number"] for d in data.get("divergence", [])}
    rows = []
    for kp in data.get("key_points", []):
        m = kp.get("measured")
        rows.append({
            "key_point": kp["id"], "label": kp["label"], "origin": kp.get("origin", "machine"),
            "machine_label": kp.get("machine_label") or "", "note": kp.get("note") or "",
            "theme": kp.get("theme_label") or "",
            "stakeholders": kp["n_stakeholders"], "points": kp["n_points"],
            "regions": "; ".join(f"{k} {v}" for k, v in kp.get("regions", {}).items()),
            "types": "; ".join(f"{k} {v}" for k, v in kp.get("types", {}).items()),
            "convergence": convergence.get(kp["id"]), "divergence": divergence.get(kp["id"]),
            "votes": m["n"] if m else None, "agree": m["agree"] if m else None,
            "disagree": m["disagree"] if m else None, "pass": m["pass"] if m else None,
            "agree_share": m["agree_share"] if m else None, "convergent": m["convergent"] if m else None,
            "divided": m["divided"] if m else None, "confirmed": m["confirmed"] if m else None,
            "point_ids": " ".join(kp["point_ids"]),
        })
    return rows
