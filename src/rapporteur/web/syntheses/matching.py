"""Which key points of a published synthesis does a statement make? (The engine's rule, on the platform.)

A new contribution, or any text sent to the API, is cut into points as the engine cuts it, and
each analysed point joins a key point of the session's latest published synthesis by the
synthesis's own membership rule (``rapporteur.analysis.keypoints.join_key_points``, with the
settings and readings the synthesis ran with): read against its nearest key points, a point joins
those it makes and argues for, and belongs to the best of them, or to none. Every key point that
some point joins is listed with the verbatim sentences that join it. A sentence of the synthesis's
own corpus therefore gets here the key point it has in the synthesis. Results for a stored
contribution are cached (per contribution version and synthesis), so a page view reads the models
once.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache as django_cache

from rapporteur.model import Contribution as EngineContribution, Stakeholder

from . import selectors
from .models import Synthesis


@dataclass
class MatchedKeyPoint:
    key_point: str
    label: str
    n_stakeholders: int
    probability: float  # the best of its sentences
    sentences: list[dict] = field(default_factory=list)  # {"text", "start", "end", "probability"}
    label_language: str | None = None  # the language the label was said in (the synthesis's reading)


def key_points_made(text: str, synthesis: Synthesis) -> list[MatchedKeyPoint]:
    """The key points of ``synthesis`` that ``text`` makes, most probable first."""
    from rapporteur.embed import embed_texts
    from rapporteur.analysis.keypoints import join_key_points
    from rapporteur.text.segment import segment

    data = synthesis.data or {}
    key_points = list(data.get("key_points", []))
    if not key_points or not text.strip():
        return []
    points = [p for p in segment(EngineContribution("statement", Stakeholder("-"), text)) if p.analysed]
    if not points:
        return []
    texts = [p.text for p in points]
    labels = [kp["label"] for kp in key_points]
    label_sentences = {_label_sentence(kp): j for j, kp in enumerate(key_points)}
    own = {i: label_sentences[t] for i, t in enumerate(texts) if t in label_sentences}
    cache = site_cache()
    try:
        embedder = _embedder()
        found = join_key_points(texts, labels, _readings(data, embedder, cache), _settings(data),
                                embed_texts(embedder, texts, cache=cache), embed_texts(embedder, labels, cache=cache),
                                own=own)
    finally:
        cache.close()
    matched: dict[str, MatchedKeyPoint] = {}
    for point, joined in zip(points, found):
        if joined is None:
            continue
        j, probability = joined
        kp = key_points[j]
        item = matched.setdefault(kp["id"], MatchedKeyPoint(kp["id"], kp["label"], kp["n_stakeholders"], 0.0,
                                                          label_language=kp.get("label_language")))
        item.probability = max(item.probability, probability)
        item.sentences.append({"text": point.text, "start": point.start, "end": point.end, "probability": probability})
    return sorted(matched.values(), key=lambda m: (-m.probability, m.key_point))


def _label_sentence(kp: dict) -> str | None:
    """The text of the point a key point's label is cut from (that point belongs to its key point)."""
    return next((p["text"] for p in kp.get("points", []) if p.get("id") == kp.get("label_point")), None)


def _settings(data: dict):
    """The key-point settings the synthesis ran with (the engine's defaults for what it did not record)."""
    from dataclasses import fields

    from rapporteur.analysis.keypoints import KeyPointSettings

    recorded = (data.get("settings") or {}).get("key_points") or {}
    return KeyPointSettings(**{f.name: recorded[f.name] for f in fields(KeyPointSettings) if f.name in recorded})


def _readings(data: dict, embedder, cache):
    """The readings the synthesis used (``analysis.readings.readings_of``), the models loaded once per process."""
    from rapporteur.analysis.readings import readings_of

    return readings_of(data, embedder, cache, _learned_models)


def for_contribution(contribution) -> tuple[Synthesis | None, list[dict]]:
    """(the synthesis used, key points made) for a stored contribution; cached per version."""
    synthesis = selectors.latest_published_for_session(contribution.session)
    if synthesis is None or not synthesis.data:
        return None, []
    key = f"kp-made:{contribution.pk}:{contribution.updated_at.timestamp()}:{synthesis.pk}"
    made = django_cache.get(key)
    if made is None:
        made = [asdict(m) for m in key_points_made(contribution.full_text, synthesis)]
        django_cache.set(key, made, 24 * 3600)
    return synthesis, made


@lru_cache(maxsize=1)
def _learned_models():
    """The matcher and the stance model, loaded once per process (those the engine ships)."""
    from rapporteur.analysis.readings import shipped_models

    return shipped_models()


def site_cache():
    """The site's embedding cache (vectors and pair probabilities), shared by the worker and the pages;
    the caller closes it."""
    from rapporteur.embed import EmbeddingCache

    return EmbeddingCache(settings.DATA_DIR / "embeddings.sqlite3")


@lru_cache(maxsize=1)
def _embedder():
    """The shortlisting embedder, loaded once per process."""
    from rapporteur.embed import MiniLMEmbedder

    return MiniLMEmbedder()
