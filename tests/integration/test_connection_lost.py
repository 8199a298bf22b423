"""A request whose database connection the server closed while it ran (PostgreSQL restarting)
still ends cleanly: its answer (our 503 page, say) is not turned into a 500 by the rollback at
the end of the request, and the next request gets a new connection. Found by
`make load-multihost` (benchmarks/multihost-2026-12-07.md)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from wizard.data.database import db


def test_a_connection_closed_by_the_database_ends_the_request_without_an_error(
    app: Flask,
) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the server ends the connection: PostgreSQL (TEST_DATABASE_URL)")
    killer = create_engine(url)
    with app.test_request_context("/en/"):
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    # Leaving the block ran the end of the request (the teardown) without raising.
    killer.dispose()
    with app.test_request_context("/en/"):
        assert db.session.execute(text("SELECT 1")).scalar() == 1
