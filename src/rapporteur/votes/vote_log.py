"""Fast reading of vote logs (one row per vote) into the sparse vote matrix.

Used by both readers. A 50M-row ``votes.csv`` is parsed with pyarrow's multi-threaded CSV reader;
identifiers are dictionary-encoded in order of first appearance; the matrix is built by a
counting sort by participant (linear time), then each participant's votes are sorted by statement
to find repeated (participant, statement) pairs, of which the **latest** wins: the one with the
largest position in the given order (file order, or time order for Pol.is's event log).

Line numbers: a data row is one line (vote logs hold no quoted newlines), so row ``i`` (0-based)
is line ``i + 2``; rows skipped by the CSV parser for a wrong number of fields are located by a
second, single-threaded read, which only happens when such rows exist.
"""
from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rapporteur.model import InputProblem
from rapporteur.votes.conversation import VoteInputError

MAX_PROBLEMS_PER_REASON = 10  # individual problems listed per reason before one summary line


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise VoteInputError("pyarrow", "reading votes needs the pyarrow package (pip install pyarrow)") from exc
    return pa, pc, pcsv


def read_header(path: Path) -> list[str]:
    """The header fields of a CSV file (for column detection), or a VoteInputError."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            row = next(csv.reader(fh), None)
    except FileNotFoundError:
        raise VoteInputError(path.name, "file not found") from None
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    if not row:
        raise VoteInputError(path.name, "empty file: expected a header line", line=1)
    return [h.strip() for h in row]


def not_utf8(path: Path) -> VoteInputError:
    """The error for a file that is not UTF-8, naming the line of its first undecodable byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return VoteInputError(path.name, "not UTF-8 text", line=line + chunk[: exc.start].count(b"\n"))
            line += chunk.count(b"\n")
    return VoteInputError(path.name, "not UTF-8 text")


def unreadable_csv(path: Path, error: Exception, line: int | None = None) -> VoteInputError:
    """The error for a CSV that cannot be read: not UTF-8 (``not_utf8``) or malformed (``csv.Error``, at ``line``)."""
    if isinstance(error, UnicodeDecodeError):
        return not_utf8(path)
    return VoteInputError(path.name, f"cannot parse CSV: {error}", line=line)


def find_column(header: list[str], aliases: tuple[str, ...], source: str, required: bool = True) -> str | None:
    """The header field matching one of ``aliases`` (case, spaces, '-' and '_' ignored)."""
    norm = {_norm(h): h for h in header}
    for alias in aliases:
        if _norm(alias) in norm:
            return norm[_norm(alias)]
    if required:
        raise VoteInputError(
            source, f"missing column {aliases[0]!r} (header: {', '.join(header) or 'empty'})", line=1
        )
    return None


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


@dataclass
class LogColumns:
    """Columns of a vote log, as pyarrow arrays, and how to turn row numbers into line numbers."""

    columns: dict[str, object]  # role -> pyarrow Array
    skipped_lines: np.ndarray  # sorted 1-based lines the parser skipped (wrong number of fields)
    n_rows: int

    def lines(self, rows: np.ndarray) -> np.ndarray:
        """1-based file line of each 0-based data row."""
        rows = np.asarray(rows, dtype=np.int64)
        line = rows + 2
        if len(self.skipped_lines):
            # the k-th kept row sits after every skipped line at or before its position
            for s in self.skipped_lines:  # few by construction (each is a reported problem)
                line = np.where(line >= s, line + 1, line)
        return line


def read_log(
    path: Path,
    roles: dict[str, str],
    problems: list[InputProblem],
    as_text: bool = False,
    text_roles: tuple = (),
    small_ints: tuple = (),
) -> LogColumns:
    """Read the columns named in ``roles`` (role -> header field) of a vote log with pyarrow.

    Column types are sniffed from the first megabyte and then imposed on the whole file (pyarrow's
    own per-block inference is three times slower): integers as int64 (int8 for ``small_ints``),
    decimals as float64, anything else as text. If a later row does not fit (an id ``p7`` after
    many integers, a vote ``yes``), the file is read again with every column as text.
    """
    pa, pc, pcsv = _pyarrow()
    wanted = list(dict.fromkeys(roles.values()))
    always_text = {roles[r] for r in text_roles} | (set(wanted) if as_text else set())
    tiny = {roles[r] for r in small_ints}
    invalid: list[tuple[int | None, str]] = []

    def on_invalid(row):
        invalid.append((row.number, row.text))
        return "skip"

    def read(types: dict, threads: bool):
        invalid.clear()
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=threads, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(
                newlines_in_values=False, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pcsv.ConvertOptions(
                include_columns=wanted,
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    text = {c: pa.string() for c in wanted}
    try:
        types = _sniff(path, wanted, always_text, tiny, pa, pcsv)
        try:
            table = read(types, threads=True)
        except pa.ArrowInvalid as exc:
            if "conversion error" not in str(exc).lower() and "In CSV column" not in str(exc):
                raise
            types = text
            table = read(types, threads=True)
        if invalid:  # find the lines of the skipped rows (single-threaded reads number them)
            table = read(types, threads=False)
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower() or "utf-8" in str(exc).lower():
            raise not_utf8(path) from None
        raise VoteInputError(path.name, f"cannot parse CSV: {str(exc).splitlines()[0]}") from None
    except UnicodeDecodeError:
        raise not_utf8(path) from None

    invalid.sort(key=lambda r: r[0] or 0)
    skipped = [n for n, _ in invalid if n is not None]
    n_fields = len(_header_of(path))
    report_rows(
        problems,
        path.name,
        np.array([n or 0 for n, _ in invalid]),
        [f"expected {n_fields} comma-separated fields: {text[:60]!r}" for _, text in invalid],
    )
    cols = {}
    for role, name in roles.items():
        col = table.column(name).combine_chunks()
        if pa.types.is_null(col.type):  # an empty file, or a column of blanks only
            col = col.cast(pa.string())
        cols[role] = col
    return LogColumns(cols, np.array(skipped, dtype=np.int64), table.num_rows)


def _sniff(path: Path, wanted: list[str], text: set, tiny: set, pa, pcsv) -> dict:
    """Column types for ``read_csv``, inferred from the first megabyte of the file."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if len(head) == 1 << 20 and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    try:
        sample = pcsv.read_csv(
            io.BytesIO(head),
            parse_options=pcsv.ParseOptions(newlines_in_values=False, invalid_row_handler=lambda r: "skip"),
            convert_options=pcsv.ConvertOptions(include_columns=wanted, strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, KeyError):
        return {c: pa.string() for c in wanted}
    types = {}
    for c in wanted:
        t = sample.schema.field(c).type
        if c in text or not (pa.types.is_integer(t) or pa.types.is_floating(t)):
            types[c] = pa.string()
        elif pa.types.is_integer(t):
            types[c] = pa.int8() if c in tiny else pa.int64()
        else:
            types[c] = pa.float64()
    return types


def _all_typed(table, pa) -> bool:
    return all(not pa.types.is_string(f.type) for f in table.schema)


def _header_of(path: Path) -> list[str]:
    try:
        return read_header(path)
    except VoteInputError:
        return []


def report_rows(
    problems: list[InputProblem], source: str, lines: np.ndarray, reasons: list[str] | str, skipped: bool = True
) -> None:
    """Record rows with a problem: up to MAX_PROBLEMS_PER_REASON individually, then one summary."""
    n = len(lines)
    if n == 0:
        return
    shown = min(n, MAX_PROBLEMS_PER_REASON)
    for i in range(shown):
        reason = reasons if isinstance(reasons, str) else reasons[i]
        problems.append(InputProblem(source=source, reason=reason, line=int(lines[i]), skipped=skipped))
    if n > shown:
        reason = reasons if isinstance(reasons, str) else reasons[0]
        problems.append(
            InputProblem(
                source=source,
                reason=f"{n - shown} more rows with the same kind of problem as line {int(lines[0])} ({reason})",
                line=int(lines[shown]),
                skipped=skipped,
            )
        )


# ------------------------------------------------------------------------------------ encoding
def natural_key(text: str):
    """Sort key: integers by value first (``"2" < "10"``), then other ids as text."""
    t = text.strip()
    body = t[1:] if t[:1] in "+-" else t
    return (0, int(t), "") if body.isdigit() else (1, 0, t)


def canonical(text: str) -> str:
    """The form under which an id is matched: integers without sign or leading zeros (``"007"`` → ``"7"``).

    Numeric id columns are parsed as integers, so ``007`` in ``votes.csv`` and ``7`` in
    ``participants.csv`` are the same participant.
    """
    t = text.strip()
    body = t[1:] if t[:1] in "+-" else t
    return str(int(t)) if body.isdigit() else t


def encode_ids(array) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Encode an id column: ``(codes, ids, blank)``.

    ``ids`` are the distinct ids as ``str`` in natural order (integers by value, then text), so
    results never depend on the order of rows in the file; ``codes`` (int32) index them, -1 for a
    blank id; ``blank`` marks those rows. Integer columns are encoded by a counting pass (linear
    time) when their range is compact, text columns by hashing.
    """
    pa, pc, _ = _pyarrow()
    if pa.types.is_floating(array.type):
        # ids like 12.0 come from spreadsheets: keep integers as integers
        as_int = pc.cast(array, pa.int64(), safe=False)
        integral = pc.equal(pc.cast(as_int, array.type), array).fill_null(False)
        array = pc.if_else(integral, pc.cast(as_int, pa.string()), pc.cast(array, pa.string()))
    if pa.types.is_integer(array.type):
        if array.null_count:
            blank = np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False), dtype=bool)
            array = array.fill_null(0)
        else:
            blank = np.zeros(len(array), dtype=bool)
        vals = array.to_numpy(zero_copy_only=False)
        known = vals[~blank] if blank.any() else vals
        if len(known) == 0:
            return np.full(len(vals), -1, dtype=np.int32), [], blank
        lo, hi = int(known.min()), int(known.max())
        if lo >= 0 and hi < 4 * len(vals) + 1_000_000:
            present = np.zeros(hi + 1, dtype=bool)
            present[known] = True
            rank = (np.cumsum(present, dtype=np.int64) - 1).astype(np.int32)
            codes = rank[vals]  # int32
            uniq = np.flatnonzero(present)
        else:
            uniq, inverse = np.unique(known, return_inverse=True)
            codes = np.full(len(vals), -1, dtype=np.int32)
            codes[~blank] = inverse
        if blank.any():
            codes = codes.astype(np.int32, copy=True)
            codes[blank] = -1
        return codes.astype(np.int32, copy=False), uniq.astype(str).tolist(), blank
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.string())
    array = pc.utf8_trim_whitespace(array)
    blank = np.asarray(pc.or_kleene(pc.is_null(array), pc.equal(array, "")).fill_null(True).to_numpy(zero_copy_only=False), dtype=bool)
    encoded = pc.dictionary_encode(array, null_encoding="mask")
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    seen = [str(x) for x in encoded.dictionary.to_pylist()]
    order = sorted(range(len(seen)), key=lambda i: natural_key(seen[i]))
    order = [i for i in order if seen[i] != ""]
    new_pos = np.full(len(seen) + 1, -1, dtype=np.int32)  # last slot: null code -1
    new_pos[order] = np.arange(len(order), dtype=np.int32)
    codes = new_pos[codes]
    return codes, [seen[i] for i in order], blank


_VOTE_TEXT = {"1": 1, "+1": 1, "1.0": 1, "+1.0": 1, "-1": -1, "-1.0": -1, "0": 0, "0.0": 0, "-0": 0}


def decode_votes(array) -> tuple[np.ndarray, np.ndarray]:
    """Vote values as int8 and a mask of valid rows (values exactly -1, 0 or 1)."""
    pa, pc, _ = _pyarrow()
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        raw = array.to_numpy(zero_copy_only=False)
        if raw.dtype.kind == "f" or raw.dtype == object:
            raw = np.asarray(raw, dtype=np.float64)
            valid = np.isin(raw, (-1.0, 0.0, 1.0))
        else:
            valid = (raw >= -1) & (raw <= 1)
            if array.null_count:
                valid &= ~np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False), dtype=bool)
        values = np.where(valid, raw, 0).astype(np.int8)
        return values, valid
    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(array), null_encoding="mask")
    table = np.array([_VOTE_TEXT.get(str(v), 2) for v in encoded.dictionary.to_pylist()] + [2], dtype=np.int8)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    mapped = table[codes]  # -1 (null) indexes the sentinel 2
    valid = mapped != 2
    return np.where(valid, mapped, 0).astype(np.int8), valid


def raw_text(array, rows: np.ndarray) -> list[str]:
    """The cell text of a few rows (for problem messages)."""
    return ["" if v is None else str(v) for v in array.take(rows).to_pylist()] if len(rows) else []


# ------------------------------------------------------------------------------------ matrix
def build_matrix(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sparse CSR from a vote log, keeping the **last** vote of each (row, col) pair.

    ``rows``/``cols``/``values`` are in precedence order (later wins). Returns
    ``(indptr int64, indices int32, values int8, superseded)`` where ``superseded`` holds the
    positions (into the inputs) of votes replaced by a later one.

    Method: a stable counting sort by row (scipy's ``coo_tocsr``, linear time) carrying each vote's
    position; a per-row sort by column; equal neighbours are repeats, of which the largest
    position is kept.
    """
    n = len(rows)
    if n == 0:
        return np.zeros(n_rows + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0, np.int64)
    big = max(n, n_rows, n_cols) >= 2**31 - 1
    itype = np.int64 if big else np.int32
    rows = np.ascontiguousarray(rows, dtype=itype)
    cols = np.ascontiguousarray(cols, dtype=itype)
    pos = np.arange(n, dtype=itype)
    indptr = np.empty(n_rows + 1, dtype=itype)
    indices = np.empty(n, dtype=itype)
    order = np.empty(n, dtype=itype)
    try:
        from scipy.sparse import _sparsetools

        _sparsetools.coo_tocsr(n_rows, n_cols, n, rows, cols, pos, indptr, indices, order)
        _sparsetools.csr_sort_indices(n_rows, indptr, indices, order)
    except (ImportError, AttributeError):  # pragma: no cover - fallback if scipy moves its internals
        key = rows.astype(np.int64) * n_cols + cols
        order = np.argsort(key, kind="stable").astype(itype)
        indices = cols[order]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))]).astype(itype)
    del rows, pos
    # repeats: same column as the previous entry, within the same row
    same = indices[1:] == indices[:-1]
    if same.any():
        starts = np.zeros(n, dtype=bool)
        nonempty = indptr[:-1][np.diff(indptr) > 0]
        starts[nonempty] = True
        same &= ~starts[1:]
    if not same.any():
        return indptr.astype(np.int64), indices.astype(np.int32, copy=False), values[order], np.zeros(0, np.int64)
    run_start = np.ones(n, dtype=bool)
    run_start[1:] = ~same
    first = np.flatnonzero(run_start)
    keep = np.maximum.reduceat(order, first)  # latest position in each run
    superseded_mask = np.ones(n, dtype=bool)
    superseded_mask[keep] = False
    superseded = np.flatnonzero(superseded_mask)
    entry_row = np.repeat(np.arange(n_rows), np.diff(indptr))[first]
    new_indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_row, minlength=n_rows), out=new_indptr[1:])
    return new_indptr, indices[first].astype(np.int32), values[keep], superseded
