"""ONNX Runtime for the pair models: the same network exported once, or quantised to int8, run faster on a CPU.

``RAPPORTEUR_RUNTIME`` chooses how the matcher and the stance model (``fidelity.pairs``) run, for
both at once (``int8``) or per model (``matcher=int8,stance=torch``; a model not named runs PyTorch):

- ``torch`` (the default, ``DEFAULT``): both in PyTorch, float32: the full-precision pipeline.
- ``onnx``: the float32 network exported to ONNX on first use (a few seconds) and kept in the cache
  folder under the model's id. Its probabilities agree with PyTorch's to about 6e-6, so it shares
  PyTorch's cached readings. 1.1–1.35× PyTorch's speed (``benchmarks/pairs_runtime.py``).
- ``int8``: that export with its weight matrices quantised to int8 (dynamic quantisation, one scale
  per output channel), except the layers in ``KEEP_FLOAT``, which stay float32. Its readings differ
  from float32's, so the model's id gains ``+int8`` and its readings are cached apart; a synthesis
  records which ran. 2.1× PyTorch's pairs per second on 2 cores once set up (ArgKP dev: matcher 672
  against 317, stance 737 against 346). The export and quantisation take about 3 s on first use;
  only the int8 file (64 MB) is kept.

``KEEP_FLOAT`` was chosen on ArgKP dev (``benchmarks/kpa.py`` prints float32 and int8 side by side):
quantising every layer of the matcher cost 0.8–1.1 points of the track-1 final score, and keeping
its first layer in float32 left no figure more than 0.2 point lower (the first layer reads the raw
embeddings, whose range int8 fits worst); for the stance model every layer in int8 stayed within
1.1 points on both readings, and keeping its first layer in float32 did no better.

The matcher alone in int8 (``matcher=int8``), measured for issue 14, and why it is not the default:
on ArgKP dev every generation figure stays within 0.9 point of float32 (kp_recall, kp_precision, ARI,
coverage, ROUGE-L: 0.3492, 0.3828, 0.1106, 0.8024, 0.2819 against 0.3576, 0.3913, 0.1110, 0.8079,
0.2843; both models in int8 lose 1.2 and 1.5 points; the stance model alone in int8 gives 0.3611,
0.3837, 0.1037, 0.8035, 0.2851), and the matcher's track-1 scores rise. It cuts a cold 2015–2019
General Debate stocktake on migration from 415 s to 309 s and the 2018 year from 100 s to 75 s. But
on that stocktake the key point of the compact ("The Compact aims to manage migration flows through
enhanced international cooperation", emerging, 38 States in 2018) is no longer chosen: a finding the
benchmark's 1 point does not see, so full precision stays the default.

Both ONNX runtimes need the ``onnx`` extra (``pip install -e '.[onnx]'``); without it they fall
back to PyTorch.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from rapporteur.embed.cache import default_cache_path

RUNTIMES = ("torch", "onnx", "int8")
DEFAULT = "torch"  # RAPPORTEUR_RUNTIME unset (module docstring)
INT8_SUFFIX = "+int8"
# per model kind, the layers left in float32 when the rest is quantised (prefixes of ONNX node names)
KEEP_FLOAT = {"matcher": ("/layers.0/",), "stance": ()}


def chosen(kind: str | None = None) -> str:
    """The runtime ``RAPPORTEUR_RUNTIME`` asks for (for the model ``kind``, when it names one per kind:
    ``matcher=int8,stance=torch``), or ``torch`` when ONNX Runtime is not installed."""
    setting = os.environ.get("RAPPORTEUR_RUNTIME", "").strip().lower() or DEFAULT
    wanted = setting
    if "=" in setting:
        parts = [part.partition("=") for part in setting.split(",")]
        if any(not equals or model not in ("matcher", "stance") for model, equals, _ in parts):
            raise ValueError(f"RAPPORTEUR_RUNTIME={setting!r}: per model, name matcher= and stance=")
        per_kind = {model: name for model, _, name in parts}
        if set(per_kind.values()) - set(RUNTIMES):
            raise ValueError(f"RAPPORTEUR_RUNTIME={setting!r}: expected one of {', '.join(RUNTIMES)}")
        wanted = per_kind.get(kind or "", "torch")
    if wanted not in RUNTIMES:
        raise ValueError(f"RAPPORTEUR_RUNTIME={wanted!r}: expected one of {', '.join(RUNTIMES)}")
    if wanted == "torch":
        return wanted
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return "torch"
    return wanted


def wanted() -> bool:
    return chosen() != "torch"


def export_path(model_id: str, folder: Path | None = None) -> Path:
    folder = folder or default_cache_path().parent / "onnx"
    return folder / (re.sub(r"[^A-Za-z0-9._-]+", "_", model_id) + ".onnx")


def onnx_session(model, model_id: str, runtime: str | None = None, kind: str | None = None,
                 threads: int | None = None):
    """An ONNX Runtime session running ``model`` (a ``PairModel`` in eval mode) as ``runtime``
    (default: ``chosen()``), or None for PyTorch. For ``int8`` the id ends in ``INT8_SUFFIX`` and
    ``kind`` names the layers kept in float32 (``KEEP_FLOAT``)."""
    runtime = runtime or chosen()
    if runtime == "torch":
        return None
    import onnxruntime

    path = export_path(model_id)
    if not path.exists():
        if runtime == "int8":
            float_path = export_path(model_id.removesuffix(INT8_SUFFIX))
            source = float_path
            if not float_path.exists():  # export only to quantise, under this process's own name (a
                # Dask worker beside it may be doing the same), and drop it: 90 MB int8 never reads
                source = float_path.with_name(f"{float_path.stem}.{os.getpid()}.float.onnx")
                _export(model, source)
            try:
                _quantise(source, path, KEEP_FLOAT.get(kind or "", ()))
            finally:
                if source != float_path:
                    source.unlink(missing_ok=True)
        else:
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


def _quantise(source: Path, path: Path, keep_float: tuple[str, ...]) -> None:
    """Dynamic int8 quantisation of ``source``'s MatMul weights, one scale per output channel."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    kept = [node.name for node in onnx.load(str(source)).graph.node
            if node.op_type == "MatMul" and node.name.startswith(keep_float)] if keep_float else []
    partial = path.with_suffix(f".{os.getpid()}.partial.onnx")
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for image models
    try:
        quantize_dynamic(str(source), str(partial), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=kept)
    finally:
        logging.getLogger().setLevel(quiet)
    partial.replace(path)
