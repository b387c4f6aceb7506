"""Languages read into the points: each point's language, and its kind read by its language's rules.

``segment`` classifies points with the English rules. Once languages are read (``detect``), a point
in another language is classified again: procedural or a self-introduction by its language's cues, a fragment by its
language's word count (Chinese has no spaces), and ``PointKind.UNREAD`` when its language has no
home here, so that no English rule reads it.
"""
from __future__ import annotations

from collections import Counter

from rapporteur.lang import rules_for
from rapporteur.lang.cues import count_words
from rapporteur.model import Corpus, Point, PointKind

_READ = (PointKind.SENTENCE, PointKind.BULLET, PointKind.PROCEDURAL, PointKind.FRAGMENT)
_MIN_WORDS = 4


def read_languages(corpus: Corpus, points: list[Point]) -> Counter:
    """Language of every contribution and point, kinds read again; problems go to ``corpus.problems``.
    Returns the number of points per language."""
    from rapporteur.lang.detect import assign_languages

    corpus.problems.extend(assign_languages(corpus.contributions, points))
    bullets = {p.id for p in points if p.kind is PointKind.BULLET}
    speaker = {c.id: c.stakeholder.name for c in corpus.contributions}
    for point in points:
        if point.language == "en" or point.kind not in _READ:
            continue
        rules = rules_for(point.language)
        if rules is None:
            point.kind = PointKind.UNREAD
        elif count_words(point.text) < _MIN_WORDS:
            point.kind = PointKind.FRAGMENT
        elif rules.is_procedural(point.text):
            point.kind = PointKind.PROCEDURAL
        elif rules.is_introduction(point.text, speaker.get(point.contribution_id)):
            point.kind = PointKind.INTRODUCTION
        else:
            point.kind = PointKind.BULLET if point.id in bullets else PointKind.SENTENCE
    return Counter(p.language for p in points)
