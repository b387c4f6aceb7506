"""The UN's six languages: one home per language (``<code>.py``, spaCy's shape) and the registry.

Each home gives the rules the English pipeline reads with written cues, for its language:
procedural text (thanks, greetings, the chair), stance cues (support, rejection, reservation),
recommendations and practices, and the candidate rules a key point label must pass (length, not
bound to the speaker, self-contained). English (``en``) is the pipeline's own rules, unchanged;
Arabic, Chinese, French, Russian and Spanish are ``lang.cues.CueRules`` written for each.

A point in a language with no home here (German, Portuguese, …) is kept in the record, counted and
named in the report, and not analysed: no English rule reads it (``PointKind.UNREAD``).

    >>> rules_for("fr").stance_of("Nous rejetons ce pacte.").value
    'oppose'
    >>> rules_for("de") is None
    True
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module

# ISO 639-1 codes of the six official languages of the United Nations, in the UN's order
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
NAMES = {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})


@lru_cache(maxsize=None)
def rules_for(code: str | None):
    """The rules of language ``code`` (``en`` when None), or None for a language with no home here."""
    code = code or "en"
    if code not in UN_LANGUAGES:
        return None
    return import_module(f"rapporteur.lang.{code}").RULES


def name_of(code: str | None) -> str:
    from rapporteur.lang.detect import language_name

    return NAMES.get(code or "en") or language_name(code)


def direction(code: str | None) -> str:
    """"rtl" or "ltr": how a text in ``code`` is laid out."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


__all__ = ["UN_LANGUAGES", "NAMES", "rules_for", "name_of", "direction"]
