"""Every figure of a revised synthesis recomputed from its key points, by the rules that made the draft.

After an edit, nothing shown is carried over from before it: each key point's stakeholders, regions,
types, share of speakers and minority flag (``analysis.keypoints``), the areas of convergence and the
divergences of kinds D1 and D2 (``analysis.convergence.find_agreement``, with the model's readings the
draft kept: each key point's points read against it, and the rival key points) are computed again from
the key points as they now stand. What the rules cannot read, the rapporteur's own acts, is applied on
top and marked: a key point listed as an area of convergence (its rule line says which need it misses),
a divergence marked or dismissed, an order, a note. Unaddressed matters (D3) do not depend on key points
and stay as drawn unless dismissed. Representation and the compiled recommendations and practices do
not depend on key points either.

No model is read here: recomputing a 300-point session takes milliseconds (``benchmarks/desk.py``).
"""
from __future__ import annotations

from rapporteur.analysis.convergence import (AgreementRules, Divergence, Needs, area_of_convergence, find_agreement,
                                             prefer_support, side_of)
from rapporteur.analysis.keypoints import (KeyPoint as Claim, by_prevalence, keywords_of, smallest_key_point,
                                           spread_of, theme_of)
from rapporteur.analysis.stance import Stance
from rapporteur.model import Stakeholder, StakeholderType
from rapporteur.report.data import convergence_item, divergence_id, divergence_item, languages_of, prevalence
from rapporteur.schema import KeyPoint, QuotedPoint, SynthesisDocument


def stakeholder_of(point: QuotedPoint) -> Stakeholder:
    return Stakeholder(point.stakeholder, StakeholderType(point.type), point.country, point.region, point.subregion)


class Evidence:
    """The points of a document, read once: who said each one, its stance cue, its theme."""

    def __init__(self, document: SynthesisDocument):
        self.points = {p.id: p for p in document.points}
        self.speaker = {pid: stakeholder_of(p) for pid, p in self.points.items()}
        self.stance = {pid: Stance(p.stance) for pid, p in self.points.items()}
        self.rules = AgreementRules(**document.settings.get("agreement", {}))
        self.speakers = len({s.name for s in self.speaker.values()})


def recompute(document: SynthesisDocument, changed: set[str] | None = None) -> SynthesisDocument:
    """``document`` with every figure recomputed (in place; returned). ``changed``: the key points whose
    members changed, whose keywords are read again (None: all of them)."""
    evidence = Evidence(document)
    themes = {t.id: t.label for t in document.taxonomy.themes}
    few = smallest_key_point(evidence.speakers, evidence.rules)
    in_key_point = {}
    for kp in document.key_points:
        kp.point_ids = [pid for pid in dict.fromkeys(kp.point_ids) if pid in evidence.points]
        _figures(kp, evidence, few, document.languages)
        if kp.id in (changed if changed is not None else {kp.id}):
            kp.theme = theme_of(evidence.points[kp.label_point].theme if kp.label_source != "rapporteur" else None,
                                [evidence.points[pid].theme for pid in kp.point_ids]) or kp.theme
        kp.theme_label = themes.get(kp.theme)
        kp.against = {pid: p for pid, p in kp.against.items() if pid not in kp.point_ids}
        in_key_point.update(dict.fromkeys(kp.point_ids, kp.id))
    _keywords(document, evidence, changed)
    for pid, point in evidence.points.items():
        point.key_point = in_key_point.get(pid)
        if point.key_point is None:
            point.match = None
    document.unclustered_point_ids = [pid for pid in evidence.points if pid not in in_key_point]
    for kp in document.key_points:  # the quotes carry their point's key point and reading
        kp.points = [evidence.points[pid] for pid in kp.point_ids]
    _order_key_points(document)
    _agreement(document, evidence)
    document.counts = {**document.counts, "key_points": len(document.key_points),
                       "unclustered": len(document.unclustered_point_ids)}
    _origins(document)
    return document


def _figures(kp: KeyPoint, evidence: Evidence, few: int, languages) -> None:
    speakers = {evidence.speaker[pid].name: evidence.speaker[pid] for pid in kp.point_ids}
    kp.stakeholders = sorted(speakers)
    kp.n_stakeholders, kp.n_points = len(speakers), len(kp.point_ids)
    kp.regions, kp.types = spread_of(speakers.values())
    figures = prevalence(kp.n_stakeholders, evidence.speakers, few)
    kp.share_of_speakers, kp.minority = figures["share_of_speakers"], figures["minority"]
    if languages:
        found = languages_of(kp.point_ids, kp.label_point, evidence.points, languages)
        kp.languages = found["languages"]
        if kp.label_source != "rapporteur":
            kp.label_language = found["label_language"]


def _keywords(document: SynthesisDocument, evidence: Evidence, changed: set[str] | None) -> None:
    """The c-TF-IDF keywords (``analysis.keypoints``) of the key points whose members changed, read
    against every key point as it now stands."""
    if changed is not None and not changed:
        return
    found = keywords_of([[evidence.points[pid].text for pid in kp.point_ids] for kp in document.key_points])
    for kp, words in zip(document.key_points, found):
        if changed is None or kp.id in changed:
            kp.keywords = words


def _order_key_points(document: SynthesisDocument) -> None:
    """The machine's order (stakeholders, then points, then label), then the rapporteur's."""
    document.key_points.sort(key=by_prevalence)
    document.key_points = _reordered(document.key_points, lambda k: k.id, document.revision.order.get("key_points"))


def _reordered(items: list, key, first: list[str] | None) -> list:
    if not first:
        return items
    rank = {item_id: n for n, item_id in enumerate(first)}
    return sorted(items, key=lambda item: rank.get(key(item), len(rank)))  # stable: the rest keep their order


def claims_of(document: SynthesisDocument) -> list[Claim]:
    """The key points as the rules read them (``analysis.keypoints.KeyPoint``)."""
    return [Claim(id=kp.id, label_point=kp.label_point, label=kp.label, label_start=kp.label_start,
                  label_end=kp.label_end, keywords=kp.keywords, point_ids=kp.point_ids, stakeholders=kp.stakeholders,
                  regions=kp.regions, types=kp.types, theme=kp.theme, against=kp.against)
            for kp in document.key_points]


def _agreement(document: SynthesisDocument, evidence: Evidence) -> None:
    """Convergence and divergence by the rules, then the rapporteur's listings, marks, dismissals and order."""
    revision = document.revision
    claims = claims_of(document)
    by_id = {c.id: c for c in claims}
    rivals = {tuple(pair) for pair in document.rivals or [] if pair[0] in by_id and pair[1] in by_id}
    convergence, divergence = find_agreement(claims, evidence.stance, evidence.speaker, evidence.rules, rivals)
    listed = {c.key_point for c in convergence}
    needs = Needs.of(evidence.speaker, evidence.rules)
    for kp_id in revision.promoted:
        if kp_id in by_id and kp_id not in listed:
            area = area_of_convergence(by_id[kp_id], evidence.speaker, needs, evidence.rules)
            area.rule = "Listed by the rapporteur; the rules' reading: " + _shortfall(by_id[kp_id], needs, area.rule)
            convergence.append(area)
    position = {c.id: n for n, c in enumerate(claims)}
    convergence.sort(key=lambda c: position[c.key_point])
    marked = [m for m in (_marked(mark, by_id, evidence) for mark in revision.marks) if m is not None]
    # a marked item takes the place of the one the rules drew with its id (the rapporteur names the opposing claim)
    ids = {divergence_id(d.kind, d.key_point, d.expected) for d in marked}
    divergence = [d for d in divergence if divergence_id(d.kind, d.key_point, d.expected) not in ids] + marked
    divergence.sort(key=lambda d: position.get(d.key_point, len(position)))
    quotes = lambda ids: [evidence.points[i] for i in ids]  # noqa: E731
    items = [divergence_item(0, d, quotes) for d in divergence]
    items += [d for d in document.divergence if d.kind == "unaddressed" and d.origin == "machine"]
    dismissed = set(revision.dismissed)
    areas = [convergence_item(0, c, quotes) for c in convergence if c.key_point not in dismissed]
    items = [d for d in items if d.id not in dismissed]
    document.convergence = _reordered(areas, lambda c: c.key_point, revision.order.get("convergence"))
    document.divergence = _reordered(items, lambda d: d.id, revision.order.get("divergence"))
    for number, item in enumerate(document.convergence, 1):
        item.number = number
    for number, item in enumerate(document.divergence, 1):
        item.number = number


def _shortfall(claim: Claim, needs: Needs, rule: str) -> str:
    n_regions, n_types = needs.spread(claim)
    missed = []
    if claim.n_stakeholders < needs.stakeholders:
        missed.append(f"C1: {claim.n_stakeholders} stakeholders, fewer than {needs.stakeholders}")
    if n_regions < needs.regions:
        missed.append(f"C2: {n_regions} region(s), fewer than {needs.regions}")
    if n_types < 2 and needs.mixed:
        missed.append("C3: one stakeholder type in a mixed consultation")
    return rule.replace(", none against", "") + ("; not met: " + "; ".join(missed) if missed
                                                  else "; C1–C3 met, but a stakeholder argues against it or voices a reservation")


def _marked(mark, by_id: dict[str, Claim], evidence: Evidence) -> Divergence | None:
    """A divergence the rapporteur marked, its sides computed as the rules compute them."""
    speaker, rules = evidence.speaker, evidence.rules
    if mark.kind == "unaddressed":
        spoke = [pid for pid in mark.points if pid in evidence.points]
        named = {speaker[pid].name for pid in spoke}
        return Divergence(key_point=None, label=mark.expected, kind="unaddressed", expected=mark.expected,
                          addressed_by=len(named), of_stakeholders=evidence.speakers, point_ids=spoke,
                          rule=f"Marked by the rapporteur: {len(named)} of {evidence.speakers} stakeholders spoke to it",
                          sides=[side_of("spoke to it", spoke, speaker, rules)] if spoke else [])
    kp = by_id.get(mark.key_point)
    if kp is None:
        return None
    if mark.kind == "opposed":
        rival = by_id.get(mark.against)
        if rival is None:
            return None
        against = {speaker[pid].name for pid in rival.point_ids}
        sides = [side_of("for", prefer_support([p for p in kp.point_ids if speaker[p].name not in against],
                                               evidence.stance), speaker, rules, key_point=kp.id, label=kp.label),
                 side_of("against", rival.point_ids, speaker, rules, key_point=rival.id, label=rival.label)]
        rule = (f"Marked by the rapporteur: {len(against)} stakeholder(s) make {rival.id}, "
                f"which claims the opposite of {kp.id}")
    else:
        reserved = [p for p in mark.points if p in evidence.points] or \
                   [p for p in kp.point_ids if evidence.stance[p] is Stance.RESERVATION]
        names = {speaker[p].name for p in reserved}
        sides = [side_of("for", prefer_support([p for p in kp.point_ids if speaker[p].name not in names],
                                               evidence.stance), speaker, rules, key_point=kp.id, label=kp.label)]
        if reserved:
            sides.append(side_of("reservations", reserved, speaker, rules))
        rule = f"Marked by the rapporteur: {len(names)} stakeholder(s) voice a reservation"
    item = Divergence(key_point=kp.id, label=kp.label, kind=mark.kind, sides=sides, rule=rule)
    item.point_ids = [pid for side in sides for pid in side.all_point_ids]
    return item


def _origins(document: SynthesisDocument) -> None:
    """Each item: machine (as the machine drew it), edited (the rapporteur changed it) or added."""
    machine = document.revision.machine
    drawn = {item.id: item for item in machine.key_points}
    for kp in document.key_points:
        was = drawn.get(kp.id)
        kp.origin = ("added" if was is None else
                     "machine" if was.label == kp.label and set(was.point_ids) == set(kp.point_ids) else "edited")
    origin = {kp.id: kp.origin for kp in document.key_points}
    for area in document.convergence:
        area.origin = (("machine" if origin[area.key_point] == "machine" else "edited")
                       if area.key_point in machine.convergence else "added")
    drawn_divergence = {item.id: item for item in machine.divergence}
    for item in document.divergence:
        was = drawn_divergence.get(item.id)
        same = was is not None and set(was.point_ids) == set(item.point_ids) and was.label == item.label
        item.origin = "added" if was is None else "machine" if same else "edited"
    notes = document.revision.notes
    for item in [*document.key_points, *document.divergence]:
        item.note = notes.get(item.id)
    for area in document.convergence:  # an area's note is its key point's
        area.note = notes.get(area.key_point)
