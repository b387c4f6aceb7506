"""The real MiniLM embedder, its disk cache, and M49 regions from country_converter."""
from __future__ import annotations

import numpy as np
import pytest

from rapporteur.embed import EmbeddingCache, embed_texts
from rapporteur.geography import UnknownCountry, country, member_states


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to encode."""

    def __init__(self, inner):
        self.inner, self.model_id, self.dimension, self.encoded = inner, inner.model_id, inner.dimension, 0

    def encode(self, texts):
        self.encoded += len(texts)
        return self.inner.encode(texts)


SENTENCES = [
    "Remittances sent home by migrants are larger than official development assistance.",
    "Money transfers from migrant workers exceed development aid.",
    "The Security Council must be reformed.",
]


def test_minilm_gives_unit_vectors_that_know_paraphrase(minilm):
    vectors = embed_texts(minilm, SENTENCES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.6 > similarity[0, 2] + 0.3


def test_cache_serves_repeats_without_the_model(minilm, tmp_path):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    counting = CountingEmbedder(minilm)
    first = embed_texts(counting, SENTENCES + [SENTENCES[0]], cache=cache)
    assert counting.encoded == 3  # the repeated sentence is embedded once
    again = embed_texts(counting, list(reversed(SENTENCES)), cache=EmbeddingCache(tmp_path / "e.sqlite"))
    assert counting.encoded == 3
    assert np.array_equal(again[::-1], first[:3])
    assert len(cache) == 3


def test_cache_keys_include_the_model(minilm, tmp_path):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    embed_texts(minilm, SENTENCES[:1], cache=cache)
    assert cache.get_many("another-model", SENTENCES[:1]) == {}


def test_m49_regions_and_the_193():
    assert len(member_states()) == 193
    assert (country("NGA").region, country("NGA").subregion) == ("Africa", "Sub-Saharan Africa")
    assert country("Mexico").subregion == "Latin America and the Caribbean"
    assert country("CYP").region == "Asia"  # M49 places Cyprus in Western Asia
    assert country("PSE").un_member is False
    with pytest.raises(UnknownCountry):
        country("Atlantis")
