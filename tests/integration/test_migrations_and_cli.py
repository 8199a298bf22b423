"""The migrations build exactly the models' schema; the administrator commands work."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import func, select

from wizard.data.database import db
from wizard.data.models import Cluster, LocalAuthority, Plan, PlanAnswer, School, User


def test_the_migrations_produce_exactly_the_models_schema(app: Flask, ctx: None) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_22_local_authorities_load_once(app: Flask, ctx: None) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-local-authorities"])
    assert result.exit_code == 0, result.output
    assert "0 added, 22 already there" in result.output
    assert db.session.scalar(select(func.count()).select_from(LocalAuthority)) == 22
    names = {a.name_en: a.name_cy for a in db.session.scalars(select(LocalAuthority))}
    assert names["Isle of Anglesey"] == "Ynys Môn"
    assert names["Vale of Glamorgan"] == "Bro Morgannwg"


def test_create_commands(app: Flask, ctx: None) -> None:
    runner = app.test_cli_runner()
    steps = [
        [
            "create-partnership",
            "Partneriaeth",
            "Partneriaeth",
            "--authority",
            "swansea",
            "--authority",
            "Sir Benfro",
        ],
        ["create-cluster", "Gower cluster", "--name-cy", "Clwstwr Gŵyr", "--authority", "Swansea"],
        [
            "create-school",
            "6702001",
            "Ysgol Gymraeg Bryn",
            "--authority",
            "swansea",
            "--cluster",
            "Gower cluster",
            "--medium",
            "welsh",
        ],
        [
            "create-user",
            "Head@Bryn.example",
            "Eleri Rees",
            "--school",
            "6702001",
            "--lead",
            "--password",
            "a long enough password",
        ],
        [
            "create-user",
            "coord@swansea.example",
            "Owain Hughes",
            "--coordinator-of",
            "Gower cluster",
            "--password",
            "a long enough password",
        ],
        [
            "create-user",
            "admin@swansea.example",
            "Admin",
            "--admin",
            "--password",
            "a long enough password",
        ],
    ]
    for args in steps:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    school = db.session.scalar(select(School).where(School.school_number == "6702001"))
    assert school.cluster.name_cy == "Clwstwr Gŵyr"
    assert school.local_authority.partnership.name_en == "Partneriaeth"
    head = db.session.scalar(select(User).where(User.email == "head@bryn.example"))
    assert head.is_school_lead and head.school_id == school.id
    coordinator = db.session.scalar(select(User).where(User.email == "coord@swansea.example"))
    assert [c.name_en for c in coordinator.coordinated_clusters] == ["Gower cluster"]
    client = app.test_client()
    response = client.post(
        "/en/sign-in", data={"email": "head@bryn.example", "password": "a long enough password"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-school", "123", "Bad", "--authority", "cardiff"], "7 digits"),
        (["create-school", "6800001", "Bad", "--authority", "Atlantis"], "no local authority"),
        (
            ["create-user", "x@y.example", "X", "--lead", "--password", "a long enough password"],
            "--lead needs --school",
        ),
        (["create-user", "x@y.example", "X", "--password", "short"], "at least 12 characters"),
        (["create-cluster", "C", "--authority", "nowhere"], "no local authority"),
    ],
)
def test_create_commands_explain_bad_input(
    app: Flask, ctx: None, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


GOOD_CSV = """school_number,name_en,name_cy,local_authority,cluster,language_medium
6802101,Oak Primary,Ysgol Gynradd Derw,cardiff,Cardiff North,english
6802102,Ysgol Gymraeg Llwyn,Ysgol Gymraeg Llwyn,Caerdydd,Cardiff North,welsh
6612103,Ysgol Eryri,,Gwynedd,,bilingual
"""


def test_importing_schools_from_csv(app: Flask, ctx: None, tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text("\ufeff" + GOOD_CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-schools", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 1 clusters created" in result.output
    again = app.test_cli_runner().invoke(args=["import-schools", str(path)])
    assert "0 created, 3 updated, 0 clusters created" in again.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(School)) == 3
    assert db.session.scalar(select(func.count()).select_from(Cluster)) == 1


def test_a_bad_row_means_nothing_is_imported(app: Flask, ctx: None, tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text(
        GOOD_CSV
        + "12,No Number,,cardiff,,english\n"
        + "6802101,Duplicate,,cardiff,,english\n"
        + "6802105,,,Atlantis,,klingon\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["import-schools", str(path)])
    assert result.exit_code != 0
    assert "line 5: school_number must be 7 digits" in result.output
    assert "line 6: school_number 6802101 appears more than once" in result.output
    assert "line 7: name_en is empty" in result.output
    assert "line 7: language_medium must be one of" in result.output
    assert "line 7: unknown local_authority 'Atlantis'" in result.output
    assert "Nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(School)) == 0


def test_a_csv_without_the_right_columns_is_refused(app: Flask, ctx: None, tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text("name,town\nA,B\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-schools", str(path)])
    assert result.exit_code != 0
    assert "missing columns: school_number" in result.output


def test_seed_demo_is_idempotent_and_keeps_saved_answers(
    app: Flask, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_DEMO_PASSWORD", "demo password for tests")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    for email in (
        "lead@demo.example",
        "colleague@demo.example",
        "coordinator@demo.example",
        "admin@demo.example",
        "la-admin@demo.example",
    ):
        assert email in first.output
    assert "demo password for tests" in first.output

    client = app.test_client()
    response = client.post(
        "/cy/sign-in", data={"email": "lead@demo.example", "password": "demo password for tests"}
    )
    assert response.status_code == 302
    client.post(
        "/cy/plan/2026-27/about-your-school",
        data={
            "revision": "0",
            "phase": "primary",
            "teaching_staff": "9",
            "support_staff": "4",
            "pl_lead": "Catrin",
            "funding_allocation": "9000",
        },
    )
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    db.session.rollback()
    # Six schools of their own, and six more with plans in the coordinator's cluster, each
    # with a lead who cannot sign in (see tests/integration/test_seed_data.py).
    assert db.session.scalar(select(func.count()).select_from(School)) == 12
    assert db.session.scalar(select(func.count()).select_from(User)) == 11
    lead = db.session.scalar(select(User).where(User.email == "lead@demo.example"))
    # This year's answers (last year's plan, with its year-end review, is the seed's own).
    saved = db.session.scalar(
        select(PlanAnswer)
        .join(Plan)
        .where(
            Plan.school_id == lead.school_id,
            Plan.academic_year == 2026,
            PlanAnswer.step == "about-your-school",
        )
    )
    assert saved.data["pl_lead"] == "Catrin"
    welsh = db.session.scalar(select(School).where(School.language_medium == "welsh"))
    assert welsh.name_cy.startswith("Ysgol")
    colleague = db.session.scalar(select(User).where(User.email == "colleague@demo.example"))
    assert lead.is_school_lead and lead.school_id == colleague.school_id


def test_a_random_demo_password_is_kept_between_runs(
    app: Flask, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WIZARD_DEMO_PASSWORD", raising=False)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    second = runner.invoke(args=["seed-demo"]).output
    assert first.splitlines()[0] == second.splitlines()[0]
    assert "password for all:" in first
