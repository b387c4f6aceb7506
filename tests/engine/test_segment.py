"""Segmentation: verbatim points with offsets, bullets, procedural text."""
from __future__ import annotations

from rapporteur.model import Contribution, PointKind, Stakeholder
from rapporteur.text.procedural import is_procedural
from rapporteur.text.segment import segment
from rapporteur.text.shown import shown

from .speeches import speech


def _points(text: str):
    return segment(Contribution("c", Stakeholder("s"), text))


def test_every_point_is_the_verbatim_source_slice(ungdc_archive):
    from rapporteur.ingest import read_path

    corpus = read_path(ungdc_archive, year=2018)
    total = 0
    for contribution in corpus.contributions:
        points = segment(contribution)
        total += len(points)
        for point in points:
            assert shown(contribution.text[point.start : point.end]) == point.text
        ends = [p.end for p in points]
        assert ends == sorted(ends)
    assert total > 15000


def test_sentences_of_a_real_speech():
    text = speech("USA")
    points = _points(text)
    assert any(p.text.startswith("For decades, the United States has dealt with migration challenges") for p in points)
    assert all(p.text == p.text.strip() for p in points)


def test_bullets_are_points_without_their_markers():
    text = "Recommendations:\n- Expand regular pathways for labour migration.\n* Reduce the cost of remittances below 3 per cent.\n1. End child immigration detention."
    points = _points(text)
    bullets = [p for p in points if p.kind is PointKind.BULLET]
    assert [p.text for p in bullets] == [
        "Expand regular pathways for labour migration.",
        "Reduce the cost of remittances below 3 per cent.",
        "End child immigration detention.",
    ]
    assert points[0].kind is PointKind.FRAGMENT  # "Recommendations:" is a heading


def test_sentence_broken_by_a_blank_line_is_one_point():
    text = "I have forged close relationships and strong partnerships\n \nwith the leaders of many nations in this Hall. We met often."
    points = _points(text)
    assert len(points) == 2 and points[0].text.endswith("in this Hall.")


def test_title_abbreviation_at_line_end_does_not_cut():
    points = _points("Mr.\nPresident, migration is a shared responsibility of all States.")
    assert len(points) == 1


def test_procedural_text_is_marked_not_dropped():
    text = (
        "I congratulate you, Sir, on your election as President of the General Assembly at its seventy-second session. "
        "Migration must be governed by international cooperation and shared responsibility. Thank you, Mr. President."
    )
    kinds = [p.kind for p in _points(text)]
    assert kinds == [PointKind.PROCEDURAL, PointKind.SENTENCE, PointKind.PROCEDURAL]


def test_procedural_rules_leave_substance_alone():
    assert is_procedural("I now give the floor to the representative of Mexico.")
    assert is_procedural("Excellencies, ladies and gentlemen,")
    assert not is_procedural("We thank Jordan, Turkey and Lebanon for hosting refugees and call for more resettlement places for them in Europe and beyond.")
    assert not is_procedural("We call on all States to ratify the Convention on the Protection of the Rights of All Migrant Workers.")
