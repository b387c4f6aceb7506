"""Write a conversation in the Pol.is openData layout (no Django here: plain data in, files out).

The layout of compdemocracy's openData exports, as ``rapporteur.votes.read_polis`` reads it:

* ``comments.csv``: ``timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated,
  comment-body`` (``moderated``: 1 accepted, 0 not yet moderated, -1 moderated out);
* ``votes.csv``: the vote history, ``timestamp, datetime, comment-id, voter-id, vote`` in time
  order (agree 1, disagree -1, pass 0; the latest vote of a voter on a comment counts);
* ``participants-votes.csv``: one row per participant: ``participant, group-id, n-comments,
  n-votes, n-agree, n-disagree`` and a column per comment id with the latest vote;
* ``summary.csv``: ``topic, url, views, voters, voters-in-conv, commenters, comments, groups,
  conversation-description``.

Timestamps are milliseconds since the epoch (UTC); ``datetime`` is Pol.is's text form.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import cells


@dataclass
class PolisComment:
    id: int
    text: str
    moderated: int  # 1, 0, -1
    created: datetime
    author: int | None = None


@dataclass
class PolisConversation:
    topic: str
    comments: list[PolisComment]
    participants: list[int]  # participant ids, in order
    events: list[tuple[datetime, int, int, int]]  # (time, comment id, participant id, vote), in time order
    groups: dict[int, int] = field(default_factory=dict)  # participant id -> opinion group id
    url: str = ""
    description: str = ""


def _stamp(t: datetime) -> tuple[int, str]:
    t = t.astimezone(timezone.utc)
    return int(t.timestamp() * 1000), t.strftime("%a %b %d %H:%M:%S UTC %Y")


def polis_files(conv: PolisConversation) -> dict[str, str]:
    """The four CSV files, as text, by name."""
    latest: dict[tuple[int, int], int] = {}
    for _t, cid, pid, vote in conv.events:
        latest[(pid, cid)] = vote
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    per_participant: dict[int, dict[int, int]] = {p: {} for p in conv.participants}
    for (pid, cid), vote in latest.items():
        per_participant.setdefault(pid, {})[cid] = vote
        if vote == 1:
            agrees[cid] = agrees.get(cid, 0) + 1
        elif vote == -1:
            disagrees[cid] = disagrees.get(cid, 0) + 1
    authored: dict[int, int] = {}
    for c in conv.comments:
        if c.author is not None:
            authored[c.author] = authored.get(c.author, 0) + 1

    files = {}
    out = io.StringIO()
    w = cells.writer(out)
    w.writerow(["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"])
    for c in sorted(conv.comments, key=lambda c: c.id):
        ms, text = _stamp(c.created)
        w.writerow([ms, text, c.id, "" if c.author is None else c.author, agrees.get(c.id, 0), disagrees.get(c.id, 0),
                    c.moderated, c.text])
    files["comments.csv"] = out.getvalue()

    out = io.StringIO()
    w = cells.writer(out)
    w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
    for t, cid, pid, vote in conv.events:
        ms, text = _stamp(t)
        w.writerow([ms, text, cid, pid, vote])
    files["votes.csv"] = out.getvalue()

    ids = [c.id for c in sorted(conv.comments, key=lambda c: c.id)]
    out = io.StringIO()
    w = cells.writer(out)
    w.writerow(["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *ids])
    for pid in conv.participants:
        votes = per_participant.get(pid, {})
        group = conv.groups.get(pid)
        w.writerow([pid, "" if group is None else group, authored.get(pid, 0), len(votes),
                    sum(1 for v in votes.values() if v == 1), sum(1 for v in votes.values() if v == -1),
                    *("" if cid not in votes else votes[cid] for cid in ids)])
    files["participants-votes.csv"] = out.getvalue()

    voters = sum(1 for p in conv.participants if per_participant.get(p))
    out = io.StringIO()
    w = cells.writer(out)
    for key, value in (("topic", conv.topic), ("url", conv.url), ("views", 0), ("voters", voters),
                       ("voters-in-conv", sum(1 for p in conv.participants if p in conv.groups)),
                       ("commenters", len(authored)), ("comments", len(conv.comments)),
                       ("groups", len(set(conv.groups.values()))), ("conversation-description", conv.description)):
        w.writerow([key, value])
    files["summary.csv"] = out.getvalue()
    return files


def polis_zip(conv: PolisConversation, folder: str) -> bytes:
    """The files in a ZIP, inside one folder (as openData publishes them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in polis_files(conv).items():
            archive.writestr(f"{folder}/{name}", text)
    return buffer.getvalue()
