"""ONNX Runtime runs the shipped pair models to the same probabilities as PyTorch (fidelity.runtime)."""
from __future__ import annotations

import numpy as np
import pytest

from rapporteur.fidelity.train import load_scorer


def _labelled_pairs(dev, n: int):
    """The first ``n`` labelled (key point, argument) pairs of ArgKP dev, as two aligned text lists."""
    arguments = {a.id: a.text for a in dev.arguments}
    key_points = {k.id: k.text for k in dev.key_points}
    pairs = sorted(dev.labels)[:n]
    return pairs, [key_points[k] for _, k in pairs], [arguments[a] for a, _ in pairs]


@pytest.mark.slow
def test_onnx_runtime_gives_the_pytorch_probabilities_on_real_pairs(dev, tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORTEUR_CACHE", str(tmp_path))
    _, first, second = _labelled_pairs(dev, 300)

    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "torch")
    torch_scorer = load_scorer("matcher")
    expected = torch_scorer.probabilities(first, second)
    assert torch_scorer.runtime == "torch"

    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "onnx")
    onnx_scorer = load_scorer("matcher")
    got = onnx_scorer.probabilities(first, second)
    assert onnx_scorer.runtime == "onnx"
    assert list(tmp_path.glob("onnx/*.onnx")), "the export is kept in the cache folder"
    assert np.abs(got - expected).max() < 1e-4
    assert ((got >= 0.5) == (expected >= 0.5)).all()
    # a second scorer reuses the exported file
    assert np.allclose(load_scorer("matcher").probabilities(first[:20], second[:20]), got[:20], atol=1e-6)


@pytest.mark.slow
def test_int8_runtime_reads_real_pairs_as_float32_does_and_is_cached_apart(dev, tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORTEUR_CACHE", str(tmp_path))
    pairs, first, second = _labelled_pairs(dev, 400)
    truth = np.array([dev.labels[p] > 0.5 for p in pairs])

    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "torch")
    full = load_scorer("matcher")
    expected = full.probabilities(first, second)

    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "int8")
    quantised = load_scorer("matcher")
    got = quantised.probabilities(first, second)
    assert quantised.runtime == "int8"
    # its readings are not float32's, so they are cached and recorded under their own id
    assert quantised.model_id == full.model_id + "+int8"
    # only the int8 file is kept: the float32 export made to quantise it is dropped
    assert sorted(p.name for p in tmp_path.glob("onnx/*")) == [f"rapporteur-matcher_{full.model_id.split('@')[1]}_int8.onnx"]
    assert not np.allclose(got, expected, atol=1e-4), "int8 ran, not the float32 export"
    assert np.mean((got >= 0.5) == (expected >= 0.5)) >= 0.95
    assert np.mean(np.abs(got - expected)) < 0.05
    # and it is as right about the experts' labels, within 2 points
    assert np.mean((got >= 0.5) == truth) >= np.mean((expected >= 0.5) == truth) - 0.02


def test_an_unknown_runtime_is_refused_by_name(monkeypatch):
    import pytest

    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "fp16")
    with pytest.raises(ValueError, match="RAPPORTEUR_RUNTIME='fp16'"):
        load_scorer("matcher")


@pytest.mark.slow
def test_a_runtime_per_model_and_full_precision_by_default(tmp_path, monkeypatch):
    """``RAPPORTEUR_RUNTIME`` unset runs both models in float32; ``matcher=int8`` names one model, and
    a model not named runs PyTorch; an unknown model name is refused."""
    import pytest

    monkeypatch.setenv("RAPPORTEUR_CACHE", str(tmp_path))
    monkeypatch.delenv("RAPPORTEUR_RUNTIME", raising=False)
    assert (load_scorer("matcher").runtime, load_scorer("stance").runtime) == ("torch", "torch")
    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "matcher=int8")
    matcher, stance = load_scorer("matcher"), load_scorer("stance")
    assert (matcher.runtime, stance.runtime) == ("int8", "torch")
    assert matcher.model_id.endswith("+int8") and not stance.model_id.endswith("+int8")
    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "quality=int8")
    with pytest.raises(ValueError, match="name matcher= and stance="):
        load_scorer("matcher")
    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "matcher=int8,int8")  # a part naming no model is not dropped
    with pytest.raises(ValueError, match="name matcher= and stance="):
        load_scorer("matcher")
    monkeypatch.setenv("RAPPORTEUR_RUNTIME", "matcher=fp16")
    with pytest.raises(ValueError, match="expected one of"):
        load_scorer("matcher")
