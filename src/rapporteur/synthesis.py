"""Runs the stages in order and returns a Synthesis: everything a report shows, with evidence ids.

``synthesize`` calls one stage per line; each stage is a function of plain data (points, arrays,
dicts, dataclasses) returning plain data, and every threshold lives in ``SynthesisOptions``:

    segment ─ set_aside ─ embed ─ keep_subject ─ classify_themes ─ read_cues ─ find_claims (candidates)
    ─ read_pairs (matcher, stance model) ─ select_key_points (coverage) ─ build_key_points
    ─ place_other_languages ─ read_rivals ─ find_agreement (convergence, opposing, disputed) ─ find_unaddressed (gaps)
    ─ audit_representation ─ compile_practices ─ assemble

When English leads (fewer than half the analysed points in other languages), ``set_aside`` keeps the
points in other languages out of the English stages, and ``place_other_languages`` places them into
the English key points afterwards (``analysis.placement``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np

from rapporteur import __version__
from rapporteur.analysis.candidates import Candidate, CandidateRules, find_candidates
from rapporteur.analysis.convergence import AgreementRules, Convergence, Divergence, find_agreement, read_rivals
from rapporteur.analysis.gaps import expected_items, find_unaddressed
from rapporteur.analysis.keypoints import (KeyPoint, KeyPointSettings, build_key_points, number_key_points,
                                           read_pairs, select_key_points)
from rapporteur.analysis.readings import CosineReadings, LearnedReadings, MixedReadings
from rapporteur.analysis.relevance import Subject, between_relevant, centroid_of, relevant, terms, to_read
from rapporteur.analysis.representation import Representation, audit_representation
from rapporteur.analysis.stance import Stance
from rapporteur.analysis.themes import Taxonomy, classify, load_taxonomy
from rapporteur.embed import EmbeddingCache, embed_texts
from rapporteur.lang import rules_for
from rapporteur.model import Corpus, InputProblem, Point, PointKind, Stakeholder
from rapporteur.text.segment import segment_all

Progress = Callable[[str, int, int], None]

LEARNED_LIMITS = [
    "Key points are chosen as in IBM's Key Point Analysis: short verbatim claims (whole sentences or "
    "spans of them) that the most stakeholders make, as read by a matcher trained on IBM's ArgKP-2021 "
    "debate arguments. On ArgKP topics it never saw, the key points found recover the experts' own "
    "only in part (kp_recall 0.37, kp_precision 0.39: mean best F1 of argument sets; see the README's "
    "figures), "
    "and diplomatic statements are not debate arguments.",
    "Sides are read by a stance model trained on ArgKP-2021 (does a sentence argue for or against a "
    "claim?): a point that argues against a key point does not join it but stands against it. On "
    "unseen topics about one reading in four is wrong, so 'against' counts only with a rejection "
    "voiced in words or a rival key point; irony and conditional support are not understood.",
]
COSINE_LIMITS = [
    "Key points are short verbatim claims that the most stakeholders make, where 'makes' means close "
    "in a general-purpose sentence embedding (all-MiniLM-L6-v2): two sentences can be close in "
    "meaning yet claim opposite things.",
    "Sides come from written lexical cues, not from understanding: irony, conditional support and "
    "rejection phrased without these cues are missed.",
]
LIMITS = [
    "Candidate claims are found by written rules (5 to 18 words, self-contained, not bound to the "
    "speaker, with a finite verb); a claim made only in long sentences with no such span is missed.",
    "Prevalence counts who raised a point in the statements analysed; silence is not disagreement, "
    "and a stakeholder who did not speak on a matter is not counted on either side.",
    "Representation compares speakers with the 193 UN Member States; non-State stakeholders have no "
    "reference population, so only their absence or presence is reported.",
    "Every quote is the verbatim text of a statement; labels are verbatim spans, not summaries.",
]


@dataclass(frozen=True)
class SynthesisOptions:
    """Every setting of a synthesis: the one home of every threshold (the report lists them all)."""

    title: str = "Synthesis"
    about: str | None = None
    taxonomy: str = "gcm-sessions"
    # the theme (of ``taxonomy``) a session is about: its subtopics are what the session is expected
    # to address (``analysis.gaps``); None: every theme and subtopic
    focus: str | None = None
    candidates: CandidateRules = CandidateRules()
    key_points: KeyPointSettings = KeyPointSettings()
    agreement: AgreementRules = AgreementRules()
    # a point speaks to an expected item at this cosine to the item's label and terms (D3)
    address_similarity: float = 0.5
    # The learned readings (rapporteur.fidelity): the matcher and the stance model. Above
    # ``match_limit`` analysed points the readings are cosine and cues (the matcher reads every
    # point against its shortlist, about 170 pairs per second on 2 cores), and the report says so.
    learned: bool = True
    match_limit: int = 20000
    # With ``about``: MiniLM reads only the points a static embedding distilled from it puts within
    # ``cheap_margin`` of the relevance rule (``analysis.relevance``, "the cheap first pass"); off:
    # MiniLM reads every point, as before.
    cheap_pass: bool = True
    cheap_margin: float = 0.08
    # "auto": each contribution's and point's language is read (``rapporteur.lang``); when any analysed
    # point is not English, the embedding model is multilingual-e5 (``embed.e5``) and the English-only
    # learned models read English pairs only. "en": every text is taken as English, as before issue 15.
    languages: str = "auto"


@dataclass
class QuotedPoint:
    """A point as a report shows it: verbatim text, who said it, and where it is in the source."""

    id: str
    text: str
    stakeholder: str
    type: str
    country: str | None
    region: str | None
    subregion: str | None
    contribution: str
    source: str | None
    session: str | None
    start: int
    end: int
    theme: str | None
    stance: str
    stance_cue: str | None
    key_point: str | None = None
    match: float | None = None  # probability that it makes its key point (the matcher's reading)
    language: str = "en"  # ISO 639-1 (``rapporteur.lang``)


@dataclass
class Compiled:
    """A recommendation or practice."""

    point_id: str
    kind: str
    theme: str | None


@dataclass
class Synthesis:
    title: str
    about: str | None
    taxonomy: Taxonomy
    counts: dict[str, int]
    points: dict[str, QuotedPoint]
    key_points: list[KeyPoint]
    unclustered: list[str]
    convergence: list[Convergence]
    divergence: list[Divergence]
    representation: Representation
    compiled: list[Compiled]
    problems: list[InputProblem]
    settings: dict = field(default_factory=dict)
    limits: list[str] = field(default_factory=lambda: COSINE_LIMITS + LIMITS)
    languages: dict | None = None  # ``languages_read``: None when languages were not read
    rivals: set[tuple[str, str]] = field(default_factory=set)  # ``read_rivals``: kept for recomputing after edits

    def theme_label(self, theme_id: str | None) -> str:
        for theme in self.taxonomy.themes:
            if theme.id == theme_id:
                return theme.label
        return "No theme"

    def to_dict(self) -> dict:
        """JSON-ready: every item lists its supporting point ids and the points themselves."""
        from rapporteur.report.data import synthesis_dict

        return synthesis_dict(self)

    def document(self):
        """The typed ``synthesis.json`` (``rapporteur.schema.SynthesisDocument``)."""
        from rapporteur.report.data import synthesis_document

        return synthesis_document(self)


def synthesize(
    corpus: Corpus,
    options: SynthesisOptions | None = None,
    embedder=None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    fidelity=None,
) -> Synthesis:
    """Run every stage on ``corpus``.

    ``fidelity``: the learned models as ``(matcher, stance)`` pair scorers
    (``rapporteur.fidelity.pairs.PairScorer``); by default the shipped ones are loaded when
    ``options.learned`` is on.
    """
    options = options or SynthesisOptions()
    taxonomy = load_taxonomy(options.taxonomy)
    progress = progress or _silent
    all_points, kinds = segment(corpus, progress, options.languages)
    embedder = embedder or _default_embedder(all_points)
    others = set_aside(all_points, embedder, options)  # English leads: other languages are placed afterwards
    points, vectors, read = embed([p for p in all_points if p.id not in others], embedder, cache, progress, options)
    points, vectors, read = keep_subject(points, vectors, options.about, embedder, cache, read)
    themes = classify_themes(points, vectors, taxonomy, embedder, cache, progress)
    stances = read_cues(points)
    speaker_of_point = speakers(points, corpus)
    readings = choose_readings(options, points, embedder, cache, progress, fidelity)
    candidates, candidate_vectors, own = find_claims(points, corpus, options.candidates, embedder, cache, progress,
                                                     _quality_model() if readings.learned else None)
    if isinstance(readings, MixedReadings):  # a claim is in the language of the point it is cut from
        readings.language.update(language_of_claims(candidates, points))
    joins, against, pairs_read = read_pairs(vectors, candidate_vectors, [p.text for p in points], candidates, own,
                                            readings, options.key_points)
    speaker_names = [speaker_of_point[p.id].name for p in points]
    selection = select_key_points(candidates, joins, against, own, speaker_names, readings, options.key_points,
                                  vectors, candidate_vectors, [p.text for p in points])
    key_points, unclustered = build_key_points(points, vectors, candidates, selection,
                                               _speaker_of_contribution(corpus), themes)
    label_in_language(key_points, points, candidates, candidate_vectors)
    spaces = [(points, vectors, embedder)]
    if others:
        placed = place_other_languages(key_points, [p for p in all_points if p.id in others], points, corpus,
                                       options, taxonomy, cache, progress)
        points, unclustered = points + placed.points, unclustered + placed.left
        themes.update(placed.themes)
        stances.update(read_cues(placed.points))
        speaker_of_point.update(speakers(placed.points, corpus))
        spaces.append((placed.points, placed.vectors, placed.embedder))
    rivals = read_rivals(key_points, readings, options.key_points.match_threshold, options.agreement.rival_below)
    convergence, divergence = find_agreement(key_points, stances, speaker_of_point, options.agreement, rivals)
    divergence += unaddressed(taxonomy, options, spaces, speaker_of_point, cache)
    representation = represent(points, themes, speaker_of_point)
    compiled = compile_practices(points, themes)
    return assemble(corpus, options, taxonomy, embedder, readings, all_points, kinds, points, themes, stances,
                    speaker_of_point, candidates, key_points, unclustered, convergence, divergence, representation,
                    compiled, pairs_read + selection.pairs_read, read, rivals)


def stocktake(
    corpus: Corpus,
    options: SynthesisOptions | None = None,
    by: str = "session",
    embedder=None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    fidelity=None,
) -> dict:
    """One key point set over every session of ``corpus``, read session by session (``by`` "session",
    or "year": the year of each contribution's date), with the process assessed.

    Returns the stocktaking document (``synthesis.json`` with ``kind: "stocktake"``; see
    ``rapporteur.analysis.stocktake`` for every rule)."""
    from rapporteur.analysis.stocktake import add_stocktake, sessions_of

    if by not in ("session", "year"):
        raise ValueError(f"by must be 'session' or 'year', not {by!r}")
    if by == "year":
        for c in corpus.contributions:
            c.session = c.date[:4] if c.date else None
    sessions = sessions_of(corpus)
    result = synthesize(corpus, options, embedder=embedder, cache=cache, progress=progress, fidelity=fidelity)
    document = add_stocktake(result.to_dict(), sessions)
    if len(sessions) == 1:
        document["limits"] = [f"One session only ({sessions[0].label}): no trend across sessions is read.",
                              *document["limits"]]
    return document


# ------------------------------------------------------------------------------------------ stages
def segment(corpus: Corpus, progress: Progress = None, languages: str = "en") -> tuple[list[Point], Counter]:
    """Every contribution cut into verbatim points; the counts of each kind of point. With
    ``languages`` "auto", each point's language is read and its kind read by that language's rules
    (``lang.points``)."""
    progress = progress or _silent
    progress("segmenting", 0, len(corpus.contributions))
    points = segment_all(corpus.contributions)
    if languages == "auto":
        from rapporteur.lang.points import read_languages

        progress("languages", 0, len(points))
        read_languages(corpus, points)
        progress("languages", len(points), len(points))
    elif languages != "en":
        raise ValueError(f"languages must be 'auto' or 'en', not {languages!r}")
    progress("segmenting", len(corpus.contributions), len(corpus.contributions))
    return points, Counter(p.kind for p in points)


def embed(all_points: list[Point], embedder, cache, progress: Progress = None,
          options: SynthesisOptions | None = None) -> tuple[list[Point], np.ndarray, np.ndarray | None]:
    """The analysed points (not procedural, headings or fragments) and their unit vectors.

    With ``options.about`` and the cheap pass on, only the points ``relevance.to_read`` chooses are
    read by the embedder (the others keep zero vectors); the third value is that mask, else None.
    """
    points = [p for p in all_points if p.analysed]
    texts = [p.text for p in points]
    static = _static_embedder(embedder) if options and options.about and options.cheap_pass else None
    if static is None:
        return points, embed_texts(embedder, texts, cache=cache, progress=progress, stage="embedding"), None
    progress = progress or _silent
    subject = Subject(options.about)
    subject_vector = embed_texts(embedder, [options.about], cache=cache)[0]
    has_term = terms(points, subject)
    vectors = np.zeros((len(points), embedder.dimension), dtype=np.float32)
    with_term = np.flatnonzero(has_term)
    vectors[with_term] = embed_texts(embedder, [texts[i] for i in with_term], cache=cache, progress=progress,
                                     stage="terms").reshape(len(with_term), -1)
    term_vectors = vectors[with_term]
    centroid = centroid_of(term_vectors, term_vectors @ subject_vector, np.ones(len(with_term), bool), subject)
    read = has_term.copy()
    step = 20_000
    for begin in range(0, len(points), step):
        progress("cheap pass", begin, len(points))
        chunk = static.encode(texts[begin : begin + step])
        read[begin : begin + step] = to_read(chunk, has_term[begin : begin + step], subject, subject_vector, centroid,
                                             options.cheap_margin)
    progress("cheap pass", len(points), len(points))
    rest = np.flatnonzero(read & ~has_term)
    vectors[rest] = embed_texts(embedder, [texts[i] for i in rest], cache=cache, progress=progress,
                                stage="embedding").reshape(len(rest), -1)
    return points, vectors, read


def keep_subject(points: list[Point], vectors: np.ndarray, about: str | None, embedder, cache,
                 read: np.ndarray | None = None):
    """With ``--about``, only the points on the subject (``analysis.relevance``).

    ``read``: the points the embedder read (the cheap pass); a point not read that sits between two
    relevant ones is read now, for the rule's passage clause. Returns the points, their vectors and
    how many points the embedder read (None: all of them)."""
    if not about:
        return points, vectors, None
    subject = Subject(about)
    subject_vector = embed_texts(embedder, [about], cache=cache)[0]
    mask = relevant(points, vectors, subject, subject_vector)
    if read is not None:
        gaps = between_relevant(points, mask)
        gaps = gaps[~read[gaps]]
        if len(gaps):
            vectors[gaps] = embed_texts(embedder, [points[i].text for i in gaps], cache=cache).reshape(len(gaps), -1)
            read[gaps] = True
            mask = relevant(points, vectors, subject, subject_vector)
    return [p for p, keep in zip(points, mask) if keep], vectors[mask], None if read is None else int(read.sum())


def classify_themes(points, vectors, taxonomy: Taxonomy, embedder, cache, progress: Progress = None) -> dict:
    """Point id -> theme id (or None), by ``analysis.themes``."""
    progress = progress or _silent
    progress("themes", 0, 1)
    theme_vectors = embed_texts(embedder, [t.anchor for t in taxonomy.themes], cache=cache)
    theme_ids = classify([p.text for p in points], vectors, taxonomy, theme_vectors)
    progress("themes", 1, 1)
    return {p.id: t for p, t in zip(points, theme_ids)}


def read_cues(points: list[Point]) -> dict[str, Stance]:
    """Point id -> its lexical stance cue (support, rejection, reservation, neutral), by the rules
    of the point's language (``rapporteur.lang``)."""
    return {p.id: rules_for(p.language).stance_of(p.text) for p in points}


def speakers(points: list[Point], corpus: Corpus) -> dict[str, Stakeholder]:
    """Point id -> the stakeholder who said it."""
    of_contribution = _speaker_of_contribution(corpus)
    return {p.id: of_contribution[p.contribution_id] for p in points}


def choose_readings(options: SynthesisOptions, points: list[Point], embedder, cache, progress, fidelity=None):
    """The learned readings (matcher and stance model) when on and within the limit, else cosine and
    cues; when some points are not English, the learned models read English pairs only and the
    others are read by the multilingual embedding and their language's cues (``MixedReadings``)."""
    if options.learned and len(points) <= options.match_limit:
        matcher, stance = _learned_models(fidelity)
        learned = LearnedReadings(matcher, stance, cache, progress)
        # the calibration of MixedReadings is of multilingual-e5's cosine: with MiniLM (a few points in
        # another language, below ``multilingual``'s share) the learned models read every pair
        if not _is_minilm(embedder) and any(p.language != "en" for p in points):
            return MixedReadings(learned, CosineReadings(embedder, cache), {p.text: p.language for p in points})
        return learned
    return CosineReadings(embedder, cache)


def find_claims(points: list[Point], corpus: Corpus, rules: CandidateRules, embedder, cache,
                progress: Progress = None, quality=None) -> tuple[list[Candidate], np.ndarray, list[int]]:
    """The candidates (``analysis.candidates``) with their learned quality when ``quality`` is given
    (``fidelity.quality``; those below ``rules.min_quality`` or in the lowest ``rules.quality_drop``
    are left out), their unit vectors, and
    the index of each one's point."""
    source = {c.id: c.text for c in corpus.contributions}
    candidates = find_candidates(points, source, rules)
    vectors = embed_texts(embedder, [c.text for c in candidates], cache=cache, progress=progress, stage="claims")
    vectors = vectors.reshape(len(candidates), -1) if candidates else np.zeros((0, embedder.dimension), np.float32)
    if quality is not None and candidates:
        scores = _quality_scores(quality, candidates, vectors, points, embedder, cache)
        for candidate, score in zip(candidates, scores):
            candidate.quality = round(float(score), 4)
        cut = max(rules.min_quality, float(np.quantile(scores, rules.quality_drop)) if rules.quality_drop else 0.0)
        keep = [i for i, c in enumerate(candidates) if c.quality >= cut]
        candidates, vectors = [candidates[i] for i in keep], vectors[keep]
    index = {p.id: i for i, p in enumerate(points)}
    return candidates, vectors, [index[c.point_id] for c in candidates]


def language_of_claims(candidates: list[Candidate], points: list[Point]) -> dict[str, str]:
    language = {p.id: p.language for p in points}
    return {c.text: language[c.point_id] for c in candidates}


def _quality_scores(quality, candidates, vectors, points, embedder, cache) -> np.ndarray:
    """The learned quality of each candidate. The model reads MiniLM vectors of English text: with
    another embedder, English candidates are embedded by MiniLM for it, and a candidate in another
    language is given the median of the English ones (it is neither favoured nor dropped)."""
    if _is_minilm(embedder):
        return quality.score(vectors, [c.text for c in candidates])
    language = {p.id: p.language for p in points}
    english = [i for i, c in enumerate(candidates) if language[c.point_id] == "en"]
    scores = np.zeros(len(candidates))
    if english:
        texts = [candidates[i].text for i in english]
        scores[english] = quality.score(embed_texts(_default_embedder(), texts, cache=cache), texts)
    others = np.setdiff1d(np.arange(len(candidates)), english)
    scores[others] = float(np.median(scores[english])) if english else 0.5
    return scores


def label_in_language(key_points: list[KeyPoint], points: list[Point], candidates: list[Candidate],
                      candidate_vectors: np.ndarray, language: str = "en") -> None:
    """A key point labelled in another language takes, where one exists, the candidate in the
    report's ``language`` among its own members' candidates nearest its label (verbatim, as every
    label); otherwise it keeps its label, whose language the report marks."""
    language_of = {p.id: p.language for p in points}
    by_point: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_point.setdefault(c.point_id, []).append(i)
    label_candidate = {(c.point_id, c.start, c.end): i for i, c in enumerate(candidates)}
    for kp in key_points:
        if language_of.get(kp.label_point, "en") == language:
            continue
        own = label_candidate.get((kp.label_point, kp.label_start, kp.label_end))
        choices = [i for pid in kp.point_ids if language_of.get(pid) == language for i in by_point.get(pid, [])]
        if own is None or not choices:
            continue
        best = max(choices, key=lambda i: (float(candidate_vectors[i] @ candidate_vectors[own]), -i))
        c = candidates[best]
        kp.label_point, kp.label, kp.label_start, kp.label_end = c.point_id, c.text, c.start, c.end
        kp.label_span, kp.quality = c.span, c.quality


def unaddressed(taxonomy, options: SynthesisOptions, spaces, speaker_of_point, cache):
    """Divergence kind D3: what the taxonomy expects and few spoke to (``analysis.gaps``), over the
    points of every language: ``spaces`` is a list of (points, their vectors, the embedder that made
    them), each compared with the items in its own embedder's space."""
    items = expected_items(taxonomy, options.focus)
    points = [p for group, _, _ in spaces for p in group]
    similarity = np.vstack([vectors @ embed_texts(embedder, [i.anchor for i in items], cache=cache).reshape(len(items), -1).T
                            if len(group) and items else np.zeros((len(group), len(items)))
                            for group, vectors, embedder in spaces])
    return find_unaddressed(items, similarity, points, speaker_of_point, taxonomy.name,
                            options.address_similarity, options.agreement)


@dataclass
class Placed:
    """The analysed points in other languages, placed (``analysis.placement``)."""

    points: list[Point]
    vectors: np.ndarray  # in ``embedder``'s space (multilingual)
    embedder: object
    themes: dict[str, str | None]
    left: list[str]  # not placed: unclustered


def set_aside(all_points: list[Point], embedder, options: SynthesisOptions) -> set[str]:
    """The ids of the analysed points in other languages when English leads: languages are read, the
    embedder is MiniLM (fewer than ``MULTILINGUAL_SHARE`` of the points are in other languages), and
    the learned models are on. The English points are then read exactly as in an English-only run."""
    if options.languages != "auto" or not options.learned or not _is_minilm(embedder):
        return set()
    return {p.id for p in all_points if p.analysed and p.language != "en"}


def place_other_languages(key_points, others: list[Point], english: list[Point], corpus: Corpus,
                          options: SynthesisOptions, taxonomy: Taxonomy, cache, progress: Progress) -> Placed:
    """Rules of ``analysis.placement``: the other-language points read by multilingual-e5, kept to the
    subject with ``about``, classified into themes, and placed into the English key points."""
    from rapporteur.analysis.placement import place_points
    from rapporteur.embed.e5 import E5Embedder

    e5 = E5Embedder()
    vectors = embed_texts(e5, [p.text for p in others], cache=cache, progress=progress, stage="embedding")
    vectors = vectors.reshape(len(others), -1)
    others, vectors, _ = keep_subject(others, vectors, options.about, e5, cache)
    themes = classify_themes(others, vectors, taxonomy, e5, cache) if others else {}
    of_point = speakers(others, corpus)
    placement = place_points(key_points, others, vectors, {p.id: p.text for p in english},
                             lambda texts: embed_texts(e5, texts, cache=cache).reshape(len(texts), -1), of_point,
                             options.key_points.match_threshold)
    number_key_points(key_points)  # placed speakers count in the order
    return Placed(others, vectors, e5, themes, placement.left)


def represent(points, themes, speaker_of_point) -> Representation:
    theme_speakers: dict[str, list] = {}
    for p in points:
        if themes[p.id]:
            theme_speakers.setdefault(themes[p.id], []).append(speaker_of_point[p.id])
    return audit_representation(list(speaker_of_point.values()), theme_speakers)


def compile_practices(points, themes) -> list[Compiled]:
    compiled = []
    for p in points:
        kind = rules_for(p.language).kind_of(p.text)
        if kind:
            compiled.append(Compiled(p.id, kind, themes[p.id]))
    return compiled


def assemble(corpus, options, taxonomy, embedder, readings, all_points, kinds, points, themes, stances,
             speaker_of_point, candidates, key_points, unclustered, convergence, divergence, representation,
             compiled, pairs_read, read: int | None = None, rivals: set | None = None) -> Synthesis:
    """The Synthesis: every point as quoted, counts, settings and limits."""
    contributions = {c.id: c for c in corpus.contributions}
    key_point_of = {pid: kp.id for kp in key_points for pid in kp.point_ids}
    match_of = {pid: p for kp in key_points for pid, p in kp.match.items()}
    quoted = {}
    for p in points:
        contribution = contributions[p.contribution_id]
        speaker = contribution.stakeholder
        quoted[p.id] = QuotedPoint(
            id=p.id, text=p.text, stakeholder=speaker.name, type=speaker.type.value,
            country=speaker.country, region=speaker.region, subregion=speaker.subregion,
            contribution=contribution.id, source=contribution.source, session=contribution.session,
            start=p.start, end=p.end, theme=themes[p.id], stance=stances[p.id].value,
            stance_cue=rules_for(p.language).cue(p.text) if stances[p.id] is not Stance.NEUTRAL else None,
            key_point=key_point_of.get(p.id), match=match_of.get(p.id), language=p.language,
        )
    analysable = sum(1 for p in all_points if p.analysed)
    counts = {
        "contributions": len(contributions),
        "stakeholders": len({c.stakeholder.name for c in contributions.values()}),
        "points": len(all_points),
        "procedural": kinds.get(PointKind.PROCEDURAL, 0),
        "fragments": kinds.get(PointKind.FRAGMENT, 0),
        "headings": kinds.get(PointKind.HEADING, 0),
        "front_matter": kinds.get(PointKind.FRONT_MATTER, 0) + kinds.get(PointKind.SIGNATURE, 0),
        "self_introductions": kinds.get(PointKind.INTRODUCTION, 0),
        "unread_language": kinds.get(PointKind.UNREAD, 0),
        "analysed": len(points),
        "speakers_analysed": len({s.name for s in speaker_of_point.values()}),
        "candidates": len(candidates),
        "pairs_read": pairs_read,
        "key_points": len(key_points),
        "unclustered": len(unclustered),
        "skipped_inputs": sum(1 for p in corpus.problems if p.skipped),
        # points the embedding model read: all analysable ones, or those the cheap pass chose
        "embedded": analysable if read is None else read,
    }
    limits = (LEARNED_LIMITS if readings.learned else COSINE_LIMITS) + LIMITS
    if options.focus is not None and not expected_items(taxonomy, options.focus):
        limits.append(f"Unaddressed matters (D3): the session's theme ({options.focus}) has no sub-topics in "
                      f"{taxonomy.name}, so nothing was expected and nothing was checked.")
    if read is not None:
        limits.append(
            f"The cheap pass: the embedding model read {read:,} of {analysable:,} points, those "
            "a static embedding distilled from it put near the subject; on the 2018 General Debate (not used to "
            "train or tune it) this kept 97.5–99.5 % of the points reading every point keeps, over 16 subjects. "
            "Points it skipped are not in this synthesis; --no-cheap-pass reads every point.")
    languages = languages_read(options, all_points, points, readings, embedder)
    if languages and len(languages["counts"]) > 1:
        limits.extend(language_limits(languages))
    if options.learned and not readings.learned:
        limits.append(f"{len(points)} points exceed the matcher's limit of {options.match_limit}: claims are read "
                      "by embedding similarity and sides by lexical cues.")
    return Synthesis(
        title=options.title, about=options.about, taxonomy=taxonomy, counts=counts, points=quoted,
        key_points=key_points, unclustered=unclustered, convergence=convergence, divergence=divergence,
        representation=representation, compiled=compiled, problems=list(corpus.problems), limits=limits,
        languages=languages, rivals=rivals or set(),
        settings={
            "rapporteur": __version__,
            "embedding_model": embedder.model_id,
            **readings.model_ids,
            "quality_model": _quality_model().model_id if readings.learned else None,
            "options": _options_dict(options),
            # kept at the top level for the report's method section
            "key_points": asdict(options.key_points),
            "agreement": asdict(options.agreement),
            "candidates": asdict(options.candidates),
            "taxonomy": options.taxonomy,
            "about": options.about,
        },
    )


def languages_read(options: SynthesisOptions, all_points: list[Point], points: list[Point], readings, embedder):
    """The languages of the input, and what each stage could do in each (``synthesis.json`` ``languages``)."""
    if options.languages != "auto":
        return None
    from rapporteur.lang import direction, name_of

    every, analysed = Counter(p.language for p in all_points), Counter(p.language for p in points)
    counts = {code: {"name": name_of(code), "direction": direction(code), "points": n, "analysed": analysed.get(code, 0),
                     "home": rules_for(code) is not None}
              for code, n in sorted(every.items(), key=lambda kv: (-kv[1], kv[0]))}
    homes = sorted(c for c in every if rules_for(c) is not None)
    multilingual = not _is_minilm(embedder)
    learned = bool(getattr(readings, "learned", False))
    mixed = isinstance(readings, MixedReadings)
    stages = [
        {"stage": "segmentation", "read": sorted(every), "note": "sentences cut by BlingFire in every language"},
        {"stage": "procedural text, stance cues, recommendations and practices", "read": homes,
         "note": "written cues of each language's home (rapporteur.lang)"},
        {"stage": "embedding", "read": homes if multilingual else ["en"],
         "note": embedder.model_id + ("" if multilingual else " (English)")},
        {"stage": "matcher and stance model", "read": ["en"] if learned else [],
         "note": ("trained on English (ArgKP-2021): English pairs only; other pairs by the multilingual embedding, "
                  "calibrated, and their language's cues") if mixed else
                 "trained on English (ArgKP-2021): every pair, read as English" if learned else "not used (cosine and cues)"},
        {"stage": "candidate key points", "read": homes,
         "note": "English: sentences and spans of them; other languages: whole sentences"},
    ]
    placed = learned and not mixed and not multilingual and any(p.language != "en" for p in points)
    if placed:  # English leads (``set_aside``): the other languages were placed into its key points
        stages[-1] = {"stage": "candidate key points", "read": ["en"],
                      "note": "English sentences and spans of them, as in an English-only run"}
        stages.append({"stage": "placement", "read": sorted({p.language for p in points} - {"en"}),
                       "note": "points in other languages placed into the English key points by multilingual-e5 "
                               "(cosine to the label or an English member, calibrated), sides by their language's cues"})
    not_read = sum(1 for p in points if p.language != "en") if mixed or placed else 0
    return {"mode": options.languages, "counts": counts, "stages": stages, "not_read_by_learned": not_read}


def language_limits(languages: dict) -> list[str]:
    """What the report says of the languages: each one's share, and what was not read."""
    parts = [f"{c['name']} {c['points']}" for c in languages["counts"].values()]
    out = [f"Points per language: {', '.join(parts)}. Quotes stay in the language they were said in."]
    unread = [c for c in languages["counts"].values() if not c["home"]]
    if unread:
        out.append("Not analysed (no rules or model for the language, kept in the record): "
                   + ", ".join(f"{c['name']} ({c['points']} points)" for c in unread) + ".")
    placed = any(stage["stage"] == "placement" for stage in languages["stages"])
    if languages["not_read_by_learned"] and placed:
        out.append(f"{languages['not_read_by_learned']} analysed points are not in English. The English points were "
                   "read as in an English-only run; each of the others joined the English key point it makes, read "
                   "by the multilingual embedding (calibrated on ArgKP-2021 train) and its language's cues, or "
                   "stayed out: a claim made only in other languages has no key point of its own.")
    elif languages["not_read_by_learned"]:
        out.append(f"{languages['not_read_by_learned']} analysed points are not in English: the English-only matcher "
                   "and stance model did not read them; their pairs were read by the multilingual embedding, "
                   "calibrated on ArgKP-2021 train, and their sides by their language's cues.")
    return out


def _is_minilm(embedder) -> bool:
    return str(getattr(embedder, "model_id", "")).startswith("sentence-transformers/all-MiniLM-L6-v2")


def _options_dict(options: SynthesisOptions) -> dict:
    return {k: v for k, v in asdict(options).items() if k != "title"}


def _speaker_of_contribution(corpus: Corpus) -> dict[str, Stakeholder]:
    return {c.id: c.stakeholder for c in corpus.contributions}


def _silent(stage: str, done: int, total: int) -> None:
    return None


def _static_embedder(embedder):
    """The shipped static table when it lives in ``embedder``'s space, else None (no cheap pass)."""
    static = _shipped_static()
    return static if static.serves(embedder.model_id) else None


@lru_cache(maxsize=1)
def _shipped_static():
    from rapporteur.embed.static import StaticEmbedder

    return StaticEmbedder()  # loaded once per process


def multilingual(points: list[Point]) -> bool:
    """Enough analysed points are not in English for the multilingual model to read every point: at
    least ``MULTILINGUAL_SHARE`` of them, and at least ``MULTILINGUAL_MIN``. Below that, English leads:
    MiniLM and the learned models read the English points as in an English-only run, and the others
    are placed by the multilingual model (``set_aside``, ``analysis.placement``)."""
    analysed = [p for p in points if p.analysed]
    others = sum(1 for p in analysed if p.language != "en")
    return others >= max(MULTILINGUAL_MIN, MULTILINGUAL_SHARE * len(analysed))


# a majority of the analysed points in other languages: below it, English leads (``set_aside``)
MULTILINGUAL_MIN, MULTILINGUAL_SHARE = 3, 0.5


def _default_embedder(points: list[Point] | None = None):
    """MiniLM, or multilingual-e5 when enough analysed points are not in English (``multilingual``)."""
    if points and multilingual(points):
        from rapporteur.embed.e5 import E5Embedder

        return E5Embedder()
    from rapporteur.embed import MiniLMEmbedder

    return MiniLMEmbedder()


def _quality_model():
    from rapporteur.fidelity.quality import default_quality_model

    return default_quality_model()


def _learned_models(fidelity):
    if fidelity is not None:
        return fidelity
    from rapporteur.fidelity.matcher import default_matcher
    from rapporteur.fidelity.stance_model import default_stance_model

    return default_matcher().scorer, default_stance_model().scorer  # loaded once per process


__all__ = ["Synthesis", "SynthesisOptions", "synthesize"]
