"""A draft outcome document (a zero draft, a revision) cut into the units a co-facilitator cites:
numbered paragraphs, objectives, headed sections, or blocks between blank lines.

The split is shown with the coverage, so a reader can check it. The rule, first that applies:

1. **numbered paragraphs** — lines that open with ``12.`` (or ``12)``), at least two of them: each
   runs to the next; text before the first (a preamble) is a paragraph of its own, ``preamble``;
2. **objectives** — lines that open with ``Objective 3`` (``Objective 3:``, ``OBJECTIVE 3.``), at least
   two: each runs to the next, its commitments included;
3. **headings** — Markdown (``# …``) or DOCX heading lines, at least two: each section runs to the next;
4. **blank lines** — blocks of text between empty lines.

Each paragraph keeps its offsets in the draft's text, so ``text[start:end]`` is its verbatim text.
A draft with one paragraph is read as one (and said so); an empty draft is an ``InputError``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapporteur.errors import InputError

from .documents import read_document

_NUMBERED = re.compile(r"^[ \t]*(\d{1,3})[.)][ \t]+(?=\S)", re.M)
_OBJECTIVE = re.compile(r"^[ \t]*(?:#+[ \t]*)?objective[ \t]+(\d{1,2})\b", re.M | re.I)
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?=\S)", re.M)
_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class DraftParagraph:
    id: str  # "17" (numbered), "objective-3", "p4" (headings, blocks), "preamble"
    text: str  # verbatim: the draft's text[start:end]
    start: int
    end: int


@dataclass
class Draft:
    source: str
    text: str
    paragraphs: list[DraftParagraph]
    split: str  # which rule cut it: "numbered paragraphs", "objectives", "headings", "blank lines"
    notes: list[str] = field(default_factory=list)  # what a reader should know about the split


def read_draft(path: str | Path, encoding: str = "utf-8") -> Draft:
    """Read a draft (txt, md, docx, pdf) and cut it into paragraphs; ``InputError`` naming the file for an
    empty draft or one with no text (a scanned PDF)."""
    path = Path(path)
    return split_draft(read_document(path, encoding=encoding), str(path))


def split_draft(text: str, source: str = "draft") -> Draft:
    if not text.strip():
        raise InputError(source, "the draft is empty: no paragraph to compare")
    for name, pattern, ident in (("numbered paragraphs", _NUMBERED, lambda m, i: m.group(1)),
                                 ("objectives", _OBJECTIVE, lambda m, i: f"objective-{int(m.group(1))}"),
                                 ("headings", _HEADING, lambda m, i: f"p{i + 1}")):
        starts = list(pattern.finditer(text))
        if len(starts) >= 2:
            paragraphs = _cut(text, [(m.start(), ident(m, i)) for i, m in enumerate(starts)])
            return _draft(source, text, paragraphs, name)
    blocks, at = [], 0
    for gap in [*_BLANK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        if text[at:end].strip():
            blocks.append((at, end))
        at = gap.end() if gap else at
    paragraphs = [_paragraph(text, f"p{i + 1}", s, e) for i, (s, e) in enumerate(blocks)]
    return _draft(source, text, paragraphs, "blank lines")


def _cut(text: str, starts: list[tuple[int, str]]) -> list[DraftParagraph]:
    out = []
    if text[: starts[0][0]].strip():
        out.append(_paragraph(text, "preamble", 0, starts[0][0]))
    seen: dict[str, int] = {}
    for (start, ident), nxt in zip(starts, [*(s for s, _ in starts[1:]), len(text)]):
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:  # a number used twice (a list restarting inside a paragraph): keep both, apart
            ident = f"{ident}-{seen[ident]}"
        out.append(_paragraph(text, ident, start, nxt))
    return out


def _paragraph(text: str, ident: str, start: int, end: int) -> DraftParagraph:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return DraftParagraph(ident, text[start:end], start, end)


def _draft(source: str, text: str, paragraphs: list[DraftParagraph], split: str) -> Draft:
    draft = Draft(source, text, paragraphs, split)
    if len(paragraphs) == 1:
        draft.notes.append(f"{source}: no numbered paragraphs, objectives, headings or blank lines found: "
                           "the draft is read as one paragraph")
    return draft
