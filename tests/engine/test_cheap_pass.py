"""The cheap first pass of ``--about``: a static embedding chooses which points MiniLM reads.

Checked on General Debate years the static table never saw (it was trained on 1946–2015 and its
margin chosen on 2016): the points kept are a subset of those reading every point keeps, and
nearly all of them; the report says how many points the model read and that the rest were skipped.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rapporteur.embed import embed_texts
from rapporteur.embed.static import StaticEmbedder
from rapporteur.ingest import read_path
from rapporteur.synthesis import SynthesisOptions, embed, keep_subject, synthesize
from rapporteur.text.segment import segment_all

STATES = ("DEU", "MEX", "PHL", "NGA", "ITA", "USA", "HUN", "TUR", "BGD", "KEN", "GTM", "SWE", "LBN", "JOR",
          "NPL", "SEN", "MAR", "SLV", "FRA", "IDN", "GRC", "ESP", "LBY", "NER", "HND", "AFG", "SYR", "CAN")


@pytest.fixture(scope="module")
def speeches_2019(ungdc_archive):
    corpus = read_path(ungdc_archive, year=2019)
    corpus.contributions = [c for c in corpus.contributions if c.id.split("_")[0] in STATES]
    assert len(corpus.contributions) >= 25
    return corpus


def kept(corpus, minilm, about: str, cheap: bool):
    options = SynthesisOptions(about=about, cheap_pass=cheap)
    points, vectors, read = embed(segment_all(corpus.contributions), minilm, None, options=options)
    points, _, n_read = keep_subject(points, vectors, about, minilm, None, read)
    return {p.id for p in points}, n_read, len(vectors)


@pytest.mark.slow
@pytest.mark.parametrize("about", ["migration", "climate change"])
def test_cheap_pass_keeps_nearly_every_point_reading_all_keeps(speeches_2019, minilm, about):
    full, n_full, analysable = kept(speeches_2019, minilm, about, cheap=False)
    cheap, n_read, _ = kept(speeches_2019, minilm, about, cheap=True)
    assert n_full is None and len(full) >= 40
    # a point the cheap pass keeps is one the full rule keeps: its MiniLM vector is the same
    assert cheap <= full
    assert len(cheap) >= 0.95 * len(full), f"{len(full - cheap)} of {len(full)} points lost"
    # and MiniLM read well under half of the points to find them
    assert n_read < 0.5 * analysable


@pytest.mark.slow
def test_static_vectors_live_in_minilms_space(speeches_2019, minilm):
    static = StaticEmbedder()
    assert static.serves(minilm.model_id) and not static.serves("intfloat/multilingual-e5-small@1")
    texts = [p.text for p in segment_all(speeches_2019.contributions[:6]) if p.analysed]
    cos = (static.encode(texts) * embed_texts(minilm, texts)).sum(1)
    assert cos.mean() > 0.8, cos.mean()
    # not trivially so: a sentence's static vector is far nearer its own MiniLM vector than another's
    other = (static.encode(texts) * np.roll(embed_texts(minilm, texts), 1, axis=0)).sum(1)
    assert (cos > other).mean() > 0.95


@pytest.mark.slow
def test_the_report_says_what_the_cheap_pass_read(speeches_2019, minilm):
    corpus = dataclasses.replace(speeches_2019, contributions=speeches_2019.contributions[:10])  # the fixture stays whole
    cheap = synthesize(corpus, SynthesisOptions(about="migration", learned=False), embedder=minilm)
    full = synthesize(corpus, SynthesisOptions(about="migration", learned=False, cheap_pass=False), embedder=minilm)
    analysable = full.counts["embedded"]
    kept_out = ("procedural", "fragments", "headings", "front_matter", "self_introductions")
    assert analysable == full.counts["points"] - sum(full.counts[k] for k in kept_out)
    assert cheap.counts["embedded"] < analysable
    said = [line for line in cheap.limits if line.startswith("The cheap pass")]
    assert said and f"read {cheap.counts['embedded']:,} of {analysable:,} points" in said[0]
    assert not any(line.startswith("The cheap pass") for line in full.limits)
    assert cheap.settings["options"]["cheap_pass"] is True and cheap.settings["options"]["cheap_margin"] == 0.08
