"""Readers: every source kind becomes a Corpus of Contributions (and the problems met)."""
from __future__ import annotations

from pathlib import Path

from rapporteur.errors import InputError
from rapporteur.ingest.documents import DOCUMENT_SUFFIXES, read_document
from rapporteur.ingest.folder import read_folder
from rapporteur.ingest.statements_csv import read_statements_csv
from rapporteur.ingest.ungdc import is_ungdc, read_ungdc
from rapporteur.model import Contribution, Corpus

__all__ = ["read_path", "read_document", "InputError"]


def read_path(
    path: str | Path,
    meta: str | Path | None = None,
    year: int | None = None,
    session: int | None = None,
    encoding: str = "utf-8",
    years: tuple[int, int] | None = None,
) -> Corpus:
    """Read a folder of documents, a statements CSV, a single document or a UNGDC folder/archive.

    Raises InputError when the input as a whole cannot be read (missing path, CSV without the
    required columns); problems with single files or rows are returned in ``Corpus.problems``.
    """
    path = Path(path)
    meta = Path(meta) if meta else None
    if not path.exists():
        raise InputError(str(path), "does not exist")
    if meta is not None and not meta.is_file():
        raise InputError(str(meta), "metadata CSV does not exist")
    if is_ungdc(path):
        return read_ungdc(path, year=year, session=session, encoding=encoding, years=years)
    if path.is_dir():
        return read_folder(path, meta, encoding)
    if path.suffix.lower() == ".csv":
        return read_statements_csv(path, encoding)
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        text = read_document(path, encoding)
        return Corpus([Contribution(path.name, _speaker_of(path), text, source=path.name)])
    raise InputError(str(path), "not a folder, CSV, document or UNGDC archive")


def _speaker_of(path: Path):
    from rapporteur.model import Stakeholder

    return Stakeholder(path.stem)
