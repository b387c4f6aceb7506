"""The UN General Debate Corpus layout: ``TXT/Session NN - YYYY/ISO3_NN_YYYY.txt``.

Read from an extracted folder or straight from the distributed archive (``.tar.xz``, ``.tgz``,
``.tar.gz``), optionally keeping one year or session. Source: Jankin, Baturo & Dasandi, UNGDC
1946–present (Harvard Dataverse, doi:10.7910/DVN/0TJX8Y, CC0).
"""
from __future__ import annotations

import lzma
import re
import tarfile
import zlib
from pathlib import Path
from typing import Iterator

from rapporteur.errors import InputError
from rapporteur.geography import UnknownCountry, country
from rapporteur.ingest.documents import decode_text
from rapporteur.model import Contribution, Corpus, InputProblem, Stakeholder, StakeholderType

SPEECH_NAME = re.compile(r"(?:^|/)([A-Z]{2,4})_(\d{1,2})_(\d{4})\.txt$")
ARCHIVE_SUFFIXES = (".tar.xz", ".tgz", ".tar.gz", ".tar")
# Non-State speakers that appear in the corpus under a code of their own.
_NON_STATE = {"EU": ("European Union", StakeholderType.REGIONAL_ORGANISATION)}


def is_ungdc(path: Path) -> bool:
    """True for a UNGDC archive, or a folder holding ``Session NN - YYYY`` folders of speeches."""
    if path.is_file():
        return path.name.lower().endswith(ARCHIVE_SUFFIXES)
    for candidate in (path, path / "TXT"):
        if candidate.is_dir() and any(
            p.is_dir() and p.name.startswith("Session ") for p in candidate.iterdir()
        ):
            return True
    return False


def read_ungdc(
    path: Path, year: int | None = None, session: int | None = None, encoding: str = "utf-8",
    years: tuple[int, int] | None = None,
) -> Corpus:
    """The speeches of ``path``, optionally of one ``year``, one ``session`` number or the ``years`` A–B."""
    corpus = Corpus()
    seen = 0
    for name, data in _speeches(path, year, session, years):
        seen += 1
        if isinstance(data, InputProblem):
            corpus.problems.append(data)
            continue
        match = SPEECH_NAME.search(name)
        code, number, speech_year = match.group(1), int(match.group(2)), match.group(3)
        try:
            text = decode_text(data, name, encoding)
        except InputError as err:
            corpus.problems.append(InputProblem(name, err.reason, err.line))
            continue
        if not text.strip():
            corpus.problems.append(InputProblem(name, "is empty"))
            continue
        stakeholder, problem = _speaker(code, name)
        if problem:
            corpus.problems.append(problem)
        corpus.contributions.append(
            Contribution(
                id=f"{code}_{number}_{speech_year}",
                stakeholder=stakeholder,
                text=text,
                session=f"UNGA {number} general debate ({speech_year})",
                date=speech_year,
                source=name,
            )
        )
    if seen == 0:
        which = (f" for year {year}" if year else f" for session {session}" if session
                 else f" for the years {years[0]}-{years[1]}" if years else "")
        raise InputError(str(path), f"no UNGDC speeches (ISO3_NN_YYYY.txt){which}")
    corpus.contributions.sort(key=lambda c: c.id)
    return corpus


def _wanted(name: str, year: int | None, session: int | None, years: tuple[int, int] | None = None) -> bool:
    match = SPEECH_NAME.search(name)
    if not match:
        return False
    speech_year = int(match.group(3))
    return ((year is None or speech_year == year) and (session is None or int(match.group(2)) == session)
            and (years is None or years[0] <= speech_year <= years[1]))


def _speeches(path: Path, year, session, years=None) -> Iterator[tuple[str, bytes | InputProblem]]:
    """(name, bytes) for each wanted speech; an ``InputProblem`` in place of the bytes of a member that
    cannot be read, so one bad member is reported and skipped and the run goes on."""
    if path.is_dir():
        for file in sorted(path.rglob("*.txt")):
            rel = str(file.relative_to(path))
            if _wanted(rel, year, session, years):
                try:
                    yield rel, file.read_bytes()
                except OSError as err:
                    yield rel, InputProblem(rel, f"cannot be read ({err.strerror or err})")
        return
    last = None
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.isfile() and _wanted(member.name, year, session, years):
                    yield member.name, archive.extractfile(member).read()
                last = member.name
    except (tarfile.TarError, EOFError, OSError, lzma.LZMAError, zlib.error) as err:
        if last is None:
            raise InputError(str(path), f"corrupt or unreadable archive ({err})") from None
        # a compressed archive damaged in the middle: what came before it is kept, the rest is lost
        yield str(path), InputProblem(str(path), f"damaged after {last} ({err}); the speeches after it "
                                                 "could not be read")


def _speaker(code: str, source: str) -> tuple[Stakeholder, InputProblem | None]:
    if code in _NON_STATE:
        name, stype = _NON_STATE[code]
        return Stakeholder(name, stype), None
    try:
        found = country(code)
    except UnknownCountry:
        problem = InputProblem(source, f"unknown country code {code!r}; kept without region", skipped=False)
        return Stakeholder(code, StakeholderType.OTHER, None), problem
    stype = StakeholderType.MEMBER_STATE if found.un_member else StakeholderType.OBSERVER_STATE
    return Stakeholder(found.name, stype, found.iso3, found.region, found.subregion), None
