"""Contributions into Points: sentences, bullets and headings, with character offsets.

Steps: (1) cut the text into blocks at blank lines, bullet lines, headings and line ends that close
a sentence; (2) a bullet or heading block is one Point; other blocks are split into sentences with
BlingFire (a fast finite-state sentence breaker); (3) each Point is classified as sentence, bullet,
heading, fragment or procedural. A heading is never fused with the sentence after it, and is not
analysed: a line marked "# …" (DOCX Heading and Title paragraphs are read so), a title-like line
that opens a paragraph (no final punctuation, title case or capitals, not followed by a line that
goes on in lower case), or a short line alone, without final punctuation or comma.

Front matter (``text.front_matter``: "Check against delivery", a dateline, "Statement by …" unless
it is set as a title, which stays a heading) is a point of its own kind, never fused with the next line, and so is a line alone that opens a document
before its first sentence (a subtitle: at most ``front_matter.LABEL_MAX_WORDS`` words, no final
punctuation, not a salutation ending in a comma or colon). The short lines after a document's last
sentence (headings or fragments of at most ``_SIGNATURE_MAX_WORDS`` words, no final punctuation) are its
signature. A sentence in which the speaker presents itself (``text.introduction``) is a
self-introduction. None of these is analysed.

``point.text == shown(contribution.text[point.start:point.end])`` always holds (``text.shown``):
the offsets give the verbatim span, the text is that span without the page's line breaks.
"""
from __future__ import annotations

import re
from typing import Iterable

import blingfire

from rapporteur.model import Contribution, Point, PointKind
from rapporteur.text.front_matter import LABEL_MAX_WORDS, front_matter_kind
from rapporteur.text.introduction import is_introduction
from rapporteur.text.procedural import is_procedural
from rapporteur.text.shown import shown

_BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦–—]|\(?\d{1,2}[.)]|\(?[a-z]\)|\([ivx]+\))[ \t]+(?=\S)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]。！？；：؟؛」』]\s*$")
# Abbreviations that end a line without ending the sentence ("Mr.\nPresident").
_ABBREVIATION_END = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|No|Nos|Art|para|paras|H\.E|e\.g|i\.e|cf|vs|Ltd|Co|Jr|Sr)\.|\b[A-Z]\.)\s*$")
_MIN_WORDS = 4
_MARKED_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?=\S)")
_TITLE_MAX_WORDS = 20
_ALONE_MAX_WORDS = 8
# words a title may leave in lower case, and no title ends with
_MINOR = frozenset("a an and as at but by for from in into of on or per the to via with vs de du la le les et".split())
_SIGNATURE_MAX_WORDS = 8
_PROSE, _BULLET_BLOCK, _HEADING, _MARKED, _FRONT, _SUBTITLE = "prose", "bullet", "heading", "marked", "front", "subtitle"
_CLOSED = re.compile(r"[.!?;\"”’)\]。！？；؟]\s*$")


def segment(contribution: Contribution) -> list[Point]:
    points = []
    for start, end, block in _blocks(contribution.text):
        spans = _sentences(contribution.text, start, end) if block == _PROSE else [(start, end)]
        for s, e in spans:
            s, e = _trim(contribution.text, s, e)
            if e <= s:
                continue
            text = shown(contribution.text[s:e])
            points.append(
                Point(
                    id=f"{contribution.id}#{len(points) + 1}",
                    contribution_id=contribution.id,
                    text=text,
                    start=s,
                    end=e,
                    kind=_kind(text, block, contribution.stakeholder.name),
                )
            )
    _mark_signature(points)
    return points


def _mark_signature(points: list[Point]) -> None:
    """The short unpunctuated lines after the last sentence that read as a heading or a fragment (a
    name, a title) are the signature."""
    tail = []
    for point in reversed(points):
        short = len(re.findall(r"\w+", point.text)) <= _SIGNATURE_MAX_WORDS and not _CLOSED.search(point.text)
        if point.kind in (PointKind.HEADING, PointKind.FRAGMENT) and short:
            tail.append(point)
            continue
        break
    if len(tail) < len(points) and any(p.kind in (PointKind.SENTENCE, PointKind.BULLET) for p in points[:len(points) - len(tail)]):
        for point in tail:
            point.kind = PointKind.SIGNATURE


def segment_all(contributions: Iterable[Contribution]) -> list[Point]:
    return [p for c in contributions for p in segment(c)]


def _kind(text: str, block: str, speaker: str | None = None) -> PointKind:
    if block == _MARKED:
        return PointKind.HEADING
    if block == _FRONT:
        return PointKind.FRONT_MATTER
    if is_procedural(text):
        return PointKind.PROCEDURAL
    if block == _HEADING:
        return PointKind.HEADING
    if len(re.findall(r"\w+", text)) < _MIN_WORDS:
        return PointKind.FRAGMENT
    if is_introduction(text, speaker):
        return PointKind.INTRODUCTION
    return PointKind.BULLET if block == _BULLET_BLOCK else PointKind.SENTENCE


def _title_like(body: str) -> bool:
    """Set as a title: no final punctuation, every significant word capitalised (or all capitals),
    short, and not ending on a word that needs one after it ("… and the Global Compact on")."""
    body = body.strip()
    words = re.findall(r"[^\W\d_][\w’'-]*", body)
    if not words or len(words) > _TITLE_MAX_WORDS or body[-1] in ".!?;:,-–—。！？；：，、؟،؛" or words[-1].lower() in _MINOR:
        return False
    if not any(c != c.lower() for c in body):  # a script without capitals (Arabic, Chinese): no title by case
        return False
    if body.upper() == body:
        return True
    return all(w[0].isupper() for w in words if w.lower() not in _MINOR)


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Cut at blank lines, before and after bullets and headings, and at line ends that close a
    sentence; each block is prose, a bullet, a heading or a marked heading ("# …").

    A blank line inside a sentence (common in text extracted from PDF) does not cut: when the
    running block has not closed a sentence and the next line starts in lower case, it goes on.
    """
    lines = []
    pos = 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    blocks: list[tuple[int, int, str]] = []
    start = None  # start of the running prose block
    last_end = 0  # end of the last non-blank line of the running block
    one_line = False  # the running block is one line that opened a paragraph
    gap = False  # a blank line since that line
    opens = True  # the next line opens a paragraph: at the top, after a blank line or a heading

    def close() -> None:  # at a blank line or the end of the text: a short line alone is a heading
        line = text[start:last_end]
        n = len(re.findall(r"\w+", line))
        alone = one_line and not _SENTENCE_END.search(line)
        if alone and "," not in line and n <= _ALONE_MAX_WORDS:
            blocks.append((start, last_end, _HEADING))
        elif (alone and n <= LABEL_MAX_WORDS and not line.rstrip().endswith((",", ":", "，", "،"))
              and not any(kind == _PROSE for *_, kind in blocks)):
            blocks.append((start, last_end, _SUBTITLE))  # before the first sentence: front matter if text follows
        else:
            blocks.append((start, last_end, _PROSE))

    for k, (line_start, body) in enumerate(lines):
        if not body.strip():
            gap = start is not None
            opens = True
            continue
        if gap and not body.lstrip()[:1].islower():
            close()
            start = None
        gap = False
        opening, opens = opens, False
        marked = _MARKED_HEADING.match(body)
        marker = None if marked else _BULLET.match(body)
        if marked or marker:
            if start is not None:
                blocks.append((start, last_end, _PROSE))
                start = None
            cut = (marked or marker).end()
            blocks.append((line_start + cut, line_start + len(body), _MARKED if marked else _BULLET_BLOCK))
            opens = bool(marked)  # a title may have a subtitle
            continue
        title = start is None and opening and _title_like(body) and not _goes_on(lines, k)
        front = front_matter_kind(body)
        if front and not (front == "label" and title) and not _goes_on(lines, k):
            if start is not None:  # "Check against delivery", a dateline, a label: never fused
                blocks.append((start, last_end, _PROSE))
                start = None
            blocks.append((line_start + len(body) - len(body.lstrip()), line_start + len(body.rstrip()), _FRONT))
            opens = True
            continue
        if title:
            blocks.append((line_start, line_start + len(body), _HEADING))
            opens = True
            continue
        if start is None:
            start, one_line = line_start, opening
        else:
            one_line = False
        last_end = line_start + len(body)
        if _SENTENCE_END.search(body) and not _ABBREVIATION_END.search(body):
            blocks.append((start, last_end, _PROSE))
            start = None
    if start is not None:
        close()
    # a subtitle is front matter only when something follows it, and a text of one line is never
    # front matter: a statement of one short line without a full stop (a row of a statements CSV,
    # "Fees were abolished in June 2017") is the statement itself
    if len(blocks) == 1 and blocks[0][2] in (_FRONT, _SUBTITLE):
        return [(blocks[0][0], blocks[0][1], _PROSE)]
    return [(a, b, (_FRONT if k < len(blocks) - 1 else _PROSE) if kind == _SUBTITLE else kind)
            for k, (a, b, kind) in enumerate(blocks)]


def _goes_on(lines: list[tuple[int, str]], k: int) -> bool:
    """The next non-blank line after ``k`` starts in lower case: line ``k`` is part of a sentence."""
    for _, body in lines[k + 1:]:
        if body.strip():
            return body.lstrip()[:1].islower()
    return False


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk = text[start:end]
    if not chunk.strip():
        return []
    _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
    return [(start + a, start + b) for a, b in offsets] or [(start, end)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
