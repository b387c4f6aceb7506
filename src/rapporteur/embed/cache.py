"""A disk cache of embeddings in SQLite, keyed by the SHA-256 of (model id, text)."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from rapporteur.errors import InputError


def default_cache_path() -> Path:
    root = os.environ.get("RAPPORTEUR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rapporteur"
    )
    return Path(root) / "embeddings.sqlite"


def _key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\x00{text}".encode("utf-8")).digest()


class EmbeddingCache:
    """``get_many`` returns {index: vector} for the texts already embedded by ``model_id``.

    ``found`` and ``written`` count the vectors read from and written to the cache by this object:
    what a run reused (a resumed run, a warm one) and what it computed."""

    _CHUNK = 500  # stays under SQLite's bound-parameter limit

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embedding (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
        )
        self.found = 0
        self.written = 0

    def get_many(self, model_id: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        keys = [_key(model_id, t) for t in texts]
        where: dict[bytes, list[int]] = {}
        for i, k in enumerate(keys):
            where.setdefault(k, []).append(i)
        found: dict[int, np.ndarray] = {}
        unique = list(where)
        for begin in range(0, len(unique), self._CHUNK):
            chunk = unique[begin : begin + self._CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(
                f"SELECT key, vector FROM embedding WHERE key IN ({marks})", chunk
            ):
                vector = np.frombuffer(blob, dtype=np.float32)
                for i in where[key]:
                    found[i] = vector
        self.found += len(found)
        return found

    def put_many(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (_key(model_id, t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors)
        ]
        try:
            with self._db:  # one transaction: a batch is stored whole or not at all
                self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?)", rows)
        except sqlite3.OperationalError as err:
            if "full" not in str(err):
                raise
            raise InputError(str(self.path), f"the cache's disk is full ({err}); the {len(self)} vectors already "
                             "cached are kept; free some space or pass --cache on another disk") from None
        self.written += len(rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM embedding").fetchone()[0]

    def close(self) -> None:
        self._db.close()
