"""The step conflict page offers both choices (keep theirs, or save mine over theirs), and small
things: the remove-line confirmation, numbers written one way in limits, `make reset-demo`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import field_value, soup, text
from tests.plans import LINE, revision
from wizard.config import ROOT
from wizard.data.database import db
from wizard.data.models import PlanAnswer, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
HALLMARK = f"/plan/{YEAR}/hallmark-2"


def answer(evidence: str, revision_: str) -> dict[str, str]:
    return {
        "revision": revision_,
        "rating": "developing",
        "evidence": evidence,
        "next_steps": "Coaching",
    }


def saved_evidence() -> str:
    db.session.rollback()
    row = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "hallmark-2"))
    assert row is not None
    return str(row.data["evidence"])


@pytest.fixture
def two_colleagues(app: Flask, directory: Directory, lead: User) -> tuple[FlaskClient, FlaskClient]:
    directory.user(email="colleague@school.example", school=lead.school, name="Rhys Evans")
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, lead.email)
    sign_in(theirs, "colleague@school.example")
    return mine, theirs


# Point 14 ---------------------------------------------------------------------------------------


def test_the_conflict_page_offers_both_choices_in_welsh(
    two_colleagues: tuple[FlaskClient, FlaskClient],
) -> None:
    mine, theirs = two_colleagues
    path = f"/cy{HALLMARK}?return_to=check"
    assert theirs.post(path, data=answer("Their evidence", "0")).status_code == 302
    stale = mine.post(path, data=answer("Fy nhystiolaeth i", "0"))
    assert stale.status_code == 409
    page = soup(stale)
    box = page.select_one(".govuk-error-summary")
    assert "ewch yn ôl" not in text(box)
    assert "Cymharwch nhw â'r atebion a gadwodd eich cydweithiwr" in text(box)

    # Save mine over theirs: a button that sends the form below (with my answers, based on
    # their revision).
    button = box.select_one("button[type=submit]")
    assert text(button) == "Cadw fy atebion i yn lle eu rhai nhw"
    form = page.find("form", id=button["form"])
    assert form is not None and form["method"] == "post"
    assert form["action"] == path
    assert form.find("textarea", attrs={"name": "evidence"}).get_text() == "Fy nhystiolaeth i"
    assert field_value(stale, "revision") == "1"

    # Keep theirs: a link that opens the page again with their answers.
    link = box.find("a", string="Dileu fy atebion i a chadw eu rhai nhw")
    assert link is not None and link["href"] == path
    kept = mine.get(link["href"])
    assert kept.status_code == 200
    assert soup(kept).find("textarea", attrs={"name": "evidence"}).get_text() == "Their evidence"
    assert saved_evidence() == "Their evidence"


def test_saving_mine_over_theirs_keeps_mine(
    two_colleagues: tuple[FlaskClient, FlaskClient],
) -> None:
    mine, theirs = two_colleagues
    path = f"/en{HALLMARK}"
    theirs.post(path, data=answer("Their evidence", "0"))
    stale = mine.post(path, data=answer("My evidence", "0"))
    assert stale.status_code == 409
    # What the button sends: the form as it stands.
    again = mine.post(path, data=answer("My evidence", field_value(stale, "revision") or ""))
    assert again.status_code == 302
    assert saved_evidence() == "My evidence"


def test_the_completion_question_conflict_offers_both_choices(
    two_colleagues: tuple[FlaskClient, FlaskClient],
) -> None:
    mine, theirs = two_colleagues
    from tests.plans import write_plan

    write_plan(theirs, YEAR)  # contexts and hallmarks confirmed by the colleague
    path = f"/en/plan/{YEAR}/hallmarks/check"
    stale = mine.post(path, data={"revision": "0", "completed": "no"})
    assert stale.status_code == 409
    page = soup(stale)
    button = page.select_one(".govuk-error-summary button[type=submit]")
    assert page.find("form", id=button["form"])["action"] == path
    link = page.select_one(".govuk-error-summary a.govuk-button")
    assert link["href"] == path


# Point 16 ---------------------------------------------------------------------------------------


def test_the_remove_line_page_does_not_run_the_description_into_the_amount(
    lead_client: FlaskClient,
) -> None:
    base = f"/cy/plan/{YEAR}"
    lead_client.post(
        f"{base}/about-your-school",
        data={
            "revision": "0",
            "phase": "primary",
            "teaching_staff": "3",
            "support_staff": "2",
            "pl_lead": "Catrin",
            "funding_allocation": "5000",
        },
    )
    path = f"{base}/funding-plan/lines/new"
    lead_client.post(
        path,
        data={
            **LINE,
            "priority": "",
            "description": "Rhyddhau staff i gydweithio yn y dosbarth.",
            "amount": "1800.50",
            "revision": revision(lead_client, path),
        },
    )
    db.session.rollback()
    line = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan"))
    assert line is not None
    line_id = line.data["lines"][0]["id"]
    page = soup(lead_client.get(f"{base}/funding-plan/lines/{line_id}/remove"))
    main = text(page.find("main"))
    assert ".:" not in main
    rows = {
        text(row.select_one("dt")): text(row.select_one("dd"))
        for row in page.select("main .govuk-summary-list__row")
    }
    assert rows == {
        "Beth fyddwch chi'n ei wneud?": "Rhyddhau staff i gydweithio yn y dosbarth.",
        "Swm": "£1,800.50",
    }


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_limit_hints_write_numbers_as_the_errors_do(lead_client: FlaskClient, lang: str) -> None:
    page = lead_client.get(f"/{lang}/plan/{YEAR}/hallmark-1")
    hints = [text(h) for h in soup(page).select(".govuk-character-count__message")]
    expected = {
        "en": "You can enter up to 2,000 characters",
        "cy": "Gallwch ddefnyddio hyd at 2,000 nod",
    }[lang]
    assert hints and all(h == expected for h in hints), hints
    assert "2000" not in text(soup(page).find("main"))
    # The error for too long an answer says "2,000" too.
    too_long = lead_client.post(
        f"/{lang}/plan/{YEAR}/hallmark-1",
        data={"revision": "0", "rating": "developing", "evidence": "x" * 2001, "next_steps": "y"},
    )
    assert "2,000" in text(soup(too_long).select_one(".govuk-error-summary"))
    # The count for GOV.UK Frontend's script is the plain number.
    count = soup(page).select_one(".govuk-character-count")
    assert count["data-maxlength"] == "2000"


def test_the_readme_names_only_files_in_the_repository_and_one_way_of_running_flask() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "research/" not in readme
    assert "seeds/" not in readme
    for line in readme.splitlines():
        stripped = line.strip()
        if stripped.startswith("flask ") or " flask --app" in f" {stripped}".replace(
            ".venv/bin/flask", ""
        ):
            raise AssertionError(f"bare flask command in the README: {line}")
    assert "make reset-demo" in readme


# `make reset-demo` is SQLite's alone (it refuses a DATABASE_URL): its own file, whichever
# database the run tests, so PostgreSQL's pass would repeat the same work.
@pytest.mark.database_free
def test_make_reset_demo_starts_the_demo_again(tmp_path: Path) -> None:
    """`make reset-demo` on a throwaway instance folder: the database there is deleted, made
    again from nothing and seeded; the demo password is kept; a DATABASE_URL is never touched.

    The database it finds is one changed by hand and at a revision no migration knows, so that
    one run shows all of it (each run is a new process that migrates and seeds, the costliest
    test of the suite when it ran twice): had the file been kept, the migrations would stop at
    the unknown revision, or the seed leave the name as it found it."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "WIZARD_INSTANCE_PATH": str(tmp_path),
        "WIZARD_DEMO_PASSWORD": "a demo password for the test",
    }
    database = tmp_path / "wizard.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.executescript(
            """
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
            INSERT INTO alembic_version VALUES ('changed0by0hand');
            CREATE TABLE user_account (email TEXT, name TEXT);
            INSERT INTO user_account VALUES ('lead@demo.example', 'Changed by hand');
            """
        )
    made = subprocess.run(
        ["make", "-s", "reset-demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        (name,) = connection.execute(
            "SELECT name FROM user_account WHERE email = 'lead@demo.example'"
        ).fetchone()
        schools = connection.execute("SELECT count(*) FROM school").fetchone()[0]
        (revision_,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert name == "Catrin Jones"
    assert schools >= 12
    assert revision_ != "changed0by0hand"

    refused = subprocess.run(
        ["make", "-s", "reset-demo"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode != 0
    assert "unset DATABASE_URL" in refused.stderr
