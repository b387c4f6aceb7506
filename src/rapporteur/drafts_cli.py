"""`rapporteur coverage --draft DRAFT SOURCE`: which key points a draft reflects, which convergences it
misses, which paragraphs nobody asked for, which divergences it settles (``analysis.coverage``); and
`rapporteur uptake SOURCE --in PATH`: where a source's items travel in later contributions
(``analysis.uptake``)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from rapporteur.errors import InputError

drafts_app = typer.Typer()
EXIT_BAD_INPUT = 2


def source_document(source: Path, *, learned: bool, cache, err, encoding: str = "utf-8") -> dict:
    """A ``synthesis.json`` read and validated, or the synthesis of contributions (a folder, a
    statements CSV, a UNGDC archive) run now."""
    from rapporteur.schema import read_synthesis

    if source.suffix.lower() == ".json":
        return read_synthesis(source)
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import SynthesisOptions, synthesize

    corpus = read_path(source, encoding=encoding)
    for problem in corpus.problems:
        err.print(f"[yellow]{problem}[/yellow]", highlight=False)
    if not corpus.contributions:
        raise InputError(str(source), "nothing usable left to analyse")
    with err.status(f"synthesising {len(corpus.contributions)} contributions"):
        result = synthesize(corpus, SynthesisOptions(title=f"Synthesis of {source.name}", learned=learned), cache=cache)
    return result.to_dict()


@drafts_app.command()
def coverage(
    source: Path = typer.Argument(..., help="A synthesis.json, or contributions to synthesise first (folder, CSV, UNGDC)."),
    draft: Path = typer.Option(..., "--draft", help="The draft: .txt, .md, .docx or .pdf."),
    out: Path = typer.Option(Path("rapporteur-coverage"), "--out", help="Folder for coverage.html, coverage.md, coverage.json."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file."),
    learned: bool = typer.Option(True, "--learned/--no-learned", help="For contributions: synthesise with the learned models (default)."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Encoding of text files (BOMs win)."),
    evidence: str = typer.Option("label", "--evidence", help="What decides 'reflects': 'label' (the sentence read as "
                                 "making the key point's label) or 'both' (also most of the key point's nearest "
                                 "statements read as making the sentence's point: fewer, surer reflections)."),
) -> None:
    """Which key points each draft paragraph reflects; convergence the draft misses; paragraphs no key
    point raised; divergences the draft settles, and on which side."""
    from rapporteur.analysis.coverage import EVIDENCE, CoverageRules, cover, language_note
    from rapporteur.analysis.readings import readings_of
    from rapporteur.cli import _formats, err
    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest.draft import read_draft
    from rapporteur.report.coverage import write_coverage

    formats = _formats(format)
    if evidence not in EVIDENCE:
        raise typer.BadParameter(f"--evidence must be 'label' or 'both', not {evidence!r}")
    started = time.perf_counter()
    embeddings = EmbeddingCache(cache)
    try:
        the_draft = read_draft(draft, encoding=encoding)
        document = source_document(source, learned=learned, cache=embeddings, err=err, encoding=encoding)
        if not document.get("key_points"):
            raise InputError(str(source), "the synthesis has no key point to look for in the draft")
        for note in the_draft.notes + language_note(the_draft, document):
            err.print(f"[yellow]{note}[/yellow]", highlight=False)
        embedder = MiniLMEmbedder()
        with err.status(f"reading {len(the_draft.paragraphs)} draft paragraphs against {len(document['key_points'])} key points"):
            result = cover(the_draft, document, readings_of(document, embedder, embeddings), embedder, embeddings,
                           CoverageRules(evidence=evidence))
    except InputError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    written = write_coverage(result, out, formats)
    reflected = sum(k["reflected"] for k in result["key_points"])
    err.print(f"{len(result['paragraphs'])} paragraphs ({result['draft']['split']}); {reflected} of "
              f"{len(result['key_points'])} key points reflected ({len(result['generic'])} generic); {len(result['missing'])} of "
              f"{result['synthesis']['convergence']} convergences missing; {len(result['unsupported'])} paragraphs "
              f"unsupported; {len(result['settled'])} divergences settled in {time.perf_counter() - started:.1f} s")
    for path in written.values():
        typer.echo(str(path))


@drafts_app.command()
def uptake(
    source: Path = typer.Argument(..., help="What to trace: a synthesis.json (its key points) or a document of "
                                            "recommendations (.txt/.md/.docx/.pdf, cut into paragraphs as a draft is)."),
    in_: Path = typer.Option(..., "--in", help="The later contributions: a folder, a statements CSV or a UNGDC folder/archive."),
    after: Optional[str] = typer.Option(None, "--after", help="Only contributions dated after this (ISO date or year)."),
    about: Optional[str] = typer.Option(None, "--about", help="Only the sentences on this subject, e.g. 'migration'."),
    year: Optional[int] = typer.Option(None, "--year", help="UNGDC: the speeches of this year."),
    convergence_only: bool = typer.Option(False, "--convergence-only", help="Of a synthesis: its areas of convergence only."),
    out: Path = typer.Option(Path("rapporteur-uptake"), "--out", help="Folder for uptake.html, uptake.md, uptake.json."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Encoding of text and CSV files (BOMs win)."),
) -> None:
    """Where a source's recommendations or key points travel in later contributions: who took each up,
    when, in which session, in which words; and what nobody took up."""
    from rapporteur.analysis.readings import readings_of
    from rapporteur.analysis.uptake import items_of, trace
    from rapporteur.cli import _formats, err
    from rapporteur.embed import EmbeddingCache, MiniLMEmbedder
    from rapporteur.ingest import read_path
    from rapporteur.ingest.draft import read_draft
    from rapporteur.report.uptake import write_uptake
    from rapporteur.schema import read_synthesis

    formats = _formats(format)
    started = time.perf_counter()
    embeddings = EmbeddingCache(cache)
    try:
        if source.suffix.lower() == ".json":
            document = read_synthesis(source)
            items = items_of(document, convergence_only=convergence_only)
        else:
            document, recommendations = None, read_draft(source, encoding=encoding)
            for note in recommendations.notes:
                err.print(f"[yellow]{note}[/yellow]", highlight=False)
            items = items_of(None, recommendations.paragraphs)
        if not items:
            raise InputError(str(source), "nothing to trace: no key point (or area of convergence) or paragraph")
        corpus = read_path(in_, year=year, encoding=encoding)
        for problem in corpus.problems:
            err.print(f"[yellow]{problem}[/yellow]", highlight=False)
        if not corpus.contributions:
            raise InputError(str(in_), "no contribution to read")
        embedder = MiniLMEmbedder()
        readings = readings_of(document or {}, embedder, embeddings)
        with err.status(f"tracing {len(items)} items into {len(corpus.contributions)} contributions"):
            result = trace(items, corpus, readings, embedder, embeddings, source=str(source), about=about, after=after)
    except InputError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    written = write_uptake(result, out, formats)
    taken = sum(i["taken_up"] for i in result["items"])
    err.print(f"{taken} of {len(items)} items taken up in {result['contributions']} contributions "
              f"({result['points_read']} sentences read) in {time.perf_counter() - started:.1f} s")
    for path in written.values():
        typer.echo(str(path))
