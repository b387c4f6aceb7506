"""The database's own refusal to change or remove an audit entry: triggers on UPDATE and DELETE.

The site refuses in Python too (``AuditEntry.save``/``delete``, the QuerySet's ``update``/``delete``);
the triggers refuse whatever reaches the database another way (raw SQL, another program on the same
database). On PostgreSQL ``TRUNCATE`` is refused too. Only the database's owner, by dropping the
triggers, can remove entries; ``create_sql``/``drop_sql`` are what the migration and the test suite's
flush (which empties every table between transactional tests) run.

A later migration that rebuilds the table on SQLite (some ``AlterField``) drops its triggers: such a
migration must run ``create_sql`` again.
"""
from __future__ import annotations

TABLE = "audit_auditentry"
MESSAGE = "the audit log is append-only: an entry cannot be changed or deleted"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]
_POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    f"DROP TRIGGER IF EXISTS audit_entry_no_change ON {TABLE}",
    f"""CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
]
_POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def create_sql(vendor: str) -> list[str]:
    """The statements that make the triggers (none for a database without them)."""
    return {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRESQL_CREATE}.get(vendor, [])


def drop_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRESQL_DROP}.get(vendor, [])
