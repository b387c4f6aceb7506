"""Runs the stages in order and returns a Synthesis: everything a report shows, with evidence ids.

    corpus ─ segment ─ embed ─ [--about] ─ themes ─ stance cues ─ key points ─ membership (matcher,
                                                                  stance model) ─ convergence/divergence
                                                  └ representation ─ recommendations/practices
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from rapporteur import __version__
from rapporteur.analysis import practices as practice_rules
from rapporteur.analysis.convergence import AgreementRules, Convergence, Divergence, find_agreement
from rapporteur.analysis.keypoints import KeyPoint, KeyPointSettings, build_key_points
from rapporteur.analysis.membership import MembershipRules, confirm_membership
from rapporteur.analysis.relevance import Subject, relevant
from rapporteur.analysis.representation import Representation, audit_representation
from rapporteur.analysis.stance import Stance, cue, stance_of
from rapporteur.analysis.themes import Taxonomy, classify, load_taxonomy
from rapporteur.embed import EmbeddingCache, embed_texts
from rapporteur.model import Corpus, InputProblem, PointKind
from rapporteur.text.segment import segment_all

Progress = Callable[[str, int, int], None]

MATCHED_LIMITS = [
    "Key points are proposed by clustering similar sentences (all-MiniLM-L6-v2), then a sentence "
    "counts for a key point only if a matcher trained on IBM's ArgKP-2021 debate arguments reads it "
    "as making that point; on unseen ArgKP topics its ranking of matches is far from perfect (see "
    "the README's figures), and diplomatic statements are not debate arguments. It reads whether a "
    "sentence is on the matter of a key point, not on which side, so a key point's members can "
    "include sentences that dispute it.",
    "Rejections are found by written lexical cues and confirmed by a stance model trained on "
    "ArgKP-2021 (it reads whether a sentence argues for or against a key point); rejection phrased "
    "without the cues is missed, and irony and conditional support are not understood.",
]
CLUSTER_LIMITS = [
    "Key points are clusters of similar sentences found by a general-purpose sentence embedding "
    "(all-MiniLM-L6-v2); two sentences can be close in meaning yet differ in what they claim.",
    "Stance (support, rejection, reservations) comes from written lexical cues, not from "
    "understanding: irony, conditional support and rejection phrased without these cues are missed, "
    "and a negated sentence can be read as rejection of what it names.",
]
LIMITS = [
    "Prevalence counts who raised a point in the statements analysed; silence is not disagreement, "
    "and a stakeholder who did not speak on a matter is not counted on either side.",
    "Representation compares speakers with the 193 UN Member States; non-State stakeholders have no "
    "reference population, so only their absence or presence is reported.",
    "Every quote is the verbatim text of a statement; labels are quotes, not summaries.",
]


@dataclass(frozen=True)
class SynthesisOptions:
    title: str = "Synthesis"
    about: str | None = None
    taxonomy: str = "gcm-sessions"
    key_points: KeyPointSettings = KeyPointSettings()
    agreement: AgreementRules = AgreementRules()
    # The learned judgements (rapporteur.fidelity): key-point membership by the matcher and
    # rejections confirmed by the stance model. Above ``match_limit`` analysed points membership
    # stays the clustering's (the matcher reads every point against a few key points, about 180
    # pairs per second on 2 cores), and the report says so.
    learned: bool = True
    membership: MembershipRules = MembershipRules()
    match_limit: int = 20000


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
    limits: list[str] = field(default_factory=lambda: CLUSTER_LIMITS + LIMITS)

    def theme_label(self, theme_id: str | None) -> str:
        for theme in self.taxonomy.themes:
            if theme.id == theme_id:
                return theme.label
        return "No theme"

    def to_dict(self) -> dict:
        """JSON-ready: every item lists its supporting point ids and the points themselves."""
        from rapporteur.report.data import synthesis_dict

        return synthesis_dict(self)


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
    if embedder is None:
        from rapporteur.embed import MiniLMEmbedder

        embedder = MiniLMEmbedder()
    report = progress or (lambda stage, done, total: None)

    contributions = {c.id: c for c in corpus.contributions}
    report("segmenting", 0, len(contributions))
    all_points = segment_all(corpus.contributions)
    report("segmenting", len(contributions), len(contributions))
    kinds = Counter(p.kind for p in all_points)
    points = [p for p in all_points if p.analysed]
    vectors = embed_texts(embedder, [p.text for p in points], cache=cache, progress=progress, stage="embedding")
    if options.about:
        subject = Subject(options.about)
        subject_vector = embed_texts(embedder, [options.about], cache=cache)[0]
        mask = relevant(points, vectors, subject, subject_vector)
        points = [p for p, keep in zip(points, mask) if keep]
        vectors = vectors[mask]

    report("themes", 0, 1)
    theme_vectors = embed_texts(embedder, [t.anchor for t in taxonomy.themes], cache=cache)
    theme_ids = classify([p.text for p in points], vectors, taxonomy, theme_vectors)
    themes = {p.id: t for p, t in zip(points, theme_ids)}
    stances = {p.id: stance_of(p.text) for p in points}
    report("themes", 1, 1)

    speaker_of_contribution = {cid: c.stakeholder for cid, c in contributions.items()}
    speaker_of_point = {p.id: speaker_of_contribution[p.contribution_id] for p in points}
    learned = options.learned and len(points) <= options.match_limit
    matcher, stance_model = _learned_models(fidelity) if learned else (None, None)
    confirm = side_check = match = None
    if learned:
        from rapporteur.fidelity.pairs import cached_probabilities
    if stance_model is not None:
        def side_check(labels, statements):
            return cached_probabilities(stance_model, labels, statements, cache, progress, "reading sides")
    if matcher is not None:
        def match(labels, statements):
            return cached_probabilities(matcher, labels, statements, cache, progress, "matching key points")

        def confirm(groups, labels):
            return confirm_membership(points, vectors, groups, labels, match, options.membership,
                                      options.key_points.min_points, side_check)
    report("key points", 0, 1)
    key_points, unclustered = build_key_points(points, vectors, speaker_of_contribution, themes, options.key_points,
                                               confirm)
    report("key points", 1, 1)
    vector_of = {p.id: vectors[i] for i, p in enumerate(points)}
    convergence, divergence = find_agreement(
        key_points, {p.id: p for p in points}, vector_of, stances, speaker_of_point, unclustered, options.agreement,
        side_check, match if matcher is not None else None,
    )

    theme_speakers: dict[str, list] = {}
    for p in points:
        if themes[p.id]:
            theme_speakers.setdefault(themes[p.id], []).append(speaker_of_point[p.id])
    representation = audit_representation(list(speaker_of_point.values()), theme_speakers)

    compiled = []
    for p in points:
        kind = practice_rules.kind_of(p.text)
        if kind:
            compiled.append(Compiled(p.id, kind, themes[p.id]))

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
            stance_cue=cue(p.text) if stances[p.id] is not Stance.NEUTRAL else None,
            key_point=key_point_of.get(p.id),
            match=match_of.get(p.id),
        )
    counts = {
        "contributions": len(contributions),
        "stakeholders": len({c.stakeholder.name for c in contributions.values()}),
        "points": len(all_points),
        "procedural": kinds.get(PointKind.PROCEDURAL, 0),
        "fragments": kinds.get(PointKind.FRAGMENT, 0),
        "analysed": len(points),
        "speakers_analysed": len({s.name for s in speaker_of_point.values()}),
        "key_points": len(key_points),
        "unclustered": len(unclustered),
        "skipped_inputs": sum(1 for p in corpus.problems if p.skipped),
    }
    return Synthesis(
        title=options.title,
        about=options.about,
        taxonomy=taxonomy,
        counts=counts,
        points=quoted,
        key_points=key_points,
        unclustered=unclustered,
        convergence=convergence,
        divergence=divergence,
        representation=representation,
        compiled=compiled,
        problems=list(corpus.problems),
        limits=(MATCHED_LIMITS if matcher is not None else CLUSTER_LIMITS) + LIMITS + (
            [] if learned or not options.learned else [
                f"{len(points)} points exceed the matcher's limit of {options.match_limit}: key-point membership "
                "is the clustering's and rejections are not checked by the stance model."]),
        settings={
            "rapporteur": __version__,
            "embedding_model": embedder.model_id,
            "matcher": matcher.model_id if matcher is not None else None,
            "stance_model": stance_model.model_id if stance_model is not None else None,
            "membership": asdict(options.membership) if matcher is not None else None,
            "taxonomy": options.taxonomy,
            "key_points": asdict(options.key_points),
            "agreement": asdict(options.agreement),
            "about": options.about,
        },
    )


def _learned_models(fidelity):
    if fidelity is not None:
        return fidelity
    from rapporteur.fidelity.matcher import default_matcher
    from rapporteur.fidelity.stance_model import default_stance_model

    return default_matcher().scorer, default_stance_model().scorer  # loaded once per process


__all__ = ["Synthesis", "SynthesisOptions", "synthesize"]
