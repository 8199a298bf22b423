"""Administrators' export of all data as JSON, and import of it into an empty database.

Every table of the model is exported (a table added later is exported too, unless it is
listed in SKIPPED): the directory, accounts (password hashes, never passwords), plans and
their answers, own cards, versions, comments and reviews, share links (only the hash of each
token is ever stored), the reporting facts and the audit trail. What is only of the moment is
skipped: sessions, sign-in attempts, reset tokens and the outbox of emails.

The file names its migration revision; it is imported only into a database at that revision
with none of the exported tables holding a row, in one transaction (all or nothing), ids
kept, so that every reference between rows stays right.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Table, func, select, text

from wizard.data.database import db
from wizard.data.models import utcnow

FORMAT = "wizard-export"
FORMAT_VERSION = 1

# Of the moment only: a restored service starts with nobody signed in, no pending mail and no
# upload waiting for its preview to be applied.
SKIPPED = frozenset(
    {
        "user_session",
        "sign_in_attempt",
        "password_reset_token",
        "outbox",
        "pending_import",
        "alembic_version",
    }
)


class ImportRefused(ValueError):
    """The file cannot be imported here; nothing was written."""


@dataclass(frozen=True)
class ImportReport:
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def exported_tables() -> list[Table]:
    """The tables in the order their rows can be inserted (referenced tables first)."""
    return [table for table in db.metadata.sorted_tables if table.name not in SKIPPED]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _order(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.columns)


def schema_revision() -> str | None:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def export_data() -> dict[str, Any]:
    """Every exported table's rows, as JSON-ready lists (columns named once per table)."""
    tables: dict[str, Any] = {}
    for table in exported_tables():
        columns = [column.name for column in table.columns]
        result = db.session.execute(select(table).order_by(*_order(table)))
        tables[table.name] = {
            "columns": columns,
            "rows": [[_plain(value) for value in row] for row in result],
        }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(),
        "exported_at": utcnow().isoformat(),
        "tables": tables,
    }


def _parse(table: Table, columns: list[str], row: list[Any]) -> dict[str, Any]:
    if len(row) != len(columns):
        raise ImportRefused(f"{table.name}: a row has {len(row)} values for {len(columns)} columns")
    values: dict[str, Any] = {}
    for name, value in zip(columns, row, strict=True):
        column_type = table.columns[name].type
        if value is not None and isinstance(column_type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        values[name] = value
    return values


def _chunks(rows: list[dict[str, Any]], size: int = 1000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _check(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused("This is not an export of this service.")
    if document.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"Unknown export format version {document.get('format_version')!r}.")
    revision = schema_revision()
    if document.get("schema_revision") != revision:
        raise ImportRefused(
            f"The export is of database revision {document.get('schema_revision')!r}, this "
            f"database is at {revision!r}: migrate one of them first."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ImportRefused("The export has no tables.")
    known = {table.name: table for table in exported_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise ImportRefused(f"Unknown tables in the export: {', '.join(unknown)}.")
    for name, content in tables.items():
        columns = content.get("columns") if isinstance(content, dict) else None
        if not isinstance(columns, list) or set(columns) != set(known[name].columns.keys()):
            raise ImportRefused(f"{name}: the columns do not match this database's.")
        if not isinstance(content.get("rows"), list):
            raise ImportRefused(f"{name}: no rows.")
    return tables


def import_data(document: Any) -> ImportReport:
    """Insert an export into this (empty) database, all or nothing."""
    tables = _check(document)
    busy = [
        table.name
        for table in exported_tables()
        if db.session.scalar(select(func.count()).select_from(table))
    ]
    if busy:
        raise ImportRefused(
            f"The database is not empty ({', '.join(busy)} have rows): import into an empty one."
        )
    counts: dict[str, int] = {}
    try:
        for table in exported_tables():
            content = tables.get(table.name)
            if content is None:
                continue
            rows = [_parse(table, content["columns"], row) for row in content["rows"]]
            for chunk in _chunks(rows):
                db.session.execute(table.insert(), chunk)
            counts[table.name] = len(rows)
        _reset_sequences()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportReport(counts)


def _reset_sequences() -> None:
    """On PostgreSQL, start each id sequence after the ids imported (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in exported_tables():
        column = table.columns.get("id")
        # Only a number counting up has a sequence (staff voice responses have random ids).
        if column is None or not column.primary_key or not isinstance(column.type, Integer):
            continue
        name = table.name.replace('"', "")
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
            )
        )
