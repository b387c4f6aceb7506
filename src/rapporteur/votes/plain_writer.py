"""Write a conversation in our plain CSV format (``votes.csv``, ``statements.csv``, ``participants.csv``).

The inverse of ``plain_reader.read_plain``: reading what this writes gives back the same
participants (those with votes first, in order), statements, votes and attributes. Pol.is's
moderation is kept in a ``moderated`` column (-1 = moderated out) and ``is_meta``.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from rapporteur.votes.conversation import Conversation


def _id_array(ids: np.ndarray):
    import pyarrow as pa

    as_str = [str(x) for x in ids]
    if all(s.isdigit() and (s == "0" or not s.startswith("0")) and len(s) < 18 for s in as_str):
        return pa.array(np.array([int(s) for s in as_str], dtype=np.int64))
    return pa.array(as_str, type=pa.string())


def write_plain(conv: Conversation, folder: str | Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = conv.entry_rows
    pids = _id_array(conv.participant_ids)
    sids = _id_array(np.array(conv.statement_ids, dtype=object))
    table = pa.table(
        {
            "participant": pids.take(pa.array(rows)),
            "statement": sids.take(pa.array(conv.indices)),
            "vote": pa.array(conv.values.astype(np.int8)),
        }
    )
    pcsv.write_csv(table, folder / "votes.csv", write_options=pcsv.WriteOptions(quoting_style="needed"))
    with open(folder / "statements.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "moderated", "is_meta"])
        for sid, text, out, meta in zip(conv.statement_ids, conv.statement_texts, conv.moderated_out, conv.is_meta):
            w.writerow([sid, text, -1 if out else "", "true" if meta else ""])
    if conv.attributes:
        names = [n for n in conv.attributes if not (n in ("region", "subregion") and "country" in conv.attributes)]
        with open(folder / "participants.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["participant", *names])
            cols = [conv.attributes[n] for n in names]
            for i, pid in enumerate(conv.participant_ids):
                w.writerow([pid, *("" if c[i] is None else c[i] for c in cols)])
    return folder
