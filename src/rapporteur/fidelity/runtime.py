"""ONNX Runtime for the pair models: the same network, exported once, run faster on a CPU.

``onnx_session(model, model_id)`` exports a ``PairModel`` (``fidelity.pairs``) to ONNX the first
time it is asked for (a few seconds), keeps the file in the cache folder under the model's id (so a
changed model file makes a new export) and returns an ONNX Runtime session on it. The export is the
float32 network unchanged: its probabilities agree with PyTorch's to about 6e-6. On a quiet 2-core
machine it reads 225 pairs/s against PyTorch's 192–204 (1.1×; ``benchmarks/pairs_runtime.py``); on
busy cores the gap was larger (53 against 38–41, 1.35×).

Opt-in for now: ``RAPPORTEUR_RUNTIME=onnx`` with the ``onnx`` extra installed
(``pip install -e '.[onnx]'``). The default stays PyTorch until the whole test suite and
``benchmarks/kpa.py`` have been run through ONNX Runtime.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from rapporteur.embed.cache import default_cache_path


def wanted() -> bool:
    if os.environ.get("RAPPORTEUR_RUNTIME", "torch").lower() != "onnx":
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def export_path(model_id: str, folder: Path | None = None) -> Path:
    folder = folder or default_cache_path().parent / "onnx"
    return folder / (re.sub(r"[^A-Za-z0-9._-]+", "_", model_id) + ".onnx")


def onnx_session(model, model_id: str, threads: int | None = None):
    """An ONNX Runtime session running ``model`` (a ``PairModel`` in eval mode), or None when the
    runtime is not wanted or not installed."""
    if not wanted():
        return None
    import onnxruntime

    path = export_path(model_id)
    if not path.exists():
        _export(model, path)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or _threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def _export(model, path: Path) -> None:
    import warnings

    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[101, 2023, 102, 2008, 102], [101, 2023, 102, 0, 0]])
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 0]])
    mask = ids != 0
    partial = path.with_suffix(f".{os.getpid()}.partial")
    axes = {0: "pairs", 1: "tokens"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (ids, types, mask), str(partial), input_names=["ids", "types", "mask"],
                          output_names=["logit"], dynamic_axes={"ids": axes, "types": axes, "mask": axes,
                                                                "logit": {0: "pairs"}},
                          opset_version=17, dynamo=False)
    partial.replace(path)  # atomic: a process that dies mid-export leaves nothing half-written
