"""Several hosts starting at the same moment on one PostgreSQL database: the start-up steps that
write (`flask db upgrade`, `flask load-local-authorities`) run once, and every host exits 0.

Each trial makes a fresh, empty database beside TEST_DATABASE_URL's and starts two hosts' start-up
commands together as separate processes, as two machines would."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith(("postgresql://", "postgresql+psycopg://")),
    reason="the race is between PostgreSQL connections (TEST_DATABASE_URL)",
)
ROOT = Path(__file__).resolve().parents[2]
TRIALS = 4


def _server_url() -> str:
    return TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; yields its URL."""
    name = f"startup_{uuid.uuid4().hex[:12]}"
    engine = create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_server_url()).set(database=name)
    yield url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _both_hosts(
    command: list[str], url: str, tmp_path: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Run `flask COMMAND` as two hosts at once (each with its own instance folder)."""
    processes = []
    for host in ("a", "b"):
        instance = tmp_path / host
        instance.mkdir(exist_ok=True)
        env = {**os.environ, "DATABASE_URL": url, "WIZARD_INSTANCE_PATH": str(instance)}
        env.pop("WIZARD_ENV", None)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wizard", *command],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_hosts_migrating_an_empty_database_at_once_both_succeed(
    trial: int, empty_database: str, tmp_path: Path
) -> None:
    for result in _both_hosts(["db", "upgrade"], empty_database, tmp_path):
        assert result.returncode == 0, result.stderr[-3000:]
    for result in _both_hosts(["load-local-authorities"], empty_database, tmp_path):
        assert result.returncode == 0, result.stderr[-3000:]
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        authorities = connection.execute(text("SELECT count(*) FROM local_authority")).scalar()
    engine.dispose()
    assert len(versions) == 1
    assert authorities == 22
