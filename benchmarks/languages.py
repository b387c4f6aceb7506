"""The six UN languages: does a sentence find its own translation, and what the multilingual model
costs on English.

    python benchmarks/languages.py                  # translations, cosine figures, ArgKP dev matching
    python benchmarks/languages.py --calibrate      # also fit the e5 cosine -> probability calibration
    python benchmarks/languages.py --write-centre   # recompute embed/models/e5-centre.npy, then measure

1. **Translations** (``examples/udhr-six-languages``: 49 paragraphs of the Universal Declaration of
   Human Rights in the six languages, line i a translation of line i): for every paragraph, is its
   nearest paragraph in each other language its translation (accuracy per language pair and over all
   30 pairs), and is its nearest paragraph among all the other languages' a translation of it.
2. **Cosine figures**: mean cosine of translations and of non-translations, for MiniLM, e5 as it
   comes, and e5 with its common direction taken off (``embed.e5``); and the share of translations
   that the calibrated e5 cosine (``analysis.readings.E5_CALIBRATION``) reads as the same point.
3. **English (ArgKP-2021 dev, track 1)**: zero-shot cosine matching, MiniLM against e5, in both forms
   of the shared task's score, and texts per second.
4. ``--calibrate``: logistic regression of e5's centred cosine on ArgKP train's labelled pairs; the
   slope and intercept to put in ``E5_CALIBRATION``, its AUC on train and dev, and precision and recall
   at 0.5 on dev.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
EXCERPT = ROOT / "examples" / "udhr-six-languages"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def excerpt() -> dict[str, list[str]]:
    return {code: (EXCERPT / f"{code}.txt").read_text(encoding="utf-8").splitlines() for code in LANGUAGES}


def translations(vectors: dict[str, np.ndarray]) -> tuple[dict[tuple[str, str], float], float, float]:
    """Accuracy per (from, to) pair, over all pairs, and among all other languages at once."""
    pairs = {}
    for a in LANGUAGES:
        for b in LANGUAGES:
            if a != b:
                nearest = (vectors[a] @ vectors[b].T).argmax(axis=1)
                pairs[(a, b)] = float((nearest == np.arange(len(nearest))).mean())
    hits = total = 0
    for a in LANGUAGES:
        others = [b for b in LANGUAGES if b != a]
        stacked = np.vstack([vectors[b] for b in others])
        line = np.concatenate([np.arange(len(vectors[b])) for b in others])
        nearest = (vectors[a] @ stacked.T).argmax(axis=1)
        hits += int((line[nearest] == np.arange(len(vectors[a]))).sum())
        total += len(vectors[a])
    return pairs, float(np.mean(list(pairs.values()))), hits / total


def cosines(vectors: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    same, other = [], []
    for a in LANGUAGES:
        for b in LANGUAGES:
            if a < b:
                sims = vectors[a] @ vectors[b].T
                same.extend(np.diag(sims))
                other.extend(sims[~np.eye(len(sims), dtype=bool)])
    return np.array(same), np.array(other)


def calibrated(cosine: np.ndarray) -> np.ndarray:
    from rapporteur.analysis.readings import E5_CALIBRATION

    return 1 / (1 + np.exp(-(E5_CALIBRATION["slope"] * cosine + E5_CALIBRATION["intercept"])))


def write_centre(seed: int = 7) -> None:
    """The mean e5 vector of 2,000 ArgKP train arguments and 2,000 UN General Debate 2015 sentences."""
    from rapporteur.embed.e5 import CENTRE, E5Embedder
    from rapporteur.fidelity.data import load_split
    from rapporteur.ingest.ungdc import read_ungdc
    from rapporteur.text.segment import segment_all

    rng = random.Random(seed)
    arguments = [a.text for a in load_split("train").arguments]
    rng.shuffle(arguments)
    archive = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"
    sentences = [p.text for p in segment_all(read_ungdc(archive, year=2015).contributions) if p.analysed]
    rng.shuffle(sentences)
    centre = E5Embedder(centred=False).raw(arguments[:2000] + sentences[:2000]).mean(axis=0)
    np.save(CENTRE, centre.astype(np.float32))
    print(f"wrote {CENTRE.relative_to(ROOT)} from 4,000 sentences")


def calibrate() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from rapporteur.embed.e5 import E5Embedder
    from rapporteur.fidelity.data import load_split

    e5 = E5Embedder()
    data = {}
    for split in ("train", "dev"):
        d = load_split(split)
        text = {a.id: a.text for a in d.arguments} | {k.id: k.text for k in d.key_points}
        pairs = [(a, k, label) for (a, k), label in sorted(d.labels.items()) if a in text and k in text]
        unique = sorted({text[a] for a, _, _ in pairs} | {text[k] for _, k, _ in pairs})
        vector = dict(zip(unique, e5.encode(unique)))
        data[split] = (np.array([float(vector[text[a]] @ vector[text[k]]) for a, k, _ in pairs]),
                       np.array([label for *_, label in pairs]))
    x, y = data["train"]
    model = LogisticRegression().fit(x[:, None], y)
    xd, yd = data["dev"]
    p = model.predict_proba(xd[:, None])[:, 1]
    print(f"\n4. Calibration on ArgKP train ({len(y)} pairs): slope {model.coef_[0][0]:.4f}, intercept "
          f"{model.intercept_[0]:.4f}; AUC train {roc_auc_score(y, x):.4f}, dev {roc_auc_score(yd, xd):.4f}; at 0.5 on dev: "
          f"precision {yd[p >= 0.5].mean() if (p >= 0.5).any() else float('nan'):.3f}, recall {(p[yd == 1] >= 0.5).mean():.3f}")


def english(models) -> None:
    from rapporteur.fidelity.data import load_split
    from rapporteur.fidelity.scoring import kpa_map

    dev = load_split("dev")
    index = {kp.id: i for i, kp in enumerate(dev.key_points)}
    candidates = dev.candidates()
    print(f"\n3. English: ArgKP-2021 dev track 1, zero-shot cosine ({len(dev.arguments)} arguments)\n"
          f"{'':<22} {'final':>8} {'':>8}   {'leaderboard':>11}\n{'model':<22} {'strict':>8} {'relaxed':>8}   "
          f"{'strict':>8} {'relaxed':>8}   texts/s")
    for name, encode in models:
        encode(["load the model before the clock starts"])
        started = time.perf_counter()
        a = encode([x.text for x in dev.arguments])
        k = encode([x.text for x in dev.key_points])
        seconds = time.perf_counter() - started
        predictions = {x.id: {kp.id: float(a[i] @ k[index[kp.id]]) for kp in candidates[x.id]}
                       for i, x in enumerate(dev.arguments)}
        final, board = kpa_map(predictions, dev, "final"), kpa_map(predictions, dev, "leaderboard")
        rate = (len(dev.arguments) + len(dev.key_points)) / seconds
        print(f"{name:<22} {final.strict:8.4f} {final.relaxed:8.4f}   {board.strict:8.4f} {board.relaxed:8.4f}   {rate:7.1f}",
              flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-centre", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--skip-english", action="store_true", help="no ArgKP dev matching")
    args = parser.parse_args()
    import torch

    from rapporteur.embed import MiniLMEmbedder
    from rapporteur.embed.e5 import E5Embedder

    torch.set_num_threads(2)
    if args.write_centre:
        write_centre()
    minilm, e5 = MiniLMEmbedder(), E5Embedder()
    raw = E5Embedder(centred=False)
    models = [("all-MiniLM-L6-v2", minilm.encode), ("multilingual-e5, raw", raw.raw), ("multilingual-e5, centred", e5.encode)]
    texts = excerpt()
    print(f"1. Translations: {len(texts['en'])} UDHR paragraphs in {len(LANGUAGES)} languages "
          f"(examples/udhr-six-languages)\n{'model':<26} {'mean of 30 pairs':>17} {'among all':>10} {'worst pair':>16}")
    figures = {}
    for name, encode in models:
        vectors = {code: encode(lines) for code, lines in texts.items()}
        pairs, mean, among = translations(vectors)
        worst = min(pairs, key=pairs.get)
        figures[name] = cosines(vectors)
        print(f"{name:<26} {mean:17.3f} {among:10.3f}   {worst[0]}->{worst[1]} {pairs[worst]:.3f}", flush=True)
        if name.endswith("centred"):
            print("  per pair: " + ", ".join(f"{a}->{b} {v:.2f}" for (a, b), v in sorted(pairs.items())))
    print("\n2. Cosine of translations and of other paragraphs")
    for name, (same, other) in figures.items():
        print(f"{name:<26} translations {same.mean():.3f} ± {same.std():.3f}   others {other.mean():.3f} ± {other.std():.3f}")
    same, other = figures["multilingual-e5, centred"]
    print(f"calibrated e5 reads as the same point: translations {(calibrated(same) >= 0.5).mean():.3f}, "
          f"others {(calibrated(other) >= 0.5).mean():.3f}")
    if not args.skip_english:
        english(models[:1] + models[2:])
    if args.calibrate:
        calibrate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
