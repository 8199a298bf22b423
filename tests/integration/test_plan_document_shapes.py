"""Every snapshot the seeds, the submission and the privacy tools store is read by the plan
document and written back as it was; and renumbering the framework's hallmarks changes what
people see, not what is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.plans import complete_plan, revision
from wizard.data.database import db
from wizard.data.models import FactRating, Plan, PlanVersion
from wizard.data.plans import answer_data, answers_of
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.plan_document import SCHEMA_VERSION, PlanDocument

THIS = academic_year_of(date.today())
SLUG = year_slug(THIS)


def assert_round_trips(snapshot: dict[str, Any]) -> None:
    document = PlanDocument.from_stored(snapshot)
    languages = snapshot.get("languages", {})
    assert document.to_stored() == {
        **snapshot,
        "schema_version": SCHEMA_VERSION,
        "languages": languages,
    }


def test_every_version_and_plan_the_seeds_make_round_trips(
    app: Flask, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_DEMO_PASSWORD", "demo password for tests")
    runner = app.test_cli_runner()
    wales = runner.invoke(args=["seed-wales", "--schools", "6", "--clusters", "2"])
    assert wales.exit_code == 0, wales.output
    demo = runner.invoke(args=["seed-demo"])
    assert demo.exit_code == 0, demo.output
    db.session.rollback()
    versions = list(db.session.scalars(select(PlanVersion)))
    assert len(versions) >= 6
    assert any(v.snapshot["own_cards"] for v in versions)  # the demo's own cards
    for version in versions:
        assert_round_trips(version.snapshot)
    for plan in db.session.scalars(select(Plan)):
        data = answer_data(answers_of(plan))
        assert PlanDocument.from_answers(data).answers() == data


@pytest.fixture
def lead(app: Flask, directory: Directory, client: FlaskClient) -> Any:
    school = directory.school(cluster=directory.cluster("Gower"))
    user = directory.user(email="lead@school.example", school=school, lead=True)
    sign_in(client, user.email)
    return user


def test_a_submitted_version_is_stored_in_the_current_schema(
    client: FlaskClient, lead: Any
) -> None:
    complete_plan(client, SLUG)
    assert client.post(f"/en/plan/{SLUG}/submit").status_code == 302
    (version,) = db.session.scalars(select(PlanVersion))
    assert version.snapshot["schema_version"] == SCHEMA_VERSION
    assert PlanDocument.from_stored(version.snapshot).to_stored() == version.snapshot


def test_renumbered_hallmarks_keep_their_plans_cards_and_facts(
    client: FlaskClient, lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete_plan(client, SLUG)
    # The school rates "centred on all learners" (stored id 2) as established.
    url = f"/en/plan/{SLUG}/hallmark-2"
    data = {"rating": "established", "evidence": "Pupil voice", "next_steps": "Coaching"}
    assert client.post(url, data={**data, "revision": revision(client, url)}).status_code == 302
    # The change withdrew "completed" from the hallmarks: the lead confirms them again.
    check = f"/en/plan/{SLUG}/hallmarks/check"
    confirmed = client.post(check, data={"revision": revision(client, check), "completed": "yes"})
    assert confirmed.status_code == 302
    # NAEL confirms a numbering that puts it fifth, and "focussed on application" second.
    swap = {2: 5, 5: 2}
    renumbered = tuple(
        sorted(
            (replace(h, number=swap.get(h.number, h.number)) for h in framework.HALLMARKS),
            key=lambda h: h.number,
        )
    )
    monkeypatch.setattr(framework, "HALLMARKS", renumbered)

    assert client.post(f"/en/plan/{SLUG}/submit").status_code == 302
    facts = {f.hallmark: f.rating for f in db.session.scalars(select(FactRating))}
    assert facts[2] == "established" and facts[5] == "developing"

    page = soup(client.get(f"/en/plan/{SLUG}/summary"))
    section = page.find(id="summary-hallmark-2")
    assert section is not None
    assert section.h3.get_text(strip=True).startswith("5. Centred on supporting all learners")
    assert "Established" in section.get_text()
    rows = [th.get_text(strip=True) for th in page.select(".app-summary__hallmarks tbody th")]
    assert [row.split(".")[0] for row in rows] == [str(n) for n in range(1, 9)]
    assert rows[4].startswith("5. Centred on supporting all learners")
