"""Property test: any sequence of saves, stale saves, bad answers and completion answers
leaves the plan exactly as a simple model of it says."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.conftest import Directory, sign_in
from tests.html import soup
from wizard.data.database import db
from wizard.data.models import AuditEvent, Plan, PlanAnswer
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import JOURNEY, TaskStatus

YEAR = year_slug(academic_year_of(date.today()))

VALID: dict[str, dict[str, Any]] = {
    "about-your-school": {
        "phase": "secondary",
        "teaching_staff": "40",
        "support_staff": "20",
        "pl_lead": "Catrin",
        "funding_allocation": "15000",
    },
    "context-school": {"reflection": "Ours", "priorities": ["research-and-enquiry"]},
    "context-regional": {"reflection": "Regional"},
    "context-national": {"reflection": "National", "priorities": ["professional-standards"]},
    "hallmark-1": {"rating": "developing", "evidence": "Visits", "next_steps": "Coaching"},
}
INVALID: dict[str, dict[str, Any]] = {
    "about-your-school": {"phase": "primary", "teaching_staff": "many"},
    "context-school": {"reflection": ""},
    "context-regional": {"reflection": "x" * 2001},
    "context-national": {"reflection": "ok", "priorities": ["made-up"]},
    "hallmark-1": {"rating": "superb", "evidence": "x", "next_steps": "y"},
}
SAVED_FORM = {  # what a valid save stores
    "about-your-school": {
        "phase": "secondary",
        "teaching_staff": 40,
        "support_staff": 20,
        "pl_lead": "Catrin",
        "funding_allocation_pence": 1_500_000,
    },
    "context-school": {"reflection": "Ours", "priorities": ["research-and-enquiry"]},
    "context-regional": {"reflection": "Regional", "priorities": []},
    "context-national": {"reflection": "National", "priorities": ["professional-standards"]},
    "hallmark-1": {"rating": "developing", "evidence": "Visits", "next_steps": "Coaching"},
}

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("save"),
            st.sampled_from(sorted(VALID)),
            st.sampled_from(["fresh", "stale", "invalid"]),
        ),
        st.tuples(
            st.just("complete"),
            st.sampled_from(["contexts", "hallmarks"]),
            st.sampled_from(["yes", "no", "stale"]),
        ),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_any_sequence_of_saves_leaves_a_consistent_plan(
    app: Flask, directory: Directory, ops: list[tuple[str, str, str]]
) -> None:
    school = directory.school() if not hasattr(app, "_property_school") else None
    if school is not None:
        user = directory.user(email="prop@school.example", school=school, lead=True)
        app._property_school = (school.id, user.email)  # type: ignore[attr-defined]
    school_id, email = app._property_school  # type: ignore[attr-defined]
    db.session.execute(delete(AuditEvent))
    db.session.execute(delete(PlanAnswer))
    db.session.execute(delete(Plan))
    db.session.commit()
    client: FlaskClient = app.test_client()
    sign_in(client, email)

    model: dict[str, tuple[int, dict[str, Any]]] = {}
    for kind, target, how in ops:
        if kind == "save":
            revision = model.get(target, (0, {}))[0]
            sent_revision = revision + 5 if how == "stale" else revision
            data = INVALID[target] if how == "invalid" else VALID[target]
            response = client.post(
                f"/en/plan/{YEAR}/{target}", data={**data, "revision": str(sent_revision)}
            )
            if how == "invalid":
                assert response.status_code == 200
            elif how == "stale":
                assert response.status_code == 409
            else:
                assert response.status_code == 302
                model[target] = (revision + 1, SAVED_FORM[target])
        else:
            task = JOURNEY.task(target)
            assert task is not None
            key = task.completion_key
            revision = model.get(key, (0, {}))[0]
            all_answered = all(step.slug in model for step in task.steps)
            sent = {
                "completed": "yes" if how == "yes" else "no",
                "revision": str(revision + (3 if how == "stale" else 0)),
            }
            response = client.post(f"/en/plan/{YEAR}/{target}/check", data=sent)
            if not all_answered:
                # The question is only asked once every step is answered: nothing is saved.
                assert response.headers["Location"] == f"/en/plan/{YEAR}/{target}/check"
            elif how == "stale":
                assert response.status_code == 409
            else:
                assert response.status_code == 302
                model[key] = (revision + 1, {"completed": how == "yes"})

    db.session.rollback()
    rows = {
        row.step: row
        for row in db.session.scalars(
            select(PlanAnswer).join(Plan).where(Plan.school_id == school_id)
        )
    }
    assert {step: (row.revision, row.data) for step, row in rows.items()} == model
    expected = JOURNEY.statuses({step: data for step, (_, data) in model.items()})
    hub = client.get(f"/en/plan/{YEAR}/")
    labels = {
        TaskStatus.NOT_STARTED: "Not yet started",
        TaskStatus.IN_PROGRESS: "In progress",
        TaskStatus.COMPLETED: "Completed",
        TaskStatus.CANNOT_START: "Cannot start yet",
    }
    shown = [
        item.select_one(".govuk-task-list__status").get_text(" ", strip=True)
        for item in soup(hub).select(".govuk-task-list__item")
    ]
    assert shown == [labels[expected[task.key]] for task in JOURNEY.tasks]
