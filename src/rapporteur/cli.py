"""The front door: `rapporteur synthesize PATH …` (and, as they arrive, votes, serve, …)."""
from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from rapporteur.errors import InputError

app = typer.Typer(
    help="Evidence-backed syntheses of consultations: key points, convergence, divergence, representation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)  # one problem, one line: never wrapped
EXIT_BAD_INPUT = 2


@app.callback()
def _root() -> None:
    """rapporteur: statements and votes in, evidence-backed syntheses out. Offline; no API key."""


def _languages(value: str) -> str:
    if value not in ("auto", "en"):
        raise typer.BadParameter(f"--languages {value!r}: choose auto or en")
    return value


def _formats(value: str) -> tuple[str, ...]:
    from rapporteur.report import FORMATS

    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(unknown) or value!r}; choose from {','.join(FORMATS)}")
    return chosen


def _stage_bars() -> Progress:
    """One bar per stage: items done of all, items per second, time spent and time left."""
    return Progress(
        TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>9}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=err, transient=False,
    )


class _Bars:
    """Adapts the engine's progress(stage, done, total) calls to Rich progress bars (``_stage_bars``)."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=max(total, 1), rate="")
        task = self.tasks[stage]
        self.progress.update(task, completed=done, total=max(total, 1))
        speed = self.progress.tasks[task].speed
        if speed:
            self.progress.update(task, rate=f"{speed:,.0f}/s")


def _model_stages(workers: Optional[int], scheduler: Optional[str]):
    """Where the model stages run: this process, or Dask workers (``rapporteur.cluster``)."""
    if workers is None and scheduler is None:
        return contextlib.nullcontext()
    from rapporteur.cluster import Workers

    if workers is not None and scheduler is not None:
        raise InputError("--workers/--scheduler", "give --workers N (a local cluster) or --scheduler ADDRESS (an existing one), not both")
    cluster = Workers(n=workers, scheduler=scheduler).start()
    err.print(f"model stages on {cluster.worker_count()} Dask worker(s) at {cluster.address}", highlight=False)
    return cluster


def _cache_line(cache) -> None:
    """What the run reused from the cache (a warm or resumed run) and what it computed."""
    err.print(f"model readings: {cache.found:,} from the cache, {cache.written:,} computed", highlight=False)


@app.command()
def synthesize(
    path: Path = typer.Argument(..., help="A folder of .txt/.md/.pdf/.docx, a statements CSV, or a UNGDC folder/archive."),
    meta: Optional[Path] = typer.Option(None, "--meta", help="Metadata CSV for a folder: file, stakeholder, type, country, session, date."),
    about: Optional[str] = typer.Option(None, "--about", help="Keep only the passages on this subject, e.g. 'migration'."),
    year: Optional[int] = typer.Option(None, "--year", help="UNGDC: keep the speeches of this year."),
    session: Optional[int] = typer.Option(None, "--session", help="UNGDC: keep the speeches of this session number."),
    taxonomy: str = typer.Option("gcm-sessions", "--taxonomy", help="gcm-sessions, gcm-objectives, or a YAML/CSV file."),
    out: Path = typer.Option(Path("rapporteur-report"), "--out", help="Folder for the report files."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    title: Optional[str] = typer.Option(None, "--title", help="Report title."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Encoding of text and CSV files (BOMs win)."),
    similarity: float = typer.Option(0.60, "--similarity", min=0.1, max=0.99, help="Without the learned models (--no-learned): the cosine similarity at which a sentence makes a claim."),
    focus: Optional[str] = typer.Option(None, "--focus", help="The theme (id in the taxonomy, e.g. ts6) the session is about: its subtopics are the matters expected to be addressed."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file (default ~/.cache/rapporteur/embeddings.sqlite)."),
    learned: bool = typer.Option(True, "--learned/--no-learned", help="Key-point membership by the trained matcher and sides by the stance model (default); --no-learned: clustering and lexical cues only."),
    cheap_pass: bool = typer.Option(True, "--cheap-pass/--no-cheap-pass", help="With --about: MiniLM reads only the points a static embedding distilled from it puts near the subject (default); --no-cheap-pass: MiniLM reads every point."),
    languages: str = typer.Option("auto", "--languages", help="auto: read each statement's and sentence's language, and use the multilingual model when some are not English (default); en: take every text as English."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Run the model stages on a local Dask cluster of N worker processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run the model stages on an existing Dask cluster, e.g. tcp://host:8786."),
) -> None:
    """Statements in, an evidence-backed synthesis out (HTML, Markdown, JSON)."""
    from rapporteur.analysis.keypoints import KeyPointSettings
    from rapporteur.embed import EmbeddingCache
    from rapporteur.ingest import read_path
    from rapporteur.report import write_reports
    from rapporteur.synthesis import SynthesisOptions, synthesize as run

    formats = _formats(format)
    started = time.perf_counter()
    try:
        corpus = read_path(path, meta=meta, year=year, session=session, encoding=encoding)
        for problem in corpus.problems:
            err.print(f"[yellow]{problem}[/yellow]", highlight=False)
        if not corpus.contributions:
            err.print(f"[red]{path}: nothing usable left to analyse[/red]", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT)
        options = SynthesisOptions(
            title=title or _default_title(path, about, year, session),
            about=about,
            taxonomy=taxonomy,
            focus=focus,
            key_points=KeyPointSettings(similarity=similarity),
            learned=learned,
            cheap_pass=cheap_pass,
            languages=_languages(languages),
        )
        store = EmbeddingCache(cache)
        with _model_stages(workers, scheduler), _stage_bars() as progress:
            result = run(corpus, options, cache=store, progress=_Bars(progress))
        _cache_line(store)
    except InputError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    if result.counts["analysed"] == 0:
        err.print(f"[red]{path}: no analysable points{' on ' + repr(about) if about else ''}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    written = write_reports(result, out, formats)
    c = result.counts
    err.print(
        f"{c['contributions']} contributions, {c['analysed']} points analysed, {c['key_points']} key points, "
        f"{len(result.convergence)} convergence, {len(result.divergence)} divergence "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for path_written in written.values():
        typer.echo(str(path_written))


@app.command()
def votes(
    path: Path = typer.Argument(..., help="A Pol.is export folder, or our plain format (folder or votes.csv)."),
    participants: Optional[Path] = typer.Option(None, "--participants", help="participants.csv: participant, type, country/region, any attribute."),
    group_by: Optional[str] = typer.Option(None, "--group-by", help="Compare known groups: region, subregion, country, type, or any participants column."),
    out: Path = typer.Option(Path("rapporteur-votes"), "--out", help="Folder for the report files."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    seed: int = typer.Option(0, "--seed", help="Seed of every random choice (clustering)."),
    restarts: int = typer.Option(10, "--restarts", min=0, help="Seeded k-means++ restarts of the groups step, taken only where Pol.is's start is clearly poor (0: Pol.is's k-means alone)."),
) -> None:
    """Votes in (agree / disagree / pass): opinion groups, consensus and known-group convergence out."""
    from rapporteur.report.votes import write_vote_reports
    from rapporteur.votes import VoteInputError, analyse, read_conversation

    formats = _formats(format)
    started = time.perf_counter()
    try:
        with err.status("reading votes"):
            conversation = read_conversation(path, participants_csv=participants)
        with err.status("analysing"):
            result = analyse(conversation, group_by=group_by, seed=seed, restarts=restarts)
            data = result.to_dict()
    except VoteInputError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    for problem in data["problems"]:
        where = problem["source"] + (f":{problem['line']}" if problem.get("line") else "")
        err.print(f"[yellow]{where}: {problem['reason']}[/yellow]", highlight=False)
    with err.status("writing reports"):
        written = write_vote_reports(data, out, formats)
    c = data["counts"]
    err.print(
        f"{c['participants']} participants, {c['statements']} statements, {c['votes']} votes, "
        f"{len(data['groups'])} opinion groups in {time.perf_counter() - started:.1f} s"
    )
    for path_written in written.values():
        typer.echo(str(path_written))


@app.command()
def train(
    kind: str = typer.Argument(..., help="matcher (does a statement make a key point?), stance (for or against?) or quality (does a candidate read like a key point?)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Model file to write (default: the one shipped in the package)."),
    data: Optional[Path] = typer.Option(None, "--data", help="ArgKP-2021 folder (default ../shared/data/argkp-2021 or $RAPPORTEUR_ARGKP)."),
    epochs: Optional[float] = typer.Option(None, "--epochs", min=0.1, help="Passes over the training pairs (default: the shipped recipe)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of every random choice (default: the shipped recipe's)."),
    split: str = typer.Option("train", "--split", help="train (the shipped models: dev stays unseen and measures them) or train+dev (as the shared task allowed)."),
) -> None:
    """Train a fidelity model on ArgKP-2021 and measure it on dev (CPU; see README for times)."""
    from dataclasses import replace

    from rapporteur.fidelity.train import KINDS, RECIPES, SPLITS, train as run

    if split not in SPLITS:
        raise typer.BadParameter(f"{split!r}: choose {' or '.join(SPLITS)}", param_hint="--split")
    if kind == "quality":
        from rapporteur.fidelity.artifact import MODELS_DIR
        from rapporteur.fidelity.data import load_split
        from rapporteur.fidelity.quality import train_quality

        try:
            model = train_quality(load_split("train", data), load_split("dev", data), seed=seed or 0)
        except (InputError, FileNotFoundError) as error:
            err.print(f"[red]{error}[/red]", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT)
        typer.echo(str(model.save(out or MODELS_DIR / "quality.json")))
        err.print(f"dev: {model.meta['dev']}")
        return
    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r}: choose matcher, stance or quality", param_hint="KIND")
    recipe = RECIPES[kind]
    if epochs is not None:
        recipe = replace(recipe, epochs=epochs)
    if seed is not None:
        recipe = replace(recipe, seed=seed)
    with Progress(TextColumn("training {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("loss {task.fields[loss]:.3f}"), TimeElapsedColumn(), console=err) as bars:
        task = bars.add_task(kind, total=None, loss=0.0)

        def progress(step: int, total: int, loss: float) -> None:
            bars.update(task, completed=step, total=total, loss=loss)

        try:
            path, meta = run(kind, out=out, recipe=recipe, directory=data, progress=progress, split=split)
        except (InputError, FileNotFoundError) as error:
            err.print(f"[red]{error}[/red]", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT)
    err.print(f"trained on {meta['training_pairs']} pairs in {meta['training_seconds']:.0f} s; dev: {meta['dev']}")
    typer.echo(str(path))


@app.command()
def match(
    key_points: Path = typer.Option(..., "--key-points", help="Key points CSV: key_point_id, key_point, topic, stance."),
    arguments: Path = typer.Option(..., "--arguments", help="Arguments CSV: arg_id, argument, topic, stance."),
    out: Path = typer.Option(Path("predictions.json"), "--out", help="Predictions JSON: {arg_id: {key_point_id: score}}."),
    model: Optional[Path] = typer.Option(None, "--model", help="Matcher model file (default: the shipped one)."),
) -> None:
    """Score every argument against the key points of its topic and stance (KPA-2021 track 1 format)."""
    import json

    from rapporteur.fidelity.data import ArgKP, read_arguments, read_key_points
    from rapporteur.fidelity.train import load_scorer, predict_matches

    started = time.perf_counter()
    try:
        data = ArgKP(read_arguments(arguments), read_key_points(key_points))
        with err.status("loading the matcher"):
            scorer = load_scorer("matcher", model)
    except (InputError, FileNotFoundError, ValueError) as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    candidates = data.candidates()
    unmatched = [a.id for a in data.arguments if not candidates[a.id]]
    if unmatched:
        err.print(f"[yellow]{arguments}: {len(unmatched)} argument(s) have no key point of their topic and "
                  f"stance (first: {unmatched[0]}); they get no prediction[/yellow]", highlight=False)
    with err.status(f"matching {len(data.arguments)} arguments"):
        predictions = predict_matches(scorer, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(predictions, indent=1, sort_keys=True), encoding="utf-8")
    err.print(f"{len(predictions)} arguments scored in {time.perf_counter() - started:.1f} s")
    typer.echo(str(out))


def _years(value: Optional[str]) -> Optional[tuple[int, int]]:
    if not value:
        return None
    try:
        first, _, last = value.partition("-")
        years = (int(first), int(last or first))
    except ValueError:
        raise typer.BadParameter(f"{value!r}: give the years as A-B, e.g. 2015-2019") from None
    if years[0] > years[1]:
        raise typer.BadParameter(f"{value!r}: the first year comes first")
    return years


@app.command()
def stocktake(
    paths: list[Path] = typer.Argument(..., help="Folders or statements CSVs with a session column, or a UNGDC folder/archive."),
    by: str = typer.Option("session", "--by", help="session (each contribution's session) or year (the year of its date)."),
    years: Optional[str] = typer.Option(None, "--years", help="UNGDC: keep the speeches of the years A-B, e.g. 2015-2019."),
    about: Optional[str] = typer.Option(None, "--about", help="Keep only the passages on this subject."),
    taxonomy: str = typer.Option("gcm-sessions", "--taxonomy", help="gcm-sessions, gcm-objectives, or a YAML/CSV file."),
    out: Path = typer.Option(Path("rapporteur-stocktake"), "--out", help="Folder for the report files."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    title: Optional[str] = typer.Option(None, "--title", help="Report title."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file."),
    learned: bool = typer.Option(True, "--learned/--no-learned", help="The trained matcher and stance model (default)."),
    cheap_pass: bool = typer.Option(True, "--cheap-pass/--no-cheap-pass", help="With --about: MiniLM reads only the points a static embedding distilled from it puts near the subject (default); --no-cheap-pass: MiniLM reads every point."),
    languages: str = typer.Option("auto", "--languages", help="auto: read each statement's and sentence's language, and use the multilingual model when some are not English (default); en: take every text as English."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Run the model stages on a local Dask cluster of N worker processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run the model stages on an existing Dask cluster, e.g. tcp://host:8786."),
) -> None:
    """Several sessions or years in: what holds across them, what emerged or faded, who took part where,
    and the process assessed with measured facts (HTML, Markdown, JSON)."""
    from rapporteur.embed import EmbeddingCache
    from rapporteur.ingest import read_path
    from rapporteur.model import Corpus
    from rapporteur.report import write_document
    from rapporteur.synthesis import SynthesisOptions, stocktake as run

    formats = _formats(format)
    if by not in ("session", "year"):
        raise typer.BadParameter(f"--by {by!r}: choose session or year")
    span = _years(years)
    started = time.perf_counter()
    corpus = Corpus()
    try:
        for path in paths:
            part = read_path(path, years=span)
            corpus.contributions += part.contributions
            corpus.problems += part.problems
        for problem in corpus.problems:
            err.print(f"[yellow]{problem}[/yellow]", highlight=False)
        if not corpus.contributions:
            err.print(f"[red]{', '.join(map(str, paths))}: nothing usable left to analyse[/red]", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT)
        default = f"Stocktaking of {paths[0].name}" + (f" {span[0]}–{span[1]}" if span else "") + (
            f" on {about}" if about else "")
        options = SynthesisOptions(title=title or default, about=about, taxonomy=taxonomy, learned=learned,
                                   cheap_pass=cheap_pass, languages=_languages(languages))
        store = EmbeddingCache(cache)
        with _model_stages(workers, scheduler), _stage_bars() as progress:
            document = run(corpus, options, by=by, cache=store, progress=_Bars(progress))
        _cache_line(store)
    except InputError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    if document["counts"]["analysed"] == 0:
        err.print(f"[red]no analysable points{' on ' + repr(about) if about else ''}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    written = write_document(document, out, formats)
    trends = {}
    for kp in document["key_points"]:
        trends[kp["trend"]] = trends.get(kp["trend"], 0) + 1
    err.print(f"{len(document['sessions'])} sessions, {document['counts']['contributions']} contributions, "
              f"{len(document['key_points'])} key points ({', '.join(f'{n} {t}' for t, n in sorted(trends.items()))}) "
              f"in {time.perf_counter() - started:.1f} s")
    for path_written in written.values():
        typer.echo(str(path_written))


@app.command()
def revise(
    paths: list[Path] = typer.Argument(..., help="The synthesis.json to revise (with --diff: the two to compare)."),
    edits: Optional[Path] = typer.Option(None, "--edits", help="The edits, a YAML file (see the README: the rapporteur's desk)."),
    out: Path = typer.Option(Path("rapporteur-revised"), "--out", help="Folder for the revised report files."),
    format: str = typer.Option("html,md,json", "--format", help="Comma-separated: html, md, json."),
    by: Optional[str] = typer.Option(None, "--by", help="Who made the edits (recorded in the revision)."),
    read: bool = typer.Option(True, "--read/--no-read", help="Read a moved point against its new key point with the matcher (default); --no-read: leave its reading empty."),
    diff: bool = typer.Option(False, "--diff", help="Print what changed between two synthesis.json files, and stop."),
) -> None:
    """A rapporteur's edits applied to a synthesis, every figure recomputed by the engine's rules."""
    from rapporteur.report import write_document
    from rapporteur.report.data import as_data
    from rapporteur.revision.apply import EditError, matcher_reader, revise as apply_edits
    from rapporteur.revision.diff import differences
    from rapporteur.edits import EditsFileError, read_edits
    from rapporteur.schema import read_document

    try:
        if diff:
            if len(paths) != 2:
                err.print("[red]--diff compares two synthesis.json files: give A.json B.json[/red]", highlight=False)
                raise typer.Exit(EXIT_BAD_INPUT)
            for line in differences(read_document(paths[0]), read_document(paths[1])) or ["(no differences)"]:
                typer.echo(line)
            return
        if len(paths) != 1 or edits is None:
            err.print("[red]revise takes one synthesis.json and --edits FILE[/red]", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT)
        document = read_document(paths[0])
        revised = apply_edits(document, read_edits(edits), reader=matcher_reader(document) if read else None, by=by)
    except (InputError, EditsFileError, EditError) as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    for path_written in write_document(as_data(revised), out, _formats(format)).values():
        typer.echo(str(path_written))
    for line in differences(document, revised):
        err.print(line, highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of synthesis.json (the one schema every reader uses; see rapporteur.schema)."""
    from rapporteur.schema import json_schema_text

    typer.echo(json_schema_text(), nl=False)


from rapporteur.web.cli import web_app  # noqa: E402  (serve, createadmin, seed-gcm, worker, …)

app.add_typer(web_app)

from rapporteur.drafts_cli import drafts_app  # noqa: E402  (coverage)

app.add_typer(drafts_app)


def _default_title(path: Path, about, year, session) -> str:
    parts = [f"Synthesis of {path.name}"]
    if year:
        parts.append(str(year))
    if session:
        parts.append(f"session {session}")
    if about:
        parts.append(f"on {about}")
    return " — ".join([parts[0], " ".join(parts[1:])]) if len(parts) > 1 else parts[0]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
