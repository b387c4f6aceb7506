"""Expected but unaddressed: what the session's taxonomy expects and few or no stakeholders spoke to.

"Irregular migration was strikingly absent from the discussion" is a divergence of its own kind: a
gap in what was said, not a dispute (../shared/docs/RAPPORTEUR.md). Rule D3 of
``analysis.convergence``:

1. The expected items: with a ``focus`` (the theme of a thematic session), that theme's subtopics;
   without one, every theme of the taxonomy and every subtopic of each (so ``--taxonomy
   gcm-objectives`` expects the 23 objectives).
2. A point speaks to an item when it uses one of the item's terms (whole words, any case) or its
   embedding is within cosine ``address_similarity`` of the item's anchor (label and terms), in any
   language: a subtopic's ``translations`` are its terms in other languages, and a point in another
   language is compared in the multilingual model's space. A focus
   theme with no subtopics expects nothing: D3 has nothing to check, and says so.
3. An item is unaddressed when the stakeholders with a point speaking to it are fewer than
   ``unaddressed_share`` of all stakeholders analysed and at most ``unaddressed_max``. It is
   reported with the counts and the points of those who did speak to it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from rapporteur.analysis.convergence import AgreementRules, Divergence, side_of
from rapporteur.analysis.themes import Taxonomy
from rapporteur.model import Point, Stakeholder


@dataclass(frozen=True)
class Expected:
    id: str
    label: str  # "Theme › Subtopic" or "Theme"
    anchor: str
    terms: tuple[str, ...]


def expected_items(taxonomy: Taxonomy, focus: str | None = None) -> list[Expected]:
    """Rule 1: what the taxonomy expects (a focus theme's subtopics, else every theme and subtopic)."""
    if focus is not None:
        theme = next((t for t in taxonomy.themes if t.id == focus), None)
        if theme is None:
            raise ValueError(f"no theme {focus!r} in {taxonomy.name}; themes: {', '.join(t.id for t in taxonomy.themes)}")
        return [Expected(s.id, f"{theme.label} › {s.label}", s.anchor, s.terms + s.translations) for s in theme.subtopics]
    items = []
    for theme in taxonomy.themes:
        items.append(Expected(theme.id, theme.label, theme.anchor, theme.terms))
        items += [Expected(s.id, f"{theme.label} › {s.label}", s.anchor, s.terms + s.translations)
                  for s in theme.subtopics]
    return items


def find_unaddressed(
    items: Sequence[Expected],
    similarity: np.ndarray,
    points: Sequence[Point],
    speaker_of_point: dict[str, Stakeholder],
    taxonomy_name: str,
    address_similarity: float = 0.5,
    rules: AgreementRules = AgreementRules(),
) -> list[Divergence]:
    """Rules 2 and 3: the unaddressed items, as divergence items of kind ``unaddressed``.
    ``similarity[i, j]``: the cosine of point ``i`` and item ``j``'s anchor, each point in its own
    embedding space (a point in another language is read by the multilingual model)."""
    everyone = {s.name for s in speaker_of_point.values()}
    if not items or not everyone:
        return []
    limit = min(rules.unaddressed_max, math.ceil(rules.unaddressed_share * len(everyone)) - 1)
    out = []
    for j, item in enumerate(items):
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in item.terms) + r")\b", re.IGNORECASE) \
            if item.terms else None
        speaking = [p.id for i, p in enumerate(points)
                    if similarity[i, j] >= address_similarity or (pattern is not None and pattern.search(p.text))]
        speakers = {speaker_of_point[pid].name for pid in speaking}
        if len(speakers) > limit:
            continue
        out.append(Divergence(
            key_point=None, label=item.label, kind="unaddressed",
            sides=[side_of("spoke to it", speaking, speaker_of_point, rules)] if speaking else [],
            rule=(f"D3: expected by {taxonomy_name}; {len(speakers)} of {len(everyone)} stakeholders spoke to it "
                  f"(unaddressed: fewer than {rules.unaddressed_share:.0%} and at most {rules.unaddressed_max})"),
            expected=item.id, addressed_by=len(speakers), of_stakeholders=len(everyone), point_ids=speaking,
        ))
    return out
