"""Expected but unaddressed (D3) on the bundled 2017 General Debate excerpt on migration."""
from __future__ import annotations

import pytest

from rapporteur.analysis.gaps import expected_items
from rapporteur.analysis.themes import load_taxonomy
from rapporteur.ingest import read_path
from rapporteur.synthesis import SynthesisOptions, synthesize


@pytest.fixture(scope="module")
def demo_corpus(demo_dir):
    return read_path(demo_dir)


def _unaddressed(synthesis):
    return {d.label: d for d in synthesis.divergence if d.kind == "unaddressed"}


@pytest.mark.slow
def test_what_the_2017_debate_left_unaddressed(demo_corpus, minilm):
    s = synthesize(demo_corpus, SynthesisOptions(about="migration", learned=False), embedder=minilm)
    gaps = _unaddressed(s)
    everyone = s.counts["speakers_analysed"]
    # remittances and diasporas were barely raised by the States speaking on migration in 2017 …
    remittances = gaps["Contributions of migrants and diasporas › Remittances"]
    assert remittances.addressed_by <= 2 and remittances.of_stakeholders == everyone
    assert remittances.key_point is None and remittances.rule.startswith("D3")
    # … while trafficking, the compact and conflict were raised by many, so they are no gap
    assert "Smuggling, trafficking and contemporary forms of slavery › Trafficking in persons" not in gaps
    assert "Drivers of migration › Human-made crises and conflict" not in gaps
    for item in gaps.values():
        assert item.addressed_by <= s.settings["agreement"]["unaddressed_max"]
        quoted = {s.points[pid].stakeholder for pid in item.point_ids}
        assert len(quoted) == item.addressed_by  # the few who did speak to it are quoted


@pytest.mark.slow
def test_a_session_theme_expects_its_subtopics(demo_corpus, minilm):
    taxonomy = load_taxonomy("gcm-sessions")
    items = expected_items(taxonomy, "ts4")
    assert [i.id for i in items] == ["ts4.1", "ts4.2", "ts4.3", "ts4.4"]
    s = synthesize(demo_corpus, SynthesisOptions(about="migration", learned=False, focus="ts4"), embedder=minilm)
    labels = set(_unaddressed(s))
    assert labels and all(label.startswith("Contributions of migrants and diasporas ›") for label in labels)
    with pytest.raises(ValueError, match="no theme 'ts9'"):
        expected_items(taxonomy, "ts9")


def test_the_objectives_are_expected_items(minilm):
    items = expected_items(load_taxonomy("gcm-objectives"))
    assert len(items) == 23 and items[19].label == "Remittances and financial inclusion"
