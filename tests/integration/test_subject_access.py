"""Subject access and erasure (administrator commands): `flask export-person` writes
everything held about one person as JSON; `flask erase-person` removes the account and what
only identifies the person, and keeps the school's plan, comments and audit trail without their
name or email. Round trip: export, erase, export again, and the pages where the person was."""

from __future__ import annotations

import io
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.integration.test_coordinator import YEAR, submit
from tests.plans import write_plan
from wizard.data.database import db
from wizard.data.models import AuditEvent, PlanComment, PlanVersion, User, coordinator_cluster

EMAIL = "eleri.rees@school.example"
NAME = "Eleri Rees"


@dataclass
class World:
    lead: User
    colleague_client: FlaskClient
    coordinator_client: FlaskClient
    plan_url: str


@pytest.fixture
def world(app: Flask, directory: Directory) -> World:
    """A lead (the person) who signed in, failed once, asked for a reset, submitted the plan,
    replied to a comment and invited a colleague; a colleague and a coordinator who stay."""
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user(EMAIL, school=school, lead=True, name=NAME)
    directory.user("dafydd@school.example", school=school, name="Dafydd Morgan")
    directory.user("owain@la.example", coordinator_of=[cluster], name="Owain Hughes")
    lead_client, colleague, coordinator = app.test_client(), app.test_client(), app.test_client()
    app.test_client().post("/en/sign-in", data={"email": EMAIL, "password": "not my password"})
    app.test_client().post("/en/reset-password", data={"email": EMAIL})
    sign_in(lead_client, EMAIL)
    sign_in(colleague, "dafydd@school.example")
    sign_in(coordinator, "owain@la.example")
    write_plan(lead_client, YEAR)
    submit(lead_client)
    plan_url = f"/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
    assert (
        coordinator.post(
            f"/en{plan_url}/comments",
            data={"version": "1", "task": "whole-plan", "body": "A clear plan overall"},
        ).status_code
        == 302
    )
    comment_id = db.session.scalar(select(PlanComment.id))
    assert (
        lead_client.post(
            f"/en/plan/{YEAR}/feedback/{comment_id}/reply", data={"body": "Diolch, we will"}
        ).status_code
        == 302
    )
    invited = lead_client.post(
        "/en/account/invite",
        data={"name": "Siân Evans", "email": "sian@school.example", "language": "cy"},
    )
    assert invited.status_code == 302, invited.status_code
    return World(lead, colleague, coordinator, plan_url)


def _export(app: Flask, path: Path) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(args=["export-person", EMAIL.upper(), str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _pdf_text(client: FlaskClient, lang: str) -> str:
    response = client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _every_row() -> str:
    """Every row of every table, as text."""
    rows = []
    for table in db.metadata.sorted_tables:
        rows.extend(str(tuple(row)) for row in db.session.execute(select(table)))
    return "\n".join(rows)


def test_the_export_holds_everything_about_the_person(
    app: Flask, ctx: None, world: World, tmp_path: Path
) -> None:
    document = _export(app, tmp_path / "eleri.json")
    account = document["account"]
    assert account["name"] == NAME and account["email"] == EMAIL
    assert account["school_lead"] is True and account["school"]["name_en"]
    assert document["sessions"]["count"] == 1
    attempts = document["sign_in_attempts"]
    assert [a["succeeded"] for a in attempts] == [False, True]
    assert all(a["address"] for a in attempts)
    assert len(document["password_reset_links"]) == 1
    assert [c["body"] for c in document["comments"]] == ["Diolch, we will"]
    assert document["comments"][0]["reply"] is True
    assert [v["version"] for v in document["versions"] if v["submitted"]] == [1]
    assert document["plan_pages_last_saved"]
    assert len(document["invitations_sent"]) == 1
    assert "sian@school.example" not in json.dumps(document)  # someone else's address
    actions = {event["action"] for event in document["audit_events"]}
    assert {"sign-in-failed", "signed-in", "plan-submitted", "comment-replied"} <= actions
    subjects = [mail["subject"] for mail in document["emails"]]
    assert subjects == [
        "Reset your password for the Professional learning planner",
        "Feedback on your professional learning plan",
    ]
    # Never a password hash or a token's hash.
    dumped = json.dumps(document)
    assert "argon2" not in dumped and "token_hash" not in dumped


def test_nothing_is_held_about_an_unknown_person(app: Flask, ctx: None) -> None:
    result = app.test_cli_runner().invoke(args=["export-person", "nobody@school.example"])
    assert result.exit_code != 0 and "Nothing is held" in result.output
    result = app.test_cli_runner().invoke(args=["erase-person", "nobody@school.example", "--yes"])
    assert result.exit_code != 0 and "Nothing is held" in result.output


def test_erasure_asks_for_confirmation(app: Flask, ctx: None, world: World) -> None:
    result = app.test_cli_runner().invoke(args=["erase-person", EMAIL], input="n\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is not None


def test_export_erase_export_leaves_nothing_identifying_and_keeps_the_plan(
    app: Flask, ctx: None, world: World, tmp_path: Path
) -> None:
    assert NAME in _every_row() and EMAIL in _every_row()
    # The version's PDF, kept once made, names the person who submitted it.
    for lang in ("en", "cy"):
        assert NAME in _pdf_text(world.colleague_client, lang)
    kept = Path(app.config["PDF_CACHE_DIR"])
    assert len(list(kept.glob("*.pdf"))) >= 2
    result = app.test_cli_runner().invoke(args=["erase-person", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased" in result.output
    db.session.expire_all()

    # Nothing in any table names the person or their email, nor their addresses' records.
    everything = _every_row()
    assert NAME not in everything and EMAIL not in everything
    again = app.test_cli_runner().invoke(args=["export-person", EMAIL])
    assert again.exit_code != 0 and "Nothing is held" in again.output

    # What the school made stays: the version, the comment and the reply, the plan history.
    version = db.session.scalar(select(PlanVersion))
    assert version is not None and version.snapshot["submitted_by"] is None
    bodies = set(db.session.scalars(select(PlanComment.body)))
    assert bodies == {"A clear plan overall", "Diolch, we will"}
    submitted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan-submitted"))
    assert submitted is not None and submitted.user_id is None
    erased = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person-erased"))
    assert erased is not None and erased.detail["erased"]["account"] is True

    # The pages where the person was still render, saying who in both languages.
    removed = {
        "en": "A person whose account has been removed",
        "cy": "Person y mae ei gyfrif wedi'i ddileu",
    }
    left = {"en": "Someone who has left", "cy": "Rhywun sydd wedi gadael"}
    submitted_by = {
        "en": "a person whose account has been removed",
        "cy": "person y mae ei gyfrif wedi'i ddileu",
    }
    colleague, coordinator = world.colleague_client, world.coordinator_client
    for lang in ("en", "cy"):
        history = colleague.get(f"/{lang}/plan/{YEAR}/history")
        assert history.status_code == 200
        assert removed[lang] in text(soup(history).find("main"))
        versions = colleague.get(f"/{lang}/plan/{YEAR}/versions")
        assert versions.status_code == 200
        assert submitted_by[lang] in text(soup(versions).find("main"))
        shown = colleague.get(f"/{lang}/plan/{YEAR}/versions/1")
        assert shown.status_code == 200
        assert submitted_by[lang] in text(soup(shown).find("main"))
        hub = colleague.get(f"/{lang}/plan/{YEAR}/")
        assert hub.status_code == 200
        coordinator_view = coordinator.get(f"/{lang}{world.plan_url}")
        assert coordinator_view.status_code == 200
        page = text(soup(coordinator_view).find("main"))
        assert "Diolch, we will" in page and left[lang] in page
        assert NAME not in coordinator_view.get_data(as_text=True)
        pdf = _pdf_text(colleague, lang)
        assert NAME not in pdf and submitted_by[lang] in " ".join(pdf.split())


def test_erasing_a_coordinator_keeps_their_comment_without_their_name(
    app: Flask, ctx: None, world: World
) -> None:
    result = app.test_cli_runner().invoke(args=["erase-person", "owain@la.example", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert "Owain Hughes" not in _every_row() and "owain@la.example" not in _every_row()
    assert db.session.scalar(select(coordinator_cluster.c.cluster_id)) is None
    for lang, left in (("en", "Someone who has left"), ("cy", "Rhywun sydd wedi gadael")):
        hub = world.colleague_client.get(f"/{lang}/plan/{YEAR}/")
        assert hub.status_code == 200
        feedback = text(soup(hub).find(id="feedback"))
        assert "A clear plan overall" in feedback and left in feedback


def test_a_coordinators_export_holds_what_they_read_and_the_deadlines_they_set(
    app: Flask, ctx: None, world: World, tmp_path: Path
) -> None:
    """The coordinator's place in each plan's conversation (issue 27's read markers) and the
    deadlines they set are theirs: in their export; an erasure deletes the markers and keeps
    the deadlines, set by no one."""
    from datetime import date, timedelta

    from wizard.data.models import ClusterDeadline, CommentRead

    cluster_id = db.session.scalar(select(coordinator_cluster.c.cluster_id))
    reply_id = db.session.scalar(select(PlanComment.id).order_by(PlanComment.id.desc()))
    client = world.coordinator_client
    assert (
        client.post(
            f"/en/clusters/{cluster_id}/conversations/read?year={YEAR}",
            data={"up_to": str(reply_id)},
        ).status_code
        == 302
    )
    due = date.today() + timedelta(days=40)
    for kind in ("plan", "year_end"):
        if kind == "year_end":
            due = max(due, date(int(YEAR[:4]) + 1, 4, 1))
        response = client.post(
            f"/en/clusters/{cluster_id}/deadline?year={YEAR}&kind={kind}",
            data={"due_day": str(due.day), "due_month": str(due.month), "due_year": str(due.year)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    path = tmp_path / "owain.json"
    result = app.test_cli_runner().invoke(args=["export-person", "owain@la.example", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    [read] = document["conversations_read"]
    assert read["read_up_to_comment"] == reply_id and read["read_at"]
    assert read["plan"]["academic_year"] == int(YEAR[:4])
    deadlines = {entry["for"]: entry for entry in document["deadlines_set"]}
    assert set(deadlines) == {"plan", "year_end"}
    assert deadlines["year_end"]["due_on"] == due.isoformat()
    assert all(entry["cluster"] == "West" and entry["set_at"] for entry in deadlines.values())
    # The lead set no deadline and read nothing as a coordinator.
    lead = _export(app, tmp_path / "eleri.json")
    assert lead["conversations_read"] == [] and lead["deadlines_set"] == []

    result = app.test_cli_runner().invoke(args=["erase-person", "owain@la.example", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(CommentRead)) is None
    kept = list(db.session.scalars(select(ClusterDeadline)))
    assert len(kept) == 2 and all(deadline.set_by_id is None for deadline in kept)
