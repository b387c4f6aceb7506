"""Participant attributes from a participants CSV: stakeholder type, country, region, anything else.

``participants.csv`` has a participant column (``participant``, ``participant_id``, ``id``, …)
and any other columns, one participant per line. Column names are lower-cased with spaces and
dashes turned into ``_``. Three are understood:

* ``type`` (also ``stakeholder_type``, ``stakeholder``): read with ``StakeholderType.parse``
  and stored as the canonical type name; an unknown type is kept as missing, with a problem.
* ``country`` (ISO3, ISO2 or name): stored as the country's short name; when the file has no
  ``region``/``subregion`` column they are derived from it (UN M49, ``rapporteur.geography``).
  An unknown country is kept as missing, with a problem.
* ``region``/``subregion``: taken as given.

Every other column is kept as text (blank = missing). A participant listed twice keeps its
first row (problem noted). A participant listed here who never voted is added to the
conversation without votes. Participants absent from the file have every attribute missing.
Ids are matched in canonical form (integers without leading zeros), like the vote files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from rapporteur.model import InputProblem, StakeholderType
from rapporteur.votes.conversation import VoteInputError
from rapporteur.votes.vote_log import (
    MAX_PROBLEMS_PER_REASON,
    canonical,
    encode_ids,
    read_header,
    read_log,
    report_rows,
)

PARTICIPANT_COLUMNS = ("participant", "participant_id", "id", "pid", "voter", "voter_id")
TYPE_COLUMNS = ("type", "stakeholder_type", "stakeholder")


def column_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _as_ints(ids) -> np.ndarray | None:
    """``ids`` as int64 when every one is a canonical integer, else None."""
    try:
        out = np.array(ids, dtype=np.int64)
    except (ValueError, OverflowError, TypeError):
        return None
    return out if all(str(v) == str(i) for v, i in zip(out[:50], ids[:50])) else None


def read_participants_csv(
    path: Path, participant_ids: list[str], problems: list[InputProblem], xids: list[str] | None = None
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Attributes for ``participant_ids`` (then for any extra participants), and the extra ids.

    ``xids``: alternative ids of the same participants (Pol.is ``xid``), tried when no
    participant id of the file matches the conversation's ids.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    path = Path(path)
    source = path.name
    if not path.is_file():
        raise VoteInputError(source, "participants file not found")
    header = read_header(path)
    names = [column_name(h) for h in header]
    if len(set(names)) != len(names):
        raise VoteInputError(source, f"repeated column names (header: {', '.join(header)})", line=1)
    id_pos = next((names.index(a) for a in PARTICIPANT_COLUMNS if a in names), None)
    if id_pos is None:
        raise VoteInputError(source, f"missing column 'participant' (header: {', '.join(header)})", line=1)
    for alias in TYPE_COLUMNS:
        if alias in names and "type" not in names:
            names[names.index(alias)] = "type"
    roles = {names[j]: header[j] for j in range(len(header)) if names[j]}
    id_role = names[id_pos]
    attr_roles = tuple(r for r in roles if r != id_role)
    log = read_log(path, roles, problems, text_roles=attr_roles)
    n_rows = log.n_rows
    attrs = {name: pc.utf8_trim_whitespace(log.columns[name]) for name in attr_roles}

    codes, distinct, blank_id = encode_ids(log.columns[id_role])
    empty = blank_id.copy()
    for col in attrs.values():
        empty &= np.asarray(pc.equal(col, "").fill_null(True).to_numpy(zero_copy_only=False), dtype=bool)
    report_rows(problems, source, log.lines(np.flatnonzero(blank_id & ~empty)), "blank participant id")
    usable = np.flatnonzero(~blank_id)
    _, first = np.unique(codes[usable], return_index=True)
    keep = np.zeros(n_rows, dtype=bool)
    keep[usable[first]] = True
    repeated = np.flatnonzero(~blank_id & ~keep)
    report_rows(
        problems,
        source,
        log.lines(repeated),
        [f"participant {distinct[codes[r]]!r} listed again; first row kept" for r in repeated[:MAX_PROBLEMS_PER_REASON]],
    )
    rows = np.flatnonzero(keep)  # one row per participant, in file order
    row_codes = codes[rows]

    # where each listed participant sits in the conversation (or a new slot after it)
    n = len(participant_ids)
    target = _locate(distinct, row_codes, participant_ids)
    if xids is not None and not (target >= 0).any():
        alt = _locate(distinct, row_codes, xids)
        if (alt >= 0).any():
            target = alt
    missing = np.flatnonzero(target < 0)
    extra = [canonical(distinct[c]) for c in row_codes[missing]]
    target[missing] = n + np.arange(len(missing))
    total = n + len(extra)

    values: dict[str, np.ndarray] = {}
    countries = None
    for name, col in attrs.items():
        enc = pc.dictionary_encode(col.take(pa.array(rows)), null_encoding="encode")
        uniq = ["" if v is None else str(v) for v in enc.dictionary.to_pylist()]
        inverse = enc.indices.to_numpy(zero_copy_only=False)
        if name == "type":
            mapped = [_stakeholder_type(u) for u in uniq]
            _report_unknown(problems, source, log, rows, uniq, inverse, mapped, "unknown stakeholder type")
        elif name == "country":
            found = [_country(u) for u in uniq]
            _report_unknown(problems, source, log, rows, uniq, inverse, found, "unknown country")
            countries = np.full(total, None, dtype=object)
            countries[target] = _objects(found)[inverse]
            mapped = [c.name if c is not None else None for c in found]
        else:
            mapped = [u if u != "" else None for u in uniq]
        column = np.full(total, None, dtype=object)
        column[target] = _objects(mapped)[inverse]
        values[name] = column
    if countries is not None:
        for level in ("region", "subregion"):
            if level not in values:
                values[level] = np.array([getattr(c, level) if c is not None else None for c in countries], dtype=object)
    return values, extra


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _locate(distinct: list[str], row_codes: np.ndarray, ids) -> np.ndarray:
    """Index in ``ids`` of each listed participant (``distinct[row_codes]``), -1 when absent."""
    ids = list(ids)
    file_ints = _as_ints(distinct)
    conv_ints = _as_ints(ids)
    if file_ints is not None and conv_ints is not None and len(conv_ints):
        order = np.argsort(conv_ints, kind="stable")
        sorted_ids = conv_ints[order]
        wanted = file_ints[row_codes]
        pos = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
        return np.where(sorted_ids[pos] == wanted, order[pos], -1).astype(np.int64)
    index = {canonical(str(pid)): i for i, pid in enumerate(ids) if pid}
    return np.array([index.get(canonical(distinct[c]), -1) for c in row_codes], dtype=np.int64)


def _stakeholder_type(cell: str) -> str | None:
    if not cell:
        return None
    try:
        return StakeholderType.parse(cell).value
    except ValueError:
        return None


def _country(cell: str):
    if not cell:
        return None
    from rapporteur.geography import UnknownCountry, country

    try:
        return country(cell)
    except UnknownCountry:
        return None


def _report_unknown(problems, source, log, rows, uniq, inverse, mapped, what: str) -> None:
    bad_value = np.array([bool(u) and m is None for u, m in zip(uniq, mapped)], dtype=bool)
    bad = np.flatnonzero(bad_value[inverse])
    report_rows(
        problems,
        source,
        log.lines(rows[bad]),
        [f"{what} {uniq[inverse[b]]!r}" for b in bad[:MAX_PROBLEMS_PER_REASON]],
        skipped=False,
    )
