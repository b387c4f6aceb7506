"""Real sentences for tests, read from the bundled 2017 UNGDC excerpt (CC0)."""
from __future__ import annotations

from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "ungdc-2017-migration" / "TXT" / "Session 72 - 2017"


def speech(code: str) -> str:
    return (DEMO / f"{code}_72_2017.txt").read_text(encoding="utf-8")


def sentence_with(code: str, fragment: str) -> str:
    """The full sentence of ``code``'s 2017 excerpt that contains ``fragment``, verbatim."""
    from rapporteur.model import Contribution, Stakeholder
    from rapporteur.text.segment import segment

    for point in segment(Contribution(code, Stakeholder(code), speech(code))):
        if fragment in point.text:
            return point.text
    raise LookupError(f"{fragment!r} not in {code}")
