"""Votes: who agrees with what (issue 3).

Pol.is's results — opinion groups, representative statements, consensus, group-informed
consensus — computed as Pol.is computes them, plus convergence across *known* groups (UN
regions, stakeholder types, any participant attribute), at the scale of millions of votes.

    >>> from rapporteur.votes import read_conversation, analyse
    >>> conv = read_conversation("../shared/data/polis-opendata/vtaiwan.uberx")  # doctest: +SKIP
    >>> result = analyse(conv, group_by=None, seed=0)                             # doctest: +SKIP
    >>> result.to_dict()["statements"][0]["group_informed_consensus"]             # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from rapporteur.votes.analysis import VoteAnalysis, analyse, analyse_by, group_label
from rapporteur.votes.conversation import POLIS_ATTRIBUTION, Conversation, PolisReference, VoteInputError
from rapporteur.votes.plain_reader import is_plain, read_plain
from rapporteur.votes.plain_writer import write_plain
from rapporteur.votes.polis_reader import is_polis_export, read_polis
from rapporteur.votes.statement_stats import group_informed_consensus, tally

__all__ = [
    "Conversation",
    "POLIS_ATTRIBUTION",
    "PolisReference",
    "VoteAnalysis",
    "VoteInputError",
    "analyse",
    "analyse_by",
    "group_informed_consensus",
    "group_label",
    "is_plain",
    "is_polis_export",
    "read_conversation",
    "read_plain",
    "read_polis",
    "tally",
    "write_plain",
]


def read_conversation(path, participants_csv=None) -> Conversation:
    """Read a Pol.is export folder or our plain format (folder or ``votes.csv``); detected by content.

    ``participants_csv``: participant attributes (stakeholder type, country/region, anything else);
    for the plain format a ``participants.csv`` beside ``votes.csv`` is read by default.
    Raises ``VoteInputError`` (one line: ``file:line: reason``) when nothing usable can be read;
    rows that cannot be used are skipped and listed in ``conversation.problems``.
    """
    path = Path(path)
    if not path.exists():
        raise VoteInputError(str(path), "no such file or folder")
    if participants_csv is not None and not Path(participants_csv).is_file():
        raise VoteInputError(str(participants_csv), "participants file not found")
    if is_polis_export(path):
        return read_polis(path, participants_csv)
    if is_plain(path) or (path / "votes.csv" if path.is_dir() else path).is_file():
        return read_plain(path, participants_csv)  # names what is missing from votes.csv
    if path.is_dir():
        raise VoteInputError(
            str(path),
            "not a vote folder: expected a Pol.is export (comments.csv with votes.csv or participants-votes.csv) "
            "or votes.csv (participant,statement,vote) with statements.csv",
        )
    raise VoteInputError(path.name, "not a votes CSV: expected columns participant, statement, vote", line=1)
