"""Areas of convergence and divergence, from text alone, in the kinds a rapporteur names.

The rules (thresholds in ``AgreementRules``; the README repeats them). A key point's members all
argue for its claim (``analysis.keypoints``); its *against* points make its matter but argue the
other way (read by the stance model, or by lexical rejection cues without it).

Convergence — a key point is an area of convergence when
  (C1) it is raised by at least ``min_stakeholders`` distinct stakeholders, and by at least
       ``min_share`` of all stakeholders in the analysis;
  (C2) those stakeholders come from at least ``min_regions`` M49 regions (or all regions present,
       if fewer are present);
  (C3) they are of at least two stakeholder types, when the consultation is mixed: when the types
       other than the most frequent one make up at least ``mixed_share`` of all stakeholders
       (a General Debate of 190 States and an observer is not mixed; a hearing is);
  (C4) no stakeholder argues against it, and none marks it as unclear, disputed or conditional.

Divergence — three kinds, each with the rule that produced it:
  (D1) *opposing positions*: stakeholders argue against a key point that others make: their
       points make its matter, the stance model reads them against it, and either they voice a
       rejection (lexical cue) or they make a *rival* key point, one whose claim the models read as
       the opposite on the same matter (``read_rivals``). When at least ``opposing_share`` of those
       against it make one rival key point, the item names that rival's claim as the opposing position
       ("two key points that claim opposite things on one matter"). A stakeholder with points on both sides is counted
       against. An item is listed once per pair of opposed key points (under the larger).
  (D2) *disputed or unclear*: a key point's members or points against it from at least one
       stakeholder carry a reservation cue (``analysis.stance``: "remains unclear", "no consensus",
       "only if", "provided that", …) while others raise it without one.
  (D3) *expected but unaddressed*: an item the session's taxonomy expects (``analysis.gaps``) that
       fewer than ``unaddressed_share`` of the stakeholders (and at most ``unaddressed_max``) spoke
       to, with the counts.
  A divergence whose dissenting points all appear in an item on a larger key point is not listed
  twice. Each side lists its quotes and the regions and stakeholder types it comes from.

Limits, stated in every report: the matcher reads whether a point makes a claim, the stance model
on which side; both were trained on debate arguments (ArgKP-2021), not diplomatic statements.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from rapporteur.analysis.keypoints import KeyPoint, smallest_key_point, spread_of
from rapporteur.analysis.stance import Stance
from rapporteur.model import Stakeholder


@dataclass(frozen=True)
class AgreementRules:
    min_stakeholders: int = 3
    min_share: float = 0.05
    min_regions: int = 3
    mixed_share: float = 0.20
    # D1: the other key point is named as the opposing position when at least this share of the
    # stakeholders against a key point make it
    opposing_share: float = 0.5
    # D1: two key points are rivals when the stance model reads one's label against the other's
    # below this probability "for" (``read_rivals``)
    rival_below: float = 0.2
    # D3: an expected item is unaddressed when fewer than this share of the stakeholders spoke to
    # it, and at most ``unaddressed_max`` of them
    unaddressed_share: float = 0.05
    unaddressed_max: int = 2
    max_quotes: int = 6


@dataclass
class Side:
    position: str  # "for", "against", "reservations", or "spoke to it" (an unaddressed item)
    point_ids: list[str]  # the quotes shown: one per stakeholder first, spread over regions
    all_point_ids: list[str]  # every point on this side
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    # point id -> probability that it argues for the key point, as read by the stance model
    stance_probability: dict[str, float] = field(default_factory=dict)
    key_point: str | None = None  # the key point this side's claim is, when it is one
    label: str | None = None  # that key point's claim


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
    key_point: str | None  # None for an unaddressed item
    label: str
    kind: str  # "opposed", "disputed" or "unaddressed"
    sides: list[Side] = field(default_factory=list)
    rule: str = ""
    # "unaddressed": the expected item, how many stakeholders spoke to it, of how many
    expected: str | None = None
    addressed_by: int | None = None
    of_stakeholders: int | None = None
    point_ids: list[str] = field(default_factory=list)  # every supporting point (all sides)


def read_rivals(key_points: list[KeyPoint], readings, match_threshold: float = 0.5,
                side_threshold: float = 0.2) -> set[tuple[str, str]]:
    """Pairs of key points (both orders) that claim opposite things on one matter: most of each
    one's members that the other was read against stand against it, both ways round, and the
    labels themselves read so (the matcher puts them on one
    matter both ways round, and the stance model reads one against the other with a probability
    "for" below ``side_threshold``, ``AgreementRules.rival_below``: stricter than for a member,
    because a false rivalry names an opposition nobody voiced)."""
    member_of = {pid: kp for kp in key_points for pid in kp.point_ids}
    by_id = {kp.id: kp for kp in key_points}

    def against_share(a: KeyPoint, b: KeyPoint) -> float:
        """Of b's members that a was read against or for, the share read against it."""
        read_against = sum(1 for p in b.point_ids if p in a.against)
        read_for = sum(1 for p in b.point_ids if p in a.joined)
        return read_against / (read_against + read_for) if read_against + read_for else 0.0

    pairs = sorted({(kp.id, member_of[p].id) for kp in key_points for p in kp.against
                    if p in member_of and member_of[p].id != kp.id})
    # both ways round, most of the other's members stand against it (paraphrases share members)
    pairs = [(x, y) for x, y in pairs if against_share(by_id[x], by_id[y]) > 0.5 and against_share(by_id[y], by_id[x]) > 0.5]
    if not pairs:
        return set()
    label = {kp.id: kp.label for kp in key_points}
    a, b = [label[x] for x, _ in pairs], [label[y] for _, y in pairs]
    on_matter = np.minimum(readings.matches(a, b), readings.matches(b, a))
    sides = readings.sides(a, b)
    rivals = {pair for pair, m, side in zip(pairs, on_matter, sides) if m >= match_threshold and side < side_threshold}
    return rivals | {(y, x) for x, y in rivals}


def find_agreement(
    key_points: list[KeyPoint],
    stances: dict[str, Stance],
    speaker_of_point: dict[str, Stakeholder],
    rules: AgreementRules = AgreementRules(),
    rivals: set[tuple[str, str]] = frozenset(),
) -> tuple[list[Convergence], list[Divergence]]:
    """Convergence (C1–C4) and the divergences of kinds D1 and D2 (D3: ``analysis.gaps``).

    A point read against a key point counts against it when it voices a rejection (a lexical cue,
    ``analysis.stance``) or belongs to a rival key point (``read_rivals``); a lone reading of the
    stance model is not enough (on statements that are not debate arguments it reads "against" far
    too often)."""
    needs = Needs.of(speaker_of_point, rules)
    member_of = {pid: kp for kp in key_points for pid in kp.point_ids}
    sizes = {kp.id: kp.n_stakeholders for kp in key_points}

    convergence, divergence = [], []
    for kp in key_points:
        against_ids = [p for p in kp.against if stances[p] is Stance.OPPOSE
                       or (p in member_of and (kp.id, member_of[p].id) in rivals)]
        against = _speakers(against_ids, speaker_of_point)
        # a reservation cue is its own evidence: a conditional point the stance model reads against
        # the claim ("effective only if the root causes … are met") still marks the matter disputed
        reserved_ids = [p for p in kp.point_ids + [q for q in kp.against if q not in against_ids]
                        if stances[p] is Stance.RESERVATION and speaker_of_point[p].name not in against]
        reserved = _speakers(reserved_ids, speaker_of_point)
        others = [p for p in kp.point_ids if speaker_of_point[p].name not in against | reserved]
        if against and others:
            rival = _opposing_key_point(against_ids, member_of, speaker_of_point, kp, rules, rivals)
            against_side = side_of("against", against_ids, speaker_of_point, rules,
                                 {p: kp.against[p] for p in against_ids})
            rule = ("D1: " + f"{len(against)} stakeholder(s) argue against it (stance model reading < 0.5; "
                    "a rejection cue, or the claim of a rival key point)")
            if rival is not None:
                against_side.key_point, against_side.label = rival.id, rival.label
                rule += f"; {len(_speakers(rival.point_ids, speaker_of_point) & against)} of them make {rival.id}"
            divergence.append(Divergence(
                key_point=kp.id, label=kp.label, kind="opposed", rule=rule,
                sides=[side_of("for", prefer_support(others, stances), speaker_of_point, rules,
                             key_point=kp.id, label=kp.label), against_side]))
            continue
        if reserved and others:
            divergence.append(Divergence(
                key_point=kp.id, label=kp.label, kind="disputed",
                rule=f"D2: {len(reserved)} stakeholder(s) mark it as unclear, disputed or conditional",
                sides=[side_of("for", prefer_support(others, stances), speaker_of_point, rules, key_point=kp.id, label=kp.label),
                       side_of("reservations", reserved_ids, speaker_of_point, rules)]))
            continue
        if needs.met(kp) and not against and not reserved:
            convergence.append(area_of_convergence(kp, speaker_of_point, needs, rules))
    for item in divergence:
        item.point_ids = [pid for side in item.sides for pid in side.all_point_ids]
    return convergence, _once(divergence, sizes)


@dataclass(frozen=True)
class Needs:
    """What C1–C3 ask of a key point in one analysis: its stakeholders, regions and types."""

    speakers: dict[str, Stakeholder]
    stakeholders: int
    regions: int
    mixed: bool

    @classmethod
    def of(cls, speaker_of_point: dict[str, Stakeholder], rules: AgreementRules) -> "Needs":
        speakers = {s.name: s for s in speaker_of_point.values()}
        regions_present = {s.region for s in speakers.values() if s.region}
        type_counts = Counter(s.type for s in speakers.values())
        mixed = bool(speakers) and (1 - max(type_counts.values()) / len(speakers) >= rules.mixed_share)
        return cls(speakers, smallest_key_point(len(speakers), rules), min(rules.min_regions, len(regions_present)) or 1,
                   mixed)

    def spread(self, kp: KeyPoint) -> tuple[int, int]:
        """The key point's regions and stakeholder types."""
        speakers = [self.speakers[name] for name in kp.stakeholders]
        return len({s.region for s in speakers if s.region}), len({s.type for s in speakers})

    def met(self, kp: KeyPoint) -> bool:
        """C1–C3 (C4, nobody against, is read by ``find_agreement``)."""
        n_regions, n_types = self.spread(kp)
        return kp.n_stakeholders >= self.stakeholders and n_regions >= self.regions and (n_types >= 2 or not self.mixed)

    def rule(self, kp: KeyPoint) -> str:
        n_regions, n_types = self.spread(kp)
        return (f"C1–C4: {kp.n_stakeholders} stakeholders (≥ {self.stakeholders}), "
                f"{n_regions} regions (≥ {self.regions}), {n_types} type(s), none against")


def area_of_convergence(kp: KeyPoint, speaker_of_point, needs: Needs, rules: AgreementRules) -> Convergence:
    """The area of convergence a key point makes, with its figures and the rule's reading of them."""
    return Convergence(key_point=kp.id, label=kp.label,
                       point_ids=_spread_quotes(kp.point_ids, speaker_of_point, rules.max_quotes),
                       n_stakeholders=kp.n_stakeholders, regions=kp.regions, types=kp.types, rule=needs.rule(kp))


def _opposing_key_point(against_ids, member_of, speaker_of_point, kp: KeyPoint, rules: AgreementRules, rival_pairs):
    """The rival key point (``read_rivals``) most of those against ``kp`` make, if at least
    ``opposing_share`` of them do: another key point they happen to make is no opposing claim."""
    against = _speakers(against_ids, speaker_of_point)
    rivals = {member_of[p].id: member_of[p] for p in against_ids
              if p in member_of and (kp.id, member_of[p].id) in rival_pairs}
    best = None
    for rival_id in sorted(rivals):
        share = len(_speakers(rivals[rival_id].point_ids, speaker_of_point) & against) / len(against)
        if share >= rules.opposing_share and (best is None or share > best[0]):
            best = (share, rivals[rival_id])
    return best[1] if best else None


def _dissent(item: Divergence) -> set[str]:
    return {pid for side in item.sides if side.position != "for" for pid in side.all_point_ids}


def _once(items: list[Divergence], sizes: dict[str, int]) -> list[Divergence]:
    """Each pair of opposed key points once (under the larger); no item whose dissent a larger
    key point's item already shows."""
    kept: list[Divergence] = []
    pairs: set[frozenset] = set()
    for item in sorted(items, key=lambda d: -sizes[d.key_point]):
        rival = next((s.key_point for s in item.sides if s.position == "against" and s.key_point), None)
        if rival is not None:
            pair = frozenset((item.key_point, rival))
            if pair in pairs:
                continue
            pairs.add(pair)
        if any(sizes[other.key_point] > sizes[item.key_point] and _dissent(item) <= _dissent(other) for other in kept):
            continue
        kept.append(item)
    order = {id(d): n for n, d in enumerate(items)}
    return sorted(kept, key=lambda d: order[id(d)])


def _speakers(point_ids, speaker_of_point) -> set[str]:
    return {speaker_of_point[p].name for p in point_ids}


def prefer_support(ids: list[str], stances) -> list[str]:
    """Explicit endorsements first, then the other points."""
    return [p for p in ids if stances[p] is Stance.SUPPORT] + [p for p in ids if stances[p] is not Stance.SUPPORT]


def side_of(position, point_ids, speaker_of_point, rules, stance_probability=None, key_point=None, label=None) -> Side:
    speakers = {speaker_of_point[p].name: speaker_of_point[p] for p in point_ids}
    regions, types = spread_of(speakers.values())
    return Side(
        position=position,
        point_ids=_spread_quotes(point_ids, speaker_of_point, rules.max_quotes),
        all_point_ids=list(point_ids),
        stakeholders=sorted(speakers),
        regions=regions,
        types=types,
        stance_probability=stance_probability or {},
        key_point=key_point,
        label=label,
    )


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
