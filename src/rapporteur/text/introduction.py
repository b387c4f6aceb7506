"""Self-introductions: the speaker about itself, not a claim about the matter.

A sentence is a self-introduction (``PointKind.INTRODUCTION``: kept in the record, not analysed, never
a key point) when its subject is the speaker and its verb presents the speaker:

- the subject: "I", "we", the speaker's own name ("The Migrant Workers Network Asia …"), or a noun
  phrase headed by an organisation's kind ("The Forum …", "Our network …", "This coalition …");
- the verb: speaking for or as ("speaks for", "speak on behalf of", "I speak today as the Mayor of …"),
  submitting or presenting the contribution itself ("submits the following observations"), welcoming
  or appreciating the opportunity to take part, being pleased or honoured to take part; and, with
  the speaker or an organisation as subject, what it is ("We are a regional network of …", "The
  Centre is an independent institute …"), whom it gathers or represents ("brings together 60
  companies", "represents 2 million workers"), and since when it works ("was founded in 1998",
  "has worked with migrants since 1998").

A sentence that also asks for action or rejects something is not one ("We represent workers who
call on States to …" stays a sentence): ``text.procedural.takes_a_position``. Other languages: the
``introduction`` pattern of their home (``lang.cues.CueRules``).
"""
from __future__ import annotations

import re
from functools import lru_cache

_ORGANISATION = (r"(?:network|forum|coalition|alliance|organi[sz]ation|association|federation|confederation|union|"
                 r"centre|center|institute|institution|group|partnership|agency|council|secretariat|office|delegation|"
                 r"mission|city|municipality|movement|platform|committee|foundation|campaign|consortium|chamber|university|"
                 r"initiative|caucus|members|membership|team|company|companies|employers|league)")
_LEAD = r"^\W*(?:(?:today|first(?: of all)?|at the outset|once again|also|mr\.? [\w-]+|madam [\w-]+|co-?chairs?|[\w-]+ co-facilitators?),?\s+)*"
# the speaker as subject: "I", "we", "our (regional) network", "the Forum", "this coalition"
_SELF = rf"(?:i|we|(?:our|my)\s+(?:[\w'’-]+\s+){{0,2}}?{_ORGANISATION}|(?:the|this)\s+{_ORGANISATION})"
_ALWAYS = (  # verbs that present the speaker, whatever the subject
    r"(?:speak(?:s|ing)?|am speaking|are speaking|is speaking)\s+(?:here\s+|today\s+|now\s+)?"
    r"(?:for|on behalf of|as|in (?:my|our|its|their) capacity)\b|"
    r"(?:submit|present|offer|share|send)s?\s+(?:the following|these|this|its|our|their)\s+(?:[\w-]+\s+){0,2}"
    r"(?:observations|comments|remarks|views|recommendations|submission|contribution|input|statement|reflections)\b|"
    r"(?:welcome|appreciate|value)s?\s+(?:the|this)\s+(?:opportunity|invitation|chance)\b|"
    r"(?:am|are|is)\s+(?:very\s+|most\s+|deeply\s+)?(?:pleased|honou?red|delighted|privileged|glad|happy)\s+to\s+"
    r"(?:take part|participate|contribute|be here|join|address|speak|present|submit)\b|"
    r"my name is\b"
)
_OWN = (  # verbs that present the speaker when the subject is the speaker or an organisation
    r"(?:am|are|is|was|were)\s+(?:a|an|the|one of the)\s+(?:[\w'’-]+\s+){0,4}?"
    rf"(?:{_ORGANISATION}|mayor|director|president|chair(?:person)?|representative|spokesperson|secretary|coordinator|member)s?\b|"
    r"(?:bring|brings|brought)\s+together\b|(?:gather|unite|comprise|represent|federate|count)s?\s+(?:more than\s+|over\s+|some\s+|about\s+)?"
    r"(?:\d|the|our|its|their|[\w-]+ (?:organi[sz]ations|associations|members|companies|unions|cities|workers))|"
    r"(?:is|are)\s+made\s+up\s+of\b|(?:was|were)\s+(?:founded|established|created|set up)\b|"
    r"(?:has|have)\s+(?:worked|been working|campaigned)\s+(?:\w+\s+){0,3}?(?:for\s+(?:more than\s+|over\s+|nearly\s+)?\d+|since\s+\d{4})|"
    r"works?\s+with\s+(?:more than\s+|over\s+)?\d"
)
_ANY_SUBJECT = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|on|and|the|de|du|des|la|le|y|del|et|in))*"


def is_introduction(sentence: str, speaker: str | None = None) -> bool:
    """True when ``sentence`` presents its speaker (``speaker``: the stakeholder's name) rather than a
    claim (see the module).

    >>> is_introduction("The Migrant Workers Network Asia speaks for migrant workers and their families.")
    True
    >>> is_introduction("We are a regional network of 240 migrant associations in 19 countries.")
    True
    >>> is_introduction("Recruitment fees should never be charged to migrant workers.")
    False
    """
    from rapporteur.text.procedural import takes_a_position

    text = " ".join(sentence.split())
    if len(text) > 300 or takes_a_position(text):
        return False
    return bool(_patterns(speaker).search(text))


@lru_cache(maxsize=4096)
def _patterns(speaker: str | None) -> re.Pattern:
    """The rule for one speaker: its own name is a subject like "we"."""
    own = _SELF if not speaker else rf"(?:{_SELF}|(?:the\s+)?{re.escape(speaker)})"
    return re.compile(
        rf"{_LEAD}(?:(?:{own})\s+(?:(?:also|hereby|today|now|currently|proudly|here)\s+)*(?:{_ALWAYS}|{_OWN})|"
        rf"(?-i:{_ANY_SUBJECT})\s+(?:(?:also|hereby|today|now)\s+)*(?:{_ALWAYS}))",
        re.IGNORECASE)
