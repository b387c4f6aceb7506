"""Fixtures shared by the whole suite: paths to real data and one real embedding model."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
UNGDC_ARCHIVE = SHARED_DATA / "ungdc" / "UNGDC_1946-2024.tar.xz"
DEMO = ROOT / "examples" / "ungdc-2017-migration"


@pytest.fixture(scope="session")
def minilm():
    """The real all-MiniLM-L6-v2, loaded once for the session."""
    from rapporteur.embed import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def ungdc_archive() -> Path:
    if not UNGDC_ARCHIVE.exists():
        pytest.fail(f"{UNGDC_ARCHIVE} is missing: CI runs with ../shared beside the repository")
    return UNGDC_ARCHIVE


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Each test session gets its own embedding cache: no test leans on a warm user cache."""
    os.environ["RAPPORTEUR_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
