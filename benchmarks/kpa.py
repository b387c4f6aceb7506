"""Key Point Analysis on ArgKP-2021: matching (track 1), generation and sides, beside two peers.

    python benchmarks/kpa.py                        # everything on dev, with the peers
    python benchmarks/kpa.py --skip-peers           # rapporteur only
    python benchmarks/kpa.py --only matching        # or: generation, sides
    python benchmarks/kpa.py --matcher M.safetensors --stance S.safetensors
    python benchmarks/kpa.py --predictions P.json   # score any matcher's predictions, and stop
    python benchmarks/kpa.py --runtime int8         # the pair models in int8 (fidelity.runtime)

1. **Matching** (track 1): strict and relaxed mAP in both forms of the shared task's score: the
   final one (AP times the share of positives in the top half) and the leaderboard one (AP alone,
   the form its papers publish), for the zero-shot all-MiniLM-L6-v2 cosine baseline and the matcher.
   Matching and the stance model are measured in float32 and in int8 side by side (``--runtime``).
   Then the stance model: accuracy on each argument's side of its topic, and on claim-against-
   statement pairs (``fidelity.train.claim_stance_pairs``).
2. **Generation** (``fidelity.generation``): for each (topic, stance) the arguments alone go
   through the synthesis as a statements CSV; kp_recall, kp_precision, ARI, coverage, median label
   words and ROUGE-L against the experts' key points; and a ceiling for this matcher: the experts'
   own key points as labels, each argument joined to the one the matcher reads highest.
3. **Sides**: pro and con pooled per topic, stance withheld: purity, topics with an
   opposing-positions item, and the share of quoted arguments on the right side.

Peers, each in its own place under ``benchmarks/.peers`` (made on first use, never committed):
the wave-1 pipeline (clustering, the rapporteur of the commit before issue 10, from a git worktree)
and BERTopic 0.17 (its own venv, installed with pip; ``benchmarks/peers/bertopic_generation.py``).

The shipped matcher and stance model are trained on ArgKP train only, so their dev figures are
measurements (``rapporteur train … --split train+dev`` makes the variant the shared task allowed,
whose dev figures would not be).

Data: IBM Debater ArgKP-2021 (CDLA-Sharing-1.0, (c) IBM 2020; Bar-Haim et al., ACL 2020).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PEERS = ROOT / "benchmarks" / ".peers"
WAVE1 = "aed3c580bb5d19bcf68138ae52d773538454969a"  # the last commit before issue 10 (clustering key points)
BERTOPIC = "bertopic==0.17.4"
FIGURES = ("kp_recall", "kp_precision", "ari", "coverage", "label_words", "rouge_l")


def _line(name: str, predictions, dev, seconds: float | None = None) -> None:
    from rapporteur.fidelity.scoring import kpa_map

    final, board = kpa_map(predictions, dev, "final"), kpa_map(predictions, dev, "leaderboard")
    speed = f"{len(dev.arguments) / seconds:8.1f} args/s" if seconds else ""
    print(f"{name:<28} {final.strict:7.4f} {final.relaxed:8.4f}   {board.strict:7.4f} {board.relaxed:8.4f}   {speed}",
          flush=True)


def baseline(dev):
    """Zero-shot: cosine similarity of all-MiniLM-L6-v2 embeddings."""
    from rapporteur.embed import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    embedder.encode(["load the model before the clock starts"])
    started = time.perf_counter()
    a = embedder.encode([x.text for x in dev.arguments])
    k = embedder.encode([x.text for x in dev.key_points])
    index = {kp.id: i for i, kp in enumerate(dev.key_points)}
    candidates = dev.candidates()
    predictions = {x.id: {kp.id: float(a[i] @ k[index[kp.id]]) for kp in candidates[x.id]}
                   for i, x in enumerate(dev.arguments)}
    return predictions, time.perf_counter() - started


def matching(dev, args) -> None:
    from rapporteur.fidelity.train import claim_accuracy, predict_matches, stance_accuracy

    print(f"\n1. Matching (track 1)\n{'':<28} {'final scoring':^17}   {'leaderboard':^17}")
    print(f"{'matcher':<28} {'strict':>7} {'relaxed':>8}   {'strict':>7} {'relaxed':>8}")
    predictions, seconds = baseline(dev)
    _line("zero-shot MiniLM cosine", predictions, dev, seconds)
    for runtime in _runtimes():
        matcher, predictions, seconds = _timed("matcher", args.matcher, runtime, lambda m: predict_matches(m, dev))
        _line(f"rapporteur matcher, {runtime}", predictions, dev, seconds)
        pairs = sum(len(v) for v in predictions.values())
        print(f"  {pairs} (argument, key point) pairs read in {seconds:.1f} s: {pairs / seconds:.0f} pairs/s")
    print(f"  matcher {matcher.model_id}: trained in {matcher.meta.get('training_seconds')} s on "
          f"{matcher.meta.get('training_pairs')} pairs; recipe {matcher.meta.get('recipe', {})}")
    for runtime in _runtimes():
        stance, accuracy, seconds = _timed("stance", args.stance, runtime, lambda m: stance_accuracy(m, dev))
        with _runtime(runtime):
            claims = claim_accuracy(stance, dev)
        print(f"stance accuracy on dev, {runtime:<8} topic {accuracy:.4f}, claim {claims:.4f}   "
              f"({len(dev.arguments) / seconds:.1f} args/s; {stance.model_id}, trained in "
              f"{stance.meta.get('training_seconds')} s on {stance.meta.get('training_pairs')} pairs)", flush=True)


def _timed(kind: str, path, runtime: str, measure):
    """(scorer, measure(scorer), seconds) for the ``kind`` model run as ``runtime``; the export or
    quantisation of its first use happens before the clock starts."""
    from rapporteur.fidelity.train import load_scorer

    with _runtime(runtime):
        scorer = load_scorer(kind, path)
        assert scorer.runtime == runtime or runtime == "torch", f"{runtime} asked, {scorer.runtime} ran"
        started = time.perf_counter()
        result = measure(scorer)
        return scorer, result, time.perf_counter() - started


def _runtimes() -> list[str]:
    """The pair models' runtimes to measure side by side: the one asked for (``--runtime``, default
    PyTorch float32) and, when ONNX Runtime is installed, int8 (``fidelity.runtime``)."""
    from rapporteur.fidelity.runtime import chosen

    runtimes = [chosen()]
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return runtimes
    return runtimes + ["int8"] if "int8" not in runtimes else runtimes


@contextlib.contextmanager
def _runtime(name: str):
    before = os.environ.get("RAPPORTEUR_RUNTIME")
    os.environ["RAPPORTEUR_RUNTIME"] = name
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("RAPPORTEUR_RUNTIME")
        else:
            os.environ["RAPPORTEUR_RUNTIME"] = before


# ------------------------------------------------------------------------------------ peers
def _job(groups) -> dict:
    return {"groups": {name: [{"id": a.id, "text": a.text} for a in arguments] for name, arguments in groups.items()}}


def _run_peer(command: list[str], job: dict, env: dict | None = None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.json", Path(folder) / "out.json"
        source.write_text(json.dumps(job), encoding="utf-8")
        subprocess.run(command + [str(source), str(target)], check=True, env={**os.environ, **(env or {})})
        return json.loads(target.read_text(encoding="utf-8"))


def wave1(groups) -> dict:
    """The wave-1 pipeline on ``groups``, from a git worktree of WAVE1."""
    tree = PEERS / "wave1"
    if not (tree / "src" / "rapporteur").exists():
        print(f"  making a git worktree of {WAVE1[:7]} in {tree} …", flush=True)
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force", str(tree), WAVE1], check=True)
    return _run_peer([sys.executable, str(ROOT / "benchmarks" / "peers" / "synthesis_generation.py")], _job(groups),
                     {"PYTHONPATH": str(tree / "src")})


def bertopic(groups) -> dict:
    venv = PEERS / "bertopic"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"  creating {venv} and installing {BERTOPIC} with pip …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "torch==2.13.0"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", BERTOPIC], check=True)
    from rapporteur.fidelity.encoder import base_model_dir

    job = {**_job(groups), "model": str(base_model_dir())}
    return _run_peer([str(python), str(ROOT / "benchmarks" / "peers" / "bertopic_generation.py")], job)


def _as_generator(results: dict):
    from rapporteur.fidelity.generation import Generated, assign_arguments

    def run(arguments, name):
        result = results[name]
        if "synthesis" in result:
            data = result["synthesis"]
            return Generated({kp["id"]: kp["label"] for kp in data["key_points"]},
                             assign_arguments(data, [a.id for a in arguments]), data)
        return Generated(result["labels"], result["assignment"])

    return run


def experts_with_matcher(dev, matcher):
    """A ceiling for generation with this matcher: the experts' own key points as labels, each
    argument joined to the one the matcher reads highest (≥ 0.5), as the synthesis would join it."""
    from rapporteur.fidelity.generation import Generated
    from rapporteur.fidelity.train import predict_matches

    predictions = predict_matches(matcher, dev)
    labels = {k.id: k.text for k in dev.key_points}

    def run(arguments, name):
        best = {}
        for a in arguments:
            scores = {k: p for k, p in predictions.get(a.id, {}).items() if p >= 0.5}
            best[a.id] = max(sorted(scores), key=scores.get) if scores else None
        return Generated(labels, best)

    return run


# -------------------------------------------------------------------------------- generation
def generation_and_sides(dev, args, parts) -> None:
    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.fidelity.generation import generation, pooled, pooled_groups, sided_groups, synthesis_generator
    from rapporteur.fidelity.train import load_scorer

    embedder = MiniLMEmbedder()
    cache = EmbeddingCache(args.cache) if args.cache else None
    ours_models = (load_scorer("matcher", args.matcher), load_scorer("stance", args.stance))
    ours = synthesis_generator(None, embedder, cache, ours_models)
    runs = {}
    started = time.perf_counter()
    if "generation" in parts:
        runs["generation"] = {"rapporteur": generation(dev, ours, lambda n: print(f"  {n}", flush=True))}
    if "sides" in parts:
        runs["sides"] = {"rapporteur": pooled(dev, ours, lambda n: print(f"  pooled: {n}", flush=True))}
    seconds = time.perf_counter() - started
    if "generation" in parts:
        runs["generation"]["experts + matcher"] = generation(dev, experts_with_matcher(dev, ours_models[0]))
        if {m.runtime for m in ours_models} != {"torch"}:  # beside it, the full-precision pipeline
            with _runtime("torch"):
                full = (load_scorer("matcher", args.matcher), load_scorer("stance", args.stance))
                print("  the same in float32 (RAPPORTEUR_RUNTIME=torch) …", flush=True)
                runs["generation"]["rapporteur, float32"] = generation(dev, synthesis_generator(None, embedder, cache, full))
    if not args.skip_peers:
        for peer, run in (("wave-1 pipeline", wave1), ("BERTopic 0.17", bertopic)):
            print(f"  running {peer} …", flush=True)
            if "generation" in parts:
                runs["generation"][peer] = generation(dev, _as_generator(run(sided_groups(dev))))
            if "sides" in parts:
                runs["sides"][peer] = pooled(dev, _as_generator(run(pooled_groups(dev))))
    if "generation" in runs:
        print(f"\n2. Generation, per (topic, stance), on {len(dev.arguments)} arguments; "
              f"experts: {runs['generation']['rapporteur']['overall']['expert_key_points']} key points")
        print(f"{'':<18}" + "".join(f"{f:>14}" for f in FIGURES + ("key_points",)))
        for name, result in runs["generation"].items():
            o = result["overall"]
            print(f"{name:<18}" + "".join(f"{o[f]:>14}" for f in FIGURES + ("key_points",)))
    if "sides" in runs:
        print("\n3. Sides: pro and con pooled per topic, stance withheld")
        print(f"{'':<18}{'purity':>10}{'opposed':>12}{'side_acc':>10}")
        for name, result in runs["sides"].items():
            print(f"{name:<18}{result['purity']:>10}{result['topics_with_opposed']:>8} of {result['topics']}"
                  f"{str(result['side_accuracy']):>10}")
    print(f"(rapporteur: matcher {ours_models[0].runtime}, stance model {ours_models[1].runtime})")
    print(f"\nrapporteur generation and sides: {seconds:.0f} s on 2 cores")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--predictions", type=Path, help="score this predictions JSON only")
    parser.add_argument("--matcher", type=Path, help="matcher model file (default: shipped)")
    parser.add_argument("--stance", type=Path, help="stance model file (default: shipped)")
    parser.add_argument("--data", type=Path, help="ArgKP-2021 folder")
    parser.add_argument("--split", default="dev", help="split to measure (default dev)")
    parser.add_argument("--only", choices=["matching", "generation", "sides"], action="append")
    parser.add_argument("--skip-peers", action="store_true", help="no wave-1 or BERTopic runs")
    parser.add_argument("--cache", type=Path, help="embedding and pair cache file (default: none, cold)")
    parser.add_argument("--runtime", choices=["torch", "onnx", "int8", "matcher=int8", "stance=int8"],
                        help="run the pair models so (RAPPORTEUR_RUNTIME; matching also prints int8 beside it)")
    parser.add_argument("--json", type=Path, help="also write the generation and sides figures here")
    args = parser.parse_args()
    if args.runtime:
        os.environ["RAPPORTEUR_RUNTIME"] = args.runtime

    import torch

    from rapporteur.fidelity.data import load_split
    from rapporteur.fidelity.scoring import read_predictions

    torch.set_num_threads(2)
    dev = load_split(args.split, args.data)
    print(f"ArgKP-2021 {args.split}: {len(dev.arguments)} arguments, {len(dev.key_points)} key points, "
          f"{len({a.topic for a in dev.arguments})} topics; torch threads {torch.get_num_threads()}")
    if args.predictions:
        _line(args.predictions.name, read_predictions(args.predictions), dev)
        return 0
    parts = set(args.only or ("matching", "generation", "sides"))
    if "matching" in parts:
        matching(dev, args)
    if parts & {"generation", "sides"}:
        generation_and_sides(dev, args, parts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
