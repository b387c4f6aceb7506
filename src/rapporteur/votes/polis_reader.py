"""Reader for Pol.is export folders (as published in compdemocracy's openData).

Files (headers differ between export versions; columns are found by name):

* ``comments.csv``: ``comment-id``, ``comment-body``, ``moderated`` (-1 = moderated out, 0 =
  not yet moderated, 1 = accepted), and in newer exports ``is-meta`` and
  ``group-informed-consensus``. Pol.is zeroes the columns of moderated-out *and* meta comments in
  its math (``mod-update`` in ``conversation.clj``); so do we (``Conversation.moderated_out``).
* ``votes.csv``: event log ``timestamp, comment-id, voter-id, vote`` (agree = 1, disagree = -1,
  pass = 0). Re-votes are normal: the latest vote (by timestamp, then file order) per voter and
  comment wins. Not a problem.
* ``participants-votes.csv``: one row per participant with Pol.is's ``group-id`` (blank when
  Pol.is did not cluster the participant), and a column per comment holding the latest vote. Used
  for the votes when ``votes.csv`` is absent, and always for the reference ``group-id``.
* ``summary.csv``: key/value lines (topic, url, …): the title and the attribution link.

Participants are ordered by Pol.is participant id (the order in which they joined): Pol.is's
k-means starts from the first distinct positions in that order, so the order matters for parity.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from rapporteur.model import InputProblem
from rapporteur.votes.conversation import POLIS_ATTRIBUTION, Conversation, PolisReference, VoteInputError
from rapporteur.votes.plain_reader import attach_participants, note_participants_without_votes
from rapporteur.votes.vote_log import (
    MAX_PROBLEMS_PER_REASON,
    build_matrix,
    decode_votes,
    encode_ids,
    find_column,
    natural_key,
    raw_text,
    read_header,
    read_log,
    report_rows,
    unreadable_csv,
)

_META_COLUMNS = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


def is_polis_export(path: Path) -> bool:
    path = Path(path)
    if not path.is_dir() or not (path / "comments.csv").is_file():
        return False
    if not ((path / "votes.csv").is_file() or (path / "participants-votes.csv").is_file()):
        return False
    try:
        return "comment-id" in [h.lower() for h in read_header(path / "comments.csv")]
    except VoteInputError:
        return False


def read_polis(folder: Path, participants_csv: Path | None = None) -> Conversation:
    folder = Path(folder)
    problems: list[InputProblem] = []
    ids, texts, moderated, meta, exported_gic = read_comments(folder / "comments.csv", problems)
    summary = read_summary(folder / "summary.csv")
    st_index = {sid: i for i, sid in enumerate(ids)}

    pv_path = folder / "participants-votes.csv"
    pv = read_participants_votes(pv_path, st_index, problems) if pv_path.is_file() else None
    votes_path = folder / "votes.csv"
    if votes_path.is_file():
        voter_ids, rows, cols, vals = read_vote_events(votes_path, st_index, problems)
    elif pv is not None:
        voter_ids, rows, cols, vals = pv["voters"], pv["rows"], pv["cols"], pv["values"]
    else:  # pragma: no cover - is_polis_export checked this
        raise VoteInputError(folder.name, "neither votes.csv nor participants-votes.csv")

    # participants: everyone who voted, plus everyone in participants-votes.csv, by Pol.is id
    all_ids = list(voter_ids)
    if pv is not None:
        known = set(all_ids)
        all_ids += [p for p in pv["participants"] if p not in known]
    order = sorted(range(len(all_ids)), key=lambda i: natural_key(all_ids[i]))
    rank = np.empty(len(all_ids), dtype=np.int64)
    rank[order] = np.arange(len(all_ids))
    participant_ids = np.empty(len(all_ids), dtype=object)
    participant_ids[:] = [all_ids[i] for i in order]
    if len(vals) == 0:
        raise VoteInputError(votes_path.name if votes_path.is_file() else pv_path.name, "no votes: nothing to analyse")
    indptr, indices, values, _ = build_matrix(rank[rows], cols, vals, len(all_ids), len(ids))

    group_ids = np.full(len(all_ids), -1, dtype=np.int64)
    attributes: dict[str, np.ndarray] = {}
    xids = None
    if pv is not None:
        pos = {pid: i for i, pid in enumerate(participant_ids)}
        for pid, gid in zip(pv["participants"], pv["group_ids"]):
            group_ids[pos[pid]] = gid
        if pv["xids"] is not None:
            xids = [""] * len(all_ids)
            for pid, xid in zip(pv["participants"], pv["xids"]):
                xids[pos[pid]] = xid
    url = summary.get("url")
    conv = Conversation(
        source=str(folder),
        format="polis",
        participant_ids=participant_ids,
        statement_ids=ids,
        statement_texts=texts,
        moderated_out=moderated | meta,
        is_meta=meta,
        indptr=indptr,
        indices=indices,
        values=values,
        attributes=attributes,
        problems=problems,
        title=summary.get("topic") or folder.name,
        attribution=POLIS_ATTRIBUTION + (f". Conversation: {url}" if url else ""),
        polis=PolisReference(group_ids=group_ids, group_informed_consensus=exported_gic, summary=summary),
    )
    if participants_csv:
        attach_participants(conv, Path(participants_csv), xids=xids)
    note_participants_without_votes(conv)
    return conv


def read_comments(path: Path, problems: list[InputProblem]):
    """Statements of a Pol.is ``comments.csv`` (either header version), ordered by comment id."""
    src = path.name
    header = read_header(path)
    col = {name.lower(): i for i, name in enumerate(header)}
    if "comment-id" not in col or "comment-body" not in col:
        raise VoteInputError(src, f"not a Pol.is comments.csv (header: {', '.join(header)})", line=1)
    rows = []
    seen = set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            next(reader)
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    problems.append(InputProblem(src, f"expected {len(header)} fields, found {len(row)}", reader.line_num))
                    continue
                cid = row[col["comment-id"]].strip()
                if not cid or cid in seen:
                    problems.append(InputProblem(src, "blank or repeated comment-id", reader.line_num))
                    continue
                seen.add(cid)
                rows.append(row)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise unreadable_csv(path, exc, reader.line_num) from None
    rows.sort(key=lambda r: natural_key(r[col["comment-id"]].strip()))
    ids = [r[col["comment-id"]].strip() for r in rows]
    texts = [r[col["comment-body"]].strip() for r in rows]
    moderated = np.array([r[col["moderated"]].strip() == "-1" if "moderated" in col else False for r in rows], dtype=bool)
    meta = np.array([r[col["is-meta"]].strip().lower() == "true" if "is-meta" in col else False for r in rows], dtype=bool)
    gic: dict[str, float] = {}
    if "group-informed-consensus" in col:
        for sid, r in zip(ids, rows):
            cell = r[col["group-informed-consensus"]].strip()
            if cell:
                try:
                    gic[sid] = float(cell)
                except ValueError:
                    pass
    return ids, texts, moderated, meta, gic


def read_summary(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            for row in reader:
                if len(row) >= 2 and row[0].strip():
                    out[row[0].strip()] = row[1].strip()
        except (UnicodeDecodeError, csv.Error) as exc:
            raise unreadable_csv(path, exc, reader.line_num) from None
    return out


def read_vote_events(path: Path, st_index: dict[str, int], problems: list[InputProblem]):
    """Pol.is ``votes.csv`` in time order (so that the latest vote wins): voters, rows, cols, values."""
    src = path.name
    header = read_header(path)
    roles = {
        "voter": find_column(header, ("voter-id", "voter_id", "participant"), src),
        "comment": find_column(header, ("comment-id", "comment_id", "tid"), src),
        "vote": find_column(header, ("vote",), src),
    }
    ts = find_column(header, ("timestamp", "created", "modified"), src, required=False)
    if ts:
        roles["timestamp"] = ts
    log = read_log(path, roles, problems, small_ints=("vote",))
    v_codes, voters, v_blank = encode_ids(log.columns["voter"])
    c_codes, comments, c_blank = encode_ids(log.columns["comment"])
    values, ok = decode_votes(log.columns["vote"])
    c_map = np.array([st_index.get(c, -1) for c in comments] + [-1], dtype=np.int32)
    cols = c_map[c_codes]
    unknown = (cols < 0) & ~c_blank
    valid = ~v_blank & ~c_blank & ~unknown & ok
    for mask, describe in (
        (v_blank | c_blank, lambda r: "blank voter-id or comment-id"),
        (unknown & ~v_blank, lambda r: f"vote for comment {raw_text(log.columns['comment'], r)[0]!r}, not in comments.csv"),
        (~ok & ~v_blank & ~c_blank & ~unknown, lambda r: f"vote value {raw_text(log.columns['vote'], r)[0]!r} is not -1, 0 or 1"),
    ):
        bad = np.flatnonzero(mask)
        if len(bad):
            texts = [describe(bad[i : i + 1]) for i in range(min(len(bad), MAX_PROBLEMS_PER_REASON))]
            report_rows(problems, src, log.lines(bad), texts)
    keep = np.flatnonzero(valid)
    if "timestamp" in log.columns:
        stamp = np.asarray(log.columns["timestamp"].to_numpy(zero_copy_only=False))
        if stamp.dtype.kind in "iuf":
            keep = keep[np.argsort(stamp[keep], kind="stable")]
    return voters, v_codes[keep], cols[keep], values[keep]


def read_participants_votes(path: Path, st_index: dict[str, int], problems: list[InputProblem]) -> dict:
    """``participants-votes.csv``: participants, Pol.is group ids, xids and the vote matrix."""
    src = path.name
    header = read_header(path)
    lower = [h.lower() for h in header]
    if "participant" not in lower:
        raise VoteInputError(src, f"missing column 'participant' (header: {', '.join(header[:8])}, …)", line=1)
    p_col = lower.index("participant")
    g_col = lower.index("group-id") if "group-id" in lower else None
    x_col = lower.index("xid") if "xid" in lower else None
    vote_cols = [(j, h.strip()) for j, h in enumerate(header) if h.lower() not in _META_COLUMNS]
    unknown = [h for _, h in vote_cols if h not in st_index]
    if unknown:
        problems.append(
            InputProblem(src, f"votes for {len(unknown)} comments not in comments.csv ({', '.join(unknown[:5])}) ignored", 1)
        )
    col_of = {j: st_index[h] for j, h in vote_cols if h in st_index}
    participants, group_ids, xids = [], [], []
    rows, cols, values = [], [], []
    bad_lines, bad_texts = [], []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    problems.append(InputProblem(src, f"expected {len(header)} fields, found {len(row)}", reader.line_num))
                    continue
                pid = row[p_col].strip()
                if not pid:
                    problems.append(InputProblem(src, "blank participant id", reader.line_num))
                    continue
                i = len(participants)
                participants.append(pid)
                gid = row[g_col].strip() if g_col is not None else ""
                try:
                    group_ids.append(int(float(gid)) if gid else -1)
                except ValueError:
                    group_ids.append(-1)
                xids.append(row[x_col].strip() if x_col is not None else "")
                for j, c in col_of.items():
                    cell = row[j].strip()
                    if not cell:
                        continue
                    try:
                        v = float(cell)
                    except ValueError:
                        v = 2.0
                    if v not in (-1.0, 0.0, 1.0):
                        bad_lines.append(reader.line_num)
                        bad_texts.append(f"vote value {cell!r} on comment {header[j]!r} is not -1, 0 or 1")
                        continue
                    rows.append(i)
                    cols.append(c)
                    values.append(int(v))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise unreadable_csv(path, exc, reader.line_num) from None
    report_rows(problems, src, np.array(bad_lines, dtype=np.int64), bad_texts)
    return {
        "participants": participants,
        "voters": participants,
        "group_ids": group_ids,
        "xids": xids if x_col is not None else None,
        "rows": np.array(rows, dtype=np.int64),
        "cols": np.array(cols, dtype=np.int64),
        "values": np.array(values, dtype=np.int8),
    }
