"""The plain-PyTorch MiniLM the fidelity models are tuned from is all-MiniLM-L6-v2, and a model file
(quantised deltas) loads back to what was trained."""
from __future__ import annotations

import numpy as np
import torch

from rapporteur.fidelity import artifact
from rapporteur.fidelity.encoder import Tokenizer, load_base
from rapporteur.fidelity.pairs import PairModel, PairScorer

SENTENCES = [
    "We welcome the adoption of the Global Compact for Safe, Orderly and Regular Migration.",
    "The United States will not participate in the Global Compact on Migration.",
    "Remittances must become cheaper and safer to send.",
    "Climate change is already forcing people from their homes across the Pacific.",
]


def test_the_port_reproduces_sentence_transformers(minilm):
    ours = load_base().embed(Tokenizer(), SENTENCES)
    theirs = minilm.encode(SENTENCES)
    assert np.abs(ours - theirs).max() < 1e-4


def test_a_model_file_round_trips(tmp_path):
    torch.manual_seed(0)
    model = PairModel()
    with torch.no_grad():  # a "trained" model: every layer moved a little
        for name, parameter in model.encoder.named_parameters():
            if name.startswith("layers."):
                parameter.add_(torch.randn_like(parameter) * 1e-3)
    path = artifact.save(tmp_path / "m.safetensors", "stance", model.encoder, model.head_tensors(), {"note": "test"})
    encoder, head, meta = artifact.load(path, "stance")
    loaded = PairModel(encoder)
    loaded.load_head(head)
    assert meta["note"] == "test" and meta["base"].startswith("sentence-transformers/all-MiniLM-L6-v2")
    first, second = SENTENCES[:2], SENTENCES[2:]
    a = PairScorer(model, {}, "a").probabilities(first, second)
    b = PairScorer(loaded, {}, "b").probabilities(first, second)
    assert np.abs(a - b).max() < 2e-3
    assert path.stat().st_size < 12_000_000  # int8 deltas of the six layers: about 10.8 MB
    try:
        artifact.load(path, "matcher")
    except ValueError as error:
        assert "holds a 'stance' model, not a 'matcher' model" in str(error)
    else:
        raise AssertionError("a stance model loaded as a matcher")
