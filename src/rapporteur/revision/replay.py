"""A previous revision's edits replayed on a new run of the same synthesis (more contributions arrived).

Key point ids are numbered by prevalence, so KP3 of one run is not KP3 of the next. Each applied edit
kept the label point of every key point it named (``anchors``); on the new run a key point is found
again as the one labelled by that point, else the one that has that point among its points. An edit
whose key points or points cannot be found, or that the new draft refuses (``EditError``), is listed
with the reason, never silently dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapporteur.revision.apply import EditError, Reader, revise, start_revision
from rapporteur.edits import dump_edits
from rapporteur.schema import NotReplayed as Skipped, SynthesisDocument

_KP = re.compile(r"^(?:(opposed|disputed)-)?(KP\d+)$")


@dataclass
class NotReplayed:
    number: int  # the edit's place in the previous revision (from 1)
    edit: object
    reason: str


def replay(draft: SynthesisDocument, edits: list, *, reader: Reader | None = None, by: str | None = None,
           based_on_version: int | None = None, replayed_from: int | None = None
           ) -> tuple[SynthesisDocument, list[NotReplayed]]:
    """``draft`` (a new machine run) with each of ``edits`` (a previous revision's, of version
    ``replayed_from``) that still applies; the document's revision lists those that do not."""
    document = start_revision(draft)
    left: list[NotReplayed] = []
    for number, edit in enumerate(edits, 1):
        moved = _translated(edit, document)
        if isinstance(moved, str):
            left.append(NotReplayed(number, edit, moved))
            continue
        try:
            document = revise(document, [moved], reader=reader, by=by)
        except EditError as error:
            left.append(NotReplayed(number, edit, str(error).split(": ", 1)[-1]))
    if based_on_version is not None:
        document.revision.based_on_version = based_on_version
    document.revision.replayed_from = replayed_from
    document.revision.not_replayed = [Skipped(number=n.number, edit=dump_edits([n.edit])[0], reason=n.reason)
                                      for n in left]
    return document, left


def _translated(edit, document: SynthesisDocument):
    """The edit with its key point ids read on ``document``, or the reason it cannot be."""
    by_label = {kp.label_point: kp.id for kp in document.key_points}
    holder = {pid: kp.id for kp in document.key_points for pid in kp.point_ids}
    names: dict[str, str] = {}
    for old, anchor in edit.anchors.items():
        now = by_label.get(anchor) or holder.get(anchor)
        if now is None:
            return f"{old} (labelled by point {anchor}) is in no key point of the new run"
        names[old] = now

    def new(kp_id: str | None) -> str | None:
        if kp_id is None or kp_id == "new":
            return kp_id
        found = _KP.match(kp_id)
        if not found:
            return kp_id
        kind, old = found.groups()
        if old not in names:
            raise KeyError(old)
        return f"{kind}-{names[old]}" if kind else names[old]

    fields = {}
    try:
        for name in ("key_point", "against", "to", "item"):
            if getattr(edit, name, None) is not None:
                fields[name] = new(getattr(edit, name))
        for name in ("key_points", "order"):
            if getattr(edit, name, None) is not None:
                fields[name] = [new(i) for i in getattr(edit, name)]
    except KeyError as missing:
        return f"{missing.args[0]} was not anchored when the edit was made"
    return edit.model_copy(update={**fields, "anchors": {}})
