"""The edits a rapporteur needs to take the machine's draft to a gold synthesis: how far the draft is
from what would be signed, counted in the desk's own edits (``rapporteur.revision``).

An editor that knows the gold (``fidelity.session.Gold``) works as a rapporteur would, in this order:

1. each gold key point (an area of convergence, or one side of a divergence) keeps the machine key point
   that shares most points with it (one each, the largest overlaps first); the other machine key points
   are dropped as "not a claim" of the gold;
2. a kept key point whose label is not the gold claim is relabelled: with the claim's words where a
   point of it says them verbatim, else in the rapporteur's own words (the gold claim);
3. a gold key point with no machine key point is made by promoting its first point, then relabelled;
4. each gold point is moved into its key point; each point the gold places in no key point, or in
   another, is moved out;
5. areas of convergence and divergences: a gold area the rules do not list is promoted, one the rules
   list that the gold does not is dismissed; each gold divergence is marked (for against against),
   and a divergence the machine drew that the gold does not have is dismissed.

Each edit is applied as it is made (``revision.apply``), so the counts are of edits that the engine
accepted; an edit it refuses is counted as refused, with the reason.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapporteur.revision.apply import EditError, revise, start_revision
from rapporteur.edits import parse_edits
from rapporteur.schema import SynthesisDocument


@dataclass
class Correction:
    document: SynthesisDocument  # the signed synthesis
    edits: list  # as applied
    refused: list[tuple[dict, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(edit.do for edit in self.edits))


def correct(draft: SynthesisDocument, truth: dict[str, set[str]], claims: dict[str, str],
            convergence: list[str], divergence: list[str], unaddressed: list[str]) -> Correction:
    """The edits from ``draft`` to the gold: ``truth`` gold key -> its point ids ("G1", "D1.for", …),
    ``claims`` gold key -> its claim, ``convergence`` the gold areas, ``divergence`` the gold
    divergences ("D1": "D1.for" against "D1.against"), ``unaddressed`` the expected item ids (ts3.4)."""
    work = Correction(start_revision(draft), [])

    def do(**edit) -> bool:
        try:
            work.document = revise(work.document, parse_edits([edit]))
        except EditError as error:
            work.refused.append((edit, str(error)))
            return False
        work.edits.append(work.document.revision.edits[-1])
        return True

    kept = _pair(work.document, truth)
    for kp in list(work.document.key_points):
        if kp.id not in kept.values():
            do(do="drop", key_point=kp.id)
    for key, kp_id in kept.items():
        _relabel(do, work.document, kp_id, claims[key], truth[key])
    for key in truth:
        if key in kept:
            continue
        first = sorted(truth[key])[0]
        if do(do="promote", point=first):
            kept[key] = _newest(work.document)
            _relabel(do, work.document, kept[key], claims[key], truth[key])
    for key, kp_id in kept.items():
        for pid in sorted(truth[key]):
            holder = _holder(work.document, pid)
            if holder != kp_id:
                do(do="move", point=pid, to=kp_id)
    wanted = {pid: kept[key] for key in kept for pid in truth[key]}
    for kp in list(work.document.key_points):
        for pid in list(kp.point_ids):
            if wanted.get(pid) != kp.id and (pid != kp.label_point or kp.label_source == "rapporteur"):
                do(do="move", point=pid, to=None)
    listed = {c.key_point for c in work.document.convergence}
    gold_areas = {kept[k] for k in convergence if k in kept}
    for kp_id in sorted(listed - gold_areas):
        do(do="dismiss", item=kp_id)
    for kp_id in [kept[k] for k in convergence if k in kept]:
        if kp_id not in listed:
            do(do="promote", key_point=kp_id)
    marked = set()
    for d in divergence:
        a, b = kept.get(f"{d}.for"), kept.get(f"{d}.against")
        if a and b and do(do="mark", kind="opposed", key_point=a, against=b):
            marked.add(f"opposed-{a}")
    expected = {u.replace(".", "-") for u in unaddressed}
    for item in list(work.document.divergence):
        gold_gap = item.kind == "unaddressed" and item.id.removeprefix("unaddressed-") in expected
        if item.id not in marked and not gold_gap:
            do(do="dismiss", item=item.id)
    return work


def _pair(document: SynthesisDocument, truth: dict[str, set[str]]) -> dict[str, str]:
    """Gold key -> machine key point id: the largest overlaps first, one machine key point per gold one."""
    overlaps = sorted(((len(points & set(kp.point_ids)), key, kp.id) for key, points in truth.items()
                       for kp in document.key_points), key=lambda t: (-t[0], t[1], t[2]))
    kept: dict[str, str] = {}
    for overlap, key, kp_id in overlaps:
        if overlap and key not in kept and kp_id not in kept.values():
            kept[key] = kp_id
    return kept


def _relabel(do, document: SynthesisDocument, kp_id: str, claim: str, points: set[str]) -> None:
    kp = next(k for k in document.key_points if k.id == kp_id)
    words = claim.rstrip(".")
    if kp.label.rstrip(".") == words:
        return
    pool = {p.id: p for p in document.points}
    saying = [pid for pid in sorted(points) if pid in kp.point_ids and words in pool[pid].text]
    if saying:
        do(do="relabel", key_point=kp_id, point=saying[0], words=words)
    else:
        do(do="relabel", key_point=kp_id, text=claim)


def _newest(document: SynthesisDocument) -> str | None:
    added = [k for k in document.key_points if k.origin == "added"]
    return max(added, key=lambda k: int(k.id[2:])).id if added else None


def _holder(document: SynthesisDocument, pid: str) -> str | None:
    return next((kp.id for kp in document.key_points if pid in kp.point_ids), None)
