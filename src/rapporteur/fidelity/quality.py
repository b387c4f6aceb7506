"""How much a candidate reads like an expert's key point: a small model learned from ArgKP-2021.

IBM's Key Point Analysis keeps only candidates of high argument quality, scored by a model trained
on IBM-ArgQ-Rank-30kArgs (Bar-Haim et al., EMNLP 2021). That set is not available offline here, so
rapporteur learns the closest judgement the data it has supports: the key points IBM's experts
wrote for the ArgKP train topics (short, general, one claim each) against the candidate spans that
``analysis.candidates`` cuts from the crowd's arguments on the same topics (often long, personal,
several claims, or vague). The model is a logistic regression on the candidate's all-MiniLM-L6-v2
embedding and its length in words (scaled by 15), class-balanced, seeded; its file is a few
kilobytes of JSON (``models/quality.json``), with the AUC measured on dev's unseen topics.

``QualityModel.score(vectors, texts)`` gives a probability per candidate; ``analysis.candidates``
uses it as its rule 5 and the key point selection as a tie-breaker.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from rapporteur.fidelity.artifact import MODELS_DIR

_WORDS = re.compile(r"[\w'’-]+")


class QualityModel:
    def __init__(self, weights: np.ndarray, bias: float, meta: dict):
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)
        self.meta = meta
        self.model_id = f"rapporteur-quality@{meta.get('digest', 'unsaved')}"

    @staticmethod
    def features(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        lengths = np.array([[len(_WORDS.findall(t)) / 15.0] for t in texts])
        return np.hstack([np.asarray(vectors, dtype=np.float64).reshape(len(texts), -1), lengths])

    def score(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros(0)
        z = self.features(vectors, texts) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        body = {"weights": [round(float(w), 7) for w in self.weights], "bias": round(self.bias, 7), "meta": self.meta}
        path.write_text(json.dumps(body, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "QualityModel":
        import hashlib

        path = Path(path) if path else MODELS_DIR / "quality.json"
        raw = path.read_bytes()
        body = json.loads(raw)
        meta = dict(body.get("meta", {}))
        meta["digest"] = hashlib.sha256(raw).hexdigest()[:16]
        return cls(np.array(body["weights"]), body["bias"], meta)


@lru_cache(maxsize=1)
def default_quality_model() -> QualityModel:
    """The shipped quality model, loaded once per process."""
    return QualityModel.load()


def training_texts(data, with_topics: bool = False):
    """(texts, labels[, topics]): expert key points (1) and candidate spans of the arguments (0)."""
    from rapporteur.analysis.candidates import find_candidates
    from rapporteur.model import Point

    topic_of = {a.id: a.topic for a in data.arguments}
    points = [Point(a.id, a.id, a.text, 0, len(a.text)) for a in data.arguments]
    spans = find_candidates(points, {a.id: a.text for a in data.arguments})
    experts = {k.text: k.topic for k in sorted(data.key_points, key=lambda k: k.id)}
    crowd = {}
    for c in spans:
        if c.text not in experts:
            crowd.setdefault(c.text, topic_of[c.point_id])
    texts = sorted(experts) + sorted(crowd)
    labels = [1] * len(experts) + [0] * len(crowd)
    if with_topics:
        return texts, labels, [experts.get(t) or crowd[t] for t in texts]
    return texts, labels


REGULARISATIONS = (0.03, 0.1, 0.3, 1.0, 3.0)


def train_quality(train, dev, embedder=None, regularisation: float | None = None, seed: int = 0) -> QualityModel:
    """Fit on ``train`` (an ``ArgKP``), measure AUC on ``dev``; deterministic. The regularisation,
    unless given, is chosen by 4-fold cross-validation over train's topics (dev is only measured)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    from rapporteur.embed import MiniLMEmbedder

    embedder = embedder or MiniLMEmbedder()
    texts, labels, topics = training_texts(train, with_topics=True)
    x = QualityModel.features(embedder.encode(texts), texts)
    y = np.array(labels)
    folds = list(GroupKFold(n_splits=4).split(x, y, topics))
    cv = {}
    for c in ([regularisation] if regularisation else REGULARISATIONS):
        scores = []
        for fit, held in folds:
            fold = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed).fit(x[fit], y[fit])
            scores.append(roc_auc_score(y[held], fold.decision_function(x[held])))
        cv[c] = round(float(np.mean(scores)), 4)
    regularisation = max(cv, key=lambda c: (cv[c], -c))
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=2000, random_state=seed).fit(x, y)
    quality = QualityModel(model.coef_[0], float(model.intercept_[0]), {})
    dev_texts, dev_labels = training_texts(dev)
    auc = roc_auc_score(dev_labels, quality.score(embedder.encode(dev_texts), dev_texts))
    quality.meta = {
        "recipe": {"model": "logistic regression", "C": regularisation, "class_weight": "balanced", "seed": seed,
                   "features": "all-MiniLM-L6-v2 embedding + words/15",
                   "cross_validated_auc": {str(c): v for c, v in cv.items()}},
        "training_texts": {"expert key points": int(sum(labels)), "argument spans": int(len(labels) - sum(labels))},
        "data": "IBM Debater ArgKP-2021 (CDLA-Sharing-1.0), train split; AUC on dev",
        "dev": {"auc": round(float(auc), 4), "expert key points": int(sum(dev_labels)),
                "argument spans": int(len(dev_labels) - sum(dev_labels))},
    }
    return quality
