"""A small English verb lexicon: enough to tell a claim ("X reduces Y") from a topic ("The X of Y").

No part-of-speech tagger ships offline with rapporteur, so ``candidates.has_finite_verb`` asks this
module whether a word is a verb form: closed-class words (auxiliaries, modals, copulas) anywhere,
irregular past forms, and ``-s`` / ``-ed`` / ``-es`` / ``-ies`` forms of verb stems, when they are
not the first word (a first word ending in ``-s`` is more often a plural noun subject:
"Remittances matter"). The stems are the 1,300-odd base forms mined from the UN General Debate
Corpus (``verb_stems.txt``, rebuilt by ``scripts/make_verb_stems.py``: words that mostly follow a
modal or "to") and the common noun-or-verb words below, which that rule leaves out.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Sequence

AUXILIARIES = frozenset(
    "is are was were be been being am isn't aren't wasn't weren't has have had hasn't haven't hadn't do does did "
    "don't doesn't didn't can cannot can't could couldn't will won't would wouldn't shall should shouldn't may "
    "might must mustn't need needs ought let lets".split()
)
IRREGULAR_PAST = frozenset(
    "became began brought built bought came chose did drew drove ate fell felt fled fought found flew forgot got "
    "gave went grew hung had heard held hid hurt kept knew laid led left lent lost made meant met paid put quit ran "
    "read rose said saw sought sold sent set shook shone shot showed shown shut sang sank sat slept spoke spent "
    "stood stole struck swore swept swam took taught tore told thought threw understood undertook woke wore won "
    "withdrew wrote arisen arose born borne beaten become begun broken chosen done drawn driven eaten fallen flown "
    "forgotten given gone grown hidden known ridden risen seen shaken spoken stolen sworn taken thrown woken worn "
    "written undergone overcome".split()
)
STEMS = frozenset(
    """lie rest accept access account achieve acknowledge act adapt add address adopt advance affect afford agree aim allow
    alleviate amount appear apply appreciate approach argue arise ask assist assume attract avoid bear beat become
    begin believe belong benefit bind block boost borrow break bring build burden call care carry cause challenge
    change claim clear close collapse combat come commit compel compete complain comply concern condemn conduct
    connect consider constitute contain continue contribute control cooperate coordinate cost count create cross
    cut damage deal decide decline decrease defend define degrade deliver demand deny depend deprive deserve destroy
    deter develop die differ diminish disappear discourage discriminate displace disrupt distort divide drive drop
    drown earn ease eliminate embrace emerge empower enable encourage end endanger enforce engage enhance enjoy
    ensure enrich enter equal erode escape establish evolve exacerbate exceed exclude exist expand expect experience
    exploit expose extend face facilitate fail fall favour favor fear feed feel fight fill find finish flee flow
    focus follow force foster fuel fulfil fulfill gain generate give govern grant grow guarantee handle happen harm
    help hinder hold host hurt ignore impact implement improve include increase incur inflict influence inform
    integrate intend invest involve isolate keep kill know lack last lead learn leave lend limit link live look
    lose lower maintain make manage mark matter mean meet migrate mitigate move need neglect obstruct occur offer
    open oppose ought outweigh overcome owe pay perpetuate persist place play pose prevent produce profit promote
    protect prove provide push put raise reach react recognise recognize reduce reflect refuse reinforce reject
    relieve rely remain remove replace represent require resettle resolve respect respond restore restrict result
    return reverse rise risk run save secure see seek seem send serve settle share shift show shrink solve speak
    spread stand start stay stem stop strain strengthen stress struggle succeed suffer support sustain take target
    tend threaten thrive tolerate trade traffic transform treat trigger try turn undermine understand unite use
    value vary violate want warrant weaken welcome win work worsen yield present need use care issue cause
    support change trade face report fund view plan aid visit test""".split()
)


@lru_cache(maxsize=1)
def stems() -> frozenset[str]:
    text = resources.files("rapporteur.analysis").joinpath("verb_stems.txt").read_text("utf-8")
    return STEMS | {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def _stem_of(word: str) -> str | None:
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("ed", ""), ("ed", "e"), ("s", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            if stem in stems():
                return stem
            if suffix == "ed" and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in stems():  # "stopped"
                return stem[:-1]
    return None


_SUBJECTS = frozenset("we they you people who that which".split())


def is_verb_form(word: str, position: int, before: str | Sequence[str] = "") -> bool:
    """Is ``word`` (lower case) at ``position`` in its span, after the words ``before`` (the nearest
    last), likely a finite verb? A bare stem counts after a subject pronoun or a plural word among
    the three before it ("some forms of migration cause"), not after a singular ("climate change")."""
    if word in AUXILIARIES or word in IRREGULAR_PAST:
        return True
    if position == 0:
        return False
    previous = [before] if isinstance(before, str) else list(before)
    if word in stems():
        near = previous[-3:]
        if not near or near[-1] == "to":  # "to integrate": an infinitive
            return False
        return near[-1] in _SUBJECTS or any(
            w.endswith("s") and w not in ("is", "was", "has", "this", "its", "us", "as", "his") for w in near)
    return _stem_of(word) is not None
