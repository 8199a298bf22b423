"""The database: SQLAlchemy's session and metadata, and Alembic through Flask-Migrate. Only
the data layer (this package) imports it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay loaded after a commit: a page that saves and then renders does not read back
# what it has just written.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()


def end_requests_quietly(app: Flask) -> None:
    """At the end of each request, give its connection back even when the database went away
    meanwhile (PostgreSQL restarting): a rollback on a connection the server has closed raises,
    and at that point, after the answer was made (our 503 page, say), it would turn the answer
    into a 500. The connection is dropped instead; the pool opens a new one when it is next
    needed. (Registered after Flask-SQLAlchemy's own teardown, so it runs before it.)"""

    @app.teardown_appcontext
    def _give_back_the_connection(_: BaseException | None) -> None:
        try:
            db.session.rollback()
        except DBAPIError:
            db.session().invalidate()


# The PostgreSQL advisory lock that the steps writing at start-up (the migrations, loading the
# local authorities) take, so that hosts starting at the same moment run them one at a time.
START_UP_LOCK = 0x706C616E6E6572  # "planner"


def hold_start_up_lock() -> None:
    """Wait for, then hold until the transaction ends, the start-up lock (PostgreSQL only: on
    SQLite there is one machine, and its writers queue already)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": START_UP_LOCK})


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """On SQLite, enforce foreign keys and let readers and a writer work at the same time."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def _sqlite_savepoint_inside_a_transaction(conn: Any, name: str) -> None:
    """On SQLite, begin the transaction before a savepoint that would otherwise be the first
    statement of one. Python's sqlite3 begins transactions only before INSERT, UPDATE and
    DELETE, so a SAVEPOINT first began SQLite's own transaction, which RELEASE then
    committed: a plan created in a savepoint was committed even when the rest of the save
    failed (found by tests/integration/test_faults.py)."""
    dbapi_connection = conn.connection.dbapi_connection
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3") and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")
