"""English: the pipeline's own rules (``text.procedural``, ``analysis.stance``,
``analysis.practices``, ``analysis.candidates``), gathered here so every language is read alike."""
from __future__ import annotations

from dataclasses import dataclass

CODE = "en"


@dataclass(frozen=True)
class EnglishRules:
    code: str = CODE

    def is_procedural(self, text: str) -> bool:
        from rapporteur.text.procedural import is_procedural

        return is_procedural(text)

    def is_introduction(self, text: str, speaker: str | None = None) -> bool:
        from rapporteur.text.introduction import is_introduction

        return is_introduction(text, speaker)

    def stance_of(self, text: str):
        from rapporteur.analysis.stance import stance_of

        return stance_of(text)

    def cue(self, text: str) -> str | None:
        from rapporteur.analysis.stance import cue

        return cue(text)

    def kind_of(self, text: str) -> str | None:
        from rapporteur.analysis.practices import kind_of

        return kind_of(text)


RULES = EnglishRules()
