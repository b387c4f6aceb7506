"""``revise``: a rapporteur's edits applied, in order, to a synthesis document, every figure recomputed after each.

The document is the typed ``SynthesisDocument``; the edits are ``rapporteur.edits`` models. The result
records ``revision``: every edit (with what the engine wrote while applying it: the label point of each
key point it names, and the model's reading of a moved point), who made them, when, on which version,
and the machine's draft as it was before the first edit. A bad edit is refused with ``EditError`` naming
it and what is wrong; the document given is never changed (``revise`` works on a copy).

``reader``: reads points against a key point's label (``reader(label, texts) -> probabilities``: the
matcher, ``rapporteur.analysis.readings``). A point moved into a key point, or into a new one, is read
once against its label and the reading is kept with the edit, so a replay needs no model. Without a
reader the point's reading is left empty (``match: null``): the rapporteur's say-so, not a model's.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable, Sequence

from rapporteur.edits import Drop, Mark, Merge, Move, Note, Promote, Relabel, Reorder, Split, Dismiss
from rapporteur.report.data import divergence_id
from rapporteur.revision.recompute import recompute
from rapporteur.schema import KeyPoint, MachineDraft, MachineItem, Revision, SynthesisDocument

Reader = Callable[[str, Sequence[str]], Sequence[float]]


class EditError(ValueError):
    """An edit that cannot be applied: the message names the edit and what is wrong."""


class StaleEdit(EditError):
    """An edit made on a revision that is no longer the current one."""

    def __init__(self, message: str, current: int):
        super().__init__(message)
        self.current = current


def start_revision(document: SynthesisDocument, copy: bool = True) -> SynthesisDocument:
    """A copy of ``document`` ready for edits (``copy`` False: ``document`` itself, for a caller that owns
    it, e.g. one just read from storage): its ``revision`` holds the machine's draft."""
    if document.points is None:
        raise EditError("this synthesis was written before the desk (schema version 2: no 'points'): "
                        "synthesize it again to revise it")
    if document.kind != "synthesis":
        raise EditError("a stocktaking's key points are revised through its SWOT; only a synthesis takes edits")
    revised = document.model_copy(deep=True) if copy else document
    if revised.revision is None:
        revised.revision = Revision(edits=[], machine=MachineDraft(
            key_points=[MachineItem(id=k.id, label=k.label, point_ids=k.point_ids) for k in document.key_points],
            convergence=[c.key_point for c in document.convergence],
            divergence=[MachineItem(id=d.id or "", label=d.label, point_ids=d.point_ids) for d in document.divergence]))
    return revised


def revise(document: SynthesisDocument, edits: list, *, reader: Reader | None = None, by: str | None = None,
           at: str | None = None, based_on_version: int | None = None, seen: int | None = None,
           copy: bool = True) -> SynthesisDocument:
    """``document`` with ``edits`` applied after any it already carries.

    ``seen``: how many edits the editor saw when making these; when another edit has landed since,
    ``StaleEdit`` (nothing applied). ``copy`` False: ``document`` is edited in place (a caller that owns
    it; a refused edit then leaves it half-edited, so such a caller keeps what it stored)."""
    revised = start_revision(document, copy)
    current = len(revised.revision.edits)
    if seen is not None and seen != current:
        raise StaleEdit(f"this edit was made on revision {seen}; the draft is now at revision {current} "
                        f"(edited by {revised.revision.by or 'someone else'}): reload and make it again", current)
    for number, edit in enumerate(edits, current + 1):
        changed = Editor(revised, reader, number).apply(edit)
        revised.revision.edits.append(edit)
        recompute(revised, changed)
    revised.revision.by = by or revised.revision.by
    revised.revision.at = at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    if based_on_version is not None:
        revised.revision.based_on_version = based_on_version
    return revised


class Editor:
    """Applies one edit to a document being revised; returns the ids of the key points whose points changed."""

    def __init__(self, document: SynthesisDocument, reader: Reader | None, number: int):
        self.document, self.reader, self.number = document, reader, number
        self.revision = document.revision
        self.pool = {p.id: p for p in document.points}

    def apply(self, edit) -> set[str]:
        self.edit = edit
        handler = getattr(self, "_" + edit.do)
        return handler(edit)

    # ------------------------------------------------------------------------------------ lookups
    def fail(self, problem: str):
        raise EditError(f"edit {self.number} ({self.edit.do}): {problem}")

    def key_point(self, kp_id: str) -> KeyPoint:
        for kp in self.document.key_points:
            if kp.id == kp_id:
                self.edit.anchors.setdefault(kp.id, kp.label_point)
                return kp
        self.fail(f"there is no key point {kp_id!r}" + _among(k.id for k in self.document.key_points))

    def anchor(self, item: str) -> None:
        """Anchor the key point an item id names (KP3, opposed-KP3), when there is one (for ``replay``)."""
        kp_id = item.rsplit("-", 1)[-1]
        for kp in self.document.key_points:
            if kp.id == kp_id:
                self.edit.anchors.setdefault(kp.id, kp.label_point)

    def point(self, pid: str):
        if pid not in self.pool:
            self.fail(f"there is no analysed point {pid!r} in this synthesis")
        return self.pool[pid]

    def holder(self, pid: str) -> KeyPoint | None:
        return next((kp for kp in self.document.key_points if pid in kp.point_ids), None)

    def new_id(self) -> str:
        used = [k.id for k in self.document.key_points] + [k.id for k in self.revision.machine.key_points]
        numbers = [int(m.group(1)) for u in used if (m := re.fullmatch(r"KP(\d+)", u))]
        return f"KP{max(numbers, default=0) + 1}"

    def read(self, label: str, pids: list[str]) -> dict[str, float]:
        """The model's one reading of these points against a label (kept with the edit), or {} without a reader."""
        if self.reader is None or not pids:
            return {}
        texts = [self.pool[pid].text for pid in pids]
        return {pid: round(float(p), 4) for pid, p in zip(pids, self.reader(label, texts))}

    def take_out(self, pid: str) -> KeyPoint | None:
        """The point taken out of the key point that has it (refused when it is that key point's label)."""
        kp = self.holder(pid)
        if kp is None:
            return None
        if kp.label_point == pid and kp.label_source != "rapporteur":
            hint = "drop it" if len(kp.point_ids) == 1 else "relabel it from another of its points first"
            self.fail(f"point {pid} is the label of {kp.id}: {hint}")
        if len(kp.point_ids) == 1:
            self.fail(f"point {pid} is the only point of {kp.id}: drop {kp.id} instead")
        kp.point_ids = [p for p in kp.point_ids if p != pid]
        return kp

    def new_key_point(self, pid: str, members: list[str]) -> KeyPoint:
        """A key point labelled by the whole of point ``pid``, with ``members``."""
        point = self.pool[pid]
        kp = KeyPoint(id=self.new_id(), label=point.text, label_point=pid, label_start=point.start,
                      label_end=point.end, label_span=False, label_source=point, keywords=[], theme=point.theme,
                      theme_label=None, n_stakeholders=0, n_points=0, stakeholders=[], regions={}, types={},
                      point_ids=list(members), points=[], against={}, origin="added")
        if self.document.languages:
            kp.label_language = point.language
        self.document.key_points.append(kp)
        self.edit.anchors.setdefault(kp.id, pid)
        point.match = 1.0
        return kp

    def join(self, kp: KeyPoint, pids: list[str], read: dict[str, float]) -> None:
        kp.point_ids += [p for p in pids if p not in kp.point_ids]
        for pid in pids:
            self.pool[pid].match = read.get(pid)
            kp.against.pop(pid, None)

    # ------------------------------------------------------------------------------------ edits
    def _relabel(self, edit: Relabel) -> set[str]:
        kp = self.key_point(edit.key_point)
        machine_label = next((m.label for m in self.revision.machine.key_points if m.id == kp.id), None)
        if edit.text is not None:
            kp.label, kp.label_source, kp.label_span, kp.quality = edit.text.strip(), "rapporteur", False, None
            kp.machine_label = machine_label
            return set()
        if edit.point not in kp.point_ids:
            self.fail(f"point {edit.point!r} is not one of {kp.id}'s points: move it there first")
        point = self.point(edit.point)
        if edit.words is not None:
            start = point.text.find(edit.words)
            if start < 0 or not edit.words.strip():
                self.fail(f"the words {edit.words!r} are not in point {point.id}'s text (a label is verbatim)")
            end = start + len(edit.words)
        else:
            start, end = edit.start, edit.end
            if not 0 <= start < end <= len(point.text):
                self.fail(f"the label span {start}–{end} is outside point {point.id} (its text has "
                          f"{len(point.text)} characters; start and end count from its first)")
        kp.label, kp.label_point, kp.label_source, kp.quality = point.text[start:end], point.id, point, None
        kp.label_span = (start, end) != (0, len(point.text))
        exact = point.end - point.start == len(point.text)  # the source slice is the text shown: offsets map 1:1
        kp.label_start, kp.label_end = (point.start + start, point.start + end) if exact else (point.start, point.end)
        kp.machine_label = machine_label if kp.label != machine_label else None
        if self.document.languages:
            kp.label_language = point.language
        return set()

    def _merge(self, edit: Merge) -> set[str]:
        if len(set(edit.key_points)) < len(edit.key_points):
            self.fail(f"a key point cannot be merged with itself ({', '.join(edit.key_points)})")
        first, *others = [self.key_point(k) for k in edit.key_points]
        for other in others:
            first.point_ids += [p for p in other.point_ids if p not in first.point_ids]
            first.against = {**other.against, **first.against}
            self.document.key_points.remove(other)
            forget(self.document, other.id, into=first.id)
        return {first.id}

    def _split(self, edit: Split) -> set[str]:
        kp = self.key_point(edit.key_point)
        outside = [p for p in edit.points if p not in kp.point_ids]
        if outside:
            self.fail(f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not among {kp.id}'s points")
        if set(edit.points) >= set(kp.point_ids):
            self.fail(f"the split takes every point of {kp.id} and leaves it empty")
        if kp.label_point in edit.points and kp.label_source != "rapporteur":
            self.fail(f"point {kp.label_point} is {kp.id}'s label: it stays; split the others")
        moving = list(dict.fromkeys(edit.points))
        kp.point_ids = [p for p in kp.point_ids if p not in moving]
        new = self.new_key_point(moving[0], [])
        edit.read = edit.read or self.read(new.label, moving[1:])
        self.join(new, moving, edit.read)
        self.pool[moving[0]].match = 1.0
        return {kp.id, new.id}

    def _move(self, edit: Move) -> set[str]:
        self.point(edit.point)
        target = None if edit.to in (None, "new") else self.key_point(edit.to)
        source = self.holder(edit.point)
        if target is not None and source is target:
            self.fail(f"point {edit.point} is already in {target.id}")
        if edit.to is None and source is None:
            self.fail(f"point {edit.point} is in no key point")
        self.take_out(edit.point)
        changed = {source.id} if source else set()
        if edit.to == "new":
            return changed | {self.new_key_point(edit.point, [edit.point]).id}
        if target is None:
            self.pool[edit.point].match = None
            return changed
        edit.read = edit.read or self.read(target.label, [edit.point])
        self.join(target, [edit.point], edit.read)
        return changed | {target.id}

    def _drop(self, edit: Drop) -> set[str]:
        kp = self.key_point(edit.key_point)
        self.document.key_points.remove(kp)
        forget(self.document, kp.id)
        return set()

    def _promote(self, edit: Promote) -> set[str]:
        if edit.point is not None:
            self.point(edit.point)
            source = self.take_out(edit.point)
            new = self.new_key_point(edit.point, [edit.point])
            return {new.id} | ({source.id} if source else set())
        kp = self.key_point(edit.key_point)
        if any(c.key_point == kp.id for c in self.document.convergence):
            self.fail(f"{kp.id} is already an area of convergence")
        self.revision.promoted.append(kp.id)
        if kp.id in self.revision.dismissed:
            self.revision.dismissed.remove(kp.id)
        return set()

    def _mark(self, edit: Mark) -> set[str]:
        if edit.key_point is not None:
            self.key_point(edit.key_point)
        if edit.against is not None:
            if edit.against == edit.key_point:
                self.fail(f"{edit.key_point} cannot be opposed to itself")
            self.key_point(edit.against)
        for pid in edit.points:
            self.point(pid)
        item = _mark_id(edit)
        if item in self.revision.dismissed:  # an item dismissed before: listed again, as marked now
            self.revision.dismissed.remove(item)
        if any(_mark_id(m) == item for m in self.revision.marks):
            self.fail(f"{item} is already marked")
        self.revision.marks.append(edit.model_copy(update={"anchors": {}}))
        return set()

    def _dismiss(self, edit: Dismiss) -> set[str]:
        divergence = {d.id: d for d in self.document.divergence}
        areas = {c.key_point for c in self.document.convergence}
        if edit.item not in divergence and edit.item not in areas:
            self.fail(f"there is no divergence or area of convergence {edit.item!r}"
                      + _among([*divergence, *sorted(areas)]))
        self.anchor(edit.item)
        if edit.item in self.revision.promoted:
            self.revision.promoted.remove(edit.item)
            return set()
        marked = [m for m in self.revision.marks if _mark_id(m) == edit.item]
        if marked:
            self.revision.marks.remove(marked[0])
            return set()
        self.revision.dismissed.append(edit.item)
        return set()

    def _reorder(self, edit: Reorder) -> set[str]:
        present = ([k.id for k in self.document.key_points] if edit.list == "key_points" else
                   [c.key_point for c in self.document.convergence] if edit.list == "convergence" else
                   [d.id for d in self.document.divergence])
        unknown = [i for i in edit.order if i not in present]
        if unknown:
            self.fail(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in {edit.list}" + _among(present))
        for item in edit.order:
            self.anchor(item)
        self.revision.order[edit.list] = list(dict.fromkeys(edit.order))
        return set()

    def _note(self, edit: Note) -> set[str]:
        items = {k.id for k in self.document.key_points} | {d.id for d in self.document.divergence}
        if edit.item not in items:
            self.fail(f"there is no key point or divergence {edit.item!r}")
        self.anchor(edit.item)
        if edit.text.strip():
            self.revision.notes[edit.item] = edit.text.strip()
        else:
            self.revision.notes.pop(edit.item, None)
        return set()


def _mark_id(mark: Mark) -> str:
    return divergence_id(mark.kind, mark.key_point, mark.expected)


def forget(document: SynthesisDocument, kp_id: str, into: str | None = None) -> None:
    """A key point gone (dropped, or merged ``into`` another): what the revision and the readings say of it
    is said of the one it went into, or dropped."""
    revision = document.revision

    def rename(item: str) -> str | None:
        if item == kp_id or item.endswith("-" + kp_id):
            return None if into is None else item[: len(item) - len(kp_id)] + into
        return item

    revision.promoted = list(dict.fromkeys(r for r in map(rename, revision.promoted) if r))
    revision.dismissed = list(dict.fromkeys(r for r in map(rename, revision.dismissed) if r))
    revision.order = {name: list(dict.fromkeys(r for r in map(rename, ids) if r)) for name, ids in revision.order.items()}
    revision.notes = {new: text for item, text in revision.notes.items() if (new := rename(item))}
    marks = []
    for mark in revision.marks:
        names = [mark.key_point, mark.against]
        if kp_id in names and into is None:
            continue
        mark = mark.model_copy(update={k: into for k, v in (("key_point", mark.key_point), ("against", mark.against))
                                       if v == kp_id})
        if mark.key_point is None or mark.key_point != mark.against:
            marks.append(mark)
    revision.marks = marks
    pairs = [(into if a == kp_id else a, into if b == kp_id else b) for a, b in document.rivals or []]
    document.rivals = sorted({(a, b) for a, b in pairs if a and b and a != b})


def _among(ids) -> str:
    ids = list(ids)
    return f" (there are: {', '.join(ids[:12])}{', …' if len(ids) > 12 else ''})" if ids else ""


def matcher_reader(document: SynthesisDocument) -> Reader:
    """The matcher's reading of points against a label, as the synthesis read them: the shipped matcher, or
    embedding similarity when it ran without the learned models (``analysis.readings.readings_of``)."""
    from rapporteur.analysis.readings import readings_of
    from rapporteur.embed import MiniLMEmbedder

    readings = readings_of(document.model_dump(include={"settings"}), MiniLMEmbedder())
    return lambda label, texts: readings.matches([label] * len(texts), list(texts))
