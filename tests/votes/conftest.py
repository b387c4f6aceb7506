"""Fixtures for the vote engine tests: Pol.is open data (CC BY 4.0, The Computational Democracy
Project, compdemocracy.org/polis) read from ../shared/data, and small hand-made conversations."""
from __future__ import annotations

from pathlib import Path

import pytest

from rapporteur.votes import read_conversation

ROOT = Path(__file__).resolve().parents[2]
OPENDATA = ROOT.parent / "shared" / "data" / "polis-opendata"


@pytest.fixture(scope="session")
def opendata() -> Path:
    if not OPENDATA.is_dir():
        pytest.fail(f"{OPENDATA} is missing: CI runs with ../shared beside the repository")
    return OPENDATA


@pytest.fixture(scope="session")
def polis(opendata):
    """Read (once per session) a Pol.is openData conversation by folder name."""
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = read_conversation(opendata / name)
        return cache[name]

    return get


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


STATEMENTS = "id,text\ns1,Parks matter\ns2,More buses\ns3,Lower taxes\n"


@pytest.fixture
def plain(tmp_path):
    """Write a plain-format conversation: ``plain(votes_text, statements_text=..., participants_text=None)``."""

    def make(votes: str, statements: str = STATEMENTS, participants: str | None = None, name: str = "conv") -> Path:
        folder = tmp_path / name
        write(folder, "votes.csv", votes)
        write(folder, "statements.csv", statements)
        if participants is not None:
            write(folder, "participants.csv", participants)
        return folder

    return make
