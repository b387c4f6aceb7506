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


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_arguments(path: str | Path) -> list[Argument]:
    return [Argument(r["arg_id"], r["argument"], r["topic"], int(r["stance"])) for r in _rows(Path(path))]


def read_key_points(path: str | Path) -> list[KeyPointText]:
    return [KeyPointText(r["key_point_id"], r["key_point"], r["topic"], int(r["stance"])) for r in _rows(Path(path))]


def read_labels(path: str | Path) -> dict[tuple[str, str], int]:
    return {(r["arg_id"], r["key_point_id"]): int(r["label"]) for r in _rows(Path(path))}


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
