"""Procedural text: thanks, greetings, congratulations, chairing formulas.

A sentence is procedural when it matches one of these patterns; it is kept as a Point (so offsets
and the full record stay intact) but left out of the analysis. Courtesy (``_COURTESY``) is read in
all its forms: thanks and gratitude ("I thank those dear friends…", "Let me thank…", "We are
grateful to…", "My thanks go to…"), congratulations, tributes, condolences and sympathy, greetings
conveyed, good wishes ("We wish him every success"), assurances of support to the chair, and the
honour of speaking. A sentence that also says something of substance is not procedural: one that
asks for action ("… and call for more resettlement places"), takes a side ("grateful to those
countries that refused that absurd proposal"), or goes on with a clause of its own ("…, and we look
forward to others increasing their pledges").

Measured on ``tests/engine/data/procedural_sentences.csv`` (122 opening and closing sentences of
2017–2019 General Debate speeches, labelled by reading; ``tests/engine/test_issue11_documents.py``).
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
# Courtesy in all its forms, at the head of the sentence (after a lead-in such as "At the outset,",
# "On behalf of my delegation," or "To Secretary-General Guterres,").
_LEAD = (r"^\W*(?:(?:and|also|finally|lastly|first(?: of all)?|at the outset|in (?:that|this) regard|in conclusion|"
         r"in closing|on behalf of [^,]{3,120}(?:, [^,]{2,40}(?=,))?|to [^,]{3,80}|while [^,]{3,80}|today|once again|"
         r"before (?:i|we) (?:begin|conclude)),?\s+)*")
# who speaks: "I", "we", "allow me to", or a name ("Costa Rica", "The Holy See"), read case-sensitively
_SUBJECT = (r"(?:(?:allow|let|permit) me|may i|i|we|it is (?:my|our|a) (?:great |particular )?(?:pleasure|honou?r)|"
            r"(?-i:(?:The )?[A-Z][\w’'-]+(?: (?:[A-Z][\w’'-]+|of|the|and)){0,4}))")
# what may stand between the speaker and the courtesy: "would also like to take this opportunity to",
# "should like to add my voice to those that have preceded me at this rostrum in order to"
_GAP = (r"(?:\s+(?:would|should|wish(?:es)?|want|like|also|to|take|taking|this|the|opportunity|occasion|avail|myself|"
        r"ourselves|itself|of|join|add|my|our|its|voice|those|who|that|have|has|preceded|spoken|before|me|us|at|rostrum|"
        r"in|order|first|start|begin|by|once|again|sincerely|warmly|heartily|can|am|are|is|be|do|does|please|happy|glad|"
        r"particularly|especially|now|today|here|at|this|point|outset|all|previous|speakers))*")
_OWNER = r"(?:my|our|its|his|her|their|the|a|an|[\w-]+[’']s)\s+(?:[\w’'-]+\s+){0,3}"
_COURTESY_NOUN = (r"(?:gratitude|appreciation|thanks|congratulations|condolences|sympath(?:y|ies)|greetings|"
                  r"(?:warm |warmest |best |good )?wishes|felicitations|tribute)")
_COURTESY = [
    # thanks, congratulations, tributes: "I thank those dear friends…", "Let me also thank…",
    # "Costa Rica congratulates the President…", "And I commend Secretary-General Guterres…"
    _LEAD + _SUBJECT + _GAP + r"\s+(?:starting by |beginning by )?"
    r"(?:thank(?:s|ing)?|congratulat(?:e|es|ing)|pay(?:s|ing)? (?:a )?(?:warm |special |sincere |high )?tribute|salut(?:e|es|ing)|"
    r"commend(?:s|ing)? (?:you|him|her|the (?:outgoing |former )?(?:president|secretary-general)|secretary-general|"
    r"his excellency|her excellency|mr|ms|mrs|madam|ambassador))\b",
    # "I would like to express my deep appreciation…", "I extend my country's great appreciation…",
    # "Let me start by expressing Portugal's condolences…", "I bring greetings…"
    _LEAD + _SUBJECT + _GAP + r"\s+(?:express|convey|extend|offer|send|bring)(?:s|es|ing)?\b(?:\s+[^\s;]+){0,5}?\s+"
    + _OWNER + _COURTESY_NOUN + r"\b",
    _LEAD + _SUBJECT + _GAP + r"\s+(?:bring|convey|send)(?:s|ing)? (?:warm |fraternal |the |sincere )*greetings\b",
    # "We are also grateful to…", "I am very grateful to be able to address…"
    _LEAD + r"(?:i am|we are|i'm|we're)\s+(?:also |very |deeply |most |sincerely |particularly |truly |profoundly |extremely )*"
    r"(?:grateful|thankful|indebted)\b",
    # "My thanks also go to…", "Our deepest sympathy and prayers are also with…"
    _LEAD + r"(?:my|our)\s+(?:[\w’'-]+\s+){0,2}(?:thanks|gratitude|appreciation|congratulations|condolences|sympath(?:y|ies)|"
    r"thoughts|prayers)\b(?:\s+and\s+(?:[\w’'-]+\s+){0,2}\w+)?\s+(?:also\s+)?(?:go|goes|are|is|extend)\b",
    # "We wish him every success…", "I wish every success for our deliberations…"
    _LEAD + _SUBJECT + _GAP + r"\s+wish(?:es)?\b.{0,80}?\b(?:every|much|great|all the|continued|further) success\b",
    # "We assure him of my country's full support."
    _LEAD + _SUBJECT + _GAP + r"\s+assure (?:you|him|her|the president|both men|them)\b.{0,60}?\b(?:support|cooperation)\b",
    # "I have the great honour to address…", "It is an honour to…", "I am honoured today to speak…"
    _LEAD + r"(?:(?:i|we) (?:have|has) the (?:great |distinct |singular )?(?:honou?r|privilege|pleasure)|"
    r"it is (?:a|an|my|with) (?:great |distinct |singular |particular )?(?:honou?r|privilege|pleasure)|"
    r"it gives me (?:great |particular )?(?:pleasure|honou?r)|"
    r"(?:i am|we are) (?:deeply |truly |greatly )?(?:honou?red|pleased|privileged|delighted)(?: today| once again)?)\b"
    r".{0,40}?\b(?:to|that) (?:i )?(?:address|speak|represent|convey|stand|take the floor|deliver|participate|join|"
    r"be (?:here|with you|among you|back|able to address))\b",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in _PATTERNS + _COURTESY]
# a chair's turn in a verbatim record, or giving the floor: procedural whatever follows
_CHAIR = re.compile(r"^\W*(?:(?:the )?(?:president|chair(?:person)?|co-chair|acting president)\s*(?:\([^)]*\))?\s*:|"
                    r"(?:i|we) (?:now )?(?:give|yield|return|pass) the floor\b)", re.IGNORECASE)
# A sentence that asks for action, or takes a side, is substance, whatever courtesy it starts with.
_SUBSTANCE = re.compile(
    r"\b(call(?:s|ed)? (?:on|upon|for)|urge[sd]?|must|should(?! like)|propose|recommend|appeal(?:s|ed)? (?:to|for)|demand|"
    r"refus\w*|reject\w*|oppos(?:e|es|ed|ing|ition)|condemn\w*|denounc\w*|deplor\w*|occupation|occupied|aggression|"
    r"violat\w*|absurd|illegal|unacceptable)\b", re.IGNORECASE)
# "…, and we look forward to others increasing their pledges": a clause of its own goes on
_OWN_CLAUSE = re.compile(
    r",\s+and\s+(?:i|we)\s+(?!(?:also\s+|once again\s+|sincerely\s+|warmly\s+)*(?:wish|assure|congratulat|thank|pay|commend|express|"
    r"extend|convey|salute|offer|reiterate|join|look forward to (?:work|your|his|her|the president|cooperat)|"
    r"am|are|have|stand ready))", re.IGNORECASE)


def takes_a_position(sentence: str) -> bool:
    """The sentence asks for action or takes a side ("call on", "must", "reject", "unacceptable"):
    substance, whatever courtesy or self-presentation it opens with."""
    return bool(_SUBSTANCE.search(sentence))


def is_procedural(sentence: str) -> bool:
    """True for courtesy and chairing text that carries no position.

    >>> is_procedural("I congratulate you, Sir, on your election as President of the General Assembly.")
    True
    >>> is_procedural("We call on all States to ratify the Convention on Migrant Workers.")
    False
    """
    text = " ".join(sentence.split())
    if _CHAIR.search(text):  # "The Acting President: I now call on …"
        return True
    if len(text) > 400 or _SUBSTANCE.search(text) or _OWN_CLAUSE.search(text):
        return False
    return any(p.search(text) for p in _COMPILED)
