"""Key points: points grouped by meaning, each labelled by its most central verbatim point.

Method (deterministic for a given input and seed):
1. Cluster the point vectors (unit-normalised MiniLM embeddings) by agglomerative clustering with
   average linkage on cosine distance, cut at ``1 - similarity`` (default similarity 0.60): two
   groups merge only while their points are, on average, that similar. A cut by distance — not a
   fixed number of clusters — is what lets a view held by one or two speakers stay its own small key
   point instead of being merged into a larger neighbour.
   Above ``direct_limit`` points, a seeded k-means first forms micro-clusters (about ten points
   each) and the same agglomeration runs on their centroids, keeping memory linear.
2. Every cluster of at least ``min_points`` points is a KeyPoint; the rest stay unclustered.
3. Label: the member with the highest mean cosine similarity to the other members (the medoid),
   among members of at most ``label_max_chars`` characters when there are any. Keywords: class-based
   TF-IDF (each cluster one document) over words and word pairs, top five.
4. Prevalence: distinct stakeholders and points; spread: distinct stakeholders per M49 region and
   per stakeholder type. Key points are ordered by stakeholders, then points, then label.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from rapporteur.model import Point, Stakeholder


@dataclass
class KeyPoint:
    id: str
    label_point: str  # id of the verbatim point used as label
    label: str
    keywords: list[str]
    point_ids: list[str]
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    theme: str | None = None
    centroid: np.ndarray | None = field(default=None, repr=False)
    # point id -> probability that it makes the label, when the matcher confirmed membership
    match: dict[str, float] = field(default_factory=dict)
    # point id -> probability "for": points on this key point's matter that the stance model reads
    # as arguing against it (not members; the divergence rules put them on the "against" side)
    against: dict[str, float] = field(default_factory=dict)

    @property
    def n_points(self) -> int:
        return len(self.point_ids)

    @property
    def n_stakeholders(self) -> int:
        return len(self.stakeholders)


@dataclass(frozen=True)
class KeyPointSettings:
    similarity: float = 0.60
    min_points: int = 2
    label_max_chars: int = 300
    direct_limit: int = 6000
    seed: int = 0


def cluster_points(vectors: np.ndarray, settings: KeyPointSettings) -> np.ndarray:
    """Return a cluster label per row of ``vectors``."""
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans

    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)

    def agglomerate(x: np.ndarray) -> np.ndarray:
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=1.0 - settings.similarity,
        )
        return model.fit_predict(x)

    if n <= settings.direct_limit:
        return agglomerate(vectors)
    k = min(n // 10, settings.direct_limit)
    micro = MiniBatchKMeans(
        n_clusters=k, random_state=settings.seed, batch_size=4096, n_init=1, max_iter=50
    ).fit(vectors)
    centroids = micro.cluster_centers_
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-12
    return agglomerate(centroids)[micro.labels_]


def build_key_points(
    points: list[Point],
    vectors: np.ndarray,
    speaker_of: dict[str, Stakeholder],
    themes: dict[str, str | None],
    settings: KeyPointSettings = KeyPointSettings(),
    confirm=None,
) -> tuple[list[KeyPoint], list[str]]:
    """Group ``points`` into key points; returns (key points, ids of unclustered points).

    ``confirm(groups, labels)``, when given, re-decides membership after clustering and returns a
    ``membership.Membership`` (the synthesis passes the matcher's, see ``analysis.membership``).
    """
    labels = cluster_points(vectors, settings)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    groups = [sorted(m) for m in members.values() if len(m) >= settings.min_points]
    label_of = [g[_medoid(vectors[g], [points[i].text for i in g], settings.label_max_chars)] for g in groups]
    probability: dict[int, float] = {}
    against: list[dict[int, float]] = [{} for _ in groups]
    if confirm is not None:
        membership = confirm(groups, label_of)
        groups, label_of, probability = membership.groups, membership.labels, membership.probability
        against = membership.against or [{} for _ in groups]
    grouped = {i for g in groups for i in g} | {i for opposed in against for i in opposed}
    unclustered = sorted(points[i].id for i in range(len(points)) if i not in grouped)
    keywords = _keywords([[points[i].text for i in g] for g in groups])
    key_points = []
    for group, label_index, opposed, words in zip(groups, label_of, against, keywords):
        centroid = vectors[group].mean(axis=0)
        centroid /= np.linalg.norm(centroid) + 1e-12
        speakers = {speaker_of[points[i].contribution_id] for i in group}
        theme_votes = Counter(themes.get(points[i].id) for i in group if themes.get(points[i].id))
        key_points.append(
            KeyPoint(
                id="",
                label_point=points[label_index].id,
                label=points[label_index].text,
                keywords=words,
                point_ids=[points[i].id for i in group],
                stakeholders=sorted(s.name for s in speakers),
                regions=dict(sorted(Counter(s.region or "unknown" for s in speakers).items())),
                types=dict(sorted(Counter(s.type.value for s in speakers).items())),
                theme=min(theme_votes, key=lambda t: (-theme_votes[t], t)) if theme_votes else None,
                centroid=centroid,
                match={points[i].id: probability[i] for i in group if i in probability},
                against={points[i].id: p for i, p in sorted(opposed.items())},
            )
        )
    key_points.sort(key=lambda k: (-k.n_stakeholders, -k.n_points, k.label))
    for number, kp in enumerate(key_points, 1):
        kp.id = f"KP{number}"
    return key_points, unclustered


def _medoid(vectors: np.ndarray, texts: list[str], max_chars: int) -> int:
    similarity = vectors @ vectors.T
    score = (similarity.sum(axis=1) - 1.0) / max(len(texts) - 1, 1)
    eligible = [i for i, t in enumerate(texts) if len(t) <= max_chars] or list(range(len(texts)))
    return max(eligible, key=lambda i: (round(float(score[i]), 6), -len(texts[i]), -i))


def _keywords(documents: list[list[str]], top: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: each cluster's texts form one document; top terms per cluster."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not documents:
        return []
    joined = [" ".join(texts) for texts in documents]
    try:
        vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1,
                                     token_pattern=r"(?u)\b[^\W\d_][\w-]{2,}\b")
        counts = vectorizer.fit_transform(joined).astype(np.float64)
    except ValueError:  # only stop words
        return [[] for _ in documents]
    terms = np.array(vectorizer.get_feature_names_out())
    tf = counts.multiply(1.0 / np.maximum(counts.sum(axis=1), 1)).tocsr()
    average_words = counts.sum() / len(documents)
    idf = np.log1p(average_words / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    scores = tf.multiply(idf).tocsr()
    result = []
    for row in range(scores.shape[0]):
        values = scores.getrow(row).toarray().ravel()
        order = np.lexsort((terms, -values))[:top]
        result.append([str(terms[j]) for j in order if values[j] > 0])
    return result
