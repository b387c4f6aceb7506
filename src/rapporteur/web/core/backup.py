"""Backups that restore: the database, the uploaded documents and the published reports, in one file.

``rapporteur backup OUT`` writes a ``.tar.gz`` holding

- ``manifest.json``: rapporteur's version, when, from which database engine, the migrations applied,
  the rows per model and the SHA-256 and size of every other member;
- ``data.jsonl``: every row of every model of the platform, one JSON object per line (Django's
  ``jsonl`` serialisation, primary keys kept, references to users, groups and content types by
  their natural keys), except what Django rebuilds itself (content types, permissions, sessions,
  the admin's own log), so that a large database is written and read as a
  stream; published reports live in the database (``Synthesis.report_html`` and ``report_markdown``)
  and come with it;
- ``uploads/…``: every file under ``MEDIA_ROOT`` (the contributions' documents), byte for byte.

``rapporteur restore IN`` checks the manifest (format, the checksums), then loads into an **empty**
database — one just created and migrated, SQLite or PostgreSQL, whichever ``DATABASE_URL`` names —
and refuses one that holds rows: a restore never overwrites what is stored. The migrations of the
backup must be those of this rapporteur (restore with the version that wrote it, then upgrade).
PostgreSQL sequences are moved past the restored keys, so new rows do not collide.

A backup is taken while the site runs: the rows are read in one transaction (a consistent snapshot
on PostgreSQL; SQLite's writer lock keeps writes out while it reads).
"""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
import time
from pathlib import Path

from rapporteur import __version__
from rapporteur.errors import InputError

FORMAT = "rapporteur-backup/1"
# rows a migration makes (the role groups): an empty database holds them, and the restore replaces them
SEEDED = ("auth.group",)


def _exact_encoder():
    import datetime

    from django.core.serializers.json import DjangoJSONEncoder

    class Exact(DjangoJSONEncoder):
        """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

        def default(self, o):
            if isinstance(o, (datetime.datetime, datetime.time)):
                return o.isoformat()
            return super().default(o)

    return Exact


def _models():
    from django.apps import apps

    out = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in ("contenttypes", "sessions") or label in ("auth.permission", "admin.logentry"):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        out.append(model)
    return out


def _migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_backup(out: Path) -> dict:
    """Write the backup file ``out``; returns its manifest."""
    from django.conf import settings
    from django.core import serializers
    from django.db import connection, transaction

    out = Path(out)
    _Exact = _exact_encoder()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.jsonl"
        counts = {}
        with transaction.atomic(), open(data, "w", encoding="utf-8") as fh:
            for model in _sort_dependencies(_models()):
                rows = model._base_manager.order_by("pk")
                counts[model._meta.label_lower] = rows.count()
                serializers.serialize("jsonl", rows.iterator(chunk_size=2000), stream=fh, use_natural_foreign_keys=True,
                                      cls=_Exact)
        media = Path(settings.MEDIA_ROOT)
        uploads = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        files = {"data.jsonl": {"sha256": _sha256(data), "bytes": data.stat().st_size}}
        for path in uploads:
            files[f"uploads/{path.relative_to(media).as_posix()}"] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        manifest = {
            "format": FORMAT, "rapporteur": __version__, "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "database": connection.vendor, "migrations": _migrations(), "rows": counts, "files": files,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(body), int(time.time())
            archive.addfile(info, io.BytesIO(body))
            archive.add(data, "data.jsonl")
            for path in uploads:
                archive.add(path, f"uploads/{path.relative_to(media).as_posix()}")
        partial.replace(out)  # a backup file is whole or absent
    return manifest


def read_manifest(archive: tarfile.TarFile, source: str) -> dict:
    try:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    except (KeyError, AttributeError, json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(source, "is not a rapporteur backup (no readable manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise InputError(source, f"is a backup of format {manifest.get('format')!r}; this rapporteur reads {FORMAT}")
    return manifest


def restore_backup(source: Path) -> dict:
    """Load the backup ``source`` into the empty database and ``MEDIA_ROOT``; returns its manifest."""
    from django.conf import settings
    from django.core import serializers
    from django.db import connection, transaction

    source = Path(source)
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise InputError(str(source), f"cannot be read as a backup ({error})") from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(archive, str(source))
        here = _migrations()
        if manifest["migrations"] != here:
            missing = sorted(set(manifest["migrations"]) - set(here))[:3]
            extra = sorted(set(here) - set(manifest["migrations"]))[:3]
            raise InputError(str(source), f"was written by rapporteur {manifest['rapporteur']} with other migrations "
                                          f"(only in the backup: {missing or 'none'}; only here: {extra or 'none'}); "
                                          "restore it with that version, then upgrade")
        held = {m._meta.label_lower: n for m in _models() if (n := m._base_manager.count()) and
                m._meta.label_lower not in SEEDED}
        if held:
            raise InputError(str(source), "restore needs an empty database, and this one holds rows ("
                             + ", ".join(f"{k} {v}" for k, v in sorted(held.items())[:4])
                             + "): use a new data directory, or drop and create the PostgreSQL database, and migrate")
        for member in archive.getmembers():
            if member.name == "manifest.json":
                continue
            expected = manifest["files"].get(member.name)
            if expected is None or not member.isfile() or ".." in Path(member.name).parts or member.name.startswith("/"):
                raise InputError(str(source), f"holds an unexpected member {member.name!r}: refused")
            archive.extract(member, tmp, filter="data")
            got = Path(tmp) / member.name
            if _sha256(got) != expected["sha256"]:
                raise InputError(str(source), f"{member.name} does not match its checksum: the backup is damaged")
        absent = [name for name in manifest["files"] if not (Path(tmp) / name).is_file()]
        if absent:
            raise InputError(str(source), f"lacks {len(absent)} member(s) its manifest lists, e.g. {absent[0]}")
        with transaction.atomic(), connection.constraint_checks_disabled():
            for model in _models():  # the rows migrations made come back from the backup, keys and all
                if model._meta.label_lower in SEEDED:
                    model._base_manager.all().delete()
            with open(Path(tmp) / "data.jsonl", encoding="utf-8") as fh:
                for obj in serializers.deserialize("jsonl", fh, handle_forward_references=True):
                    obj.save()
            connection.check_constraints()
        _reset_sequences()
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            if name.startswith("uploads/"):
                target = media / name[len("uploads/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes((Path(tmp) / name).read_bytes())
    return manifest


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _sort_dependencies(models):
    """Models in an order in which each one's foreign keys point to models written before it."""
    from django.core.serializers import sort_dependencies

    by_app: dict = {}
    for model in models:
        by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = sort_dependencies(list(by_app.items()), allow_cycles=True)
    return [m for m in ordered if m in models]
