"""Fixtures of the engine's tests: real statements synthesized once for the whole run."""
from __future__ import annotations

import re

import pytest

from rapporteur.ingest import read_path
from rapporteur.model import Contribution, Corpus
from rapporteur.synthesis import SynthesisOptions, synthesize
from rapporteur.text.segment import segment_all


@pytest.fixture(scope="session")
def compact_debate(ungdc_archive):
    """2018 General Debate sentences on the global compact for migration, one contribution each."""
    corpus = read_path(ungdc_archive, year=2018)
    points = segment_all(corpus.contributions)
    by_id = {c.id: c for c in corpus.contributions}
    pattern = re.compile(r"global\s+compact\s+(for|on)\s+(safe,\s+orderly\s+and\s+regular\s+)?migration", re.I)
    chosen: dict[str, list[str]] = {}
    for p in points:
        if pattern.search(p.text):
            chosen.setdefault(p.contribution_id.split("_")[0], []).append(p.text)
    assert {"USA", "HUN"} <= set(chosen) and len(chosen) > 25
    contributions = [
        Contribution(f"{code}-2018", by_id[f"{code}_73_2018"].stakeholder, "\n".join(texts), session="GD 2018")
        for code, texts in sorted(chosen.items())
    ]
    return Corpus(contributions)


@pytest.fixture(scope="session")
def compact_synthesis(compact_debate, minilm):
    return synthesize(compact_debate, SynthesisOptions(title="Compact"), embedder=minilm)



