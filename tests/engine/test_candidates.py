"""Key point candidates on real General Debate sentences: verbatim spans, and the rules that refuse."""
from __future__ import annotations

import pytest

from rapporteur.analysis.candidates import CandidateRules, find_candidates, has_finite_verb, rejection, spans_of
from rapporteur.geography import country_names
from rapporteur.ingest import read_path
from rapporteur.text.segment import segment_all
from rapporteur.text.shown import shown


@pytest.fixture(scope="module")
def demo_points(demo_dir):
    corpus = read_path(demo_dir)
    return corpus, [p for p in segment_all(corpus.contributions) if p.analysed]


def test_every_candidate_is_verbatim_and_located(demo_points):
    corpus, points = demo_points
    source = {c.id: c.text for c in corpus.contributions}
    candidates = find_candidates(points, source)
    assert len(candidates) > 300
    by_id = {p.id: p for p in points}
    for c in candidates:
        assert shown(source[by_id[c.point_id].contribution_id][c.start:c.end]) == c.text
        assert by_id[c.point_id].start <= c.start < c.end <= by_id[c.point_id].end
        assert 5 <= len(c.text.split()) <= CandidateRules().max_words + 2  # words by the rule's own count


@pytest.mark.parametrize("sentence, span", [
    # framing clauses and connectives come off; the claim stays verbatim
    ("We believe that achieving a global compact for safe, orderly and regular migration presents a true "
     "opportunity, but also a challenge.",
     "achieving a global compact for safe, orderly and regular migration presents a true opportunity"),
    ("However, some forms of migration cause extreme harm to those involved, as well as to the countries "
     "connected with the phenomenon.", "some forms of migration cause extreme harm to those involved"),
    ("Conflicts within States have spawned international refugee crises, resulting in the displacement of "
     "millions from their homelands.", "Conflicts within States have spawned international refugee crises"),
    ("In the field of migration, we must work together to find solutions to the root causes of population "
     "movements, made up mostly of young people, from countries of the South to the North.",
     "we must work together to find solutions to the root causes of population movements"),
])
def test_a_long_sentence_offers_its_claim_as_a_span(sentence, span):
    texts = [sentence[s:e] for s, e in spans_of(sentence)]
    assert span in texts
    assert rejection(span, country_names()) is None


@pytest.mark.parametrize("text, reason", [
    # the examples: one State about itself, or a topic with no claim
    ("We continue our humanitarian approach to alleviating the suffering of refugees.", "bound to the speaker"),
    ("Malta welcomes the progress that has been made in developing a global compact", "bound to the speaker"),
    ("We have also succeeded in dealing with illegal migration.", "bound to the speaker"),
    ("My country has always welcomed refugees fleeing conflict", "bound to the speaker"),
    ("We in Central America are strengthening our integration in every area", "bound to the speaker"),
    ("Morocco co-chairs the Global Forum on Migration and Development", "bound to the speaker"),
    ("It contains a series of bold commitments to addressing the challenges", "needs the sentence before"),
    ("Such migrations are the result of politics, climate change or ethnic conflict.", "needs the sentence before"),
    ("The adoption of the New York Declaration for Refugees and Migrants", "no finite verb (a topic, not a claim)"),
    ("Global Compact for Safe, Orderly and Regular Migration", "a heading or title"),
    ("What will the consequences be for global and regional security?", "a question"),
    ("The United States will not participate in the global compact on migration.", "bound to the speaker"),
    ("Migration", "too short"),
])
def test_rules_refuse_what_a_rapporteur_would_not_sign(text, reason):
    assert rejection(text, country_names()) == reason


@pytest.mark.parametrize("text", [
    "Irregular migrants are particularly vulnerable to exploitation and abuse.",
    "We must address the root causes and drivers of irregular migration.",  # inclusive, normative "we"
    "Migrants are an asset both to their countries of destination and their countries of origin.",
    "Remittances matter for development in countries of origin",
])
def test_general_claims_are_candidates(text):
    assert rejection(text, country_names()) is None
    assert has_finite_verb(text)
