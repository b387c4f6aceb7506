"""The synthesis document's one schema: real engine output follows it, wrong documents are refused by
field, documents written before the schema still read, and docs/synthesis.schema.json is current."""
from __future__ import annotations

import copy
import doctest
import json
from pathlib import Path

import pytest

import rapporteur.schema
from rapporteur.model import Contribution, Corpus, Stakeholder, StakeholderType
from rapporteur.schema import SCHEMA_VERSION, InvalidSynthesis, json_schema_text, validate_synthesis
from rapporteur.synthesis import SynthesisOptions, synthesize

from .speeches import speech

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document(minilm):
    contributions = [Contribution(code, Stakeholder(code, StakeholderType.MEMBER_STATE), speech(code))
                     for code in ("MEX", "DEU", "PHL", "NGA", "ITA", "USA")]
    return synthesize(Corpus(contributions), SynthesisOptions(title="Schema"), embedder=minilm).to_dict()


@pytest.mark.slow
def test_the_engine_writes_the_current_version(document):
    assert document["schema_version"] == SCHEMA_VERSION
    assert validate_synthesis(document) is document
    assert document["key_points"] and document["key_points"][0]["points"]


@pytest.mark.slow
def test_a_wrong_document_is_refused_naming_the_field(document):
    wrong = copy.deepcopy(document)
    wrong["key_points"][0]["n_stakeholders"] = "many"
    del wrong["convergence"]
    wrong["key_points"][0]["invented"] = 1
    with pytest.raises(InvalidSynthesis) as error:
        validate_synthesis(wrong)
    message = str(error.value)
    assert "key_points.0.n_stakeholders" in message and "convergence: Field required" in message
    assert "key_points.0.invented: Extra inputs are not permitted" in message


@pytest.mark.slow
def test_a_document_written_before_the_schema_still_reads(document):
    old = copy.deepcopy(document)
    del old["schema_version"]
    for kp in old["key_points"]:
        for key in ("label_source", "label_span", "quality", "minority", "share_of_speakers"):
            kp.pop(key)
    old.pop("settings"), old.pop("limits")
    validate_synthesis(old)


@pytest.mark.slow
def test_measured_agreement_from_a_round_is_part_of_the_schema(document):
    measured = copy.deepcopy(document)
    measured["key_points"][0]["measured"] = {"confirmed": True, "agree_share": 0.9, "n": 10}
    measured["votes"] = {"participants": 3, "statements": []}
    validate_synthesis(measured)


def test_the_published_json_schema_is_the_code_s(tmp_path):
    assert (ROOT / "docs" / "synthesis.schema.json").read_text(encoding="utf-8") == json_schema_text(), \
        "docs/synthesis.schema.json is stale: rapporteur schema > docs/synthesis.schema.json"
    schema = json.loads(json_schema_text())
    assert schema["$id"].endswith(f"/v{SCHEMA_VERSION}.json")
    assert set(schema["required"]) >= {"title", "key_points", "convergence", "divergence", "representation"}


def test_the_module_example_runs():
    assert doctest.testmod(rapporteur.schema).failed == 0
