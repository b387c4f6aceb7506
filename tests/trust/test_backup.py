"""Backups that restore (issue 16): back up a populated instance, wipe it, restore it, and find every
row (contributions, votes, vote history, synthesis versions and their reports) and every uploaded
file identical — on SQLite, on PostgreSQL, and from one to the other."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RAPPORTEUR = [sys.executable, "-m", "rapporteur.cli"]
POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def _env(data_dir: Path, database: str | None) -> dict:
    env = {**os.environ, "RAPPORTEUR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "rapporteur.web.config.settings"}
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = POSTGRES + database
    return env


def _run(args, data_dir: Path, database: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=_env(data_dir, database), cwd=ROOT, capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def _instance(command: str, data_dir: Path, database: str | None = None) -> str:
    return _run([sys.executable, str(ROOT / "tests" / "trust" / "instance.py"), command], data_dir, database).stdout


def _fresh_postgres(name: str) -> str:
    import psycopg

    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return name


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A populated SQLite instance, its snapshot and its backup file."""
    data = tmp_path_factory.mktemp("instance")
    _instance("populate", data)
    backup = tmp_path_factory.mktemp("backups") / "rapporteur.tar.gz"
    out = _run(RAPPORTEUR + ["backup", str(backup)], data).stdout
    assert "backed up" in out and "1 uploaded files" in out
    return data, json.loads(_instance("snapshot", data)), backup


@pytest.mark.slow
def test_the_snapshot_holds_what_a_consultation_holds(populated):
    _, snapshot, _ = populated
    rows = snapshot["rows"]
    assert len(rows["contributions.contribution"]) == 5 and len(snapshot["files"]) == 1
    assert len(rows["syntheses.synthesis"]) == 2 and any(r["fields"]["report_html"] for r in rows["syntheses.synthesis"])
    assert len(rows["rounds.vote"]) >= 12 and len(rows["rounds.voteevent"]) > len(rows["rounds.vote"])


def test_a_wiped_sqlite_instance_is_restored_identical(populated, tmp_path):
    _, snapshot, backup = populated
    wiped = tmp_path / "wiped"  # a new, empty data directory: the instance wiped
    out = _run(RAPPORTEUR + ["restore", str(backup)], wiped).stdout
    assert "restored" in out
    assert json.loads(_instance("snapshot", wiped)) == snapshot


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sqlite", "postgresql"])
def test_a_wiped_postgresql_instance_is_restored_identical(populated, tmp_path, source):
    data, snapshot, backup = populated
    if source == "postgresql":  # a PostgreSQL instance populated, backed up, then wiped
        database = _fresh_postgres("rapporteur_backup_source")
        _instance("populate", tmp_path / "pg-source", database)
        snapshot = json.loads(_instance("snapshot", tmp_path / "pg-source", database))
        backup = tmp_path / "pg.tar.gz"
        _run(RAPPORTEUR + ["backup", str(backup)], tmp_path / "pg-source", database)
    target = _fresh_postgres("rapporteur_backup_target")
    _run(RAPPORTEUR + ["restore", str(backup)], tmp_path / "pg-target", target)
    restored = json.loads(_instance("snapshot", tmp_path / "pg-target", target))
    assert restored == snapshot
    # the sequences moved past the restored keys: the restored site takes new rows
    done = _run([sys.executable, "-c", "from rapporteur.web.cli import setup_django; setup_django();"
                 "from rapporteur.web.organisations.services import create_organisation;"
                 "print(create_organisation('A new network', 'civil society', 'FRA').pk)"], tmp_path / "pg-target", target)
    assert int(done.stdout.strip()) > max(r["pk"] for r in restored["rows"]["organisations.organisation"])


def test_a_restore_never_overwrites_a_database_that_holds_rows(populated):
    data, snapshot, backup = populated
    done = _run(RAPPORTEUR + ["restore", str(backup)], data, check=False)
    assert done.returncode == 2 and "restore needs an empty database" in done.stderr
    assert json.loads(_instance("snapshot", data)) == snapshot  # nothing lost


@pytest.mark.slow
def test_a_damaged_backup_is_refused_and_nothing_is_loaded(populated, tmp_path):
    _, _, backup = populated
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(backup, "r:gz") as source, tarfile.open(damaged, "w:gz") as out:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == "data.jsonl":
                body = body.replace(b"regular pathways", b"irregular pathways", 1)
            member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    target = tmp_path / "target"
    done = _run(RAPPORTEUR + ["restore", str(damaged)], target, check=False)
    assert done.returncode == 2 and "data.jsonl does not match its checksum" in done.stderr
    rows = json.loads(_instance("snapshot", target))["rows"]
    assert not rows["contributions.contribution"] and not rows["rounds.vote"]
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_bytes(b"not a backup at all")
    done = _run(RAPPORTEUR + ["restore", str(not_a_backup)], target, check=False)
    assert done.returncode == 2 and "notes.tar.gz: cannot be read as a backup" in done.stderr
