"""The shipped matcher and stance model on real ArgKP-2021 pairs, the model files, and the CLI."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from rapporteur.cli import app
from rapporteur.fidelity.data import load_split
from rapporteur.fidelity.matcher import Matcher, match_to_key_points
from rapporteur.fidelity.scoring import kpa_map
from rapporteur.fidelity.stance_model import StanceModel
from rapporteur.fidelity.train import predict_matches, stance_accuracy

runner = CliRunner()


@pytest.fixture(scope="module")
def matcher():
    return Matcher()


@pytest.fixture(scope="module")
def stance():
    return StanceModel()


@pytest.mark.slow
def test_matcher_separates_matches_from_non_matches_on_real_pairs(dev, matcher, minilm):
    """Every labelled dev pair (3,458 pairs, topics never seen in training): the matcher ranks a
    match above a non-match far more often than zero-shot MiniLM similarity does."""
    from sklearn.metrics import roc_auc_score

    arguments = {a.id: a.text for a in dev.arguments}
    key_points = {k.id: k.text for k in dev.key_points}
    pairs = sorted(dev.labels)
    labels = [dev.labels[p] for p in pairs]
    learned = matcher.probabilities([arguments[a] for a, _ in pairs], [key_points[k] for _, k in pairs])
    a = minilm.encode([arguments[a] for a, _ in pairs])
    k = minilm.encode([key_points[k] for _, k in pairs])
    zero_shot = (a * k).sum(axis=1)
    assert roc_auc_score(labels, learned) >= 0.80
    assert roc_auc_score(labels, learned) > roc_auc_score(labels, zero_shot) + 0.10
    matched = learned >= 0.5
    assert np.mean(np.array(labels)[matched]) > 2 * np.mean(labels)  # precision at 0.5: twice the base rate


@pytest.mark.slow
def test_matcher_beats_zero_shot_on_dev_and_matches_its_recorded_figures(dev, matcher):
    predictions = predict_matches(matcher.scorer, dev)
    score = kpa_map(predictions, dev)
    assert score.strict > 0.44 + 0.05 and score.relaxed > 0.72 + 0.05  # zero-shot MiniLM: 0.44 / 0.72
    recorded = matcher.meta["dev"]
    assert score.strict == pytest.approx(recorded["map_strict"], abs=0.003)
    assert score.relaxed == pytest.approx(recorded["map_relaxed"], abs=0.003)


def test_stance_on_unseen_topics(dev, stance):
    accuracy = stance_accuracy(stance.scorer, dev)
    assert accuracy >= 0.8
    assert accuracy == pytest.approx(stance.meta["dev"]["accuracy"], abs=0.003)


@pytest.mark.slow
def test_stance_reads_claims_against_statements_on_unseen_topics(dev, stance):
    """The reading key points need: does a statement argue for a *claim* (a key point), not only for
    the debate's topic? Dev pairs of a key point with arguments that make it or its opposite."""
    from rapporteur.fidelity.train import claim_accuracy

    accuracy = claim_accuracy(stance.scorer, dev)
    assert accuracy >= 0.7  # the wave-1 model, trained on topics only: 0.614 on these 1,692 pairs
    assert accuracy == pytest.approx(stance.meta["dev"]["claim_accuracy"], abs=0.003)


def test_stance_reads_for_and_against_a_key_point(stance):
    reference = "We welcome the adoption of the Global Compact for Safe, Orderly and Regular Migration."
    p = stance.probability_for([reference] * 2, [
        "My country is proud to endorse the Global Compact on migration and will implement it.",
        "The United States will not participate in the Global Compact on Migration.",
    ])
    assert p[0] > 0.5 > p[1]


def test_match_to_key_points_lists_what_a_statement_makes(dev, matcher, minilm):
    topic = dev.arguments[0].topic
    kps = {k.id: k.text for k in dev.key_points if k.topic == topic}
    positives = [(a, k) for (a, k), label in sorted(dev.labels.items()) if label == 1 and k in kps][:10]
    arguments = {a.id: a.text for a in dev.arguments}
    found = match_to_key_points([arguments[a] for a, _ in positives], kps, matcher=matcher, embedder=minilm)
    hits = [k in [kp for kp, _ in row] for (_, k), row in zip(positives, found)]
    assert sum(hits) >= 7
    for row in found:
        assert all(p >= 0.5 for _, p in row)
        assert [p for _, p in row] == sorted((p for _, p in row), reverse=True)


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_cli_match_writes_shared_task_predictions(tmp_path, dev):
    topic = dev.arguments[0].topic
    arguments = [a for a in dev.arguments if a.topic == topic][:12]
    kps = [k for k in dev.key_points if k.topic == topic]
    _write(tmp_path / "args.csv", ["arg_id", "argument", "topic", "stance"],
           [(a.id, a.text, a.topic, a.stance) for a in arguments])
    _write(tmp_path / "kps.csv", ["key_point_id", "key_point", "topic", "stance"],
           [(k.id, k.text, k.topic, k.stance) for k in kps])
    result = runner.invoke(app, ["match", "--key-points", str(tmp_path / "kps.csv"),
                                 "--arguments", str(tmp_path / "args.csv"), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    predictions = json.loads((tmp_path / "p.json").read_text())
    assert set(predictions) == {a.id for a in arguments}
    side = {k.id: k.stance for k in kps}
    for a in arguments:
        assert predictions[a.id] and all(side[k] == a.stance for k in predictions[a.id])
        assert all(0.0 <= v <= 1.0 for v in predictions[a.id].values())


def test_cli_match_names_the_bad_file_and_line(tmp_path):
    _write(tmp_path / "args.csv", ["arg_id", "argument", "topic", "stance"],
           [("a1", "Uniforms save money", "T", 1), ("a2", "They limit expression", "T", "maybe")])
    _write(tmp_path / "kps.csv", ["key_point_id", "text"], [("k1", "Uniforms are cheap")])
    result = runner.invoke(app, ["match", "--key-points", str(tmp_path / "kps.csv"),
                                 "--arguments", str(tmp_path / "args.csv"), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert "args.csv:3: stance must be 1 (pro) or -1 (con), not 'maybe'" in result.output
    assert not (tmp_path / "p.json").exists()
    _write(tmp_path / "args.csv", ["arg_id", "argument", "topic", "stance"], [("a1", "Uniforms save money", "T", 1)])
    result = runner.invoke(app, ["match", "--key-points", str(tmp_path / "kps.csv"),
                                 "--arguments", str(tmp_path / "args.csv"), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert "kps.csv:1: missing column(s) key_point, topic, stance" in result.output


@pytest.mark.slow
def test_train_is_reproducible_and_writes_a_loadable_model(tmp_path):
    """A tiny ArgKP (a slice of the real files) trains in seconds; the same seed gives the same model."""
    train, dev = load_split("train"), load_split("dev")
    small = tmp_path / "argkp"
    small.mkdir()
    for split, data, n in (("train", train, 40), ("dev", dev, 20)):
        args = data.arguments[:n]
        ids = {a.id for a in args}
        topics = {a.topic for a in args}
        kps = [k for k in data.key_points if k.topic in topics]
        _write(small / f"arguments_{split}.csv", ["arg_id", "argument", "topic", "stance"],
               [(a.id, a.text, a.topic, a.stance) for a in args])
        _write(small / f"key_points_{split}.csv", ["key_point_id", "key_point", "topic", "stance"],
               [(k.id, k.text, k.topic, k.stance) for k in kps])
        _write(small / f"labels_{split}.csv", ["arg_id", "key_point_id", "label"],
               [(a, k, label) for (a, k), label in sorted(data.labels.items()) if a in ids])
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / f"{name}.safetensors"
        result = runner.invoke(app, ["train", "stance", "--data", str(small), "--epochs", "0.5", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(StanceModel(out))
    a, b = outputs
    assert a.meta["recipe"]["epochs"] == 0.5 and a.meta["training_pairs"] > 40
    assert set(a.meta["train_files_sha256"]["train"]) == {"arguments_train.csv", "key_points_train.csv", "labels_train.csv"}
    texts = ["School uniforms save parents money.", "Uniforms stop children expressing themselves."]
    refs = ["We should abandon the use of school uniform"] * 2
    assert np.array_equal(a.probability_for(refs, texts), b.probability_for(refs, texts))
    assert not np.allclose(a.probability_for(refs, texts), StanceModel().probability_for(refs, texts))
