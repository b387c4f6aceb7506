"""Coverage of a draft: which key points of a synthesis each draft paragraph reflects, which areas of
convergence the draft misses, which paragraphs no key point asked for, and which divergences it settles.

Every sentence of the draft is read against its ``shortlist`` nearest key points (by embedding) with
the synthesis's own readings (``analysis.readings``: the matcher and the stance model, or cosine and
cues without them) and the synthesis's own thresholds (``KeyPointSettings``):

- a sentence **addresses** a key point when the matcher reads it as making the key point's point
  (match ≥ ``match_threshold``, whatever its side);
- it **reflects** the key point when it also argues for it (side ≥ ``side_threshold``), the rule by
  which a statement joins a key point in the synthesis; one that addresses it on the other side
  **goes against** it;
- a paragraph reflects (addresses, goes against) a key point when one of its sentences does; its
  probability is that sentence's match, and the sentence is quoted.

A key point is **generic** when the matcher reads it in many paragraphs: it addresses at least
``generic_min`` paragraphs and more than ``generic_share`` of them ("We should adopt an austerity
regime" in 8 of the 10 expert key points on austerity; "We need to prevent conflict … and migration"
in 18 of the compact's 23 objectives). The draft as a whole reflects it (it is not missing), but it
says nothing about any one paragraph: its readings are shown, marked, and no paragraph counts as
raised by it alone. The rule was set on ArgKP-2021 train (``benchmarks/coverage.py --split train``,
24 topics): there the (key point, paragraph) pairs of generic key points were right 6 times in 23
(0.26) against 0.70 for the others, and on dev, held out, 3 in 14 (0.21) against 0.69.

Lists: **missing** — key points of the areas of convergence that the draft does not reflect;
**unsupported** — paragraphs that address no key point but generic ones (nobody in the synthesis
raised them: the synthesis's key points are what stakeholders raised, so a matter raised by fewer
speakers than a key point needs is not among them); **settled** — divergences whose key point a
paragraph addresses, with the side that paragraph takes (for the key point, or against it);
**generic** — the generic key points.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from rapporteur.analysis.keypoints import KeyPointSettings
from rapporteur.ingest.draft import Draft
from rapporteur.model import Contribution, PointKind, Stakeholder
from rapporteur.text.segment import segment

QUOTES_PER_KEY_POINT = 2
EVIDENCE = ("label", "both")  # the values of CoverageRules.evidence


@dataclass(frozen=True)
class CoverageRules:
    shortlist: int = 8  # key points read per draft sentence, the nearest by embedding
    key_points: KeyPointSettings = field(default_factory=KeyPointSettings)  # the match and side thresholds
    # "all": a sentence reflects every key point it makes and argues for; "best": only the one with the
    # highest match × side, as a statement joins one key point in the synthesis (keypoints._best_joins)
    per_sentence: str = "all"
    # what decides "reflects": "label" — the sentence read as making the key point's label (above);
    # "both" — that, and most of the key point's ``members`` statements nearest the sentence read as
    # making the sentence's point on its side (the sentence taken as the claim: the direction the
    # matcher was trained in, arguments against a short key point, and the way the truth of
    # benchmarks/coverage.py is defined)
    evidence: str = "label"
    members: int = 5
    # a key point addressed by at least ``generic_min`` paragraphs and more than ``generic_share`` of
    # the draft's is generic (module docstring); ``generic_min`` also keeps the rule off short drafts
    generic_share: float = 1 / 3
    generic_min: int = 4


@dataclass
class _Reading:
    match: float
    side: float
    sentence: str
    members: float | None = None  # share of the key point's nearest statements that make the sentence's point


def _member_shares(pairs, key_points, sentences, s_vec, readings, embedder, cache, rules: CoverageRules):
    """(key point, sentence) -> share of the key point's ``rules.members`` statements nearest the sentence
    that the matcher reads as making the sentence's point, on its side."""
    from rapporteur.embed import embed_texts

    shares = {pair: 0.0 for pair in pairs}
    texts = sorted({p["text"] for j, _ in pairs for p in key_points[j].get("points", [])})
    if not texts:
        return shares
    index = {t: n for n, t in enumerate(texts)}
    vectors = embed_texts(embedder, texts, cache=cache)
    claims, statements, owner = [], [], []
    for j, i in pairs:
        own = sorted({index[p["text"]] for p in key_points[j].get("points", [])})
        near = np.asarray(own, dtype=int)[np.argsort(-(vectors[own] @ s_vec[i]), kind="stable")[:rules.members]]
        claims += [sentences[i][1]] * len(near)
        statements += [texts[n] for n in near]
        owner += [(j, i)] * len(near)
    made = (readings.matches(claims, statements) >= _threshold(readings, rules)) & \
           (readings.sides(claims, statements) >= rules.key_points.side_threshold)
    counts: dict = {}
    for pair, ok in zip(owner, made):
        counts.setdefault(pair, []).append(bool(ok))
    shares.update({pair: sum(v) / len(v) for pair, v in counts.items()})
    return shares


def _threshold(readings, rules: CoverageRules) -> float:
    return rules.key_points.match_threshold if readings.learned else rules.key_points.similarity


def cover(draft: Draft, document: dict, readings, embedder, cache=None, rules: CoverageRules = CoverageRules()) -> dict:
    """The coverage of ``draft`` against the synthesis ``document`` (a validated ``synthesis.json``)."""
    from rapporteur.embed import embed_texts

    key_points = list(document.get("key_points", []))
    sentences = _sentences(draft)  # (paragraph index, verbatim sentence)
    threshold = _threshold(readings, rules)
    best: dict[tuple[int, int], _Reading] = {}  # (paragraph, key point) -> its best sentence
    if sentences and key_points:
        labels = [kp["label"] for kp in key_points]
        s_vec = embed_texts(embedder, [s for _, s in sentences], cache=cache)
        k_vec = embed_texts(embedder, labels, cache=cache)
        k = min(rules.shortlist, len(key_points))
        nearest = np.argsort(-(s_vec @ k_vec.T), axis=1, kind="stable")[:, :k]
        pairs = [(int(j), i) for i in range(len(sentences)) for j in nearest[i]]
        matches = readings.matches([labels[j] for j, _ in pairs], [sentences[i][1] for _, i in pairs])
        on_matter = [(pair, float(p)) for pair, p in zip(pairs, matches) if p >= threshold]
        sides = readings.sides([labels[j] for (j, _), _ in on_matter], [sentences[i][1] for (_, i), _ in on_matter])
        read = list(zip(on_matter, sides))
        if rules.per_sentence == "best":
            read = _best_per_sentence(read, rules.key_points.side_threshold)
        share = {}
        if rules.evidence == "both":
            on_side = [pair for (pair, _), side in read if side >= rules.key_points.side_threshold]
            share = _member_shares(on_side, key_points, sentences, s_vec, readings, embedder, cache, rules)
        for ((j, i), p), side in read:
            if (j, i) in share and share[(j, i)] <= 0.5:
                continue  # the label reading alone: most of the key point's statements do not make the sentence's point
            key = (sentences[i][0], j)
            if key not in best or p > best[key].match:
                best[key] = _Reading(round(p, 4), round(float(side), 4), sentences[i][1], share.get((j, i)))
    return _document(draft, document, key_points, best, rules, readings.learned)


def _best_per_sentence(read, side_threshold: float):
    """Of each sentence's readings on its side, only the best (match × side); those against are all kept."""
    best: dict[int, tuple[float, int]] = {}
    for n, (((j, i), p), side) in enumerate(read):
        if side >= side_threshold and (i not in best or p * side > best[i][0]):
            best[i] = (p * side, n)
    keep = {n for _, n in best.values()}
    return [r for n, r in enumerate(read) if r[1] < side_threshold or n in keep]


def _sentences(draft: Draft) -> list[tuple[int, str]]:
    """Every sentence of every paragraph (headings and fragments included: a title states a matter)."""
    out = []
    for index, paragraph in enumerate(draft.paragraphs):
        points = segment(Contribution(f"draft:{paragraph.id}", Stakeholder("draft"), paragraph.text))
        out += [(index, p.text) for p in points if p.kind is not PointKind.PROCEDURAL and len(p.text.split()) >= 2]
    return out


def generic_key_points(best: dict, paragraphs: int, rules: CoverageRules) -> set[int]:
    """Key point indices read in at least ``rules.generic_min`` paragraphs and more than
    ``rules.generic_share`` of the ``paragraphs`` (``best``: (paragraph, key point) -> reading)."""
    addressed = Counter(j for _, j in best)
    return {j for j, n in addressed.items() if n >= rules.generic_min and n > rules.generic_share * paragraphs}


def _document(draft: Draft, document: dict, key_points: list[dict], best: dict, rules: CoverageRules,
              learned: bool) -> dict:
    side = rules.key_points.side_threshold
    convergence = [c["key_point"] for c in document.get("convergence", [])]
    generic = generic_key_points(best, len(draft.paragraphs), rules)
    paragraphs = []
    reflected_by: dict[int, list[str]] = {j: [] for j in range(len(key_points))}
    against_by: dict[int, list[str]] = {j: [] for j in range(len(key_points))}
    broadly: dict[int, list[str]] = {j: [] for j in range(len(key_points))}  # a generic key point's paragraphs
    for index, paragraph in enumerate(draft.paragraphs):
        found = sorted(((j, r) for (i, j), r in best.items() if i == index),
                       key=lambda jr: (jr[0] in generic, -jr[1].match, jr[0]))
        for j, r in found:
            if j in generic:
                if r.side >= side:
                    broadly[j].append(paragraph.id)
            else:
                (reflected_by if r.side >= side else against_by)[j].append(paragraph.id)
        paragraphs.append({
            "id": paragraph.id, "text": paragraph.text, "start": paragraph.start, "end": paragraph.end,
            "key_points": [{"id": key_points[j]["id"], "label": key_points[j]["label"], "probability": r.match,
                            "side": round(r.side, 4), "reflects": r.side >= side, "generic": j in generic,
                            "sentence": r.sentence, "members": None if r.members is None else round(r.members, 3),
                            "quotes": key_points[j].get("points", [])[:QUOTES_PER_KEY_POINT]}
                           for j, r in found],
        })
    kp_out = [{"id": kp["id"], "label": kp["label"], "n_stakeholders": kp.get("n_stakeholders"),
               "convergence": kp["id"] in convergence, "reflected": bool(reflected_by[j] or broadly[j]),
               "generic": j in generic, "paragraphs": reflected_by[j], "against": against_by[j],
               "broadly": broadly[j]} for j, kp in enumerate(key_points)]
    by_id = {kp["id"]: kp for kp in kp_out}
    settled = []
    for d in document.get("divergence", []):
        kp = by_id.get(d.get("key_point"))
        if kp is None or not (kp["paragraphs"] or kp["against"]):
            continue
        settled.append({"number": d["number"], "key_point": kp["id"], "label": d["label"], "kind": d["kind"],
                        "paragraphs": [{"id": p, "side": "for"} for p in kp["paragraphs"]]
                        + [{"id": p, "side": "against"} for p in kp["against"]]})
    return {
        "draft": {"source": draft.source, "split": draft.split, "paragraphs": len(draft.paragraphs), "notes": draft.notes},
        "synthesis": {"title": document.get("title"), "key_points": len(key_points), "convergence": len(convergence)},
        "rules": {"match_threshold": rules.key_points.match_threshold, "side_threshold": side,
                  "similarity": rules.key_points.similarity, "shortlist": rules.shortlist, "learned": learned,
                  "evidence": rules.evidence, "members": rules.members,
                  "generic_share": round(rules.generic_share, 4), "generic_min": rules.generic_min},
        "paragraphs": paragraphs,
        "key_points": kp_out,
        "missing": [k for k in convergence if k in by_id and not by_id[k]["reflected"]],
        "unsupported": [p["id"] for p in paragraphs if not any(not k["generic"] for k in p["key_points"])],
        "settled": settled,
        "generic": [key_points[j]["id"] for j in sorted(generic)],
    }


_ENGLISH = frozenset("the of and to in a is that for on with as by are be this it at from or an which have has not "
                     "their its all will shall we our should".split())


def english_share(text: str) -> float:
    """The share of a text's words that are the commonest English words (about 0.3–0.5 for English prose)."""
    words = [w.strip(".,;:()\"'“”").lower() for w in text.split()]
    words = [w for w in words if w]
    return sum(w in _ENGLISH for w in words) / len(words) if words else 0.0


def language_note(draft: Draft, document: dict) -> list[str]:
    """A warning when the draft does not read as English while the synthesis's key points do: the matcher
    and the stance model are English models, so their readings of another language mean little."""
    draft_share = english_share(draft.text)
    labels_share = english_share(" ".join(kp["label"] for kp in document.get("key_points", [])))
    if draft_share < 0.12 and labels_share >= 0.2:
        return [f"{draft.source}: the draft does not read as English ({draft_share:.0%} common English words, "
                f"against {labels_share:.0%} in the key points): the models read English, so its coverage is unreliable"]
    return []
