"""Themes: a taxonomy shipped as data, and the classification of points into it.

A taxonomy is a list of themes (id, label, description, terms, and optionally the subtopics a
theme is expected to cover, each with its label and terms: ``analysis.gaps`` reports those few
stakeholders spoke to). The built-in ones are
``gcm-sessions`` (the six GCM thematic sessions, the default) and ``gcm-objectives`` (the 23
objectives); a user's own YAML (same shape) or CSV (columns id, label, description, terms with
terms separated by ';') works the same way.

Rule: score(point, theme) = cos(point, "label. description") + TERM_BONUS if one of the theme's
terms occurs in the point (whole words, any case). A point gets the best-scoring theme when that
score reaches ``min_score``; otherwise it has no theme. Deterministic.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from rapporteur.errors import InputError

BUILT_IN = ("gcm-sessions", "gcm-objectives")
TERM_BONUS = 0.15
MIN_SCORE = 0.30


@dataclass(frozen=True)
class Subtopic:
    """What a theme is expected to cover ("Return and readmission" under international cooperation)."""

    id: str
    label: str
    terms: tuple[str, ...] = ()
    # the terms in other languages: matched as the terms are (D3), not part of the anchor
    translations: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"{self.label}: {', '.join(self.terms)}" if self.terms else self.label


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    subtopics: tuple[Subtopic, ...] = ()

    @property
    def anchor(self) -> str:
        return f"{self.label}. {self.description}".strip()


@dataclass
class Taxonomy:
    name: str
    themes: list[Theme]
    source: str = ""
    _term_patterns: list[re.Pattern | None] = field(default_factory=list, repr=False)

    def __post_init__(self):
        self._term_patterns = [
            re.compile(r"\b(" + "|".join(re.escape(t) for t in th.terms) + r")\b", re.IGNORECASE)
            if th.terms else None
            for th in self.themes
        ]

    def term_hits(self, text: str) -> np.ndarray:
        return np.array([bool(p and p.search(text)) for p in self._term_patterns], dtype=bool)


def theme_named(taxonomy: Taxonomy, *texts: str | None) -> str | None:
    """The id of the theme whose id or label one of ``texts`` names (a session's title or theme:
    "Informal thematic session 3: International cooperation and governance of migration"), the
    longest label first; None when none does.

    >>> theme_named(load_taxonomy("gcm-sessions"), "Informal thematic session 3: International cooperation and governance of migration")
    'ts3'
    """
    wanted = [" ".join(t.lower().split()) for t in texts if t and t.strip()]
    for theme in sorted(taxonomy.themes, key=lambda t: -len(t.label)):
        label = " ".join(theme.label.lower().split())
        if any(label in text or text == theme.id.lower() for text in wanted):
            return theme.id
    return None


def load_taxonomy(name_or_path: str) -> Taxonomy:
    """Load a built-in taxonomy by name, or a YAML/CSV file; InputError names what is wrong."""
    if name_or_path in BUILT_IN:
        text = resources.files("rapporteur.taxonomies").joinpath(f"{name_or_path}.yaml").read_text("utf-8")
        return _from_mapping(yaml.safe_load(text), name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(name_or_path, f"no such taxonomy; use {' or '.join(BUILT_IN)} or a YAML/CSV file")
    if path.suffix.lower() == ".csv":
        return _from_csv(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"not a readable YAML taxonomy ({err})") from None
    return _from_mapping(data, str(path))


def _from_mapping(data, source: str) -> Taxonomy:
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise InputError(source, "a taxonomy needs a non-empty 'themes' list")
    themes = []
    for i, item in enumerate(data["themes"], 1):
        if not isinstance(item, dict) or not item.get("label"):
            raise InputError(source, f"theme {i} has no label")
        themes.append(
            Theme(
                id=str(item.get("id") or i),
                label=str(item["label"]),
                description=str(item.get("description") or ""),
                terms=tuple(str(t) for t in item.get("terms") or ()),
                subtopics=_subtopics(item, i, source),
            )
        )
    _check_unique(themes, source)
    return Taxonomy(str(data.get("name") or source), themes, str(data.get("source") or ""))


def _subtopics(item: dict, number: int, source: str) -> tuple[Subtopic, ...]:
    out = []
    for j, sub in enumerate(item.get("subtopics") or (), 1):
        if not isinstance(sub, dict) or not sub.get("label"):
            raise InputError(source, f"theme {number}, subtopic {j} has no label")
        out.append(Subtopic(str(sub.get("id") or f"{item.get('id') or number}.{j}"), str(sub["label"]),
                            tuple(str(t) for t in sub.get("terms") or ()),
                            tuple(str(t) for t in sub.get("translations") or ())))
    return tuple(out)


def _from_csv(path: Path) -> Taxonomy:
    from rapporteur.ingest.metadata import read_rows

    themes = []
    for row in read_rows(path, required=("label",)):
        terms = tuple(t.strip() for t in row.get("terms").split(";") if t.strip())
        themes.append(Theme(row.get("id") or str(len(themes) + 1), row.get("label"), row.get("description"), terms))
    if not themes:
        raise InputError(str(path), "taxonomy has no themes")
    _check_unique(themes, str(path))
    return Taxonomy(path.stem, themes, str(path))


def _check_unique(themes: list[Theme], source: str) -> None:
    seen = set()
    for theme in themes:
        if theme.id in seen:
            raise InputError(source, f"theme id {theme.id!r} appears twice")
        seen.add(theme.id)


def classify(
    texts: list[str],
    vectors: np.ndarray,
    taxonomy: Taxonomy,
    theme_vectors: np.ndarray,
    min_score: float = MIN_SCORE,
) -> list[str | None]:
    """Return the theme id of each text (None when no theme scores ``min_score``)."""
    if len(texts) == 0:
        return []
    scores = vectors @ theme_vectors.T
    scores = scores + TERM_BONUS * np.vstack([taxonomy.term_hits(t) for t in texts])
    best = scores.argmax(axis=1)
    return [
        taxonomy.themes[b].id if scores[i, b] >= min_score else None for i, b in enumerate(best)
    ]
