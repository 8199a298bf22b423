"""The plan factory (tests/plans.py `write_plan`) stores what filling the plan in through the
routes stores, so that tests may use either."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.plans import complete_plan, write_plan
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanStatus, School
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import BOARD_STEP, FUNDING_STEP, required_tasks

YEAR = year_slug(academic_year_of(date.today()))


def stored(school: School) -> dict[str, Any]:
    """The school's answers as stored, less what differs however the plan was filled in: the
    board's undo history (the routes' nine moves), a funding line's random id and the
    revisions that the moves counted up."""
    plan = db.session.query(Plan).filter_by(school_id=school.id).one()
    answers = {}
    for answer in db.session.query(PlanAnswer).filter_by(plan_id=plan.id):
        data = dict(answer.data)
        if answer.step == BOARD_STEP:
            data.pop("history", None)
        if answer.step == FUNDING_STEP:
            data["lines"] = [{**line, "id": "-"} for line in data["lines"]]
        if answer.step.endswith(":completed"):
            data["revisions"] = sorted(data["revisions"])
        answers[answer.step] = {"data": data, "written in": answer.lang}
    return answers


def test_the_factory_stores_what_the_routes_store(
    app: Flask, directory: Directory, client: FlaskClient
) -> None:
    walked = directory.school("Walked")
    written = directory.school("Written")
    for school, fill in ((walked, complete_plan), (written, write_plan)):
        user = directory.user(f"lead@{school.name_en.lower()}.example", school=school, lead=True)
        browser = app.test_client()
        sign_in(browser, user.email)
        fill(browser, YEAR, reflection="Ours", distinct_evidence=True)
        # The plan is complete: it may be submitted.
        assert browser.post(f"/en/plan/{YEAR}/submit").status_code == 302, school.name_en
    db.session.expire_all()
    for school in (walked, written):
        plan = db.session.query(Plan).filter_by(school_id=school.id).one()
        assert plan.status == PlanStatus.SUBMITTED, school.name_en
    assert stored(written) == stored(walked)
    # Every step but the optional success criteria.
    assert set(stored(written)) == {
        step.slug for task in required_tasks() for step in task.steps
    } | {f"{task}:completed" for task in ("contexts", "hallmarks", FUNDING_STEP)}
