"""The data model of a voted conversation: participants, statements and their votes.

Votes are held as a sparse participant × statement matrix in CSR form with the vote *values*
kept explicitly (a pass is a stored 0, a missing vote is no entry):

* ``indptr[i]:indptr[i+1]`` are the entries of participant ``i``;
* ``indices`` the statement of each entry, ``values`` its vote: **+1 agree, -1 disagree, 0 pass**
  (Pol.is's exports use the same signs; Pol.is's internal math uses agree = -1).

This keeps 50M votes in about 250 MB (int32 index + int8 value per vote).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from rapporteur.errors import InputError
from rapporteur.model import InputProblem

AGREE, DISAGREE, PASS = 1, -1, 0

POLIS_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed "
    "under CC BY 4.0 with Attribution to The Computational Democracy Project"
)


class VoteInputError(InputError, ValueError):
    """Vote input that leaves nothing usable. ``str(error)`` is one line: ``file:line: reason``."""


@dataclass
class PolisReference:
    """What a Pol.is export says Pol.is itself computed (used for parity checks and shown as-is)."""

    group_ids: np.ndarray  # int64 per participant; -1 where Pol.is did not cluster the participant
    group_informed_consensus: dict[str, float] = field(default_factory=dict)  # statement id -> value
    summary: dict[str, str] = field(default_factory=dict)  # summary.csv key -> value


@dataclass
class Conversation:
    """Participants, statements and the latest vote of each participant on each statement."""

    source: str
    format: str  # "polis" (a Pol.is export folder) or "plain" (our votes/statements/participants CSVs)
    participant_ids: np.ndarray  # object array of str, one per row of the vote matrix
    statement_ids: list[str]
    statement_texts: list[str]
    moderated_out: np.ndarray  # bool per statement: excluded by a moderator (or meta): zeroed in the math
    is_meta: np.ndarray  # bool per statement
    indptr: np.ndarray  # int64, n_participants + 1
    indices: np.ndarray  # int32 statement index per vote
    values: np.ndarray  # int8 vote per vote: +1 agree, -1 disagree, 0 pass
    attributes: dict[str, np.ndarray] = field(default_factory=dict)  # name -> object array (str or None)
    problems: list[InputProblem] = field(default_factory=list)
    title: str | None = None
    attribution: str | None = None
    polis: PolisReference | None = None

    def __post_init__(self) -> None:
        n, m = len(self.participant_ids), len(self.statement_ids)
        if len(self.indptr) != n + 1 or len(self.statement_texts) != m:
            raise ValueError("inconsistent conversation shapes")
        if len(self.indices) != len(self.values) or int(self.indptr[-1]) != len(self.indices):
            raise ValueError("inconsistent vote arrays")

    # ----------------------------------------------------------------------------------- sizes
    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    @property
    def n_statements(self) -> int:
        return len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return len(self.values)

    @cached_property
    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr)

    @cached_property
    def votes_per_statement(self) -> np.ndarray:
        return np.bincount(self.indices, minlength=self.n_statements)

    @cached_property
    def entry_rows(self) -> np.ndarray:
        """Participant index of every stored vote (int32), aligned with ``indices``/``values``."""
        dtype = np.int32 if self.n_participants < 2**31 else np.int64
        return np.repeat(np.arange(self.n_participants, dtype=dtype), self.votes_per_participant)

    def matrix(self, dtype=np.float32) -> sp.csr_matrix:
        """The votes as a scipy CSR matrix (passes stored as explicit zeros)."""
        return sp.csr_matrix(
            (self.values.astype(dtype), self.indices, self.indptr),
            shape=(self.n_participants, self.n_statements),
        )

    def dense(self) -> np.ndarray:
        """Dense float matrix with NaN where a participant did not vote (small conversations only)."""
        out = np.full((self.n_participants, self.n_statements), np.nan)
        out[self.entry_rows, self.indices] = self.values
        return out

    def attribute(self, name: str) -> np.ndarray:
        try:
            return self.attributes[name]
        except KeyError:
            raise VoteInputError(
                self.source,
                f"no participant attribute {name!r} to group by; available: "
                + (", ".join(sorted(self.attributes)) or "none (give a participants CSV)"),
            ) from None
