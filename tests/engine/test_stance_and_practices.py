"""Stance cues and recommendation/practice rules on real General Debate sentences."""
from __future__ import annotations

import pytest

from rapporteur.analysis.practices import kind_of
from rapporteur.analysis.stance import Stance, stance_of
from rapporteur.ingest import read_path
from rapporteur.text.segment import segment_all


@pytest.fixture(scope="module")
def year_2018(ungdc_archive):
    corpus = read_path(ungdc_archive, year=2018)
    return {p.text: p for p in segment_all(corpus.contributions)}


def _find(sentences, fragment):
    return next(text for text in sentences if fragment in text)


def test_rejections_of_the_compact_in_2018(year_2018):
    usa = _find(year_2018, "will not participate in the new global compact for migration")
    hungary = _find(year_2018, "Hungary will not support the adoption of the global compact")
    assert stance_of(usa) is Stance.OPPOSE
    assert stance_of(hungary) is Stance.OPPOSE


def test_endorsements_and_reservations_in_2018(year_2018):
    welcome = _find(year_2018, "Spain welcomes the coming global compact")
    holy_see = _find(year_2018, "sovereign right of States to determine their national migration policy")
    assert stance_of(welcome) is Stance.SUPPORT
    assert stance_of(holy_see) is Stance.RESERVATION


def test_descriptions_of_others_are_not_rejections(year_2018):
    described = _find(year_2018, "opposes global compacts on migration and refugees")
    assert stance_of(described) is not Stance.OPPOSE  # "It ... opposes": no speaker or named State
    assert stance_of("People who do not accept diversity are a problem.") is Stance.NEUTRAL


def test_recommendations_and_practices():
    assert kind_of("We call on all States to ratify the Convention on Migrant Workers.") == "recommendation"
    assert kind_of("The international community should share responsibility for refugees.") == "recommendation"
    assert kind_of("We have established a national referral mechanism for victims of trafficking.") == "practice"
    assert kind_of("Our national strategy on migration gives priority to integration.") == "practice"
    assert kind_of("Migration is as old as humanity.") is None
