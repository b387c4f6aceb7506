"""Key point generation measured against IBM's experts, on ArgKP-2021 (issue 10's definitions).

For each (topic, stance) the arguments alone go through the synthesis as a statements CSV, one
stakeholder per argument and no ``--about`` (``generate``); an argument belongs to the key point that
most of its points joined (the first in the report's order on a tie; none if none joined). The
experts' answer for an argument: the key points it is labelled 1 for.

- ``kp_recall``: mean over expert key points (with at least one argument) of the best F1 between its
  argument set and one generated key point's set; ``kp_precision``: the same from the generated side;
- ``ari``: adjusted Rand index over the arguments with exactly one expert key point, the arguments
  we leave unassigned forming one cluster;
- ``coverage``: share of arguments assigned to a generated key point (the experts': ``expert_coverage``);
- ``label_words``: median words per generated label; ``rouge_l``: mean over expert key points of the
  best ROUGE-L F-measure (longest common subsequence of lower-cased words) against one generated label.

Sides (``pooled``): per topic, pro and con arguments pooled, stance withheld:
- ``purity``: share of key-point members whose stance is their key point's majority stance;
- ``opposed``: whether the synthesis reports an opposing-positions divergence;
- ``side_accuracy``: share of the arguments quoted on a side of such an item whose stance is that
  side's (the "for" side: its key point's majority stance; "against": the other).
"""
from __future__ import annotations

import csv
import re
import statistics
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from rapporteur.fidelity.data import ArgKP, Argument

_WORDS = re.compile(r"\w+")


@dataclass
class Generated:
    """A generation run on one group of arguments: labels and each argument's key point (or None)."""

    labels: dict[str, str]  # generated key point id -> label
    assignment: dict[str, str | None]  # argument id -> generated key point id
    synthesis: dict | None = None  # the synthesis JSON, when the run made one


Generator = Callable[[Sequence[Argument], str], Generated]


def statements_csv(arguments: Sequence[Argument], path: Path) -> Path:
    """The arguments as a statements CSV: one stakeholder per argument (named by its id)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "stakeholder", "type", "text"])
        for a in arguments:
            writer.writerow([a.id, a.id, "other", a.text])
    return path


def synthesis_generator(options=None, embedder=None, cache=None, fidelity=None) -> Generator:
    """A Generator running ``rapporteur.synthesis.synthesize`` on each group, read from its CSV."""
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, synthesize

    def run(arguments: Sequence[Argument], name: str) -> Generated:
        with tempfile.TemporaryDirectory() as folder:
            corpus = read_path(statements_csv(arguments, Path(folder) / "statements.csv"))
        result = synthesize(corpus, options or SynthesisOptions(title=name), embedder=embedder, cache=cache,
                            fidelity=fidelity)
        data = result.to_dict()
        return Generated(
            labels={kp["id"]: kp["label"] for kp in data["key_points"]},
            assignment=assign_arguments(data, [a.id for a in arguments]),
            synthesis=data,
        )

    return run


def assign_arguments(synthesis: dict, argument_ids: Sequence[str]) -> dict[str, str | None]:
    """Argument (stakeholder) id -> the key point most of its points joined (see the module)."""
    order = {kp["id"]: n for n, kp in enumerate(synthesis["key_points"])}
    votes: dict[str, Counter] = {a: Counter() for a in argument_ids}
    for kp in synthesis["key_points"]:
        for p in kp["points"]:
            votes.setdefault(p["stakeholder"], Counter())[kp["id"]] += 1
    return {a: (min(c, key=lambda k: (-c[k], order[k])) if c else None) for a, c in votes.items()}


def f1(a: set, b: set) -> float:
    both = len(a & b)
    return 0.0 if not both else 2 * both / (len(a) + len(b))


def rouge_l(reference: str, candidate: str) -> float:
    """ROUGE-L F-measure of two texts (lower-cased words, longest common subsequence)."""
    x, y = _WORDS.findall(reference.lower()), _WORDS.findall(candidate.lower())
    if not x or not y:
        return 0.0
    previous = [0] * (len(y) + 1)
    for a in x:
        current = [0]
        for j, b in enumerate(y, 1):
            current.append(previous[j - 1] + 1 if a == b else max(previous[j], current[-1]))
        previous = current
    lcs = previous[-1]
    return 0.0 if not lcs else 2 * lcs / (len(x) + len(y))


def score_group(data: ArgKP, arguments: Sequence[Argument], generated: Generated) -> dict:
    """Generation figures for one (topic, stance) group (see the module)."""
    from sklearn.metrics import adjusted_rand_score

    ids = {a.id for a in arguments}
    kp_text = {k.id: k.text for k in data.key_points}
    expert: dict[str, set] = {}
    for (arg_id, kp_id), label in data.labels.items():
        if label == 1 and arg_id in ids:
            expert.setdefault(kp_id, set()).add(arg_id)
    ours: dict[str, set] = {}
    for arg_id, kp_id in generated.assignment.items():
        if kp_id is not None and arg_id in ids:
            ours.setdefault(kp_id, set()).add(arg_id)
    recall = [max((f1(e, g) for g in ours.values()), default=0.0) for e in expert.values()]
    precision = [max((f1(g, e) for e in expert.values()), default=0.0) for g in ours.values()]
    single = one_group_each(expert)
    truth = [single[a] for a in sorted(single)]
    predicted = [generated.assignment.get(a) or "-" for a in sorted(single)]
    labels = list(generated.labels.values())
    return {
        "arguments": len(arguments),
        "expert_key_points": len(expert),
        "key_points": len(ours),
        "kp_recall": recall,
        "kp_precision": precision,
        "ari": adjusted_rand_score(truth, predicted) if len(truth) > 1 else 0.0,
        "coverage": sum(1 for a in ids if generated.assignment.get(a)) / max(len(ids), 1),
        "expert_coverage": len(set().union(*expert.values())) / max(len(ids), 1) if expert else 0.0,
        "label_words": [len(_WORDS.findall(label)) for label in labels],
        "rouge_l": [max((rouge_l(kp_text[k], label) for label in labels), default=0.0) for k in expert],
    }


def one_group_each(groups: dict[str, set]) -> dict:
    """Item -> its group, for the items in exactly one of ``groups`` (group id -> its items): the
    items an adjusted Rand index is taken over."""
    single: dict = {}
    for group, members in groups.items():
        for item in members:
            single[item] = None if item in single else group
    return {item: group for item, group in single.items() if group is not None}


def sided_groups(data: ArgKP) -> dict[str, list[Argument]]:
    """"Topic (pro)" / "Topic (con)" -> its arguments, in name order."""
    groups: dict[str, list[Argument]] = {}
    for a in data.arguments:
        groups.setdefault(f"{a.topic} ({'pro' if a.stance > 0 else 'con'})", []).append(a)
    return dict(sorted(groups.items()))


def pooled_groups(data: ArgKP) -> dict[str, list[Argument]]:
    """Topic -> its pro and con arguments together, in name order."""
    groups: dict[str, list[Argument]] = {}
    for a in data.arguments:
        groups.setdefault(a.topic, []).append(a)
    return dict(sorted(groups.items()))


def generation(data: ArgKP, generator: Generator, progress: Callable[[str], None] | None = None) -> dict:
    """Run ``generator`` on every (topic, stance) group of ``data``; figures per group and overall."""
    per_group = {}
    for name, arguments in sided_groups(data).items():
        if progress:
            progress(name)
        per_group[name] = score_group(data, arguments, generator(arguments, name))
    return {"overall": summarise(per_group.values()), "groups": {k: summarise([v]) for k, v in per_group.items()}}


def summarise(groups) -> dict:
    groups = list(groups)

    def mean(key):
        values = [x for g in groups for x in g[key]]
        return round(statistics.fmean(values), 4) if values else 0.0

    words = [x for g in groups for x in g["label_words"]]
    return {
        "kp_recall": mean("kp_recall"),
        "kp_precision": mean("kp_precision"),
        "ari": round(statistics.fmean(g["ari"] for g in groups), 4),
        "coverage": round(statistics.fmean(g["coverage"] for g in groups), 4),
        "expert_coverage": round(statistics.fmean(g["expert_coverage"] for g in groups), 4),
        "key_points": sum(g["key_points"] for g in groups),
        "expert_key_points": sum(g["expert_key_points"] for g in groups),
        "label_words": statistics.median(words) if words else 0,
        "rouge_l": mean("rouge_l"),
    }


def pooled(data: ArgKP, generator: Generator, progress: Callable[[str], None] | None = None) -> dict:
    """Sides: each topic's pro and con arguments together, stance withheld (see the module)."""
    out = {}
    for topic, arguments in pooled_groups(data).items():
        if progress:
            progress(topic)
        generated = generator(arguments, topic)
        out[topic] = score_sides(arguments, generated)
    members = sum(t["members"] for t in out.values())
    quoted = sum(t["quoted"] for t in out.values())
    return {
        "purity": round(sum(t["pure"] for t in out.values()) / max(members, 1), 4),
        "topics_with_opposed": sum(1 for t in out.values() if t["opposed"]),
        "topics": len(out),
        "side_accuracy": round(sum(t["quoted_right"] for t in out.values()) / max(quoted, 1), 4) if quoted else None,
        "per_topic": out,
    }


def score_sides(arguments: Sequence[Argument], generated: Generated) -> dict:
    stance = {a.id: a.stance for a in arguments}
    groups: dict[str, list[int]] = {}
    for arg_id, kp_id in generated.assignment.items():
        if kp_id is not None:
            groups.setdefault(kp_id, []).append(stance[arg_id])
    majority = {k: Counter(v).most_common(1)[0][0] for k, v in groups.items()}
    pure = sum(sum(1 for s in v if s == majority[k]) for k, v in groups.items())
    members = sum(len(v) for v in groups.values())
    data = generated.synthesis or {}
    points = {p["id"]: p for kp in data.get("key_points", []) for p in kp["points"]}
    points.update({p["id"]: p for d in data.get("divergence", []) for s in d["sides"] for p in s["points"]})
    opposed = [d for d in data.get("divergence", []) if d["kind"] == "opposed"]
    quoted = right = 0
    for item in opposed:
        side_stance = majority.get(item["key_point"])
        if side_stance is None:
            continue
        for side in item["sides"]:
            expected = side_stance if side["position"] == "for" else -side_stance
            for p in side["points"]:
                quoted += 1
                right += stance.get(p["stakeholder"]) == expected
    return {"members": members, "pure": pure, "purity": round(pure / max(members, 1), 4), "opposed": len(opposed),
            "quoted": quoted, "quoted_right": right, "key_points": len(groups)}
