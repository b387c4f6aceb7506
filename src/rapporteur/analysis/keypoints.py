"""Key points chosen by coverage: the short claims that the most stakeholders make, one side each.

The method is IBM's extractive Key Point Analysis (Bar-Haim et al., ACL 2020; EMNLP 2020 and 2021),
with candidates that may be verbatim spans (``analysis.candidates``) and coverage counted in
distinct stakeholders rather than sentences. Deterministic for a given input.

1. *Reading.* Each analysed point is read (``analysis.readings``) against the ``shortlist``
   candidates nearest to it in embedding space: ``matches`` (the matcher: does the point make the
   candidate's claim?) and, for the pairs that reach ``match_threshold``, ``sides`` (the stance
   model: does it argue for the claim?). A point *joins* a candidate when it makes it and argues for
   it (side probability ≥ ``side_threshold``); it is *against* the candidate when it makes its
   matter but argues the other way. A candidate's own sentence joins it.
2. *Selection.* A point *counts* for the candidates it joins with its best reading (match × side
   within ``vote_margin`` of its highest over candidates not cut from it; its own candidates always):
   IBM's KPA counts each argument for its best candidate, and without this a generic claim that
   every sentence on a subject roughly makes ("A topic of special relevance … is migration")
   outvotes the specific claims each makes best. Greedily, the candidate that the most stakeholders
   count for, among points not yet covered by a chosen key point, becomes a key point (ties: more points, higher learned quality,
   fewer words, earlier). A candidate is *redundant*, and skipped, when it makes a key point
   already chosen, or the key point makes it (``redundancy_threshold``), and it argues for it (read
   by the same models); so the opposite claim on the same
   matter ("Migration is not a human right" against "The human rights of all migrants must be
   protected") is not redundant and becomes its own key point. A chosen key point is also read
   against the ``reach`` points nearest to it that had not read it: a shortlist is per point, and
   a claim many share may not be among the nearest candidates of every sentence that makes it.
   Another span of a chosen sentence is not chosen again. Selection stops when the best candidate
   would bring fewer than ``min_stakeholders`` stakeholders, or fewer than ``min_share`` of all.
3. *Membership.* Each point joins its best key point (the highest product of match and side
   probabilities among those it joins), or none: it is unclustered. A key point left below that
   floor is dissolved and its points go to their next best key point, until none is.
4. *Label and prevalence.* The label is the candidate's verbatim text; the report shows its
   source sentence, speaker and offsets. Prevalence: distinct stakeholders and points; spread:
   stakeholders per M49 region and per stakeholder type. Keywords: class-based TF-IDF. Key points
   are ordered by stakeholders, then points, then label.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from rapporteur.analysis.candidates import Candidate, words
from rapporteur.model import Point, Stakeholder


@dataclass(frozen=True)
class KeyPointSettings:
    shortlist: int = 12
    match_threshold: float = 0.5
    side_threshold: float = 0.5
    min_stakeholders: int = 2
    # ... and at least this share of all stakeholders (2% of 116 arguments: 3)
    min_share: float = 0.02
    # a candidate is redundant when the matcher reads it as making a chosen key point, or the key point
    # as making it, at this probability, on the same side
    redundancy_threshold: float = 0.5
    # a chosen key point is also read against this many points nearest to it (step 2)
    reach: int = 120
    # a point counts for a candidate only when its reading (match × side) is within this margin of
    # its best reading of any candidate (step 2): a generic claim every sentence roughly makes does
    # not outvote the specific ones each makes best
    vote_margin: float = 0.0
    # without the learned models (--no-learned) a point makes a candidate at this cosine similarity
    similarity: float = 0.60
    chunk: int = 2048  # points compared with all candidates at once (memory)


@dataclass
class KeyPoint:
    id: str
    label_point: str  # id of the point the label is cut from
    label: str  # shown(the label point's contribution text [label_start:label_end]): verbatim but for layout
    label_start: int
    label_end: int
    keywords: list[str]
    point_ids: list[str]
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    theme: str | None = None
    centroid: np.ndarray | None = field(default=None, repr=False)
    # point id -> probability that it makes the label (1.0 for the label's own point)
    match: dict[str, float] = field(default_factory=dict)
    # point id -> probability "for": points that make this key point's matter but argue against it
    against: dict[str, float] = field(default_factory=dict)
    # point id -> match probability: every point that makes it and argues for it, member or not
    joined: dict[str, float] = field(default_factory=dict, repr=False)
    label_span: bool = False  # the label is part of its sentence, not all of it
    quality: float | None = None  # the candidate's learned quality, when measured

    @property
    def n_points(self) -> int:
        return len(self.point_ids)

    @property
    def n_stakeholders(self) -> int:
        return len(self.stakeholders)


@dataclass
class Selection:
    """What ``select_key_points`` decided, by index: candidates chosen, members and points against."""

    chosen: list[int]  # candidate indices, in the order chosen
    members: list[dict[int, float]]  # per chosen key point: point index -> match probability
    against: list[dict[int, float]]  # per chosen key point: point index -> probability "for"
    pairs_read: int
    # per chosen key point: every point that makes it and argues for it, member or not -> match
    joined: list[dict[int, float]] = field(default_factory=list)


def read_pairs(point_vectors: np.ndarray, candidate_vectors: np.ndarray, point_texts: Sequence[str],
               candidates: Sequence[Candidate], own: Sequence[int], readings, settings: KeyPointSettings):
    """Step 1: (joins, against, pairs read), for each candidate ``c``: ``joins[c]``: point index ->
    (match probability, probability "for"); ``against[c]``: point index -> probability "for";
    ``own[c]``: index of the point ``c`` is cut from."""
    n, m = len(point_vectors), len(candidates)
    joins: list[dict[int, tuple[float, float]]] = [{} for _ in range(m)]
    against: list[dict[int, float]] = [{} for _ in range(m)]
    for c, i in enumerate(own):
        joins[c][i] = (1.0, 1.0)
    if not n or not m:
        return joins, against, 0
    k = min(settings.shortlist, m)
    pairs: list[tuple[int, int]] = []
    for begin in range(0, n, settings.chunk):
        similarity = point_vectors[begin : begin + settings.chunk] @ candidate_vectors.T
        nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
        for row, shortlist in enumerate(nearest):
            i = begin + row
            pairs += [(int(c), i) for c in shortlist if own[int(c)] != i]
    return joins, against, _read(pairs, point_texts, candidates, readings, settings, joins, against)


def _read(pairs, point_texts, candidates, readings, settings: KeyPointSettings, joins, against) -> int:
    """Read (candidate, point) ``pairs`` into ``joins`` and ``against``; returns the pairs read."""
    threshold = settings.match_threshold if readings.learned else settings.similarity
    p_match = readings.matches([candidates[c].text for c, _ in pairs], [point_texts[i] for _, i in pairs])
    on_matter = [(pair, p) for pair, p in zip(pairs, p_match) if p >= threshold]
    p_for = readings.sides([candidates[c].text for (c, _), _ in on_matter], [point_texts[i] for (_, i), _ in on_matter])
    for ((c, i), p), side in zip(on_matter, p_for):
        if side >= settings.side_threshold:
            joins[c][i] = (round(float(p), 4), round(float(side), 4))
        else:
            against[c][i] = round(float(side), 4)
    return len(pairs) + 2 * len(on_matter)


def select_key_points(candidates: Sequence[Candidate], joins, against, own: Sequence[int], speaker: Sequence[str],
                      readings, settings: KeyPointSettings, point_vectors: np.ndarray | None = None,
                      candidate_vectors: np.ndarray | None = None, point_texts: Sequence[str] = ()) -> Selection:
    """Steps 2 and 3 of the module (``speaker[i]``: the stakeholder of point ``i``). When the vectors
    and texts are given, a chosen key point is also read against the ``reach`` points nearest to it
    that had not read it (a shortlist is per point; a shared claim must reach further)."""
    quality = [c.quality if c.quality is not None else 0.0 for c in candidates]
    size = [words(c.text) for c in candidates]
    floor = smallest_key_point(len(set(speaker)), settings)
    best = _best_readings(joins, own)
    chosen: list[int] = []
    covered: set[int] = set()
    closed: set[int] = set()  # redundant, or another span of a chosen sentence
    pairs_read = 0
    while True:
        best_c, best_key = None, None
        for c in range(len(candidates)):
            if c in closed or c in chosen:
                continue
            fresh = [i for i in _votes(c, joins, own, best, settings.vote_margin) if i not in covered]
            gain = len({speaker[i] for i in fresh})
            if gain < floor:
                continue
            key = (gain, len(fresh), quality[c], -size[c], -c)
            if best_key is None or key > best_key:
                best_c, best_key = c, key
        if best_c is None:
            break
        if chosen and _redundant(candidates, best_c, chosen, readings, settings):
            pairs_read += 3 * len(chosen)
            closed.add(best_c)
            continue
        chosen.append(best_c)
        closed.update(c for c in range(len(candidates)) if own[c] == own[best_c])
        if point_vectors is not None and settings.reach:
            pairs_read += _reach(best_c, point_vectors, candidate_vectors, point_texts, candidates, own, readings,
                                 settings, joins, against)
            _raise_best(best, joins, own, best_c)
        covered.update(_votes(best_c, joins, own, best, settings.vote_margin))
    members = _assign(chosen, joins, [own[c] for c in chosen], speaker, floor)
    kept = [j for j, m in enumerate(members) if m]
    return Selection([chosen[j] for j in kept], [members[j] for j in kept], [against[chosen[j]] for j in kept],
                     pairs_read, [{i: p for i, (p, _) in joins[chosen[j]].items()} for j in kept])


def _best_readings(joins, own) -> dict[int, float]:
    """Point index -> its highest match × side reading over the candidates not cut from it."""
    best: dict[int, float] = {}
    for c in range(len(joins)):
        _raise_best(best, joins, own, c)
    return best


def _raise_best(best: dict[int, float], joins, own, c: int) -> None:
    """Take candidate ``c``'s readings into ``best`` (after ``_reach`` read more points for it)."""
    for i, (p, side) in joins[c].items():
        if i != own[c] and p * side > best.get(i, 0.0):
            best[i] = p * side


def _votes(c: int, joins, own, best: dict[int, float], margin: float) -> list[int]:
    """The points that count for candidate ``c``: its own, and those that make it and argue for it
    within ``margin`` of their best reading (IBM's KPA counts each argument for its best candidate)."""
    return [i for i, (p, side) in joins[c].items() if i == own[c] or p * side >= best.get(i, 0.0) - margin]


def _reach(c, point_vectors, candidate_vectors, point_texts, candidates, own, readings, settings, joins, against) -> int:
    similarity = point_vectors @ candidate_vectors[c]
    nearest = np.argsort(-similarity, kind="stable")[: settings.reach]
    pairs = [(c, int(i)) for i in nearest if int(i) not in joins[c] and int(i) not in against[c]
             and int(i) != own[c]]
    return _read(pairs, point_texts, candidates, readings, settings, joins, against) if pairs else 0


def smallest_key_point(stakeholders: int, settings) -> int:
    """The fewest stakeholders a key point needs among ``stakeholders``: ``settings.min_stakeholders``,
    and ``settings.min_share`` of all (``KeyPointSettings`` to exist, ``AgreementRules`` to converge)."""
    return max(settings.min_stakeholders, math.ceil(settings.min_share * stakeholders))


def _redundant(candidates, c: int, chosen: list[int], readings, settings: KeyPointSettings) -> bool:
    claims = [candidates[k].text for k in chosen]
    statement = [candidates[c].text] * len(chosen)
    p = np.maximum(readings.matches(claims, statement), readings.matches(statement, claims))
    threshold = settings.redundancy_threshold if readings.learned else settings.similarity
    if not (p >= threshold).any():
        return False
    sides = readings.sides(claims, statement)
    return bool(((p >= threshold) & (sides >= settings.side_threshold)).any())


def _assign(chosen: list[int], joins, labels: list[int], speaker, min_stakeholders: int) -> list[dict[int, float]]:
    """Each point to its best chosen key point (a label's own point to its key point); dissolve
    those left too small, until none is."""
    alive = list(range(len(chosen)))
    while True:
        best = _best_joins({j: joins[chosen[j]] for j in alive})
        for j in alive:
            best[labels[j]] = (1.0, j, 1.0)
        members: list[dict[int, float]] = [{} for _ in chosen]
        for i, (_, j, p) in best.items():
            members[j][i] = p
        small = [j for j in alive if len({speaker[i] for i in members[j]}) < min_stakeholders]
        if not small:
            return members
        alive = [j for j in alive if j not in small]


def _best_joins(joins_by_key_point: dict[int, dict[int, tuple[float, float]]]) -> dict[int, tuple[float, int, float]]:
    """The membership rule: point index -> (match × side, key point, match) of the key point it joins
    with the highest match × side (the first on a tie)."""
    best: dict[int, tuple[float, int, float]] = {}
    for j, joins in joins_by_key_point.items():
        for i, (p, side) in joins.items():
            if i not in best or p * side > best[i][0]:
                best[i] = (p * side, j, p)
    return best


@dataclass(frozen=True)
class _Claim:
    text: str


def join_key_points(point_texts: Sequence[str], key_point_labels: Sequence[str], readings,
                    settings: KeyPointSettings = KeyPointSettings(), point_vectors: np.ndarray | None = None,
                    key_point_vectors: np.ndarray | None = None,
                    own: dict[int, int] | None = None) -> list[tuple[int, float] | None]:
    """Step 3 of the module for points read after the key points are chosen (a statement made after the
    synthesis): the key point each point joins, by the synthesis's own rule.

    Each point is read against its ``settings.shortlist`` nearest key points (all of them without
    vectors, or when there are no more): it *joins* those it makes (match ≥ ``match_threshold``) and
    argues for (side ≥ ``side_threshold``), and is a member of the one with the highest match × side,
    or of none. ``own``: point index -> key point index, for a point that is a key point's label
    sentence (it joins that key point, as in the synthesis). Returns, per point, ``(key point index,
    match probability)`` or None.
    """
    n, m = len(point_texts), len(key_point_labels)
    if not n or not m:
        return [None] * n
    claims = [_Claim(t) for t in key_point_labels]
    joins: list[dict[int, tuple[float, float]]] = [{} for _ in range(m)]
    against: list[dict[int, float]] = [{} for _ in range(m)]
    if point_vectors is None or key_point_vectors is None or settings.shortlist >= m:
        pairs = [(c, i) for i in range(n) for c in range(m)]
    else:
        nearest = np.argsort(-(point_vectors @ key_point_vectors.T), axis=1, kind="stable")[:, : settings.shortlist]
        pairs = [(int(c), i) for i in range(n) for c in nearest[i]]
    _read(pairs, point_texts, claims, readings, settings, joins, against)
    best = _best_joins(dict(enumerate(joins)))
    for i, j in (own or {}).items():
        best[i] = (1.0, j, 1.0)
    return [(best[i][1], best[i][2]) if i in best else None for i in range(n)]


def by_prevalence(kp) -> tuple:
    """The order of key points: most stakeholders, then most points, then label."""
    return -kp.n_stakeholders, -kp.n_points, kp.label


def spread_of(speakers) -> tuple[dict[str, int], dict[str, int]]:
    """Stakeholders counted by M49 region ("unknown" without one) and by type, each sorted by name."""
    speakers = list(speakers)
    return (dict(sorted(Counter(s.region or "unknown" for s in speakers).items())),
            dict(sorted(Counter(s.type.value for s in speakers).items())))


def number_key_points(key_points: list[KeyPoint]) -> None:
    """Order by stakeholders, then points, then label, and number KP1, KP2, … in that order."""
    key_points.sort(key=by_prevalence)
    for number, kp in enumerate(key_points, 1):
        kp.id = f"KP{number}"


def build_key_points(points: Sequence[Point], vectors: np.ndarray, candidates: Sequence[Candidate],
                     selection: Selection, speaker_of: dict[str, Stakeholder],
                     themes: dict[str, str | None]) -> tuple[list[KeyPoint], list[str]]:
    """KeyPoint objects for a selection: labels, members, prevalence, spread, keywords (step 4)."""
    key_points = []
    groups = [sorted(members) for members in selection.members]
    keywords = keywords_of([[points[i].text for i in g] for g in groups])
    joined = selection.joined or [{} for _ in selection.chosen]
    for c, members, opposed, group, words_, also in zip(selection.chosen, selection.members, selection.against, groups,
                                                        keywords, joined):
        candidate = candidates[c]
        centroid = vectors[group].mean(axis=0)
        centroid /= np.linalg.norm(centroid) + 1e-12
        speakers = {speaker_of[points[i].contribution_id] for i in group}
        regions, types = spread_of(speakers)
        key_points.append(KeyPoint(
            id="",
            label_point=candidate.point_id,
            label=candidate.text,
            label_start=candidate.start,
            label_end=candidate.end,
            keywords=words_,
            point_ids=[points[i].id for i in group],
            stakeholders=sorted(s.name for s in speakers),
            regions=regions,
            types=types,
            theme=theme_of(themes.get(candidate.point_id), [themes.get(points[i].id) for i in group]),
            centroid=centroid,
            match={points[i].id: members[i] for i in group},
            against={points[i].id: p for i, p in sorted(opposed.items()) if i not in members},
            joined={points[i].id: p for i, p in sorted(also.items())},
            label_span=candidate.span,
            quality=candidate.quality,
        ))
    number_key_points(key_points)
    grouped = {i for g in groups for i in g}
    unclustered = [p.id for i, p in enumerate(points) if i not in grouped]
    return key_points, unclustered


def theme_of(label_theme: str | None, member_themes) -> str | None:
    """A key point's theme: its label's, else the one most of its members have (ties: the first by id)."""
    votes = Counter(t for t in member_themes if t)
    return label_theme or (min(votes, key=lambda t: (-votes[t], t)) if votes else None)


def keywords_of(documents: list[list[str]], top: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: each key point's texts form one document; top terms per key point."""
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
