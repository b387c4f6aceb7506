"""Key point candidates: short, self-contained, general claims, cut verbatim from the points.

A rapporteur's key point is a claim a delegate could agree or disagree with, in 5–15 words, with no
speaker in it (../shared/docs/RAPPORTEUR.md). Candidates are found as IBM's Key Point Analysis
finds them (Bar-Haim et al., ACL 2020 and EMNLP 2021): among the sentences of the input, with the
difference that a candidate may also be a *verbatim contiguous span* of a sentence, so that "We
believe that regular pathways reduce irregular migration." offers "regular pathways reduce
irregular migration". A candidate's text is always ``shown(contribution.text[start:end])``
(``text.shown``: the verbatim span without the page's line breaks).

Spans of a point (``spans_of``): the whole sentence; its clauses cut at ";", ":" and dashes; the
main clause before ", which", ", but", ", and", ", including", " in order to", " because" and the
like, or before any comma; each with leading connectives ("However,", "In this regard,"), adverbial phrases ("In the
field of migration,") and framing clauses ("We believe that", "It is clear that", "My delegation
reaffirms that") taken off, repeatedly. Trailing punctuation and spaces are cut.

A span is a candidate when (``rejection``, each rule a reason shown in tests):

1. it has ``min_words`` to ``max_words`` words;
2. it is self-contained: it does not open with a word that needs the sentence before ("This",
   "It", "They", "Such", "Also", "And", "But", "Which", …) nor with a leading lower-case
   continuation of a clause ("and", "or", "to", …);
3. it is not bound to the speaker nor to a story around it ("his", "her"): it does not open with "I", "We", "My", "Our" (except the
   inclusive normative "We must / should / need to / have to / cannot …", which states a claim
   for everyone) nor with a country's name ("Malta welcomes…"); it does not contain "my", "I",
   "our country", "our Government", "we in …", "this Assembly", "this session", "Mr. President";
4. it is not procedural (``text.procedural``), a question, a heading or title (no final
   punctuation and mostly capitalised words), a topic without a finite verb ("The adoption of the
   New York Declaration"; ``has_finite_verb``), nor a rejection voiced by its speaker (a rejection
   is a position on a claim, not a claim: "The United States will not participate");
4b. its predicate is not a figure ("The funding gap remains around $520 million"), and it is a
   complete clause: its last clause opened by "that" or "whether" has a predicate ("… is
   to ensure that the Rohingya people who have taken refuge outside their country" has none), and a
   span does not leave open a dash aside that its sentence closes later ("Access to basic services —
   housing, health care");
5. its learned quality (``fidelity.quality``: how much it reads like an expert's key point rather
   than a crowd argument, trained on ArgKP-2021) reaches ``min_quality`` and is not among the lowest
   ``quality_drop`` of the run's candidates, when that model is given.

A point in another language than English (``rapporteur.lang``) offers its whole sentence only, and
rules 1–4 are its language's (``lang.cues.CueRules.rejection``).

Deterministic: candidates come out in point order, then span order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from rapporteur.model import Point
from rapporteur.text.procedural import is_procedural
from rapporteur.text.shown import shown, shown_with_map

_WORD = re.compile(r"[\w'’-]+")

# Leading words that need the sentence before to be understood.
_DEPENDENT_START = {
    "this", "that", "these", "those", "it", "its", "they", "them", "their", "such", "he", "she", "his", "her",
    "also", "and", "but", "or", "nor", "so", "then", "yet", "which", "who", "whom", "whose", "where", "when",
    "while", "whereas", "because", "as", "if", "unless", "although", "though", "both", "either", "neither",
    "another", "other", "others", "here", "there's", "thereby", "therein", "thus", "hence", "otherwise",
    "instead", "likewise", "similarly", "meanwhile", "besides", "further", "furthermore", "moreover",
    "however", "still", "too", "to", "of", "for", "with", "by", "in", "on", "at", "from", "than", "not",
    "including", "namely", "especially", "particularly", "notably", "without", "within", "through",
    "since", "given", "once", "until", "whether", "after", "before", "despite", "unlike", "like",
    "indeed", "therefore", "accordingly", "consequently", "nevertheless", "nonetheless", "additionally",
    "firstly", "secondly", "thirdly", "finally", "lastly", "again", "only", "now", "today", "rather",
}
# Words that tie a span to a story told around it ("Two children in his group…").
_ANECDOTE = re.compile(
    r"\b(?:his|her|him|herself|himself|this|these)\b|\bsuch\b(?!\s+(?:a|an|as)\b)|\bthose\b(?!\s+(?:who|whom|whose|which|that|"
    r"involved|affected|concerned|in|of|with|at|fleeing|seeking|most|living|working)\b)|"
    r"\b(?:for|of|to|by|with|in|on|at|from|during|after) that\b(?=\s*(?:[,.;:]|$)|\s+[a-z]+\b(?!\s+(?:is|are|was|were|have|has|can|will|must|should)\b))|"
    r"\bthat,|\bthat (?:visit|meeting|conference|summit|event|occasion|day|time|year|decision|speech|report|"
    r"purpose|goal|end|aim|objective|regard|respect|context|process|effort|initiative|issue)\b|"
    r"^the (?:result|outcome|answer|reason|consequence|aim|goal|purpose)s? (?:is|was|are|were)\b|"
    r"^the (?:first|second|third|last|latter|former|other|"
    r"same|next|one|two|three)\b", re.IGNORECASE)
# Leading connectives and framing clauses taken off a span (case-insensitive, repeatedly).
_FRAMES = [
    r"(?:however|moreover|furthermore|indeed|therefore|thus|hence|finally|similarly|likewise|accordingly|"
    r"consequently|nevertheless|nonetheless|in addition|additionally|in this regard|in that regard|in this context|"
    r"in that context|in this respect|to that end|to this end|for that reason|for this reason|at the same time|"
    r"above all|first(?:ly)?|second(?:ly)?|third(?:ly)?|lastly|of course|in fact|in short|in particular|"
    r"in conclusion|in our view|in my view|for us|for my country|for my delegation|for my government|"
    r"as (?:we|i) (?:have )?(?:said|stated|noted|mentioned)(?: [\w ]{0,20})?|on the one hand|on the other hand|"
    r"today|now|once again|again|clearly|obviously|undoubtedly|certainly|importantly|ultimately)\s*,\s*",
    r"(?:and|but|so|yet|therefore|thus|hence|indeed|also|rather|only then|today|now)\s+",
    # a leading adverbial phrase before the subject: "In the field of migration, we must …"
    r"(?:in|at|on|for|with|by|through|as|from|after|before|during|since|despite|given|under|within|across|among|"
    r"beyond|regarding|concerning|on behalf of|in the face of|in light of|in view of|faced with|like|unlike|"
    r"over|throughout)\b[^,;:]{2,70},\s+",
    r"(?:(?:we|i|my (?:delegation|country|government|nation)|our (?:delegation|country|government|nation)|"
    r"the (?:government|people) of [\w ]{2,40}?|[A-Z][\w ]{2,40}?)\s+)?"
    r"(?:(?:also|firmly|strongly|truly|fully|therefore|further|continue to|would like to|wish to|must|do|does)\s+)*"
    r"(?:believes?|considers?|thinks?|(?:are|is|am|remains?|remain) (?:convinced|of the view|of the opinion|aware|"
    r"confident|certain|persuaded)|reaffirms?|affirms?|recogni[sz]es?|acknowledges?|notes?|stress(?:es)?|"
    r"emphasi[sz]es?|underlines?|underscores?|reiterates?|maintains?|holds?|insists?|agrees?|knows?|feels?|"
    r"hopes?|trusts?|observes?|recalls?|submits?|contends?|argues?|say|says)\s+that\s+",
    r"(?:it is|it's|it remains|it has become|there is no doubt|there can be no doubt|no one can deny|"
    r"we cannot ignore the fact|we must recogni[sz]e|we must remember|we must not forget|let us (?:recall|remember|"
    r"not forget)|let me (?:stress|emphasize|emphasise|say|recall|underline)|allow me to (?:stress|emphasize|"
    r"emphasise|say|recall|underline)|i (?:would like to|wish to|want to) (?:stress|emphasize|emphasise|say|recall|"
    r"underline))\s+(?:(?:clear|evident|obvious|true|undeniable|important to (?:note|stress|recall)|our (?:view|belief|"
    r"conviction|position)|my (?:view|belief|conviction)|a fact|essential to (?:note|recall)|worth (?:noting|recalling))\s+)?"
    r"that\s+",
]
_FRAME = re.compile(r"^(?:" + "|".join(_FRAMES) + r")", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r"\s*(?:;|:\s|\s[—–-]{1,2}\s)\s*")
_MAIN_CLAUSE_END = re.compile(
    r"(?:,\s+(?:which|but|while|whereas|although|though|as well as|thereby|so that|and|including|such as|especially|"
    r"particularly|notably|in particular|in order to|because|since|as|given that|not least|who|where|when|if|unless|"
    r"\w+ing)\b|\s+(?:in order to|so that|because|since|given that|and that)\b)", re.IGNORECASE)
_TRAILING = " \t\n,;:—–-"
# a span cut after a conjunction, preposition or article ("… to their lives, with"): the word goes
_DANGLING = re.compile(r"[\s,]+(?:and|or|but|nor|as well as|with|of|to|for|in|on|at|by|from|as|than|into|the|a|an)$",
                       re.IGNORECASE)
# a comma inside a list ("safe, orderly and regular migration"): the span may not end there
_LIST_GOES_ON = re.compile(r",\s+(?:[\w'’-]+\s+){1,2}(?:and|or)\s", re.IGNORECASE)
# the speaker as the subject after a leading phrase: "Last year, we proposed …"
_FIRST_PERSON_AFTER_PHRASE = re.compile(r"^[^,;:]{1,60},\s+((?:i|we|my|our)\b.*)", re.IGNORECASE)
_INCLUSIVE_WE = re.compile(
    r"^(?:we|us)\s+(?:all\s+|together\s+|collectively\s+|as an international community\s+)?"
    r"(?:must|should|need to|have to|ought to|cannot|can no longer|can not|shall|will have to|have a duty to|"
    r"have a responsibility to|have a shared responsibility to)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_START = re.compile(r"^(?:i|we|us|my|our|me)\b", re.IGNORECASE)
_BOUND_ANYWHERE = re.compile(
    r"\b(?:i|my|me|mine|myself|ourselves)\b|\bour (?:country|countries|government|governments|delegation|nation|"
    r"people|region|continent|citizens|state|president|prime minister|parliament|national|own)\b|\bwe in\b|"
    r"\bthis (?:assembly|organization|organisation|session|hall|rostrum|podium|house|forum|meeting|year|week|debate)\b|"
    r"\b(?:mr|madam|mister)\.? (?:president|chair|secretary-general)\b|\bsecretary-general\b|\bexcellenc(?:y|ies)\b",
    re.IGNORECASE,
)
_PARTICIPLE_START = re.compile(r"^[\w-]+ed\s+(?:with|by|in|to|on|at|from|for|through|as)\b", re.IGNORECASE)
_CASE_SENSITIVE_I = re.compile(r"(?:^|\s)I(?:\s|'|’)")


@dataclass(frozen=True)
class CandidateRules:
    """Rules 1 and 5 of the module: the length of a candidate, and the learned quality floor."""

    min_words: int = 5
    max_words: int = 18
    # rule 5: candidates below this learned quality are left out, and so are the lowest
    # ``quality_drop`` of a run's candidates (the model was learned on debate arguments: a share
    # adapts to the register of the input where an absolute floor would not)
    min_quality: float = 0.0
    quality_drop: float = 0.3


@dataclass
class Candidate:
    """A possible key point label: ``text`` is ``shown(contribution.text[start:end])`` of its point's contribution."""

    id: str
    point_id: str
    text: str
    start: int
    end: int
    span: bool  # part of the sentence (True), or the whole sentence (False)
    quality: float | None = None


def words(text: str) -> int:
    return len(_WORD.findall(text))


def spans_of(text: str) -> list[tuple[int, int]]:
    """Verbatim spans of ``text`` worth reading as claims: ``(start, end)`` into ``text``, in order,
    the whole text first (see the module rules)."""
    pieces = [(0, len(text))]
    cut = 0
    for match in _CLAUSE_CUT.finditer(text):
        pieces.append((cut, match.start()))
        cut = match.end()
    if cut:
        pieces.append((cut, len(text)))
    for start, end in list(pieces):
        for main in _MAIN_CLAUSE_END.finditer(text, start, end):
            pieces.append((start, main.start()))
        for comma in re.finditer(r",\s", text[start:end]):  # any main clause ending at a comma
            if not _LIST_GOES_ON.match(text, start + comma.start(), end):
                pieces.append((start, start + comma.start()))
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        while True:
            start, end = _strip(text, start, end)
            frame = _FRAME.match(text, start, end)
            if not frame or frame.end() >= end:
                break
            if (start, end) not in out:
                out.append((start, end))
            start = frame.end()
        if end > start and (start, end) not in out:
            out.append((start, end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"“”'‘’(["):
        start += 1
    while end > start and (text[end - 1] in _TRAILING or text[end - 1] in ".!"):
        end -= 1
    dangling = _DANGLING.search(text, start, end)  # "… without root causes and"
    if dangling and dangling.start() > start:
        end = dangling.start()
    while end > start and text[end - 1] in "\"“”'‘’)]" and text[start:end].count(text[end - 1]) % 2:
        end -= 1
    return start, end


def rejection(text: str, countries: Sequence[str] = ()) -> str | None:
    """Why ``text`` is no candidate, or None when it is one (rules 1–4 of the module; rule 1's
    bounds are those of ``CandidateRules()``, see ``find_candidates`` for others)."""
    return _rejection(text, CandidateRules(), _country_start(countries) if countries else None)


def _rejection(text: str, rules: CandidateRules, country_start: re.Pattern | None) -> str | None:
    n = words(text)
    if n < rules.min_words:
        return "too short"
    if n > rules.max_words:
        return "too long"
    first_word = _WORD.findall(text)[0]
    first = first_word.lower()
    if first in _DEPENDENT_START:
        return "needs the sentence before"
    if _PARTICIPLE_START.match(text):  # "Faced with the threat of …": an adverbial phrase
        return "needs the sentence before"
    if first_word[0].islower() and first.endswith("ing") and _GERUND_LIST.search(text):  # "ensuring X, supporting Y …"
        return "needs the sentence before"
    if first in _CLAUSE_WORDS and first_word[0].islower():  # "what is expected of …": part of a clause
        return "needs the sentence before"
    if first_word[0].islower() and _starts_with_verb(first):  # "lies with the countries …": a cut predicate
        return "needs the sentence before"
    if _FIRST_PERSON_START.match(text) and not _INCLUSIVE_WE.match(text):
        return "bound to the speaker"
    after_phrase = _FIRST_PERSON_AFTER_PHRASE.match(text)
    if after_phrase and not _INCLUSIVE_WE.match(after_phrase.group(1)):
        return "bound to the speaker"
    if _BOUND_ANYWHERE.search(text) or _CASE_SENSITIVE_I.search(text):
        return "bound to the speaker"
    if _ANECDOTE.search(text):
        return "needs the sentence before"
    if _OPEN_END.search(text):  # "The global compact also suggests that": its clause was cut off
        return "needs the sentence after"
    if _clause_left_open(text):  # "… is to ensure that the Rohingya people who have taken refuge": no predicate
        return "needs the sentence after"
    if country_start is not None and country_start.search(text):
        return "bound to the speaker"
    if text.rstrip().endswith("?"):
        return "a question"
    if is_procedural(text) or re.search(r"\b(?:thank|congratulat|gratitude|appreciation to)\w*", text, re.IGNORECASE):
        return "procedural"
    tokens = text.split()
    capitalised = sum(1 for t in tokens if t[:1].isupper())
    if not re.search(r"[.!?;:\"”)]\s*$", text) and capitalised >= 0.6 * len(tokens) and len(tokens) > 2:
        return "a heading or title"
    if text.isupper():
        return "a heading or title"
    if not has_finite_verb(text):
        return "no finite verb (a topic, not a claim)"
    if _NAMES_A_TOPIC.match(text) or _ANNOUNCES.match(text):  # "A topic of … is migration"; "Let us emphasize …"
        return "names a topic, claims nothing of it"
    if _A_FIGURE.search(text):  # "The funding gap remains around $520 million": a figure, not a claim
        return "a figure, not a claim"
    from rapporteur.analysis.stance import Stance, stance_of

    if stance_of(text) is Stance.OPPOSE:
        return "a rejection voiced by its speaker"
    return None


_RELATIVE = re.compile(r",\s+(?:which|who|whom|whose|where)\b", re.IGNORECASE)
_COMPLEMENT = re.compile(r"\b(?:that|whether)\s+", re.IGNORECASE)
_RELATIVE_WORD = re.compile(r"\b(?:who|whom|whose|which|where)\b", re.IGNORECASE)
# a dash that opens or closes an aside ("services — housing, health care — must")
_ASIDE_DASH = re.compile(r"\s[—–]\s|\s--\s")


def _clause_left_open(text: str) -> bool:
    """The last clause opened by "that" or "whether" after a verb or a word that takes a clause
    ("ensure that", "shows that", "confidence that") has no predicate of its own: "… to ensure that
    the Rohingya people who have taken refuge outside their country". A relative "that" after a noun
    ("trade that paves the way") opens no such clause, and a relative clause is not the predicate."""
    from rapporteur.analysis.verbs import is_verb_form

    opened = [m for m in _COMPLEMENT.finditer(text) if m.group(0).lower().startswith("whether")
              or _takes_a_clause(_WORD.findall(text[:m.start()])[-1:])]
    if not opened:
        return False
    rest = _RELATIVE_WORD.split(text[opened[-1].end():], maxsplit=1)[0]
    tokens = [t.lower() for t in _WORD.findall(rest)]
    if len(tokens) < 2 or has_finite_verb(rest):
        return False
    return not is_verb_form(tokens[-1], len(tokens) - 1, tokens[-4:-1])  # "that the brain drain exists"


_CLAUSE_TAKERS = frozenset(
    "ensure ensuring ensured ensures say says said show shows showed shown mean means meant believe believes agree "
    "agrees know knows recognize recognizes recognise recognises note notes clear sure certain confident confidence "
    "fact hope hopes view conviction evident true aware convinced demand demands insist insists is was are were "
    "suggest suggests suggested argue argues found find finds".split())


def _takes_a_clause(before: list[str]) -> bool:
    """The word before "that" takes a clause (a verb of saying or knowing, "clear", "confidence")."""
    return bool(before) and before[0].lower() in _CLAUSE_TAKERS
_NAMES_A_TOPIC = re.compile(
    r"^(?:an?|the|one|another)\s+(?:[\w-]+\s+){0,3}(?:topic|issue|subject|matter|question|area|theme|item|challenge|"
    r"problem|priority|concern)s?\b(?:\s+[\w-]+){0,12}\s+(?:is|are|remains|remain)\s+(?:that of\s+|the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:migration|refugees|migrants|displacement|trafficking|the [\w-]+ crisis)\W*$", re.IGNORECASE)
_ANNOUNCES = re.compile(r"^let (?:us|me) (?:now )?(?:emphasi[sz]e|stress|mention|turn to|address|highlight|recall|"
                       r"underline|note|speak (?:about|of|on)|touch (?:on|upon)|reflect on|focus on|say a word)\b", re.IGNORECASE)
# the predicate is a quantity: "… remains around $520 million", "… stands at 3.2 per cent"
_A_FIGURE = re.compile(
    r"\b(?:is|are|was|were|remains?|remained|stands?|stood|amounts?|amounted|totals?|totalled|totaled|reached|reaches|"
    r"rose|fell|exceeds?|exceeded|numbers?|numbered)\s+(?:at\s+|to\s+)?(?:only\s+|just\s+|now\s+|still\s+)?"
    r"(?:around|about|approximately|some|over|more than|less than|nearly|almost|close to|roughly|at least|up to)?\s*"
    r"(?:[$€£¥]|US\$|USD\s|EUR\s)?\d[\d.,]*\s*(?:%|per\s?cent|percent|million|billion|trillion|thousand|[mb]n\b)?\W*$",
    re.IGNORECASE)
_OPEN_END = re.compile(r"\b(?:that|which|whether|if|because|whose|where|when|than|who|whom)\W*$", re.IGNORECASE)
_GERUND_LIST = re.compile(r"^\w+ing\b[^,]*,\s+(?:and\s+)?\w+ing\b|^\w+ing\b.*\band\s+\w+ing\b", re.IGNORECASE)
_CLAUSE_WORDS = frozenset(("what", "how", "why", "whatever", "wherever", "whoever"))
_NOT_FINITE = frozenset(("be", "been", "being"))
_ADJECTIVE_ENDS = ("al", "ic", "ive", "ous", "ful", "ary")
_NOUN_LIKE = frozenset("need needs will can may must".split())  # after an article: "the need", "the will"
_NOUN_BEFORE = frozenset(
    "the a an and or of for with in on at by from such many some all these those their our its his her new "
    "other more most major main several various both each every any no".split())


def _starts_with_verb(word: str) -> bool:
    from rapporteur.analysis.verbs import AUXILIARIES, is_verb_form

    return word in AUXILIARIES or is_verb_form(word, 1, ["they"])


def has_finite_verb(text: str) -> bool:
    """A claim says something of its subject: an auxiliary, a modal or copula, a negation, or an
    inflected form of a common verb (``verbs.py``'s lexicon). "The adoption of the New York
    Declaration" has none; "Regular pathways reduce irregular migration" has one. An inflected
    lexical form right before a comma ("Massive refugee flows, …") or right after an article,
    conjunction or preposition ("Threats and challenges such as …") is read as a noun."""
    from rapporteur.analysis.verbs import AUXILIARIES, IRREGULAR_PAST, is_verb_form

    relative = _RELATIVE.search(text)  # "Fighting drug trafficking, which is …": the verb is not the main one
    main = text[: relative.start()] if relative else text
    matches = list(_WORD.finditer(main))
    tokens = [m.group(0).lower() for m in matches]

    def as_noun(i: int) -> bool:  # "the flows", "and challenges", "the need": a noun
        return bool(i) and tokens[i - 1] in _NOUN_BEFORE and (tokens[i] not in AUXILIARIES or tokens[i] in _NOUN_LIKE)

    if main.count(",") >= 2 and not any(t in AUXILIARIES and not as_noun(i) for i, t in enumerate(tokens)):
        return False  # a list ("poverty, terrorism, climate change, …"), not a claim
    for i, token in enumerate(tokens):
        if not is_verb_form(token, i, tokens[max(0, i - 4):i]) or as_noun(i):
            continue
        if token in _NOT_FINITE:  # "be it legal or illegal"; "can be" counts by its modal
            continue
        if i == len(tokens) - 1 and i and token.endswith("s") and token not in AUXILIARIES:
            continue  # "… of migration and refugee claims": a plural noun ends the span
        if token.endswith("ed") and i and (tokens[i - 1] in _NOT_FINITE or tokens[i - 1].endswith(_ADJECTIVE_ENDS)):
            continue  # "the soon to be adopted compact", "transnational organized crime": a participle
        if token in AUXILIARIES or token in IRREGULAR_PAST:
            return True
        following = main[matches[i].end():].lstrip()
        if token.endswith("ed") and (i == 0 or main[:matches[i].start()].rstrip().endswith(",")
                                     or following.lower().startswith("by ")):
            continue  # "Faced with …", ", adopted in 2016", "aggravated by": a participle
        if not following.startswith(","):
            return True
    return False


def _country_start(countries: Sequence[str]) -> re.Pattern:
    """A country as the subject ("Malta welcomes…") or as whom the claim is for ("a crucial issue for
    El Salvador"): the claim is the speaker's, about itself."""
    names = "|".join(re.escape(n) for n in countries)
    return re.compile(rf"(?:^(?:the\s+)?(?:(?:government|people|republic|kingdom|state) of\s+)?(?:the\s+)?|\b(?:for|to) (?:the\s+)?)"
                      rf"(?:{names})\b", re.IGNORECASE)


def find_candidates(points: Sequence[Point], source_of: dict[str, str], rules: CandidateRules = CandidateRules()
                    ) -> list[Candidate]:
    """Every candidate of ``points`` (``source_of``: contribution id -> its full text, to check offsets)."""
    from rapporteur.geography import country_names
    from rapporteur.lang import rules_for

    country_start = _country_start(country_names())
    out: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    for point in points:
        source = source_of[point.contribution_id]
        point_text, where = shown_with_map(source[point.start:point.end])  # offsets of the shown text
        other = None if point.language == "en" else rules_for(point.language)  # another language's rules
        for start, end in spans_of(point_text) if other is None else [(0, len(point_text.rstrip(" .;:!。؛")))]:
            text = point_text[start:end]
            if (_rejection(text, rules, country_start) if other is None else other.rejection(text, rules)):
                continue
            if len(_ASIDE_DASH.findall(text)) % 2 and _ASIDE_DASH.search(point_text, end):
                continue  # an aside left open: "Access to basic services — housing, health care"
            begin, finish = point.start + where[start], point.start + where[end - 1] + 1
            key = (point.contribution_id, begin, finish)
            if key in seen:
                continue
            seen.add(key)
            assert shown(source[begin:finish]) == text
            out.append(Candidate(id=f"C{len(out) + 1}", point_id=point.id, text=text, start=begin, end=finish,
                                 span=(start, end) != (0, len(point_text))))
    return out
