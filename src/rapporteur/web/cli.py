"""``rapporteur serve | worker | createadmin | adduser | seed-gcm | import-contributions | import-polis | api-token | backup | restore``.

A Typer app (``web_app``) that the main CLI mounts. Every command applies pending migrations
first, so any of them can be the first one run on a new data directory.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

web_app = typer.Typer(help="The web platform: run the site and its worker, make accounts, seed processes.")

DataDir = typer.Option(
    None, "--data-dir", envvar="RAPPORTEUR_DATA_DIR",
    help="Folder for the SQLite database, uploads and secret key (default ~/.local/share/rapporteur). "
    "Set DATABASE_URL to use PostgreSQL instead of SQLite.",
)


def setup_django(data_dir: Optional[Path] = None, migrate: bool = True) -> None:
    """Configure Django for this process and (by default) apply pending migrations."""
    if data_dir is not None:
        os.environ["RAPPORTEUR_DATA_DIR"] = str(Path(data_dir).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def _where() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite database {db['NAME']}"
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} database {db.get('NAME')} on {db.get('HOST') or 'localhost'}"


@web_app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    data_dir: Optional[Path] = DataDir,
    worker: bool = typer.Option(True, "--worker/--no-worker", help="Also start the background worker that runs syntheses."),
    threads: int = typer.Option(4, help="Request threads (per process)."),
    workers: Optional[int] = typer.Option(
        None, min=1, help="Server processes (gunicorn; default: cores + 1, at most 8). 1, or a platform "
        "without fork (Windows): one waitress process with --threads threads."),
) -> None:
    """Run the site (migrations applied first) and its synthesis worker."""
    setup_django(data_dir)
    from rapporteur.web import serving
    from rapporteur.web.config.wsgi import application

    workers = workers or serving.default_workers()
    use_gunicorn = workers > 1 and serving.can_fork()
    typer.echo(f"rapporteur: {_where()}")
    child = None
    if worker:
        child = subprocess.Popen([sys.executable, "-m", "rapporteur.web", "db_worker", "--no-reload", "--interval", "1"])
        typer.echo(f"rapporteur: worker started (pid {child.pid})")

    def stop(signum, frame):  # pragma: no cover - signal handling
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    how = (f"gunicorn, {workers} processes of {threads} threads" if use_gunicorn
           else f"waitress, {threads} threads")
    typer.echo(f"rapporteur: serving on http://{host}:{port}/ ({how}; Ctrl+C to stop)")
    master = os.getpid()
    try:
        if use_gunicorn:  # its arbiter handles SIGTERM and SIGINT (graceful stop) and exits
            serving.serve_gunicorn(application, host=host, port=port, workers=workers, threads=threads)
        else:
            serving.serve_waitress(application, host=host, port=port, threads=threads)
    except KeyboardInterrupt:
        pass
    finally:
        # gunicorn's forked server processes leave through here too: only the first process stops the worker
        if os.getpid() == master and child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


@web_app.command()
def worker(data_dir: Optional[Path] = DataDir) -> None:
    """Run the background worker alone (when the site runs with --no-worker, or on another machine)."""
    setup_django(data_dir)
    from django.core.management import call_command

    call_command("db_worker", reload=False, interval=1)


@web_app.command()
def createadmin(
    username: str = typer.Option("admin", help="User name of the administrator."),
    email: str = typer.Option("", help="E-mail address."),
    password: Optional[str] = typer.Option(
        None, envvar="RAPPORTEUR_ADMIN_PASSWORD", help="Password (prompted for when not given)."
    ),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Make the first account: an administrator who can do everything, the Django admin included."""
    setup_django(data_dir)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from rapporteur.web.core.roles import record_role_change, role_state

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        typer.echo(f"rapporteur: a user named {username!r} exists already", err=True)
        raise typer.Exit(1)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password, username)
    with transaction.atomic():  # the account and its role's entry in the audit log together
        user = User.objects.create_superuser(username=username, email=email, password=password)
        record_role_change(user, role_state(None), by=None, actor_name="rapporteur createadmin")
    typer.echo(f"rapporteur: administrator {username!r} created")


@web_app.command()
def adduser(
    username: str = typer.Argument(..., help="User name."),
    role: str = typer.Option(..., help="secretariat, moderator or delegate."),
    organisation: Optional[str] = typer.Option(None, help="For a delegate: the organisation's name (created if new)."),
    organisation_type: str = typer.Option("civil society", "--type", help="For a new organisation: its stakeholder type."),
    country: str = typer.Option("", help="For a new organisation: its country (ISO code or name)."),
    email: str = typer.Option("", help="E-mail address."),
    password: Optional[str] = typer.Option(None, envvar="RAPPORTEUR_USER_PASSWORD", help="Password (prompted for when not given)."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Make an account with a role (a delegate acts for one organisation)."""
    setup_django(data_dir)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError

    from django.db import transaction

    from rapporteur.web.core.roles import ROLE_GROUPS, record_role_change, role_state
    from rapporteur.web.organisations import services as organisation_services
    from rapporteur.web.organisations.models import Organisation

    if role not in (*ROLE_GROUPS, "delegate"):
        typer.echo("rapporteur: --role must be secretariat, moderator or delegate", err=True)
        raise typer.Exit(2)
    if role == "delegate" and not organisation:
        typer.echo("rapporteur: a delegate needs --organisation", err=True)
        raise typer.Exit(2)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        typer.echo(f"rapporteur: a user named {username!r} exists already", err=True)
        raise typer.Exit(1)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password, username)
    org = None
    if role == "delegate":
        org = Organisation.objects.filter(name=organisation).first()
        if org is None:
            try:
                org = organisation_services.create_organisation(organisation, organisation_type, country)
            except (ValidationError, ValueError) as err:
                typer.echo(f"rapporteur: {' '.join(getattr(err, 'messages', [str(err)]))}", err=True)
                raise typer.Exit(2) from None
    with transaction.atomic():  # the account, its role and the role's entry in the audit log together
        user = User.objects.create_user(username=username, email=email, password=password)
        before = role_state(user)
        if org is not None:
            organisation_services.add_delegate(org, user)
        else:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        record_role_change(user, before, by=None, actor_name="rapporteur adduser")
    if org is not None:
        typer.echo(f"rapporteur: delegate {username!r} of {org.name} ({org.get_accreditation_display()}) created")
    else:
        typer.echo(f"rapporteur: {role} {username!r} created")


@web_app.command("seed-gcm")
def seed_gcm(data_dir: Optional[Path] = DataDir) -> None:
    """Create the Global Compact for Migration process: phases, sessions, taxonomies (safe to re-run)."""
    setup_django(data_dir)
    from rapporteur.web.processes.gcm import seed_gcm as seed

    process = seed()
    sessions = sum(phase.sessions.count() for phase in process.phases.all())
    typer.echo(f"rapporteur: {process.name}: {process.phases.count()} phases, {sessions} sessions, "
               f"{process.taxonomies.count()} taxonomies")


def _session_or_exit(session_id: int):
    """The session with this id, or one line on stderr and exit code 2."""
    from rapporteur.web.processes.models import Session

    target = Session.objects.filter(pk=session_id).first()
    if target is None:
        typer.echo(f"rapporteur: no session with id {session_id}", err=True)
        raise typer.Exit(2)
    return target


@web_app.command("import-contributions")
def import_contributions(
    session: int = typer.Argument(..., help="The session's id (shown in its address, /sessions/ID/)."),
    path: Path = typer.Argument(..., help="A folder of .txt/.md/.pdf/.docx, or a statements CSV."),
    meta: Optional[Path] = typer.Option(None, help="Metadata CSV for a folder."),
    encoding: str = typer.Option("utf-8", help="Encoding of text files."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Bulk-import statements into a session, with the same readers as `rapporteur synthesize`."""
    setup_django(data_dir)
    from rapporteur.errors import InputError
    from rapporteur.web.contributions.services import import_contributions as run_import

    target = _session_or_exit(session)
    try:
        report = run_import(target, path, meta=meta, encoding=encoding)
    except InputError as err:
        typer.echo(f"rapporteur: {err}", err=True)
        raise typer.Exit(2) from None
    for problem in report.problems:
        typer.echo(f"rapporteur: {problem}", err=True)
    typer.echo(f"rapporteur: imported {len(report.created)} contributions into {target.title}")


@web_app.command("api-token")
def api_token(
    username: str = typer.Argument(..., help="The delegate's user name."),
    name: str = typer.Option("", help="A name to tell the token apart (e.g. the script using it)."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Make an API token for a delegate (printed once; the site keeps only its digest)."""
    setup_django(data_dir)
    from django.contrib.auth import get_user_model

    from rapporteur.web.api.services import issue_token
    from rapporteur.web.core.roles import is_delegate

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        typer.echo(f"rapporteur: no user named {username!r}", err=True)
        raise typer.Exit(2)
    if not is_delegate(user):
        typer.echo(f"rapporteur: {username!r} is not a delegate of an organisation: tokens are for voting", err=True)
        raise typer.Exit(2)
    typer.echo(issue_token(user, name))


@web_app.command("import-polis")
def import_polis(
    session: int = typer.Argument(..., help="The session's id (shown in its address, /sessions/ID/)."),
    path: Path = typer.Argument(..., help="A Pol.is export folder (comments.csv, votes.csv, …)."),
    participants: Optional[Path] = typer.Option(None, help="Participants CSV: participant, type, country or region."),
    title: str = typer.Option("", help="The round's title (default: the export's topic)."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Import a Pol.is conversation as a closed rating round of a session."""
    setup_django(data_dir)
    from django.core.exceptions import ValidationError

    from rapporteur.web.rounds.services import import_conversation

    target = _session_or_exit(session)
    try:
        round, problems = import_conversation(target, path, participants_csv=participants, title=title)
    except ValidationError as err:
        typer.echo(f"rapporteur: {' '.join(err.messages)}", err=True)
        raise typer.Exit(2) from None
    for problem in problems:
        typer.echo(f"rapporteur: {problem}", err=True)
    typer.echo(f"rapporteur: imported round {round.pk} “{round.title}”: {round.statements.count()} statements, "
               f"{round.participants.count()} participants, {round.votes.count()} votes")


def _check_password(password: str, username: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    class _Named:
        def __init__(self, name):
            self.username = name

    try:
        validate_password(password, _Named(username))
    except ValidationError as err:
        typer.echo("rapporteur: " + " ".join(err.messages), err=True)
        raise typer.Exit(2) from None


if __name__ == "__main__":  # python -m rapporteur.web.cli
    web_app()


@web_app.command()
def backup(
    out: Path = typer.Argument(..., help="The backup file to write (.tar.gz)."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Back up the platform: the database (SQLite or PostgreSQL), uploaded documents and published reports."""
    setup_django(data_dir)
    from rapporteur.web.core.backup import write_backup

    manifest = write_backup(out)
    rows = sum(manifest["rows"].values())
    typer.echo(f"rapporteur: backed up {rows:,} rows of {len(manifest['rows'])} models and "
               f"{len(manifest['files']) - 1} uploaded files from the {_where()} into {out}")


@web_app.command()
def restore(
    source: Path = typer.Argument(..., help="A backup file written by `rapporteur backup`."),
    data_dir: Optional[Path] = DataDir,
) -> None:
    """Restore a backup into an empty, migrated database (refused when the database holds rows)."""
    setup_django(data_dir)
    from rapporteur.errors import InputError
    from rapporteur.web.core.backup import restore_backup

    try:
        manifest = restore_backup(source)
    except InputError as error:
        typer.echo(f"rapporteur: {error}", err=True)
        raise typer.Exit(2)
    typer.echo(f"rapporteur: restored {sum(manifest['rows'].values()):,} rows and {len(manifest['files']) - 1} "
               f"uploaded files (backup of {manifest['written']}, rapporteur {manifest['rapporteur']}) into the {_where()}")
