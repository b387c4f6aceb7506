"""Procedural text: thanks, greetings, congratulations, chairing formulas.

A sentence is procedural when it matches one of these patterns; it is kept as a Point (so offsets
and the full record stay intact) but left out of the analysis. The rules are conservative: a
sentence that thanks *and* says something of substance ("We thank Jordan for hosting refugees and
call for more resettlement places") is long and is not matched by the length-bounded patterns.
"""
from __future__ import annotations

import re

_VOCATIVE = (
    r"(mr\.?|madam|madame|mister|distinguished|excellenc(y|ies)|ladies and gentlemen|dear|"
    r"your (excellency|majesty|highness)|heads? of (state|government)|(co-)?chairs?|"
    r"(co-)?facilitators?|president|colleagues|friends)"
)
_PATTERNS = [
    # Congratulations and thanks addressed to the chair or the Secretariat.
    r"^\W*(at the outset,?\s*)?(allow me|let me|i would like|i wish|i want|permit me|may i|i|we)\b.{0,60}?"
    r"\b(congratulat\w*|thank\w*|express\w* (my|our) (sincere |deep |warm |profound )?(gratitude|appreciation|thanks)|"
    r"pay tribute|commend (you|the (outgoing )?president|the secretary-general|his excellency|her excellency))\b"
    r".{0,200}?\b(president|chair\w*|presidency|secretary-general|election|co-facilitators?|bureau|"
    r"predecessor|session|assembly|organi[sz]ers?|hosting (?:this|the) (?:meeting|conference|session|event|consultation|dialogue))\b"
    r"[^.;]{0,120}[.!]?\s*$",
    # Pure vocatives, greetings and courtesy closings.
    rf"^\W*({_VOCATIVE}[\w .,'-]{{0,60}}[,:;!.]?\s*)+$",
    # Short courtesy sentences; ".{0,80}" because "Mr." carries a full stop.
    r"^\W*(good (morning|afternoon|evening)|greetings|welcome( to all)?)\b.{0,80}$",
    r"^\W*(i|we) thank you\b.{0,80}$",
    r"^\W*thank you( (very|so) much)?\b.{0,80}$",
    r"^\W*(i|we) (now )?(give|yield|return|pass) the floor\b",
    r"^\W*the (meeting|session) (rose|was (called to order|suspended|adjourned|closed))\b",
    r"^\W*(the )?(president|chair(person)?|co-chair|acting president)\s*(\([^)]*\))?\s*:",
    r"^\W*(i|we) (have the honou?r|am honou?red|am pleased|am privileged) to (address|speak|take the floor|be here)\b[^.]{0,150}[.!]?\s*$",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in _PATTERNS]
# A sentence that asks for action is substance, whatever courtesy it starts with.
_SUBSTANCE = re.compile(r"\b(call(?:s|ed)? (?:on|upon|for)|urge|must|should|propose|recommend)\b", re.IGNORECASE)


def is_procedural(sentence: str) -> bool:
    """True for courtesy and chairing text that carries no position.

    >>> is_procedural("I congratulate you, Sir, on your election as President of the General Assembly.")
    True
    >>> is_procedural("We call on all States to ratify the Convention on Migrant Workers.")
    False
    """
    text = " ".join(sentence.split())
    if len(text) > 400 or _SUBSTANCE.search(text):
        return False
    return any(p.search(text) for p in _COMPILED)
