"""Written cues for a language other than English: the same reading as the English rules, shorter.

A language's home fills a ``CueRules`` with regular expressions (case-insensitive, searched in the
point) and word lists; the methods read a point as the English modules do:

- ``is_procedural``: courtesy or chairing (``procedural``), unless the point also asks for action
  (``recommendation``) or takes a side (``oppose``);
- ``is_introduction``: the speaker presents itself (``introduction``), under the same exceptions;
- ``stance_of``: ``oppose`` (a rejection or a refused commitment), then ``reservation``, then
  ``support`` not under a negation (``negation`` just before the cue), else ``neutral``;
- ``kind_of``: ``practice`` (the speaker reports its own action), then ``recommendation``;
- ``rejection``: why a sentence is no key point label (too short or long in ``words``, bound to the
  speaker, needs the sentence before, a question, procedural, a rejection), or None.

Candidates in these languages are whole sentences: the clause cuts of ``analysis.candidates`` are
English grammar.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_LATIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Words, with two Chinese characters counted as one word (a Chinese word is 1.5–2 characters)."""
    cjk = len(_CJK.findall(text))
    return len(_LATIN_WORD.findall(_CJK.sub(" ", text))) + (cjk + 1) // 2


@dataclass(frozen=True)
class CueRules:
    code: str
    procedural: str
    support: str
    oppose: str
    reservation: str
    recommendation: str
    practice: str
    negation: str  # a negation right before a support cue: "ne … pas soutenir", "no apoyamos"
    bound: str  # speaker-bound: opens with or contains the speaker ("nous", "mon pays")
    dependent: str  # opens with a word that needs the sentence before ("cela", "ainsi")
    inclusive: str = r"(?!)"  # an inclusive normative opening that states a claim for all ("nous devons")
    # the speaker presents itself: "Notre réseau regroupe …", "hablo en nombre de …" (``text.introduction``)
    introduction: str = r"(?!)"
    question: str = r"[?？؟]\s*$"
    flags: int = field(default=re.IGNORECASE)

    def _compiled(self, pattern: str) -> re.Pattern:
        return re.compile(pattern, self.flags)

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern]:
        names = ("procedural", "support", "oppose", "reservation", "recommendation", "practice", "bound", "dependent",
                 "inclusive", "question", "introduction")
        return {n: self._compiled(getattr(self, n)) for n in names} | {
            "negated": self._compiled(rf"(?:{self.negation})\s*(?:\S+\s+){{0,2}}?$")}

    def _takes_a_position(self, text: str) -> bool:
        """Asks for action or rejects: substance, whatever courtesy or self-presentation opens it."""
        p = self._patterns
        return bool(p["recommendation"].search(text) or p["oppose"].search(text))

    def is_procedural(self, text: str) -> bool:
        return not self._takes_a_position(text) and bool(self._patterns["procedural"].search(" ".join(text.split())))

    def is_introduction(self, text: str, speaker: str | None = None) -> bool:
        """The speaker presents itself; ``speaker`` (its name) is not needed by these patterns."""
        return not self._takes_a_position(text) and bool(self._patterns["introduction"].search(" ".join(text.split())))

    def stance_of(self, text: str):
        from rapporteur.analysis.stance import Stance

        p = self._patterns
        if p["oppose"].search(text):
            return Stance.OPPOSE
        if p["reservation"].search(text):
            return Stance.RESERVATION
        for match in p["support"].finditer(text):
            if not p["negated"].search(text[: match.start()]):
                return Stance.SUPPORT
        return Stance.NEUTRAL

    def cue(self, text: str) -> str | None:
        for name in ("oppose", "reservation", "support"):
            match = self._patterns[name].search(text)
            if match:
                return match.group(0)
        return None

    def kind_of(self, text: str) -> str | None:
        if self._patterns["practice"].search(text):
            return "practice"
        if self._patterns["recommendation"].search(text):
            return "recommendation"
        return None

    def rejection(self, text: str, rules) -> str | None:
        from rapporteur.analysis.stance import Stance

        p = self._patterns
        n = count_words(text)
        if n < rules.min_words:
            return "too short"
        if n > rules.max_words:
            return "too long"
        if p["dependent"].match(text):
            return "needs the sentence before"
        if p["bound"].search(text) and not p["inclusive"].match(text):
            return "bound to the speaker"
        if p["question"].search(text):
            return "a question"
        if self.is_procedural(text):
            return "procedural"
        if self.stance_of(text) is Stance.OPPOSE:
            return "a rejection voiced by its speaker"
        return None
