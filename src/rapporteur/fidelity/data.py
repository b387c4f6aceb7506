"""IBM Debater ArgKP-2021 in its shared-task CSV layout: arguments, key points, match labels.

    arguments_{split}.csv   arg_id, argument, topic, stance (1 pro, -1 con)
    key_points_{split}.csv  key_point_id, key_point, topic, stance
    labels_{split}.csv      arg_id, key_point_id, label (1 match, 0 no match; undecided pairs absent)

Licence: Community Data License Agreement – Sharing 1.0, (c) IBM 2020. Cite Bar-Haim et al.,
"From Arguments to Key Points: Towards Automatic Argument Summarization", ACL 2020. The data is read
from ``../shared/data/argkp-2021`` (or ``$RAPPORTEUR_ARGKP``); nothing of it is copied into the package.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from rapporteur.errors import InputError

DEFAULT_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "argkp-2021"


def argkp_dir() -> Path:
    return Path(os.environ.get("RAPPORTEUR_ARGKP") or DEFAULT_DIR)


@dataclass(frozen=True)
class Argument:
    id: str
    text: str
    topic: str
    stance: int


@dataclass(frozen=True)
class KeyPointText:
    id: str
    text: str
    topic: str
    stance: int


@dataclass
class ArgKP:
    arguments: list[Argument]
    key_points: list[KeyPointText]
    labels: dict[tuple[str, str], int] = field(default_factory=dict)

    def candidates(self) -> dict[str, list[KeyPointText]]:
        """Per argument id, the key points of the same topic and stance (the pairs to score)."""
        by_side: dict[tuple[str, int], list[KeyPointText]] = {}
        for kp in self.key_points:
            by_side.setdefault((kp.topic, kp.stance), []).append(kp)
        return {a.id: by_side.get((a.topic, a.stance), []) for a in self.arguments}


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; an InputError names the file and line of any problem."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(missing)}; expected {', '.join(columns)}", 1)
            return [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise InputError(path, f"malformed CSV: {error}") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def _stance(path: Path, line: int, value: str) -> int:
    try:
        stance = int(float(value))
    except (TypeError, ValueError):
        stance = 0
    if stance not in (1, -1):
        raise InputError(path, f"stance must be 1 (pro) or -1 (con), not {value!r}", line)
    return stance


def _text(path: Path, line: int, row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise InputError(path, f"empty {column}", line)
    return row[column]


def read_arguments(path: str | Path) -> list[Argument]:
    path = Path(path)
    rows = _rows(path, ("arg_id", "argument", "topic", "stance"))
    return [Argument(_text(path, n, r, "arg_id"), _text(path, n, r, "argument"), r["topic"], _stance(path, n, r["stance"]))
            for n, r in rows]


def read_key_points(path: str | Path) -> list[KeyPointText]:
    path = Path(path)
    rows = _rows(path, ("key_point_id", "key_point", "topic", "stance"))
    return [KeyPointText(_text(path, n, r, "key_point_id"), _text(path, n, r, "key_point"), r["topic"],
                         _stance(path, n, r["stance"])) for n, r in rows]


def read_labels(path: str | Path) -> dict[tuple[str, str], int]:
    path = Path(path)
    labels = {}
    for n, r in _rows(path, ("arg_id", "key_point_id", "label")):
        if r["label"] not in ("0", "1"):
            raise InputError(path, f"label must be 0 or 1, not {r['label']!r}", n)
        labels[(r["arg_id"], r["key_point_id"])] = int(r["label"])
    return labels


def load_split(split: str, directory: str | Path | None = None) -> ArgKP:
    """``split`` is ``train`` or ``dev`` (or ``test`` if such files are present)."""
    root = Path(directory) if directory else argkp_dir()
    if not (root / f"arguments_{split}.csv").exists():
        raise FileNotFoundError(f"{root / f'arguments_{split}.csv'} is missing (ArgKP-2021 data)")
    return ArgKP(
        read_arguments(root / f"arguments_{split}.csv"),
        read_key_points(root / f"key_points_{split}.csv"),
        read_labels(root / f"labels_{split}.csv"),
    )
