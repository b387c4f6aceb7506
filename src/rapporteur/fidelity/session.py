"""A synthesis of a consultation session scored against the synthesis a rapporteur wrote of it.

The gold (``examples/gcm-session/gold.yaml``) names each area of convergence and each side of each
area of divergence with the points that make it, every point by its file and a verbatim piece of it
(never a point id, so that the gold survives any change to how points are cut). Its key points are
the convergence claims and the sides of the divergences. Figures (issue 32):

- ``kp_recall``, ``kp_precision``, ``ari``: the ArgKP generation figures (``fidelity.generation``)
  on points: the mean best F1 between a gold key point's points and one generated key point's
  members, each way round; the adjusted Rand index over the gold points with one gold key point,
  the points in no generated key point forming one cluster;
- ``bad_labels``: convergence labels cut from a point the gold names as no claim (a speaker about
  itself, front matter, procedure) or cut as a fragment (``is_fragment``): goal 0;
- ``misplaced``: the share of quotes under a generated key point that the gold does not place in the
  gold key point it matches best (a key point matching none: all its quotes): goal at most 0.10;
- ``languages_lost``: points in another language than English that the gold places in a key point
  and the synthesis in none: goal 0;
- ``unaddressed``: the sub-topics reported unaddressed, beside the gold's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rapporteur.fidelity.generation import f1, one_group_each
from rapporteur.model import Corpus, Point
from rapporteur.text.shown import shown, shown_with_map

Quote = tuple[str, str]  # (file, a verbatim piece of one point)


@dataclass
class Gold:
    session: str | None
    key_points: dict[str, list[Quote]]  # "G1", "D1.for", "D1.against" -> its points
    claims: dict[str, str]
    convergence: list[str]  # the ids of the gold key points that are areas of convergence
    unaddressed: list[str]
    not_claims: list[Quote] = field(default_factory=list)

    def only(self, files: set[str]) -> "Gold":
        """The gold of the session reduced to the contributions ``files`` (a key point left with no
        point is dropped)."""
        kept = {k: [q for q in quotes if q[0] in files] for k, quotes in self.key_points.items()}
        kept = {k: v for k, v in kept.items() if v}
        return Gold(self.session, kept, {k: self.claims[k] for k in kept}, [k for k in self.convergence if k in kept],
                    self.unaddressed, [q for q in self.not_claims if q[0] in files])


def load_gold(path: Path) -> Gold:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    key_points: dict[str, list[Quote]] = {}
    claims: dict[str, str] = {}
    for item in data.get("convergence", []):
        key_points[item["id"]] = [tuple(q) for q in item["points"]]
        claims[item["id"]] = item["claim"]
    for item in data.get("divergence", []):
        for side in ("for", "against"):
            key_points[f"{item['id']}.{side}"] = [tuple(q) for q in item[side]["points"]]
            claims[f"{item['id']}.{side}"] = item[side]["claim"]
    return Gold(session=data.get("session"), key_points=key_points, claims=claims,
                convergence=[item["id"] for item in data.get("convergence", [])],
                unaddressed=list(data.get("unaddressed", [])),
                not_claims=[tuple(q) for q in data.get("not_claims", [])])


def locate(quote: Quote, corpus: Corpus, points: list[Point]) -> str:
    """The id of the point of ``quote``'s file that holds most of the quote (by offsets)."""
    file, piece = quote
    contribution = next((c for c in corpus.contributions if c.id == file), None)
    if contribution is None:
        raise ValueError(f"gold names {file!r}, which is not in the session")
    flat, where = shown_with_map(contribution.text)
    wanted = shown(piece)
    at = flat.find(wanted)
    if at < 0:
        raise ValueError(f"gold quote {piece!r} is not in {file}")
    start, end = where[at], where[at + len(wanted) - 1] + 1
    best, overlap = None, 0
    for p in points:
        if p.contribution_id != file:
            continue
        o = min(end, p.end) - max(start, p.start)
        if o > overlap:
            best, overlap = p.id, o
    if best is None:
        raise ValueError(f"gold quote {piece!r} of {file} is in no point")
    return best


_DANGLING_END = re.compile(r"(?:\b(?:and|or|but|of|to|for|in|on|at|by|with|from|that|which|the|a|an|ensure|as)|[—–:,-])\W*$",
                           re.IGNORECASE)


def is_fragment(label: str) -> bool:
    """A label cut mid-clause: it ends on a word that needs more ("… to ensure that", "… and"), on a
    dash, colon or comma, or it opens a dash aside it does not close ("Access to basic services —
    housing, health care")."""
    text = label.strip().rstrip(".")
    if _DANGLING_END.search(text):
        return True
    return len(re.findall(r"\s[—–]\s|\s--\s", f" {text} ")) % 2 == 1


def score(gold: Gold, synthesis: dict, corpus: Corpus, points: list[Point]) -> dict:
    """Every figure of the module for ``synthesis`` (a synthesis document as a dict) of ``corpus``,
    whose points are ``points`` (as segmented and read by the synthesis)."""
    from sklearn.metrics import adjusted_rand_score

    truth = {k: {locate(q, corpus, points) for q in quotes} for k, quotes in gold.key_points.items()}
    language = {p.id: p.language for p in points}
    ours = {kp["id"]: set(kp["point_ids"]) for kp in synthesis["key_points"]}
    labels = {kp["id"]: kp for kp in synthesis["key_points"]}
    recall = {k: max((f1(t, g) for g in ours.values()), default=0.0) for k, t in truth.items()}
    best_gold = {g: max(truth, key=lambda k: f1(truth[k], members)) for g, members in ours.items()}
    precision = {g: f1(members, truth[best_gold[g]]) for g, members in ours.items()}
    member_of: dict[str, str] = {}
    for g, members in ours.items():
        for p in members:
            member_of.setdefault(p, g)
    single = one_group_each(truth)
    single_ids = sorted(single)
    ari = adjusted_rand_score([single[p] for p in single_ids], [member_of.get(p, "-") for p in single_ids])
    misplaced = [(g, p) for g, members in ours.items() for p in members
                 if precision[g] == 0 or p not in truth[best_gold[g]]]
    quoted = sum(len(m) for m in ours.values())
    not_claims = {locate(q, corpus, points) for q in gold.not_claims}
    bad = []
    for item in synthesis["convergence"]:
        kp = labels[item["key_point"]]
        if kp["label_point"] in not_claims:
            bad.append((item["label"], "not a claim"))
        elif is_fragment(item["label"]):
            bad.append((item["label"], "fragment"))
    placed = set().union(*truth.values())
    in_ours = set().union(*ours.values()) if ours else set()
    lost = sorted(p for p in placed if language.get(p, "en") != "en" and p not in in_ours)
    unaddressed = sorted(d["expected"] for d in synthesis["divergence"] if d["kind"] == "unaddressed" and d.get("expected"))
    return {
        "kp_recall": sum(recall.values()) / len(recall),
        "kp_precision": sum(precision.values()) / max(len(precision), 1),
        "ari": ari,
        "key_points": len(ours),
        "gold_key_points": len(truth),
        "convergence": len(synthesis["convergence"]),
        "bad_labels": bad,
        "misplaced": len(misplaced) / max(quoted, 1),
        "misplaced_quotes": misplaced,
        "languages_lost": lost,
        "languages_placed": sorted(p for p in placed if language.get(p, "en") != "en"),
        "unaddressed": unaddressed,
        "gold_unaddressed": sorted(gold.unaddressed),
        "recall_by_gold": recall,
        "best_gold": best_gold,
        "precision_by_key_point": precision,
    }
