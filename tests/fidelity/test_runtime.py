"""ONNX Runtime runs the shipped pair models to the same probabilities as PyTorch (fidelity.runtime)."""
from __future__ import annotations

import numpy as np

from rapporteur.fidelity.train import load_scorer


def test_onnx_runtime_gives_the_pytorch_probabilities_on_real_pairs(dev, tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORTEUR_CACHE", str(tmp_path))
    arguments = {a.id: a.text for a in dev.arguments}
    key_points = {k.id: k.text for k in dev.key_points}
    pairs = sorted(dev.labels)[:300]
    first, second = [key_points[k] for _, k in pairs], [arguments[a] for a, _ in pairs]

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
