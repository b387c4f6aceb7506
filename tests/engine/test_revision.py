"""The rapporteur's desk in the engine (rapporteur.revision) on the consultation fixture's real draft.

Every edit kind is applied to the machine's synthesis of examples/gcm-session, and the figures the
engine recomputes are checked against counts this test makes itself from the document's points.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rapporteur.report.data import as_data
from rapporteur.revision.apply import EditError, StaleEdit, revise, start_revision
from rapporteur.revision.diff import differences
from rapporteur.edits import EditsFileError, parse_edits, read_edits
from rapporteur.revision.recompute import recompute
from rapporteur.schema import SynthesisDocument, validate_synthesis


@pytest.fixture(scope="module")
def draft(gcm_session) -> SynthesisDocument:
    return gcm_session.document()


def edit(document, *edits, **options):
    return revise(document, parse_edits(list(edits)), **options)


def kp_of(document, words: str):
    return next(k for k in document.key_points if words in k.label)


def speakers_of(document, point_ids) -> set[str]:
    by_id = {p.id: p for p in document.points}
    return {by_id[pid].stakeholder for pid in point_ids}


def regions_of(document, point_ids) -> dict[str, int]:
    by_id = {p.id: p for p in document.points}
    who = {by_id[pid].stakeholder: by_id[pid].region or "unknown" for pid in point_ids}
    counts: dict[str, int] = {}
    for region in who.values():
        counts[region] = counts.get(region, 0) + 1
    return counts


def assert_figures(document):
    """Each key point's figures equal counts made here from its points; the document still validates."""
    speakers = len({p.stakeholder for p in document.points})
    rules = document.settings["agreement"]
    few = max(rules["min_stakeholders"], math.ceil(rules["min_share"] * speakers))
    in_any = set()
    for kp in document.key_points:
        assert kp.n_stakeholders == len(speakers_of(document, kp.point_ids)) == len(kp.stakeholders)
        assert kp.n_points == len(kp.point_ids) == len(kp.points)
        assert kp.regions == regions_of(document, kp.point_ids)
        assert kp.minority == (kp.n_stakeholders < few)
        assert kp.share_of_speakers == round(kp.n_stakeholders / speakers, 4)
        in_any |= set(kp.point_ids)
    assert set(document.unclustered_point_ids) == {p.id for p in document.points} - in_any
    assert document.counts["key_points"] == len(document.key_points)
    for point in document.points:
        assert (point.key_point is None) == (point.id not in in_any)
    validate_synthesis(as_data(document))


def test_recomputing_an_unedited_draft_changes_no_figure(draft):
    again = recompute(start_revision(draft))
    assert [k.model_dump(exclude={"origin", "note"}) for k in again.key_points] == \
        [k.model_dump(exclude={"origin", "note"}) for k in draft.key_points]
    assert [c.model_dump(exclude={"origin", "note"}) for c in again.convergence] == \
        [c.model_dump(exclude={"origin", "note"}) for c in draft.convergence]
    assert [d.model_dump(exclude={"origin", "note"}) for d in again.divergence] == \
        [d.model_dump(exclude={"origin", "note"}) for d in draft.divergence]
    assert_figures(again)


def test_merge_counts_the_stakeholders_of_both_and_the_rules_decide_convergence(draft):
    fees, workers = kp_of(draft, "Recruitment fees"), kp_of(draft, "basic services")
    merged = edit(draft, {"do": "merge", "key_points": [fees.id, workers.id]})
    kp = next(k for k in merged.key_points if k.id == fees.id)
    assert workers.id not in {k.id for k in merged.key_points}
    assert set(kp.point_ids) == set(fees.point_ids) | set(workers.point_ids)
    assert kp.n_stakeholders == len(speakers_of(draft, fees.point_ids) | speakers_of(draft, workers.point_ids))
    assert kp.origin == "edited" and merged.revision.edits[0].anchors == {fees.id: fees.label_point,
                                                                         workers.id: workers.label_point}
    assert_figures(merged)
    # every area listed by the rules meets C1–C3, counted here
    speakers = {p.stakeholder: p for p in merged.points}
    rules = merged.settings["agreement"]
    needed = max(rules["min_stakeholders"], math.ceil(rules["min_share"] * len(speakers)))
    regions = min(rules["min_regions"], len({p.region for p in speakers.values() if p.region}))
    for area in merged.convergence:
        members = next(k for k in merged.key_points if k.id == area.key_point)
        assert area.origin in ("machine", "edited")
        assert members.n_stakeholders >= needed
        assert len({speakers[s].region for s in members.stakeholders if speakers[s].region}) >= regions
        assert area.n_stakeholders == members.n_stakeholders and area.rule.startswith("C1–C4")


def test_relabel_with_a_verbatim_span_or_the_rapporteurs_words(draft):
    fees = kp_of(draft, "Recruitment fees")
    point = next(p for p in fees.points if p.text.startswith("Recruitment fees should never"))
    span = edit(draft, {"do": "relabel", "key_point": fees.id, "point": point.id, "words": "Recruitment fees should never be charged"})
    kp = next(k for k in span.key_points if k.id == fees.id)
    assert kp.label == "Recruitment fees should never be charged" and kp.label in point.text
    assert kp.label_point == point.id and kp.label_span and kp.label_source.id == point.id
    assert kp.machine_label == fees.label and kp.origin == "edited"
    assert span.convergence[[c.key_point for c in span.convergence].index(fees.id)].label == kp.label
    own = edit(draft, {"do": "relabel", "key_point": fees.id, "text": "Employers, not workers, pay for recruitment."})
    kp = next(k for k in own.key_points if k.id == fees.id)
    assert kp.label_source == "rapporteur" and kp.machine_label == fees.label
    assert as_data(own)["key_points"][[k.id for k in own.key_points].index(fees.id)]["label_source"] == "rapporteur"


def test_split_move_drop_and_promote_keep_every_figure_counted(draft):
    big = max(draft.key_points, key=lambda k: k.n_points)
    moving = [p for p in big.point_ids if p != big.label_point][:2]
    split = edit(draft, {"do": "split", "key_point": big.id, "points": moving})
    new = next(k for k in split.key_points if k.origin == "added")
    assert new.point_ids == moving and new.label == next(p.text for p in split.points if p.id == moving[0])
    remaining = next(k for k in split.key_points if k.id == big.id)
    assert not set(moving) & set(remaining.point_ids) and big.label_point in remaining.point_ids
    assert_figures(split)

    other = next(k for k in draft.key_points if k.id != big.id)
    loose = next(p for p in big.point_ids if p != big.label_point)
    moved = edit(draft, {"do": "move", "point": loose, "to": other.id}, {"do": "move", "point": draft.unclustered_point_ids[0], "to": "new"})
    assert loose in next(k for k in moved.key_points if k.id == other.id).point_ids
    assert [k.point_ids for k in moved.key_points if k.origin == "added"] == [[draft.unclustered_point_ids[0]]]
    assert_figures(moved)
    out = edit(draft, {"do": "move", "point": loose, "to": None})
    assert loose in out.unclustered_point_ids
    assert next(p for p in out.points if p.id == loose).key_point is None

    dropped = edit(draft, {"do": "drop", "key_point": big.id})
    assert big.id not in {k.id for k in dropped.key_points}
    assert set(big.point_ids) <= set(dropped.unclustered_point_ids)
    assert big.id not in {c.key_point for c in dropped.convergence} | {d.key_point for d in dropped.divergence}
    assert_figures(dropped)

    recommendation = draft.recommendations[0].point_id
    promoted = edit(draft, {"do": "promote", "point": recommendation})
    added = next(k for k in promoted.key_points if k.origin == "added")
    assert added.point_ids == [recommendation] and added.label_point == recommendation
    assert_figures(promoted)


def test_a_minority_view_listed_by_the_rapporteur_says_which_rule_it_misses(draft):
    minority = next(k for k in draft.key_points if k.minority and k.id not in {c.key_point for c in draft.convergence})
    listed = edit(draft, {"do": "promote", "key_point": minority.id})
    area = next(c for c in listed.convergence if c.key_point == minority.id)
    assert area.origin == "added" and area.n_stakeholders == minority.n_stakeholders
    assert area.rule.startswith("Listed by the rapporteur") and "C1:" in area.rule
    unlisted = edit(listed, {"do": "dismiss", "item": minority.id})
    assert minority.id not in {c.key_point for c in unlisted.convergence}


def test_divergences_marked_dismissed_reordered_and_noted(draft):
    a, b = draft.key_points[1], draft.key_points[2]
    marked = edit(draft, {"do": "mark", "kind": "opposed", "key_point": a.id, "against": b.id},
                  {"do": "mark", "kind": "unaddressed", "expected": "Climate change and migration"},
                  {"do": "note", "item": a.id, "text": "Raised in the regional consultations too."})
    item = next(d for d in marked.divergence if d.id == f"opposed-{a.id}")
    assert item.origin in ("added", "edited")
    against = next(s for s in item.sides if s.position == "against")
    assert against.key_point == b.id and set(against.stakeholders) == speakers_of(draft, b.point_ids)
    gap = next(d for d in marked.divergence if d.id == "unaddressed-climate-change-and-migration")
    assert gap.addressed_by == 0 and gap.of_stakeholders == len({p.stakeholder for p in draft.points})
    assert next(k for k in marked.key_points if k.id == a.id).note == "Raised in the regional consultations too."
    machine_item = draft.divergence[0].id
    dismissed = edit(marked, {"do": "dismiss", "item": machine_item}, {"do": "dismiss", "item": f"opposed-{a.id}"})
    assert machine_item not in {d.id for d in dismissed.divergence}
    assert f"opposed-{a.id}" not in {d.id for d in dismissed.divergence} or draft.divergence[0].id == f"opposed-{a.id}"
    last = dismissed.divergence[-1].id
    reordered = edit(dismissed, {"do": "reorder", "list": "divergence", "order": [last]})
    assert reordered.divergence[0].id == last and [d.number for d in reordered.divergence] == list(
        range(1, len(reordered.divergence) + 1))
    assert len(reordered.revision.edits) == 6 and reordered.revision.machine.divergence[0].id == machine_item


@pytest.mark.parametrize("bad, says", [
    ({"do": "merge", "key_points": ["KP1", "KP99"]}, "there is no key point 'KP99'"),
    ({"do": "move", "point": "nowhere.txt#1", "to": "KP1"}, "there is no analysed point 'nowhere.txt#1'"),
    ({"do": "merge", "key_points": ["KP2", "KP2"]}, "cannot be merged with itself"),
    ({"do": "relabel", "key_point": "KP1", "text": "   "}, "relabel text is empty"),
])
def test_bad_edits_name_the_edit_and_change_nothing(draft, bad, says):
    before = as_data(draft)
    with pytest.raises((EditError, EditsFileError), match=says):
        edit(draft, bad)
    assert as_data(draft) == before


def test_a_split_that_empties_and_a_span_outside_its_point_are_refused(draft):
    kp = next(k for k in draft.key_points if len(k.point_ids) >= 2)
    with pytest.raises(EditError, match="leaves it empty"):
        edit(draft, {"do": "split", "key_point": kp.id, "points": kp.point_ids})
    point = next(p for p in kp.points if p.id == kp.label_point)
    with pytest.raises(EditError, match=f"outside point {point.id}"):
        edit(draft, {"do": "relabel", "key_point": kp.id, "point": point.id, "start": 0, "end": len(point.text) + 5})
    with pytest.raises(EditError, match="not in point"):
        edit(draft, {"do": "relabel", "key_point": kp.id, "point": point.id, "words": "words nobody said"})


def test_an_edit_made_on_an_older_revision_is_refused(draft):
    first = edit(draft, {"do": "note", "item": draft.key_points[0].id, "text": "one"}, by="A")
    with pytest.raises(StaleEdit) as stale:
        edit(first, {"do": "note", "item": draft.key_points[0].id, "text": "two"}, by="B", seen=0)
    assert stale.value.current == 1 and "revision 1" in str(stale.value)
    assert edit(first, {"do": "drop", "key_point": draft.key_points[0].id}, seen=1).revision.edits[-1].do == "drop"


def test_a_document_written_before_the_desk_cannot_be_revised(draft):
    old = SynthesisDocument.model_validate({**as_data(draft), "schema_version": 1, "points": None})
    with pytest.raises(EditError, match="synthesize it again"):
        edit(old, {"do": "drop", "key_point": "KP1"})


def test_edits_file_errors_name_the_line(tmp_path):
    broken = tmp_path / "edits.yaml"
    broken.write_text("- do: merge\n  key_points: [KP1, KP2]\n- do: move\n  point: [unclosed\n", encoding="utf-8")
    with pytest.raises(EditsFileError, match=r"edits.yaml line \d"):
        read_edits(broken)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("- do: merge\n  key_points: [KP1, KP2]\n\n- do: split\n  key_point: KP1\n", encoding="utf-8")
    with pytest.raises(EditsFileError, match=r"wrong.yaml line 4 \(edit 2\): points: Field required"):
        read_edits(wrong)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("- do: rename\n  key_point: KP1\n", encoding="utf-8")
    with pytest.raises(EditsFileError, match="line 1"):
        read_edits(unknown)


def test_the_cli_revises_prints_the_diff_and_exits_2_on_a_bad_file(draft, tmp_path):
    source = tmp_path / "synthesis.json"
    source.write_text(draft.model_dump_json(exclude_unset=True), encoding="utf-8")
    edits = tmp_path / "edits.yaml"
    edits.write_text(yaml.safe_dump([{"do": "drop", "key_point": draft.key_points[-1].id},
                                     {"do": "note", "item": draft.key_points[0].id, "text": "Checked."}]), encoding="utf-8")
    cli = [sys.executable, "-m", "rapporteur.cli"]
    done = subprocess.run([*cli, "revise", str(source), "--edits", str(edits), "--out", str(tmp_path / "out"),
                           "--no-read", "--by", "Co-facilitator"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"- {draft.key_points[-1].id}" in done.stderr
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Revised by the rapporteur" in report and "2 edits" in report and "by Co-facilitator" in report
    diff = subprocess.run([*cli, "revise", "--diff", str(source), str(tmp_path / "out" / "synthesis.json")],
                          capture_output=True, text=True)
    assert diff.returncode == 0 and f"- {draft.key_points[-1].id} “" in diff.stdout
    edits.write_text("- do: drop\n  key_point: [KP1\n", encoding="utf-8")
    bad = subprocess.run([*cli, "revise", str(source), "--edits", str(edits), "--no-read"], capture_output=True, text=True)
    assert bad.returncode == 2 and "line 2" in bad.stderr


def test_the_fixtures_edits_reach_its_gold(draft):
    """The edits an editor who knows the gold makes (fidelity.correction) are all accepted but one kind of
    overlap, and the signed synthesis scores near 1 on the session's own figures."""
    from rapporteur.fidelity.correction import correct
    from rapporteur.fidelity.session import load_gold, locate, score
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import segment

    fixture = Path(__file__).resolve().parents[2] / "examples" / "gcm-session"
    gold, corpus = load_gold(fixture / "gold.yaml"), read_path(fixture / "contributions", fixture / "meta.csv")
    points, _ = segment(corpus, languages="auto")
    truth = {k: {locate(q, corpus, points) for q in quotes} for k, quotes in gold.key_points.items()}
    divergence = sorted({k.split(".")[0] for k in truth if k.startswith("D")})
    work = correct(draft, truth, gold.claims, gold.convergence, divergence, gold.unaddressed)
    before, after = score(gold, as_data(draft), corpus, points), score(gold, as_data(work.document), corpus, points)
    assert after["kp_recall"] >= 0.95 > before["kp_recall"] and after["misplaced"] == 0
    assert after["convergence"] == len(gold.convergence) and not after["languages_lost"]
    assert len(work.refused) <= 2
    assert {"relabel", "move", "mark"} <= set(work.counts())
    assert differences(draft, work.document)


@pytest.mark.slow
def test_edits_are_replayed_on_a_new_run_and_those_that_no_longer_apply_are_listed(draft, gcm_session_english):
    """The revision of one run replayed on another run of the session (here without its French and Spanish
    contributions); ids differ between runs, anchors find the key points again."""
    from rapporteur.revision.replay import replay

    rerun = gcm_session_english.document()
    fees, detention = kp_of(draft, "Recruitment fees"), kp_of(draft, "detention of children")
    french = next(p.id for p in draft.points if p.contribution == "reseau-sahel-migrations.txt" and p.key_point)
    revised = edit(draft, {"do": "relabel", "key_point": fees.id, "text": "Workers must not pay recruitment fees."},
                   {"do": "note", "item": detention.id, "text": "Said in three languages."},
                   {"do": "move", "point": french, "to": None})
    again, left = replay(rerun, revised.revision.edits, replayed_from=1)
    assert len(again.revision.edits) + len(left) == 3
    assert [n.number for n in left] == [3] and french in left[0].reason
    assert [(n.number, n.edit["do"]) for n in again.revision.not_replayed] == [(3, "move")]
    assert again.revision.replayed_from == 1
    relabelled = next(k for k in again.key_points if k.label == "Workers must not pay recruitment fees.")
    assert relabelled.label_source == "rapporteur" and relabelled.origin == "edited"
    assert any(k.note == "Said in three languages." for k in again.key_points)
    assert_figures(again)
