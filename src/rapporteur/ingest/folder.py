"""A folder of documents (.txt, .md, .pdf, .docx) with an optional metadata CSV."""
from __future__ import annotations

from pathlib import Path

from rapporteur.errors import InputError
from rapporteur.ingest.documents import DOCUMENT_SUFFIXES, read_document
from rapporteur.ingest.metadata import read_rows, stakeholder_from
from rapporteur.model import Contribution, Corpus, InputProblem


def read_folder(folder: Path, meta: Path | None = None, encoding: str = "utf-8") -> Corpus:
    """Read every document below ``folder``; metadata rows are matched by relative path or name.

    A document without a metadata row is kept, with its file name (without suffix) as speaker.
    A metadata row naming a file that is not there is reported.
    """
    corpus = Corpus()
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith(".")
        and (meta is None or p.resolve() != meta.resolve())
    )
    rows = {}
    if meta is not None:
        for row in read_rows(meta, required=("file",), encoding=encoding):
            rows[row.get("file")] = row
        known = {str(p.relative_to(folder)) for p in files} | {p.name for p in files}
        for name, row in rows.items():
            if name not in known:
                corpus.problems.append(InputProblem(str(meta), f"file {name!r} not found in {folder}", row.line))
    for path in files:
        rel = str(path.relative_to(folder))
        try:
            text = read_document(path, encoding)
        except InputError as err:
            corpus.problems.append(InputProblem(err.source, err.reason, err.line))
            continue
        if not text.strip():
            corpus.problems.append(InputProblem(str(path), "is empty"))
            continue
        row = rows.get(rel) or rows.get(path.name)
        if meta is not None and row is None:
            corpus.problems.append(InputProblem(
                str(path), f"no row in {meta.name}; file name used as stakeholder", skipped=False
            ))
        source = str(meta) if row else str(path)
        line = row.line if row else None
        stakeholder, problems = stakeholder_from(
            row.get("stakeholder") if row else path.stem,
            row.get("type") if row else "",
            row.get("country") if row else "",
            source,
            line,
        )
        corpus.problems.extend(problems)
        corpus.contributions.append(
            Contribution(
                id=rel,
                stakeholder=stakeholder,
                text=text,
                session=(row.get("session") or None) if row else None,
                date=(row.get("date") or None) if row else None,
                source=rel,
            )
        )
    return corpus
