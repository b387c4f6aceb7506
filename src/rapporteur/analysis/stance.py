"""Stance cues in a point: does it endorse, reject, or voice reservations about what it names?

These are lexical rules, written down so they can be checked and argued with (a learned stance
model replaces them later). A point's stance is one of:

- ``oppose``: the speaker or a named actor rejects ("we reject", "Hungary opposes", "withdraw from",
  "dissociate") or refuses a commitment ("we will not sign", "The United States will not
  participate", "my Government cannot support");
- ``reservation``: the statement itself marks the matter as unclear, disputed or conditional
  ("reservations", "remains unclear", "no consensus", "controversial", "sovereign right to decide",
  "only if", "provided that", "at the expense of");
- ``support``: an endorsement verb not under negation ("welcome", "support", "endorse",
  "commend", "look forward to", "committed to", "will sign");
- ``neutral``: none of these.

Oppose wins over reservation, which wins over support, so "We welcome the dialogue but cannot
accept the compact" is ``oppose``.
"""
from __future__ import annotations

import re
from enum import Enum


class Stance(str, Enum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    RESERVATION = "reservation"
    NEUTRAL = "neutral"


# Who can take a position: the speaker ("we", "I", "my Government") or a named State ("the United
# States", "Hungary": any country name known to rapporteur.geography). Rejection needs such a
# subject, so descriptions of others' attitudes ("the rejection of migrants", "people who do not
# accept diversity") do not count.
_PRONOUN_SUBJECT = r"(?i:\b(?:we|i|my (?:country|government|delegation|nation)|our (?:country|government|delegation|nation)))"
_OPPOSE_CACHE: list[re.Pattern] = []


def _oppose_pattern() -> re.Pattern:
    """Built once: named actors are the country names known to ``rapporteur.geography``."""
    if not _OPPOSE_CACHE:
        from rapporteur.geography import country_names

        names = "|".join(re.escape(n) for n in country_names())
        subject = rf"(?:{_PRONOUN_SUBJECT}|\b(?:{names})\b)"
        _OPPOSE_CACHE.append(re.compile(
            rf"{subject}\s+(?:\w+\s+){{0,3}}?(?i:{_NEGATION}\s+(?:\w+\s+){{0,2}}?{_COMMIT}|{_REJECT})\b"
        ))
    return _OPPOSE_CACHE[0]


_NEGATION = r"(?:not|never|no longer|cannot|can't|won't|don't|doesn't|didn't|shall not|refuse[sd]? to|decline[sd]? to)"
_COMMIT = (
    r"(?:support\w*|sign\w*|join\w*|endors\w*|accept\w*|participat\w*|adher\w*|agree\w*|subscrib\w*|"
    r"be (?:bound|part)|be a party|ratif\w*|adopt\w*|implement\w*|back\w*)"
)
_REJECT = r"(?:reject\w*|oppos(?:e|es|ed|ing)|dissociat\w*|withdr[ae]w\w*\s+from|pull\w* out of|disagree\w*|object\w* to)"
_RESERVATION = re.compile(
    r"\b(?:reservations?|(?:remains?|is|are|still) unclear|lack of clarity|no consensus|not (?:yet )?(?:agreed|settled)|"
    r"controversial|disputed|contentious|divergent views|differences of (?:view|opinion)|remains? to be seen|"
    r"sovereign right\w* (?:of \w+ )?to (?:decide|determine|define)|not legally binding|(?:is|are) premature|"
    r"only if|provided that|on condition that|as long as|conditional (?:on|upon)|subject to (?:the )?(?:condition|consent|"
    r"approval)|must not (?:be used to|come at the expense)|at the expense of)\b",
    re.IGNORECASE,
)
_SUPPORT = re.compile(
    r"\b(?:welcom\w*|support\w*|endors\w*|commend\w*|applaud\w*|look(?:s|ing)? forward to|"
    r"(?:fully |firmly |strongly )?committed to|will (?:sign|adopt|join|implement)|"
    r"(?:is|are) pleased (?:with|by|that)|(?:we|I) (?:fully )?agree|champion\w*|hail\w*)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(rf"\b{_NEGATION}\s+(?:\w+\s+){{0,2}}?$", re.IGNORECASE)


def stance_of(text: str) -> Stance:
    """Classify one point by the cues above.

    >>> stance_of("The United States will not participate in the Global Compact on Migration.")
    <Stance.OPPOSE: 'oppose'>
    >>> stance_of("We welcome the adoption of the global compact for migration.")
    <Stance.SUPPORT: 'support'>
    >>> stance_of("States have the sovereign right to determine their migration policies.")
    <Stance.RESERVATION: 'reservation'>
    """
    if _oppose_pattern().search(text):
        return Stance.OPPOSE
    if _RESERVATION.search(text):
        return Stance.RESERVATION
    for match in _SUPPORT.finditer(text):
        if not _NEGATED_BEFORE.search(text[: match.start()]):
            return Stance.SUPPORT
    return Stance.NEUTRAL


def cue(text: str) -> str | None:
    """The words that decided the stance, for showing next to a quote."""
    for pattern in (_oppose_pattern(), _RESERVATION, _SUPPORT):
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None
