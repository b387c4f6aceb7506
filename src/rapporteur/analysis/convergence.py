"""Areas of convergence and divergence, from text alone.

The rules (thresholds in ``AgreementRules``; the README repeats them):

Convergence — a key point is an area of convergence when
  (C1) it is raised by at least ``min_stakeholders`` distinct stakeholders, and by at least
       ``min_share`` of all stakeholders in the analysis;
  (C2) those stakeholders come from at least ``min_regions`` M49 regions (or all regions present,
       if fewer are present);
  (C3) they are of at least two stakeholder types, when the consultation is mixed: when the types
       other than the most frequent one make up at least ``mixed_share`` of all stakeholders
       (a General Debate of 190 States and an observer is not mixed; a hearing is);
  (C4) no stakeholder's point on it (member, or a rejection attached to it, see below) opposes
       it or voices reservations about it.

Divergence — a key point is an area of divergence when stakeholders take opposite positions on it:
  (D1) "opposed": at least one stakeholder rejects it (stance ``oppose``) and at least one other
       endorses it (stance ``support``) or raises it without opposition; or
  (D2) "disputed": at least one stakeholder marks it as unclear or disputed (stance
       ``reservation``) and at least one other raises it without reservation.
  Dissent is brought to the matter it is about, in two ways: a rejecting or reserved point that
  stands alone is attached to the key point whose centroid is most similar, when that similarity
  reaches ``attach_similarity``; and a key point where most stakeholders dissent (the rejections
  found each other) is linked to the most similar other key point when their centroids reach
  ``link_similarity``, bringing its dissenting points along. This is how "we will not participate
  in the compact" meets "we welcome the compact". A divergence whose dissenting points all appear
  in an item on a larger key point is not listed twice, and a key point whose label is itself a
  rejection or reservation ("The United States will not participate in the compact") is no item
  of its own: neither side of it would be a position on a matter.
  Each side lists its quotes and the regions and stakeholder types it comes from, which shows
  when a matter is raised by some groups and rejected by others.
  With the learned models (the synthesis passes them), the matcher decides where dissent goes:
  every rejecting or reserved point, clustered or not, is attached to each other key point whose
  centroid is within ``attach_similarity`` of it and on whose matter the matcher puts it
  (probability >= 0.5). A cue-found rejection then counts against a key point only if the stance
  model (``side_check``) also reads it as arguing against the label (probability "for" below
  0.5): a sentence can reject something ("we reject the criminalization of migrants") while
  arguing for the key point it sits on. Points the stance model alone reads as against a key point
  (``KeyPoint.against``, off by default, see ``analysis.membership``) are on the "against" side
  too. The probability is kept with each dissenting quote.

Limits, stated in every report: a rejection is found by lexical cues (then confirmed by the stance
model when there is one), so rejection phrased without the cues is missed, and irony and
conditional support are not understood; a key point is a
cluster of similar sentences, so one stakeholder's repeated sentences count once as a stakeholder
but several times as points.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from rapporteur.analysis.keypoints import KeyPoint
from rapporteur.analysis.stance import Stance
from rapporteur.model import Point, Stakeholder


@dataclass(frozen=True)
class AgreementRules:
    min_stakeholders: int = 3
    min_share: float = 0.05
    min_regions: int = 3
    mixed_share: float = 0.20
    attach_similarity: float = 0.55
    link_similarity: float = 0.70
    max_quotes: int = 6


@dataclass
class Side:
    position: str  # "for", "against", "reservations"
    point_ids: list[str]  # the quotes shown: one per stakeholder first, spread over regions
    all_point_ids: list[str]  # every point on this side
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    # point id -> probability that it argues for the key point, as read by the stance model
    stance_probability: dict[str, float] = field(default_factory=dict)


# (key point labels, statements) -> a probability per pair: that statements[i] argues for labels[i]
# (side_check, the stance model), or that it is on the matter of labels[i] (on_matter, the matcher)
SideCheck = Callable[[Sequence[str], Sequence[str]], np.ndarray]


@dataclass
class Convergence:
    key_point: str
    label: str
    point_ids: list[str]  # the quotes shown: spread over regions first
    n_stakeholders: int
    regions: dict[str, int]
    types: dict[str, int]
    rule: str


@dataclass
class Divergence:
    key_point: str
    label: str
    kind: str  # "opposed" or "disputed"
    sides: list[Side] = field(default_factory=list)
    rule: str = ""


def find_agreement(
    key_points: list[KeyPoint],
    points: dict[str, Point],
    vectors: dict[str, np.ndarray],
    stances: dict[str, Stance],
    speaker_of_point: dict[str, Stakeholder],
    unclustered: list[str],
    rules: AgreementRules = AgreementRules(),
    side_check: SideCheck | None = None,
    on_matter: SideCheck | None = None,
) -> tuple[list[Convergence], list[Divergence]]:
    all_speakers = {s.name: s for s in speaker_of_point.values()}
    regions_present = {s.region for s in all_speakers.values() if s.region}
    type_counts = Counter(s.type for s in all_speakers.values())
    mixed = bool(all_speakers) and (
        1 - max(type_counts.values()) / len(all_speakers) >= rules.mixed_share
    )
    needed_regions = min(rules.min_regions, len(regions_present)) or 1
    needed_share = math.ceil(rules.min_share * len(all_speakers))
    needed_stakeholders = max(rules.min_stakeholders, needed_share)
    attached = _attach_dissent(key_points, points, vectors, stances, speaker_of_point, unclustered, rules, on_matter)
    sizes = {kp.id: kp.n_stakeholders for kp in key_points}
    read_for = _read_rejections(key_points, attached, points, stances, side_check)

    convergence, divergence = [], []
    for kp in key_points:
        ids = kp.point_ids + attached.get(kp.id, [])
        ids += [pid for pid in kp.against if pid not in set(ids)]
        by_stance: dict[Stance, list[str]] = {s: [] for s in Stance}
        for pid in ids:
            stance = stances[pid]
            if pid in kp.against:
                stance = Stance.OPPOSE  # on this matter, and read as arguing against it
                read_for[(kp.id, pid)] = kp.against[pid]
            elif stance is Stance.OPPOSE and read_for.get((kp.id, pid), 0.0) >= 0.5:
                stance = Stance.NEUTRAL  # rejects something, but argues for this key point
            by_stance[stance].append(pid)
        if stances[kp.label_point] in (Stance.OPPOSE, Stance.RESERVATION):
            continue  # the matter is itself a rejection: its dissent is brought to what it rejects
        against = _speakers(by_stance[Stance.OPPOSE], speaker_of_point)
        reserved = _speakers(by_stance[Stance.RESERVATION], speaker_of_point) - against
        others = [pid for pid in ids if speaker_of_point[pid].name not in against | reserved]
        if against and others:
            divergence.append(_divergence(kp, "opposed", [
                _side("for", _prefer(others, by_stance[Stance.SUPPORT]), speaker_of_point, rules),
                _side("against", by_stance[Stance.OPPOSE], speaker_of_point, rules,
                      {p: read_for[(kp.id, p)] for p in by_stance[Stance.OPPOSE] if (kp.id, p) in read_for}),
            ], "D1" + (" (sides read by the stance model)" if side_check is not None or kp.against else "")))
            continue
        if reserved and others:
            reserved_ids = [p for p in by_stance[Stance.RESERVATION] if speaker_of_point[p].name in reserved]
            divergence.append(_divergence(kp, "disputed", [
                _side("for", _prefer(others, by_stance[Stance.SUPPORT]), speaker_of_point, rules),
                _side("reservations", reserved_ids, speaker_of_point, rules),
            ], "D2"))
            continue
        speakers = [all_speakers[name] for name in kp.stakeholders]
        n_regions = len({s.region for s in speakers if s.region})
        n_types = len({s.type for s in speakers})
        if (
            kp.n_stakeholders >= needed_stakeholders
            and n_regions >= needed_regions
            and (n_types >= 2 or not mixed)
            and not against and not reserved
        ):
            convergence.append(Convergence(
                key_point=kp.id,
                label=kp.label,
                point_ids=_spread_quotes(kp.point_ids, speaker_of_point, rules.max_quotes),
                n_stakeholders=kp.n_stakeholders,
                regions=kp.regions,
                types=kp.types,
                rule=(f"C1–C4: {kp.n_stakeholders} stakeholders (≥ {needed_stakeholders}), "
                      f"{n_regions} regions (≥ {needed_regions}), {n_types} type(s), no opposition"),
            ))
    return convergence, _without_repeats(divergence, sizes)


def _read_rejections(key_points, attached, points, stances, side_check) -> dict[tuple[str, str], float]:
    """(key point id, point id) -> probability "for", for every rejecting point on a key point."""
    if side_check is None:
        return {}
    pairs = [(kp, pid) for kp in key_points for pid in kp.point_ids + attached.get(kp.id, [])
             if stances[pid] is Stance.OPPOSE]
    if not pairs:
        return {}
    p = side_check([kp.label for kp, _ in pairs], [points[pid].text for _, pid in pairs])
    return {(kp.id, pid): round(float(v), 4) for (kp, pid), v in zip(pairs, p)}


def _attach_dissent(key_points, points, vectors, stances, speaker_of_point, unclustered, rules,
                    on_matter=None) -> dict[str, list[str]]:
    """Bring rejecting/reserved points to the key point they are about (see the module rules)."""
    if not key_points:
        return {}
    centroids = np.vstack([kp.centroid for kp in key_points])
    dissenting = (Stance.OPPOSE, Stance.RESERVATION)
    attached: dict[str, list[str]] = {}
    if on_matter is None:
        for pid in unclustered:
            if stances[pid] in dissenting:
                similarity = centroids @ vectors[pid]
                best = int(similarity.argmax())
                if similarity[best] >= rules.attach_similarity:
                    attached.setdefault(key_points[best].id, []).append(pid)
    else:  # the matcher decides: every dissenting point, to each near key point it is on the matter of
        home = {pid: kp.id for kp in key_points for pid in kp.point_ids}
        pairs = []
        for pid in sorted(set(unclustered) | set(home)):
            if stances[pid] not in dissenting:
                continue
            similarity = centroids @ vectors[pid]
            pairs += [(j, pid) for j in np.flatnonzero(similarity >= rules.attach_similarity)
                      if key_points[j].id != home.get(pid)]
        if pairs:
            p = on_matter([key_points[j].label for j, _ in pairs], [points[pid].text for _, pid in pairs])
            for (j, pid), value in zip(pairs, p):
                if value >= 0.5:
                    attached.setdefault(key_points[j].id, []).append(pid)
    for i, kp in enumerate(key_points):
        dissent = [pid for pid in kp.point_ids if stances[pid] in dissenting]
        if len(_speakers(dissent, speaker_of_point)) * 2 <= kp.n_stakeholders:
            continue
        similarity = centroids @ kp.centroid
        similarity[i] = -1.0
        best = int(similarity.argmax())
        if similarity[best] >= rules.link_similarity:  # with what was attached to it above
            attached.setdefault(key_points[best].id, []).extend(dissent + attached.get(kp.id, []))
    return attached


def _dissent(item: Divergence) -> set[str]:
    return {pid for side in item.sides if side.position != "for" for pid in side.all_point_ids}


def _without_repeats(items: list[Divergence], sizes: dict[str, int]) -> list[Divergence]:
    """Drop an item whose dissenting quotes all stand in an item on a larger key point."""
    kept = []
    for item in items:
        covered = any(
            other is not item and sizes[other.key_point] > sizes[item.key_point] and _dissent(item) <= _dissent(other)
            for other in items
        )
        if not covered:
            kept.append(item)
    return kept


def _speakers(point_ids, speaker_of_point) -> set[str]:
    return {speaker_of_point[p].name for p in point_ids}


def _prefer(ids: list[str], preferred: list[str]) -> list[str]:
    """Explicit endorsements first, then the other points."""
    first = [p for p in ids if p in set(preferred)]
    return first + [p for p in ids if p not in set(preferred)]


def _side(position, point_ids, speaker_of_point, rules, stance_probability=None) -> Side:
    speakers = {speaker_of_point[p].name: speaker_of_point[p] for p in point_ids}
    return Side(
        position=position,
        point_ids=_spread_quotes(point_ids, speaker_of_point, rules.max_quotes),
        all_point_ids=list(point_ids),
        stakeholders=sorted(speakers),
        regions=dict(sorted(Counter(s.region or "unknown" for s in speakers.values()).items())),
        types=dict(sorted(Counter(s.type.value for s in speakers.values()).items())),
        stance_probability=stance_probability or {},
    )


def _divergence(kp: KeyPoint, kind: str, sides: list[Side], rule: str) -> Divergence:
    return Divergence(key_point=kp.id, label=kp.label, kind=kind, sides=sides, rule=rule)


def _spread_quotes(point_ids: list[str], speaker_of_point, limit: int) -> list[str]:
    """Pick quotes round-robin over regions, one per stakeholder first, in input order."""
    by_region: dict[str, list[str]] = {}
    seen_speakers: set[str] = set()
    for pid in point_ids:
        speaker = speaker_of_point[pid]
        if speaker.name in seen_speakers:
            continue
        seen_speakers.add(speaker.name)
        by_region.setdefault(speaker.region or "unknown", []).append(pid)
    chosen: list[str] = []
    queues = [by_region[r] for r in sorted(by_region)]
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    for pid in point_ids:  # fill up with further points if few stakeholders
        if len(chosen) >= limit:
            break
        if pid not in chosen:
            chosen.append(pid)
    return chosen
