"""Bad input: a clear one-line message naming file and line, or a documented behaviour — never a traceback."""
from __future__ import annotations

import json

import numpy as np
import pytest

from rapporteur.votes import VoteInputError, analyse, read_conversation

from .conftest import write


def problems_at(conv):
    return {(p.source, p.line): p.reason for p in conv.problems}


def test_vote_for_unknown_statement_is_skipped_with_its_line(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,1\n1,s9,1\n2,s1,0\n"))
    assert conv.n_votes == 2
    assert problems_at(conv)[("votes.csv", 3)] == "vote for unknown statement 's9'"


@pytest.mark.parametrize("value", ["2", "-2", "yes", "0.5", "", "1e3"])
def test_vote_outside_minus_one_zero_one_is_skipped(plain, value):
    conv = read_conversation(plain(f"participant,statement,vote\n1,s1,1\n2,s2,{value}\n3,s3,-1\n"))
    assert conv.n_votes == 2
    reason = problems_at(conv)[("votes.csv", 3)]
    shown = {"1e3": "1000.0"}.get(value, value)  # numbers are shown as parsed
    assert reason == f"vote value {shown!r} is not -1, 0 or 1"


def test_accepted_spellings_of_votes(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,+1\n2,s1,-1.0\n3,s1, 0\n"))
    assert sorted(conv.values.tolist()) == [-1, 0, 1] and conv.problems == []


def test_duplicate_rows_keep_the_last_and_report_the_earlier(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,1\n1,s2,1\n1,s1,-1\n1,s1,0\n"))
    assert conv.n_votes == 2
    votes = dict(zip(conv.indices.tolist(), conv.values.tolist()))
    assert votes == {0: 0, 1: 1}  # s1: the last row (0) wins
    at = problems_at(conv)
    assert set(at) == {("votes.csv", 2), ("votes.csv", 4)}
    assert "repeated vote of participant '1' on statement 's1'" in at[("votes.csv", 2)]


def test_many_bad_rows_are_summarised(plain):
    rows = "".join(f"{i},s1,7\n" for i in range(50))
    conv = read_conversation(plain("participant,statement,vote\n" + rows + "x,s2,1\n"))
    assert conv.n_votes == 1 and conv.n_participants == 1
    assert len(conv.problems) == 11  # ten listed, then one line for the other forty
    assert conv.problems[-1].reason.startswith("40 more rows with the same kind of problem as line 2")


def test_malformed_row_is_skipped_with_its_line(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,1\n2,s1\n3,s1,1,extra\n4,s2,-1\n"))
    assert conv.n_votes == 2
    at = problems_at(conv)
    assert set(at) == {("votes.csv", 3), ("votes.csv", 4)}
    assert "expected 3 comma-separated fields" in at[("votes.csv", 4)]
    # later rows keep their true line numbers
    conv2 = read_conversation(plain("participant,statement,vote\n1,s1\n1,s1,1\n1,s1,0\n", name="b"))
    assert ("votes.csv", 3) in problems_at(conv2)


def test_blank_ids_are_skipped(plain):
    conv = read_conversation(plain("participant,statement,vote\n,s1,1\n2,,1\n2,s1,1\n"))
    at = problems_at(conv)
    assert at[("votes.csv", 2)] == "blank participant id" and at[("votes.csv", 3)] == "blank statement id"


def test_empty_conversation_is_a_clear_error(plain):
    with pytest.raises(VoteInputError) as err:
        read_conversation(plain("participant,statement,vote\n"))
    assert str(err.value) == "votes.csv: no votes: nothing to analyse (the file has a header and no rows)"


def test_conversation_without_any_usable_vote_is_a_clear_error(plain):
    with pytest.raises(VoteInputError, match=r"^votes.csv: no usable votes: nothing to analyse \(2 problems, first: votes.csv:3: vote for unknown"):
        read_conversation(plain("participant,statement,vote\n1,s1,5\n1,zz,1\n"))


def test_missing_column_names_file_and_line(plain):
    with pytest.raises(VoteInputError) as err:
        read_conversation(plain("participant,statement\n1,s1\n"))
    assert str(err.value) == "votes.csv:1: missing column 'vote' (header: participant, statement)"
    folder = plain("participant,statement,vote\n1,s1,1\n", statements="id,words\ns1,hi\n", name="b")
    with pytest.raises(VoteInputError) as err:
        read_conversation(folder)
    assert str(err.value) == "statements.csv:1: missing column 'text' (header: id, words)"


def test_missing_statements_file(tmp_path):
    write(tmp_path / "c", "votes.csv", "participant,statement,vote\n1,s1,1\n")
    with pytest.raises(VoteInputError, match="^statements.csv: not found beside votes.csv"):
        read_conversation(tmp_path / "c")


def test_not_utf8_and_missing_paths(tmp_path, plain):
    folder = plain("participant,statement,vote\n1,s1,1\n")
    (folder / "statements.csv").write_bytes(b"id,text\ns1,caf\xe9\n")
    with pytest.raises(VoteInputError, match="^statements.csv:2: not UTF-8 text$"):
        read_conversation(folder)
    with pytest.raises(VoteInputError, match="no such file or folder"):
        read_conversation(tmp_path / "nowhere")
    with pytest.raises(VoteInputError, match="participants file not found"):
        read_conversation(plain("participant,statement,vote\n1,s1,1\n", name="x"), participants_csv=tmp_path / "nope.csv")


def test_participant_with_no_votes_is_listed_without_group_or_position(plain):
    votes = "participant,statement,vote\n" + "".join(
        f"{p},s{j},{v}\n" for p in range(20) for j, v in zip((1, 2, 3), ((p % 2) * 2 - 1, 1, -((p % 2) * 2 - 1)))
    )
    folder = plain(votes, participants="participant,type\n0,NGO\nghost,academia\n")
    conv = read_conversation(folder)
    assert conv.participant_ids[-1] == "ghost" and conv.votes_per_participant[-1] == 0
    d = analyse(conv, group_by="type").to_dict()
    ghost = d["participants"][-1]
    assert ghost == {"id": "ghost", "group": None, "x": None, "y": None, "n_votes": 0, "in_conversation": False}
    assert any("1 participants have no votes ('ghost')" in p["reason"] for p in d["problems"])


def test_too_small_to_cluster_is_analysed_without_groups(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,1\n2,s1,1\n1,s2,-1\n2,s2,-1\n"))
    result = analyse(conv)
    d = result.to_dict()
    assert result.n_groups == 0 and d["groups"] == []
    assert all(p["group"] is None for p in d["participants"])
    assert d["parameters"]["not_clustered_because"].startswith("too small to cluster")
    assert any(p["reason"].startswith("too small to cluster") for p in d["problems"])
    s1 = d["statements"][0]
    assert s1["agree"] == 2 and s1["group_informed_consensus"] is None
    assert s1["majority_consensus"] == "agree"  # Pol.is: pa = 3/4 > 1/2, pat = 2·√3·(1 − 1/2) > 1.2816
    json.dumps(d, allow_nan=False)


def test_single_statement_conversation(plain):
    votes = "participant,statement,vote\n" + "".join(f"{p},s1,{(p % 3) - 1}\n" for p in range(30))
    result = analyse(read_conversation(plain(votes)))
    d = result.to_dict()
    assert d["counts"]["votes"] == 30
    json.dumps(d, allow_nan=False)


def test_unknown_group_by_names_the_available_attributes(plain):
    conv = read_conversation(plain("participant,statement,vote\n1,s1,1\n", participants="participant,region\n1,Asia\n"))
    with pytest.raises(VoteInputError, match="no participant attribute 'type' to group by; available: region"):
        analyse(conv, group_by="stakeholder type")
    conv2 = read_conversation(plain("participant,statement,vote\n1,s1,1\n", name="b"))
    with pytest.raises(VoteInputError, match="give a participants CSV"):
        analyse(conv2, group_by="region")


def test_one_known_group_is_noted_not_fatal(plain):
    votes = "participant,statement,vote\n" + "".join(f"{p},s{j},1\n" for p in range(5) for j in (1, 2))
    conv = read_conversation(plain(votes, participants="participant,region\n" + "".join(f"{p},Asia\n" for p in range(5))))
    d = analyse(conv, group_by="region").to_dict()
    assert d["known_groups"]["note"].startswith("group-by region: 1 group with a value")
    assert d["known_groups"]["divergence"] == [] and d["known_groups"]["cross_group_consensus"] == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n",
        b"participant,statement,vote",
        b'participant,statement,vote\n"unterminated,s1,1\n',
        b"\xff\xfe\x00garbage",
        b"participant;statement;vote\n1;s1;1\n",
        b"participant,statement,vote\n1,s1,1\r\n2,s1,-1\r\n",
    ],
)
def test_garbage_never_raises_anything_but_vote_input_error(tmp_path, content):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "votes.csv").write_bytes(content)
    (folder / "statements.csv").write_text("id,text\ns1,x\n")
    try:
        conv = read_conversation(folder)
    except VoteInputError as err:
        assert "\n" not in str(err)
    else:
        analyse(conv).to_dict()
        assert np.all(conv.values >= -1)



def test_analyse_refuses_an_empty_conversation():
    """The readers refuse empty files; analyse() says the same of a conversation built in code."""
    import numpy as np
    import pytest

    from rapporteur.votes import Conversation, VoteInputError, analyse

    empty = Conversation(
        source="round-7", format="plain", participant_ids=np.array([], dtype=object),
        statement_ids=["s1"], statement_texts=["More buses"], moderated_out=np.zeros(1, bool),
        is_meta=np.zeros(1, bool), indptr=np.zeros(1, np.int64), indices=np.zeros(0, np.int32),
        values=np.zeros(0, np.int8),
    )
    with pytest.raises(VoteInputError, match="round-7: no votes"):
        analyse(empty)
