"""One CSV of statements: a row per statement, with the metadata columns and ``text`` (and optionally
``language``, the declared language, checked against the text by ``lang.detect``)."""
from __future__ import annotations

from pathlib import Path

from rapporteur.ingest.metadata import read_rows, stakeholder_from
from rapporteur.model import Contribution, Corpus, InputProblem


def _language(value: str | None, path: Path, line: int, corpus: Corpus) -> str | None:
    """A declared ``language`` column: an ISO 639-1 code ("fr") or a language's English name ("French")."""
    from rapporteur.lang import NAMES

    value = (value or "").strip().lower()
    if not value:
        return None
    by_name = {name.lower(): code for code, name in NAMES.items()}
    if value in by_name:
        return by_name[value]
    if len(value) == 2 and value.isalpha():
        return value
    corpus.problems.append(InputProblem(str(path), f"unknown language {value!r} (give an ISO 639-1 code such as 'fr'); "
                                                   "the text's language is read instead", line, skipped=False))
    return None


def read_statements_csv(path: Path, encoding: str = "utf-8") -> Corpus:
    """Rows with empty text are reported and skipped; the others are kept."""
    corpus = Corpus()
    seen: set[str] = set()
    for row in read_rows(path, required=("stakeholder", "text"), encoding=encoding):
        text = row.values.get("text") or ""
        if not text.strip():
            corpus.problems.append(InputProblem(str(path), "empty text", row.line))
            continue
        ident = row.get("id") or f"{path.name}:{row.line}"
        if ident in seen:
            corpus.problems.append(InputProblem(str(path), f"duplicate id {ident!r}", row.line))
            continue
        seen.add(ident)
        stakeholder, problems = stakeholder_from(
            row.get("stakeholder"), row.get("type"), row.get("country"), str(path), row.line
        )
        corpus.problems.extend(problems)
        corpus.contributions.append(
            Contribution(
                id=ident,
                stakeholder=stakeholder,
                text=text,
                session=row.get("session") or None,
                date=row.get("date") or None,
                source=f"{path.name}:{row.line}",
                language=_language(row.get("language"), path, row.line, corpus),
            )
        )
    return corpus
