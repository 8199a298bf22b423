"""Administrators' export and import: every school, plan, version, comment and share link
(hashes only) goes out as JSON and back into an empty database unchanged."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from tests.conftest import ParsingClient, database_url, sign_in, test_config, test_database_url
from wizard import create_app
from wizard.data.backup import SKIPPED, exported_tables
from wizard.data.database import db
from wizard.data.models import Plan, ShareLink, User
from wizard.data.sharing import create_share_link
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.seed.demo import seed_demo

YEAR = academic_year_of(date.today())


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """A second app on a database of its own (a new SQLite file, or a new PostgreSQL schema),
    migrated and empty."""
    url, schema = database_url(tmp_path)
    other = create_app(test_config(url, tmp_path))
    other.test_client_class = ParsingClient
    with other.app_context():
        upgrade()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        engine = create_engine(str(test_database_url()))
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def everything(app: Flask) -> dict[str, list[list[object]]]:
    """Every row of every exported table, read straight from the database."""
    with app.app_context():
        return {
            table.name: [
                list(row)
                for row in db.session.execute(
                    select(table).order_by(*(list(table.primary_key.columns) or table.columns))
                )
            ]
            for table in exported_tables()
        }


def seeded(app: Flask) -> str:
    """The demo: clusters, schools, accounts, plans submitted, reviewed and commented on;
    plus share links (one revoked) on the demo lead's plan. Returns a live share token."""
    with app.app_context():
        seed_demo()
        lead = db.session.scalar(select(User).where(User.email == "lead@demo.example"))
        assert lead is not None and lead.school_id is not None
        # The demo gives the lead's school this year's plan (it holds the staff voice round).
        plan = db.session.scalar(
            select(Plan).where(Plan.school_id == lead.school_id, Plan.academic_year == YEAR)
        )
        if plan is None:
            plan = Plan(school_id=lead.school_id, academic_year=YEAR)
            db.session.add(plan)
            db.session.commit()
        token = create_share_link(plan, lead, True, date.today() + timedelta(days=30))
        create_share_link(plan, lead, False, None)
        revoked = db.session.scalars(select(ShareLink)).all()[-1]
        revoked.revoked_at = revoked.created_at
        db.session.commit()
        return token


def test_export_and_import_round_trip_keeps_everything(
    app: Flask, empty_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = seeded(app)
    before = everything(app)
    # The export has something in every table that matters.
    for name in ("school", "cluster", "user_account", "plan", "plan_answer", "plan_version"):
        assert before[name], name
    for name in ("plan_comment", "share_link", "audit_event", "fact_rating"):
        assert before[name], name

    dump = tmp_path / "export.json"
    result = app.test_cli_runner().invoke(args=["export-data", str(dump)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    document = json.loads(dump.read_text(encoding="utf-8"))
    # Share links are hashes only: the token itself is nowhere in the file.
    assert token not in dump.read_text(encoding="utf-8")
    assert set(document["tables"]) == {t.name for t in exported_tables()}
    assert not SKIPPED & set(document["tables"])

    result = empty_app.test_cli_runner().invoke(args=["import-data", str(dump)])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output
    after = everything(empty_app)
    for name, rows in before.items():
        assert after[name] == rows, name

    # The imported service works: the lead signs in, the shared link reads the plan, and a
    # new row gets a new id (the sequences start after the imported ids on PostgreSQL).
    client = empty_app.test_client()
    shared = client.get(f"/en/shared/{token}")
    assert shared.status_code == 200
    with empty_app.app_context():
        lead = db.session.scalar(select(User).where(User.email == "lead@demo.example"))
        assert lead is not None
        plan = db.session.scalar(select(Plan).where(Plan.school_id == lead.school_id))
        assert plan is not None
        create_share_link(plan, lead, False, None)
        ids = db.session.scalars(select(ShareLink.id)).all()
        assert len(set(ids)) == len(before["share_link"]) + 1


def test_import_refuses_a_database_that_is_not_empty(app: Flask, tmp_path: Path) -> None:
    seeded(app)
    dump = tmp_path / "export.json"
    app.test_cli_runner().invoke(args=["export-data", str(dump)])
    before = everything(app)
    result = app.test_cli_runner().invoke(args=["import-data", str(dump)])
    assert result.exit_code != 0
    assert "Nothing was imported: The database is not empty" in result.output
    assert everything(app) == before


def test_import_refuses_what_is_not_an_export(empty_app: Flask, tmp_path: Path) -> None:
    cases = {
        "not-json.json": "{",
        "other.json": json.dumps({"format": "something else"}),
        "old.json": json.dumps(
            {"format": "wizard-export", "format_version": 1, "schema_revision": "0001"}
        ),
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = empty_app.test_cli_runner().invoke(args=["import-data", str(path)])
        assert result.exit_code != 0, name
        assert "Error" in result.output, name
    with empty_app.app_context():
        assert db.session.scalar(select(User.id)) is None


def test_a_failed_import_writes_nothing(app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    seeded(app)
    dump = tmp_path / "export.json"
    app.test_cli_runner().invoke(args=["export-data", str(dump)])
    document = json.loads(dump.read_text(encoding="utf-8"))
    # A comment whose plan does not exist: the database refuses it, late in the import.
    comments = document["tables"]["plan_comment"]
    plan_column = comments["columns"].index("plan_id")
    comments["rows"][-1][plan_column] = 999_999
    dump.write_text(json.dumps(document), encoding="utf-8")
    result = empty_app.test_cli_runner().invoke(args=["import-data", str(dump)])
    assert result.exit_code != 0
    assert all(rows == [] for rows in everything(empty_app).values())


def test_sign_in_after_import(app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        from tests.factories import Directory

        directory = Directory(app)
        lead = directory.user("lead@school.example", school=directory.school(), lead=True)
        email = lead.email
    dump = tmp_path / "export.json"
    app.test_cli_runner().invoke(args=["export-data", str(dump)])
    empty_app.test_cli_runner().invoke(args=["import-data", str(dump)])
    client = empty_app.test_client()
    sign_in(client, email)
    assert client.get(f"/en/plan/{year_slug(YEAR)}/").status_code == 200
