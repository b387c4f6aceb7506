"""Taxonomies shipped as data, a user's own taxonomy, and classification of real sentences."""
from __future__ import annotations

import pytest

from rapporteur.analysis.themes import classify, load_taxonomy
from rapporteur.embed import embed_texts
from rapporteur.errors import InputError

from .speeches import sentence_with


def test_built_in_taxonomies():
    sessions = load_taxonomy("gcm-sessions")
    objectives = load_taxonomy("gcm-objectives")
    assert len(sessions.themes) == 6 and len(objectives.themes) == 23
    assert objectives.themes[12].label == "Alternatives to detention"


def test_real_sentences_land_in_their_thematic_session(minilm):
    taxonomy = load_taxonomy("gcm-sessions")
    cases = {
        sentence_with("ITA", "trafficking"): "ts5",
        sentence_with("SOM", "remittances sent to Somalia"): "ts4",
        sentence_with("BDI", "resurgence of racism"): "ts1",
    }
    texts = list(cases)
    ids = classify(texts, embed_texts(minilm, texts), taxonomy, embed_texts(minilm, [t.anchor for t in taxonomy.themes]))
    assert ids == list(cases.values())


def test_user_taxonomy_yaml_and_csv(tmp_path, minilm):
    yaml_file = tmp_path / "mine.yaml"
    yaml_file.write_text(
        "name: Mine\nthemes:\n  - {id: climate, label: Climate, description: Climate change and disasters, terms: [drought]}\n"
        "  - {id: work, label: Labour, description: Jobs and decent work for migrant workers}\n",
        encoding="utf-8",
    )
    csv_file = tmp_path / "mine.csv"
    csv_file.write_text("id,label,description,terms\nclimate,Climate,Climate change,drought;floods\n", encoding="utf-8")
    taxonomy = load_taxonomy(str(yaml_file))
    assert [t.id for t in taxonomy.themes] == ["climate", "work"]
    assert load_taxonomy(str(csv_file)).themes[0].terms == ("drought", "floods")
    texts = ["Drought is pushing farmers to leave their villages."]
    assert classify(texts, embed_texts(minilm, texts), taxonomy, embed_texts(minilm, [t.anchor for t in taxonomy.themes])) == ["climate"]


def test_bad_taxonomies(tmp_path):
    with pytest.raises(InputError, match="no such taxonomy"):
        load_taxonomy("gcm-nothing")
    broken = tmp_path / "broken.yaml"
    broken.write_text("themes: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="non-empty 'themes'"):
        load_taxonomy(str(broken))
    twice = tmp_path / "twice.yaml"
    twice.write_text("themes:\n  - {id: a, label: A}\n  - {id: a, label: B}\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        load_taxonomy(str(twice))
