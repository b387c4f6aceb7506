"""Our plain CSV format for votes.

A folder (or the path of its ``votes.csv``) with:

* ``votes.csv``: ``participant,statement,vote`` with vote ∈ {-1, 0, 1} (agree = 1, disagree = -1,
  pass = 0). Column aliases: ``participant_id``/``voter``/``voter-id``; ``statement_id``/
  ``comment-id``. Extra columns are ignored. A repeated (participant, statement) pair keeps the
  **last** row in the file; each earlier one is reported as a problem. Participants are ordered
  by id (integers by value, then text), so results do not depend on the order of the rows; integer
  ids are read as integers (``007`` is participant ``7``, in every file).
* ``statements.csv``: ``id,text`` (aliases ``statement``/``statement_id``/``comment-id`` and
  ``statement_text``/``comment-body``), optional ``moderated`` (Pol.is's convention: -1 = moderated
  out; ``out``/``excluded`` accepted) and ``is_meta`` (true/false).
* ``participants.csv`` (optional; or any file passed as ``participants_csv``): see
  ``participant_attributes``.

Rows that cannot be used are skipped and reported as problems with their line: votes for a
statement not in ``statements.csv``, values outside {-1, 0, 1}, blank ids, rows with a wrong number
of fields. A conversation left with no vote raises ``VoteInputError``.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from rapporteur.model import InputProblem
from rapporteur.votes.conversation import Conversation, VoteInputError
from rapporteur.votes.participant_attributes import read_participants_csv
from rapporteur.votes.vote_log import (
    MAX_PROBLEMS_PER_REASON,
    build_matrix,
    canonical,
    decode_votes,
    encode_ids,
    find_column,
    raw_text,
    read_header,
    read_log,
    report_rows,
    unreadable_csv,
)

VOTE_PARTICIPANT = ("participant", "participant_id", "voter", "voter_id", "pid")
VOTE_STATEMENT = ("statement", "statement_id", "comment", "comment_id", "tid")
VOTE_VALUE = ("vote", "value")
STATEMENT_ID = ("id", "statement", "statement_id", "comment_id", "tid")
STATEMENT_TEXT = ("text", "statement_text", "comment_body", "body", "content")


def is_plain(path: Path) -> bool:
    """True if ``path`` is a votes CSV of our format, or a folder holding one."""
    path = Path(path)
    votes = path / "votes.csv" if path.is_dir() else path
    if not votes.is_file():
        return False
    try:
        header = read_header(votes)
    except VoteInputError:
        return False
    return all(find_column(header, aliases, "", required=False) for aliases in (VOTE_PARTICIPANT, VOTE_STATEMENT, VOTE_VALUE))


def read_plain(path: Path, participants_csv: Path | None = None) -> Conversation:
    path = Path(path)
    folder, votes_path = (path, path / "votes.csv") if path.is_dir() else (path.parent, path)
    problems: list[InputProblem] = []
    statements_path = folder / "statements.csv"
    if not statements_path.is_file():
        raise VoteInputError(statements_path.name, f"not found beside {votes_path.name} (needed for statement texts)")
    st_ids, st_texts, moderated, meta = read_statements(statements_path, problems)

    header = read_header(votes_path)
    src = votes_path.name
    roles = {
        "participant": find_column(header, VOTE_PARTICIPANT, src),
        "statement": find_column(header, VOTE_STATEMENT, src),
        "vote": find_column(header, VOTE_VALUE, src),
    }
    log = read_log(votes_path, roles, problems, small_ints=("vote",))
    p_codes, p_ids, p_blank = encode_ids(log.columns["participant"])
    s_codes, s_seen, s_blank = encode_ids(log.columns["statement"])
    values, v_ok = decode_votes(log.columns["vote"])
    st_index = {canonical(sid): i for i, sid in enumerate(st_ids)}
    s_map = np.array([st_index.get(canonical(s), -1) for s in s_seen] + [-1], dtype=np.int32)
    s_idx = s_map[s_codes]  # code -1 (blank) maps to the sentinel -1
    unknown = (s_idx < 0) & ~s_blank
    valid = ~p_blank & ~s_blank & ~unknown & v_ok
    _report_invalid(problems, src, log, p_blank, s_blank, unknown, v_ok, valid)
    del s_codes

    if len(valid) == 0:
        raise VoteInputError(src, "no votes: nothing to analyse (the file has a header and no rows)")
    if valid.all():  # the usual case, without copies
        rows_valid = None
        prow, cols, vals_in = p_codes, s_idx, values
    else:
        rows_valid = np.flatnonzero(valid)
        if len(rows_valid) == 0:
            raise VoteInputError(src, "no usable votes: nothing to analyse" + _why(problems))
        # participants whose every row was unusable are not participants of the conversation
        used = np.zeros(len(p_ids), dtype=bool)
        used[p_codes[rows_valid]] = True
        remap = (np.cumsum(used, dtype=np.int64) - 1).astype(np.int32)
        p_ids = [pid for pid, u in zip(p_ids, used) if u]
        prow, cols, vals_in = remap[p_codes[rows_valid]], s_idx[rows_valid], values[rows_valid]
    del p_codes
    indptr, indices, vals, superseded = build_matrix(prow, cols, vals_in, len(p_ids), len(st_ids))
    del cols, vals_in

    def cols_of(k):
        return s_idx[k if rows_valid is None else rows_valid[k]]

    if len(superseded):
        src_rows = superseded if rows_valid is None else rows_valid[superseded]
        lines = log.lines(src_rows)
        report_rows(
            problems,
            src,
            lines,
            [
                f"repeated vote of participant {p_ids[prow[k]]!r} on statement {st_ids[cols_of(k)]!r}: "
                "a later row replaces it"
                for k in superseded[:11]
            ],
        )
    participant_ids = np.empty(len(p_ids), dtype=object)
    participant_ids[:] = p_ids
    conv = Conversation(
        source=str(folder if path.is_dir() else votes_path),
        format="plain",
        participant_ids=participant_ids,
        statement_ids=st_ids,
        statement_texts=st_texts,
        moderated_out=moderated,
        is_meta=meta,
        indptr=indptr,
        indices=indices,
        values=vals,
        problems=problems,
    )
    part_path = Path(participants_csv) if participants_csv else folder / "participants.csv"
    if participants_csv or part_path.is_file():
        attach_participants(conv, part_path)
    note_participants_without_votes(conv)
    return conv


def _why(problems: list[InputProblem]) -> str:
    if not problems:
        return " (the file has no vote rows)"
    return f" ({len(problems)} problems, first: {problems[0]})"


def _report_invalid(problems, src, log, p_blank, s_blank, unknown, v_ok, valid) -> None:
    """Report skipped vote rows, one reason at a time (first few individually, then a count)."""
    if valid.all():
        return
    statement, vote = log.columns["statement"], log.columns["vote"]
    for mask, describe in (
        (p_blank, lambda r: "blank participant id"),
        (s_blank & ~p_blank, lambda r: "blank statement id"),
        (unknown & ~p_blank, lambda r: f"vote for unknown statement {raw_text(statement, r)[0]!r}"),
        (
            ~v_ok & ~p_blank & ~s_blank & ~unknown,
            lambda r: f"vote value {raw_text(vote, r)[0]!r} is not -1, 0 or 1",
        ),
    ):
        rows = np.flatnonzero(mask)
        if len(rows):
            texts = [describe(rows[i : i + 1]) for i in range(min(len(rows), MAX_PROBLEMS_PER_REASON))]
            report_rows(problems, src, log.lines(rows), texts)


def read_statements(path: Path, problems: list[InputProblem]) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    src = path.name
    header = read_header(path)
    id_col = header.index(find_column(header, STATEMENT_ID, src))
    text_col = header.index(find_column(header, STATEMENT_TEXT, src))
    mod_name = find_column(header, ("moderated", "moderation"), src, required=False)
    meta_name = find_column(header, ("is_meta", "meta"), src, required=False)
    mod_col = header.index(mod_name) if mod_name else None
    meta_col = header.index(meta_name) if meta_name else None
    ids: list[str] = []
    texts: list[str] = []
    moderated: list[bool] = []
    meta: list[bool] = []
    seen: set[str] = set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            next(reader)
            for row in reader:
                line = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    problems.append(InputProblem(src, f"expected {len(header)} fields, found {len(row)}", line))
                    continue
                sid = row[id_col].strip()
                if not sid:
                    problems.append(InputProblem(src, "blank statement id", line))
                    continue
                if sid in seen:
                    problems.append(InputProblem(src, f"statement {sid!r} listed again; first row kept", line))
                    continue
                seen.add(sid)
                ids.append(sid)
                texts.append(row[text_col].strip())
                mod = row[mod_col].strip().lower() if mod_col is not None else ""
                moderated.append(mod in ("-1", "out", "excluded", "rejected", "moderated out"))
                meta.append(meta_col is not None and row[meta_col].strip().lower() in ("true", "1", "yes", "t"))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise unreadable_csv(path, exc, reader.line_num) from None
    if not ids:
        raise VoteInputError(src, "no statements")
    return ids, texts, np.array(moderated, dtype=bool), np.array(meta, dtype=bool)


def attach_participants(conv: Conversation, path: Path, xids: list[str] | None = None) -> None:
    """Read a participants CSV into ``conv.attributes`` (adding listed participants without votes)."""
    values, extra = read_participants_csv(path, list(conv.participant_ids), conv.problems, xids=xids)
    if extra:
        ids = np.empty(conv.n_participants + len(extra), dtype=object)
        ids[: conv.n_participants] = conv.participant_ids
        ids[conv.n_participants :] = extra
        conv.participant_ids = ids
        conv.indptr = np.concatenate([conv.indptr, np.full(len(extra), conv.indptr[-1], dtype=conv.indptr.dtype)])
        for name in ("votes_per_participant", "entry_rows"):
            conv.__dict__.pop(name, None)
        if conv.polis is not None:
            conv.polis.group_ids = np.concatenate([conv.polis.group_ids, np.full(len(extra), -1)])
        for name, col in conv.attributes.items():
            conv.attributes[name] = np.concatenate([col, np.full(len(extra), None, dtype=object)])
    conv.attributes.update(values)


def note_participants_without_votes(conv: Conversation) -> None:
    """Participants without any vote are kept (listed, no group, no position): note how many."""
    empty = np.flatnonzero(conv.votes_per_participant == 0)
    if len(empty):
        shown = ", ".join(repr(str(conv.participant_ids[i])) for i in empty[:5])
        more = f" and {len(empty) - 5} more" if len(empty) > 5 else ""
        conv.problems.append(
            InputProblem(
                source=Path(conv.source).name,
                reason=f"{len(empty)} participants have no votes ({shown}{more}): listed without a group or a position",
                skipped=False,
            )
        )
