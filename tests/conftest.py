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


GCM_SESSION = ROOT / "examples" / "gcm-session"
# the fixture's contributions in French and Spanish (meta.csv's language column)
GCM_NOT_ENGLISH = {"reseau-sahel-migrations.txt", "coalicion-migrante-centroamericana.txt"}


def gcm_session_corpus(english_only: bool = False):
    """The consultation fixture (examples/gcm-session): 21 contributions to one thematic session."""
    from rapporteur.ingest import read_path

    corpus = read_path(GCM_SESSION / "contributions", GCM_SESSION / "meta.csv")
    if english_only:
        corpus.contributions = [c for c in corpus.contributions if c.id not in GCM_NOT_ENGLISH]
    return corpus


@pytest.fixture(scope="session")
def session_readings(tmp_path_factory):
    """One cache of model readings for the run: a second synthesis of the fixture reads no pair twice."""
    from rapporteur.embed import EmbeddingCache

    return EmbeddingCache(tmp_path_factory.mktemp("session") / "readings.sqlite")


@pytest.fixture(scope="session")
def gcm_session(minilm, session_readings):
    """The machine's synthesis of the consultation fixture, focused on its theme (ts3): run once for the
    engine's tests and the platform's desk walk."""
    from rapporteur.synthesis import SynthesisOptions, synthesize

    return synthesize(gcm_session_corpus(), SynthesisOptions(focus="ts3"), embedder=minilm, cache=session_readings)


@pytest.fixture(scope="session")
def gcm_session_english(minilm, session_readings):
    """The same session without its French and Spanish contributions (withdrawn, or not yet arrived)."""
    from rapporteur.synthesis import SynthesisOptions, synthesize

    return synthesize(gcm_session_corpus(english_only=True), SynthesisOptions(focus="ts3"), embedder=minilm,
                      cache=session_readings)
