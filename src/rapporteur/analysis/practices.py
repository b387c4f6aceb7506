"""Recommendations and practices: points that ask for action or report what was done.

Rules (lexical, case-insensitive, on one point):
- recommendation: "should", "must", "ought to", "call on/upon/for", "urge", "propose",
  "recommend", "need to", "it is essential/imperative/necessary/vital that/to", "encourage",
  "invite ... to";
- practice: the speaker reports its own action — "we/my country/my Government has/have
  established/launched/adopted/set up/created/introduced/implemented/enacted/ratified/hosted/
  granted/provided/...", or names "our (national) programme/strategy/policy/plan/law/initiative".
A point can be both; practices are checked first and listed under practices only.
"""
from __future__ import annotations

import re

_PRACTICE = re.compile(
    r"\b(?:we|my (?:country|government|delegation)|[A-Z][a-z]+ (?:has|have))\s+(?:\w+\s+){0,2}?"
    r"(?:has|have|had)\s+(?:also\s+|already\s+|recently\s+|successfully\s+)?"
    r"(?:established|launched|adopted|set up|created|introduced|implemented|enacted|ratified|hosted|"
    r"granted|provided|developed|opened|built|issued|regulari[sz]ed|integrated|welcomed|resettled|"
    r"received|signed|approved|designed|allocated|trained)\b"
    r"|\bour (?:national |new |own )?(?:programme|program|strategy|policy|plan|law|legislation|initiative|"
    r"action plan|framework)\b",
    re.IGNORECASE,
)
_RECOMMENDATION = re.compile(
    r"\b(?:should|must|ought to|call(?:s|ed|ing)? (?:on|upon|for)|urg(?:e|es|ed|ing)|propos(?:e|es|ed|ing)|"
    r"recommend\w*|needs? to|it is (?:essential|imperative|necessary|vital|crucial|important) (?:that|to|for)|"
    r"encourag(?:e|es|ed|ing)|invit(?:e|es|ed|ing) \w+(?: \w+){0,5} to)\b",
    re.IGNORECASE,
)


def kind_of(text: str) -> str | None:
    """'practice', 'recommendation' or None.

    >>> kind_of("We have established a national referral mechanism for victims of trafficking.")
    'practice'
    >>> kind_of("We call on all States to ratify the Convention.")
    'recommendation'
    """
    if _PRACTICE.search(text):
        return "practice"
    if _RECOMMENDATION.search(text):
        return "recommendation"
    return None
