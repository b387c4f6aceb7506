"""BERTopic 0.17 as a key point generator, run in its own venv by ``benchmarks/kpa.py``.

    benchmarks/.peers/bertopic/bin/python benchmarks/peers/bertopic_generation.py IN.json OUT.json

IN.json: ``{"groups": {name: [{"id": …, "text": …}, …]}, "model": PATH}``; OUT.json:
``{name: {"labels": {topic: label}, "assignment": {id: topic or null}}}``. Each group is fitted on its
own with BERTopic's defaults except: the same all-MiniLM-L6-v2 (from the local path, offline),
UMAP seeded (``random_state=0``), and ``min_topic_size=5`` (the default 10 leaves most of a
100-argument group as outliers). A topic's label is its first representative document (a
verbatim argument, as rapporteur's labels are verbatim); outliers (topic -1) are unassigned.
"""
from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> int:
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP

    job = json.load(open(sys.argv[1], encoding="utf-8"))
    embedder = SentenceTransformer(job["model"], device="cpu")
    out = {}
    for name, docs in job["groups"].items():
        texts = [d["text"] for d in docs]
        umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=0)
        model = BERTopic(embedding_model=embedder, umap_model=umap, min_topic_size=5)
        topics, _ = model.fit_transform(texts, embedder.encode(texts, show_progress_bar=False))
        representative = model.get_representative_docs()
        labels = {str(t): docs_[0] for t, docs_ in representative.items() if t != -1 and docs_}
        out[name] = {
            "labels": labels,
            "assignment": {d["id"]: (str(t) if t != -1 else None) for d, t in zip(docs, topics)},
        }
        print(f"  {name}: {len(labels)} topics", file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
