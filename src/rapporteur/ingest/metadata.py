"""Metadata columns shared by the metadata CSV of a folder and the statements CSV.

Columns: ``file`` (folder metadata only), ``text`` (statements CSV only), ``stakeholder``, ``type``,
``country`` (ISO3 code or name), ``session``, ``date``; ``id`` optional. Header names are matched
case-insensitively; other columns are ignored.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from rapporteur.errors import InputError
from rapporteur.geography import UnknownCountry, country
from rapporteur.ingest.documents import decode_text
from rapporteur.model import InputProblem, Stakeholder, StakeholderType

METADATA_COLUMNS = ("file", "stakeholder", "type", "country", "session", "date")


@dataclass
class Row:
    """One CSV record: its values by lower-cased column name and the line it starts on."""

    values: dict[str, str]
    line: int

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_rows(path: Path, required: tuple[str, ...], encoding: str = "utf-8") -> list[Row]:
    """Parse a CSV strictly: missing required columns and malformed records raise InputError."""
    try:
        text = decode_text(path.read_bytes(), str(path), encoding)
    except OSError as err:
        raise InputError(str(path), f"cannot be read ({err.strerror})") from None
    if not text.strip():
        raise InputError(str(path), "is empty")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as err:
        raise InputError(str(path), f"malformed CSV header ({err})", line=1) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            str(path),
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})",
            line=1,
        )
    rows = []
    start = 2
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise InputError(str(path), f"malformed CSV ({err})", line=reader.line_num) from None
        if any(cell.strip() for cell in record):
            if len(record) > len(header):
                raise InputError(
                    str(path), f"{len(record)} fields where the header has {len(header)}", line=start
                )
            rows.append(Row(dict(zip(header, record)), start))
        start = reader.line_num + 1
    return rows


def stakeholder_from(
    name: str, type_: str, country_value: str, source: str, line: int | None
) -> tuple[Stakeholder, list[InputProblem]]:
    """Build a Stakeholder from metadata values; problems are noted, the statement is kept."""
    problems: list[InputProblem] = []
    stype = StakeholderType.OTHER
    if type_:
        try:
            stype = StakeholderType.parse(type_)
        except ValueError as err:
            problems.append(InputProblem(source, f"{err}; kept as 'other'", line, skipped=False))
    iso3 = region = subregion = None
    if country_value:
        try:
            found = country(country_value)
            iso3, region, subregion = found.iso3, found.region, found.subregion
            if not name:
                name = found.name
            if not type_:
                stype = StakeholderType.MEMBER_STATE if found.un_member else StakeholderType.OBSERVER_STATE
        except UnknownCountry as err:
            problems.append(InputProblem(source, f"{err}; kept without country or region", line, skipped=False))
    return Stakeholder(name or "unknown", stype, iso3, region, subregion), problems
