"""Rebuild ``src/rapporteur/embed/models/minilm-static.npz``: the cheap pass's static embedding.

    .venv/bin/python scripts/train_static.py [--archive PATH] [--sample 40000] [--epochs 15]

1. Samples ``--sample`` analysable points (seed 0) of the 1946–2015 General Debate (2016 on is
   kept for choosing the margin and for testing) and embeds them with the packaged MiniLM (the
   targets; about 10 minutes on 2 cores, cached in the embedding cache).
2. Starts every word piece's vector as MiniLM's vector of that piece alone (``[CLS] piece [SEP]``,
   mean-pooled, about 30 s), then trains the table with Adam (lr 0.01, batches of 4096, seeded) on
   ``1 − cos(normalised mean of the sentence's piece vectors, MiniLM's vector)`` plus
   ``3e-3 · ‖E − E₀‖²`` (per row, averaged), for ``--epochs`` epochs (more over-fits: the 2016
   loss rises after about 15).
3. Writes the table as int8 with one float32 scale per row (recall on held-out years unchanged).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"
OUT = ROOT / "src" / "rapporteur" / "embed" / "models" / "minilm-static.npz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--sample", type=int, default=40_000)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import numpy as np
    import scipy.sparse as sp
    import torch

    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder, embed_texts
    from rapporteur.ingest import read_path
    from rapporteur.text.segment import segment_all

    torch.manual_seed(0)
    started = time.time()
    corpus = read_path(args.archive, years=(1946, 2015))
    by_year = sorted(corpus.contributions, key=lambda c: int(c.date[:4]))  # stable: archive order within a year
    texts = [p.text for p in segment_all(by_year) if p.analysed]
    texts = random.Random(0).sample(texts, min(args.sample, len(texts)))
    embedder = MiniLMEmbedder()
    targets = torch.from_numpy(embed_texts(embedder, texts, cache=EmbeddingCache()))
    print(f"{len(texts)} points embedded by MiniLM in {time.time() - started:.0f} s", flush=True)

    tokenizer = embedder.model.tokenizer
    V = tokenizer.vocab_size
    model = embedder.model[0].auto_model.eval()
    E0 = torch.zeros((V, embedder.dimension))
    with torch.inference_mode():
        for b in range(0, V, 1024):
            ids = torch.arange(b, min(V, b + 1024))
            pieces = torch.stack([torch.full_like(ids, tokenizer.cls_token_id), ids, torch.full_like(ids, tokenizer.sep_token_id)], 1)
            out = model(input_ids=pieces, attention_mask=torch.ones_like(pieces)).last_hidden_state.mean(1)
            E0[b : b + len(ids)] = torch.nn.functional.normalize(out, dim=-1)

    ids = tokenizer(texts, add_special_tokens=False, truncation=True, max_length=256)["input_ids"]
    rows = np.repeat(np.arange(len(ids)), [len(i) for i in ids])
    cols = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=len(rows))
    bag = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(ids), V))
    bag = (sp.diags(1 / np.maximum(np.asarray(bag.sum(1)).ravel(), 1)).astype(np.float32) @ bag).tocsr()

    def as_torch(m):
        m = m.tocoo()
        return torch.sparse_coo_tensor(np.vstack([m.row, m.col]), m.data, m.shape).coalesce()

    E = torch.nn.Parameter(E0.clone())
    optimiser = torch.optim.Adam([E], lr=0.01)
    order = torch.Generator().manual_seed(0)
    for epoch in range(args.epochs):
        total = 0.0
        for batch in torch.randperm(len(texts), generator=order).split(4096):
            idx = batch.numpy()
            predicted = torch.nn.functional.normalize(torch.sparse.mm(as_torch(bag[idx]), E), dim=-1)
            loss = (1 - (predicted * targets[idx]).sum(1)).mean() + 3e-3 * ((E - E0) ** 2).sum(1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss) * len(idx)
        print(f"epoch {epoch + 1}: loss {total / len(texts):.4f}", flush=True)

    table = E.detach().numpy()
    scale = (np.abs(table).max(1) / 127).astype(np.float32)
    meta = {"target": "sentence-transformers/all-MiniLM-L6-v2", "vocabulary": V, "dimension": int(table.shape[1]),
            "trained_on": f"{len(texts):,} points sampled (seed 0) from the UN General Debate speeches of 1946-2015, "
                          "MiniLM's own vectors as targets",
            "recipe": f"scripts/train_static.py: zero-shot init, {args.epochs} epochs of Adam (lr 0.01, batch 4096) on "
                      "1 - cos + 3e-3 * ||E - E0||^2; int8 per row",
            "version": 1}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, table=np.round(table / np.maximum(scale, 1e-12)[:, None]).astype(np.int8),
                        scale=scale, meta=np.array(json.dumps(meta)))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
