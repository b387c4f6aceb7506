"""Readers: Pol.is exports (both header versions, with or without votes.csv) and our plain format."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from rapporteur.votes import VoteInputError, analyse, read_conversation, read_plain, write_plain

from .conftest import write


def participants_votes_matrix(path):
    """Independent reading of participants-votes.csv: {(participant, comment): vote}."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    start = header.index("n-disagree") + 1
    out = {}
    for row in rows[1:]:
        for cid, cell in zip(header[start:], row[start:]):
            if cell != "":
                out[(row[0], cid)] = int(cell)
    return out, [row[0] for row in rows[1:]]


def as_dict(conv):
    rows = conv.entry_rows
    return {
        (conv.participant_ids[r], conv.statement_ids[c]): int(v)
        for r, c, v in zip(rows.tolist(), conv.indices.tolist(), conv.values.tolist())
    }


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "bg2050-volunteers"])
def test_polis_votes_log_latest_vote_equals_participants_votes(polis, opendata, name):
    """votes.csv (re-votes included, latest wins) gives exactly Pol.is's own vote matrix."""
    conv = polis(name)
    expected, participants = participants_votes_matrix(opendata / name / "participants-votes.csv")
    assert as_dict(conv) == expected
    assert set(conv.participant_ids) == set(participants)
    assert conv.format == "polis" and "CC BY 4.0" in conv.attribution


def test_polis_header_versions(polis):
    old = polis("vtaiwan.uberx")  # timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
    new = polis("bg2050-volunteers")  # …,moderated,is-meta,is-seed,group-informed-consensus,comment-body
    assert old.n_statements == 197 and new.n_statements == 371
    assert old.moderated_out.sum() == 78 and not old.is_meta.any()
    assert new.is_meta.sum() == 1 and new.moderated_out.sum() == 55 + 1  # meta comments are zeroed too
    assert old.statement_texts[old.statement_ids.index("0")]
    assert new.polis.group_informed_consensus and not old.polis.group_informed_consensus
    assert old.title.startswith("UberX")


def test_polis_participants_votes_only(polis, opendata):
    """Without votes.csv the reader works from participants-votes.csv alone."""
    name = "austria-climate.2vkxcncppn.2022-07-07"
    assert not (opendata / name / "votes.csv").exists()
    conv = polis(name)
    expected, participants = participants_votes_matrix(opendata / name / "participants-votes.csv")
    assert as_dict(conv) == expected
    assert conv.n_participants == len(participants) == 1756
    assert (conv.polis.group_ids >= 0).sum() == 1439
    result = analyse(conv)
    assert result.n_groups >= 2


def test_polis_folder_without_votes_is_a_clear_error(opendata):
    with pytest.raises(VoteInputError, match="not a vote folder"):
        read_conversation(opendata / "austria-climate.5tzfrp5eaa.2022-07-07")


def test_polis_revotes_latest_by_timestamp_wins(tmp_path):
    folder = tmp_path / "polis"
    write(
        folder,
        "comments.csv",
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,a,0,0,1,0,1,First\n2,b,1,0,0,1,-1,\"Second,\nwith a newline\"\n3,c,2,0,0,0,1,Third\n",
    )
    write(
        folder,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "30,x,0,7,-1\n"  # latest for (7, 0) although first in the file
        "10,x,0,7,1\n"
        "20,x,0,7,0\n"
        "15,x,1,7,1\n"
        "16,x,2,8,1\n"
        "17,x,9,8,1\n",  # comment 9 does not exist
    )
    conv = read_conversation(folder)
    assert as_dict(conv) == {("7", "0"): -1, ("7", "1"): 1, ("8", "2"): 1}
    assert conv.moderated_out.tolist() == [False, True, False]
    assert conv.statement_texts[1] == "Second,\nwith a newline"
    [problem] = conv.problems
    assert problem.source == "votes.csv" and problem.line == 7 and "'9'" in problem.reason


def test_plain_round_trip(polis, tmp_path):
    conv = polis("vtaiwan.uberx")
    write_plain(conv, tmp_path / "plain")
    back = read_plain(tmp_path / "plain")
    assert back.format == "plain" and back.problems == []
    assert list(back.participant_ids) == list(conv.participant_ids)
    assert back.statement_ids == conv.statement_ids and back.statement_texts == conv.statement_texts
    assert np.array_equal(back.moderated_out, conv.moderated_out)
    assert as_dict(back) == as_dict(conv)
    a, b = analyse(conv), analyse(back)
    assert np.array_equal(a.opinion.group, b.opinion.group)
    da, db = a.to_dict(), b.to_dict()
    assert [s["group_informed_consensus"] for s in da["statements"]] == [
        s["group_informed_consensus"] for s in db["statements"]
    ]


def test_plain_reads_file_path_and_string_ids(plain):
    folder = plain("voter,statement_id,value,comment\nann,s1,1,x\nbob,s1,-1,y\nann,s2,0,z\n")
    conv = read_conversation(folder / "votes.csv")
    assert list(conv.participant_ids) == ["ann", "bob"]
    assert as_dict(conv) == {("ann", "s1"): 1, ("bob", "s1"): -1, ("ann", "s2"): 0}


def test_plain_participants_attributes(plain):
    folder = plain(
        "participant,statement,vote\n1,s1,1\n2,s1,-1\n3,s2,1\n",
        participants=(
            "participant,Stakeholder Type,country,sector\n"
            "1,NGO,Kenya,health\n"
            "2,member state,MEX,\n"
            "3,banana,Atlantis,energy\n"
            "2,academia,FRA,x\n"  # repeated: first row kept
            "4,academic,Japan,water\n"  # listed without votes
        ),
    )
    conv = read_conversation(folder)
    assert list(conv.participant_ids) == ["1", "2", "3", "4"]
    assert list(conv.attributes["type"]) == ["civil society", "Member State", None, "academia"]
    assert list(conv.attributes["region"]) == ["Africa", "Americas", None, "Asia"]
    assert list(conv.attributes["subregion"])[0] == "Sub-Saharan Africa"
    assert list(conv.attributes["sector"]) == ["health", None, "energy", "water"]
    reasons = {(p.line, p.reason) for p in conv.problems}
    assert (4, "unknown stakeholder type 'banana'") in reasons
    assert (4, "unknown country 'Atlantis'") in reasons
    assert any(line == 5 and "listed again" in r for line, r in reasons)
    assert any("1 participants have no votes" in r for _, r in reasons)
    result = analyse(conv, group_by="region")
    assert [g["name"] for g in result.to_dict()["known_groups"]["groups"]] == ["Africa", "Americas", "Asia"]


def test_polis_with_participants_csv(opendata, tmp_path):
    """A participants CSV can add attributes to a Pol.is export (matched on participant id)."""
    folder = opendata / "bg2050-volunteers"
    part = write(tmp_path, "p.csv", "participant,region\n" + "".join(f"{i},{'North' if i % 2 else 'South'}\n" for i in range(200)))
    conv = read_conversation(folder, participants_csv=part)
    assert conv.n_participants == 126 + (200 - 126)  # every listed participant is kept
    result = analyse(conv, group_by="region")
    d = result.to_dict()
    assert {g["name"] for g in d["known_groups"]["groups"]} == {"North", "South"}
    json.dumps(d, allow_nan=False)


def test_integer_ids_match_in_canonical_form_and_order_does_not_matter(plain):
    rows = ["007,s1,1", "10,s1,-1", "9,s2,1", "7,s2,0"]
    a = read_conversation(plain("participant,statement,vote\n" + "\n".join(rows) + "\n", participants="participant,region\n0007,Asia\n10,Europe\n", name="a"))
    b = read_conversation(plain("participant,statement,vote\n" + "\n".join(reversed(rows)) + "\n", name="b"))
    assert list(a.participant_ids) == list(b.participant_ids) == ["7", "9", "10"]
    assert as_dict(a) == as_dict(b) == {("7", "s1"): 1, ("10", "s1"): -1, ("9", "s2"): 1, ("7", "s2"): 0}
    assert list(a.attributes["region"]) == ["Asia", None, "Europe"]
