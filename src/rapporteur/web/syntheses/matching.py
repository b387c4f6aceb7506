"""Which key points of a published synthesis does a statement make? (The matcher, on the platform.)

A new contribution, or any text sent to the API, is cut into points as the engine cuts it; each
analysed point is read by ``rapporteur.fidelity.matcher`` against the five key points of the
session's latest published synthesis nearest to it, and every key point at least one point makes
(probability >= 0.5) is listed with the verbatim sentences that make it. Results for a stored
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


def key_points_made(text: str, synthesis: Synthesis) -> list[MatchedKeyPoint]:
    """The key points of ``synthesis`` that ``text`` makes, most probable first."""
    from rapporteur.embed import EmbeddingCache
    from rapporteur.fidelity.matcher import match_to_key_points
    from rapporteur.text.segment import segment

    key_points = {kp["id"]: kp for kp in (synthesis.data or {}).get("key_points", [])}
    if not key_points or not text.strip():
        return []
    points = [p for p in segment(EngineContribution("statement", Stakeholder("-"), text)) if p.analysed]
    if not points:
        return []
    cache = EmbeddingCache(settings.DATA_DIR / "embeddings.sqlite3")
    try:
        found = match_to_key_points([p.text for p in points], {k: v["label"] for k, v in key_points.items()},
                                    embedder=_embedder(), cache=cache)
    finally:
        cache.close()
    matched: dict[str, MatchedKeyPoint] = {}
    for point, row in zip(points, found):
        for kp_id, probability in row:
            kp = key_points[kp_id]
            item = matched.setdefault(kp_id, MatchedKeyPoint(kp_id, kp["label"], kp["n_stakeholders"], 0.0))
            item.probability = max(item.probability, probability)
            item.sentences.append({"text": point.text, "start": point.start, "end": point.end,
                                   "probability": probability})
    return sorted(matched.values(), key=lambda m: (-m.probability, m.key_point))


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
def _embedder():
    """The shortlisting embedder, loaded once per process."""
    from rapporteur.embed import MiniLMEmbedder

    return MiniLMEmbedder()
