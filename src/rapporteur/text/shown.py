"""The text a Point shows: its verbatim source slice with the layout of the page taken out.

Text extracted from PDF and DOCX keeps the page's layout: a line break inside a sentence, runs of
spaces, a word hyphenated at the end of a line. ``shown`` turns every run of white space into one
space (none at the ends) and joins a word hyphenated at a line end: without the hyphen when the
next line goes on in lower case ("migra-\\ntion" → "migration"), with it for a compound
("self-\\ndetermination", "non-\\nState" → "self-determination", "non-State"). Only white space and
line-end hyphens go; no word, letter or punctuation mark is added or rewritten, so
``shown(source[start:end])`` is the quote and ``source[start:end]`` its verbatim span.
"""
from __future__ import annotations

# a hyphen at a line end after these stays: the word is a compound, not one cut in two (only prefixes
# that begin no common word, so "inter-\nnational" and "pre-\nvent" are joined)
_COMPOUND_FIRST = frozenset(
    "self non well long short half socio twenty thirty forty fifty sixty seventy eighty ninety".split()
)


def shown(text: str) -> str:
    """``text`` as shown to a reader: see the module."""
    return shown_with_map(text)[0]


def shown_with_map(text: str) -> tuple[str, list[int]]:
    """``shown(text)`` and, for each of its characters, the index in ``text`` it comes from."""
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if not text[i].isspace():
            out.append(text[i])
            where.append(i)
            i += 1
            continue
        j = i
        while j < n and text[j].isspace():
            j += 1
        if _hyphenated(out, text, i, j):
            if text[j].islower() and _word_before_hyphen(out).lower() not in _COMPOUND_FIRST:
                out.pop()
                where.pop()
        elif out and j < n:
            out.append(" ")
            where.append(i)
        i = j
    return "".join(out), where


def _hyphenated(out: list[str], text: str, i: int, j: int) -> bool:
    """A hyphen right after a letter, then a line break, then a letter."""
    return (len(out) >= 2 and out[-1] == "-" and out[-2].isalpha() and "\n" in text[i:j]
            and j < len(text) and text[j].isalpha())


def _word_before_hyphen(out: list[str]) -> str:
    k = len(out) - 1
    while k > 0 and out[k - 1].isalpha():
        k -= 1
    return "".join(out[k:-1])
