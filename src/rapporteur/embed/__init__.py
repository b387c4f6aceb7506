"""Embedders: texts in, unit vectors out (float32, one row per text)."""
from rapporteur.embed.base import Embedder, embed_texts
from rapporteur.embed.cache import EmbeddingCache
from rapporteur.embed.minilm import MiniLMEmbedder

__all__ = ["Embedder", "EmbeddingCache", "MiniLMEmbedder", "embed_texts"]
