"""Contributions into Points: verbatim sentences and bullets, with character offsets.

Steps: (1) cut the text into blocks at blank lines, bullet lines and line ends that close a
sentence; (2) a bullet block is one Point; other blocks are split into sentences with BlingFire
(a fast finite-state sentence breaker); (3) each Point is classified as sentence, bullet, fragment
or procedural. ``point.text == contribution.text[point.start:point.end]`` always holds.
"""
from __future__ import annotations

import re
from typing import Iterable

import blingfire

from rapporteur.model import Contribution, Point, PointKind
from rapporteur.text.procedural import is_procedural

_BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦–—]|\(?\d{1,2}[.)]|\(?[a-z]\)|\([ivx]+\))[ \t]+(?=\S)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
# Abbreviations that end a line without ending the sentence ("Mr.\nPresident").
_ABBREVIATION_END = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|No|Nos|Art|para|paras|H\.E|e\.g|i\.e|cf|vs|Ltd|Co|Jr|Sr)\.|\b[A-Z]\.)\s*$")
_MIN_WORDS = 4


def segment(contribution: Contribution) -> list[Point]:
    points = []
    for start, end, is_bullet in _blocks(contribution.text):
        spans = [(start, end)] if is_bullet else _sentences(contribution.text, start, end)
        for s, e in spans:
            s, e = _trim(contribution.text, s, e)
            if e <= s:
                continue
            text = contribution.text[s:e]
            points.append(
                Point(
                    id=f"{contribution.id}#{len(points) + 1}",
                    contribution_id=contribution.id,
                    text=text,
                    start=s,
                    end=e,
                    kind=_kind(text, is_bullet),
                )
            )
    return points


def segment_all(contributions: Iterable[Contribution]) -> list[Point]:
    return [p for c in contributions for p in segment(c)]


def _kind(text: str, is_bullet: bool) -> PointKind:
    if is_procedural(text):
        return PointKind.PROCEDURAL
    if len(re.findall(r"\w+", text)) < _MIN_WORDS:
        return PointKind.FRAGMENT
    return PointKind.BULLET if is_bullet else PointKind.SENTENCE


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Cut at blank lines, before and after bullets, and at line ends that close a sentence.

    A blank line inside a sentence (common in text extracted from PDF) does not cut: when the
    running block has not closed a sentence and the next line starts in lower case, it goes on.
    """
    blocks: list[tuple[int, int, bool]] = []
    start = None  # start of the running prose block
    last_end = 0  # end of the last non-blank line of the running block
    gap = False  # a blank line since that line
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            gap = start is not None
            continue
        if gap and not body.lstrip()[:1].islower():
            blocks.append((start, last_end, False))
            start = None
        gap = False
        marker = _BULLET.match(body)
        if marker:
            if start is not None:
                blocks.append((start, last_end, False))
                start = None
            blocks.append((line_start + marker.end(), line_start + len(body), True))
            continue
        if start is None:
            start = line_start
        last_end = line_start + len(body)
        if _SENTENCE_END.search(body) and not _ABBREVIATION_END.search(body):
            blocks.append((start, last_end, False))
            start = None
    if start is not None:
        blocks.append((start, last_end, False))
    return blocks


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
