"""A save's draft lock, compare-and-set update and audit event (data/plans.save_step): on
PostgreSQL one statement, elsewhere three, with the same rows either way. A stale revision
changes nothing and returns the answer as saved; a plan submitted since it was read is refused
and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from tests.conftest import CountedQueries
from wizard.data.audit import AuditAction
from wizard.data.database import db
from wizard.data.models import AuditEvent, Plan, PlanAnswer, User
from wizard.data.plans import PlanLocked, get_or_create_plan, save_step
from wizard.domain.values import PlanStatus

YEAR = 2025
STEP = "context-school"
FIRST = {"reflection": "Ein myfyrdod", "priorities": []}
SECOND = {"reflection": "Our reflection", "priorities": []}

CountQueries = Callable[[], AbstractContextManager[CountedQueries]]


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def started(lead: User) -> Plan:
    """The lead's plan with the step saved once (revision 1, written in Welsh), as a new
    request reads it."""
    assert lead.school_id is not None
    plan = get_or_create_plan(lead.school_id, YEAR)
    assert save_step(plan, STEP, FIRST, 0, lead, lang="cy").saved
    db.session.expire_all()
    found = db.session.get(Plan, plan.id)
    assert found is not None
    return found


def answer(plan: Plan) -> PlanAnswer:
    db.session.expire_all()
    found = db.session.scalar(
        select(PlanAnswer).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == STEP)
    )
    assert found is not None
    return found


def audit_of(plan: Plan) -> list[tuple[str, int | None, dict[str, object]]]:
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id == plan.id).order_by(AuditEvent.id)
    )
    return [(event.action, event.user_id, event.detail) for event in events]


def test_a_save_writes_the_answer_the_plans_last_change_and_its_audit(
    lead: User, count_queries: CountQueries
) -> None:
    plan = started(lead)
    assert lead.id and plan.id  # loaded as a request has them
    with count_queries() as counted:
        result = save_step(plan, STEP, SECOND, 1, lead, lang="en")
    assert result.saved and result.current is None
    assert counted.total == (1 if on_postgresql() else 3), counted
    saved = answer(plan)
    assert (saved.data, saved.revision, saved.lang, saved.updated_by_id) == (
        SECOND,
        2,
        "en",
        lead.id,
    )
    reread = db.session.get(Plan, plan.id)
    assert reread is not None and reread.updated_at == saved.updated_at
    assert audit_of(plan) == [
        (AuditAction.ANSWER_SAVED.value, lead.id, {"step": STEP, "revision": 1}),
        (AuditAction.ANSWER_SAVED.value, lead.id, {"step": STEP, "revision": 2}),
    ]
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.created_at == saved.updated_at


def test_a_save_that_writes_no_text_keeps_the_answers_language(lead: User) -> None:
    plan = started(lead)
    assert save_step(plan, STEP, SECOND, 1, lead).saved
    assert answer(plan).lang == "cy"


@pytest.mark.parametrize("based_on", [0, 1, 7])
def test_a_stale_save_changes_nothing_and_returns_the_answer_as_saved(
    lead: User, based_on: int
) -> None:
    plan = started(lead)
    assert save_step(plan, STEP, SECOND, 1, lead).saved  # a colleague's: revision 2
    db.session.expire_all()
    before = answer(plan)
    last_change = before.updated_at
    stale = save_step(plan, STEP, {"reflection": "Mine", "priorities": []}, based_on, lead)
    assert not stale.saved
    assert stale.current is not None
    assert (stale.current.revision, stale.current.data) == (2, SECOND)
    after = answer(plan)
    assert (after.revision, after.data, after.updated_at) == (2, SECOND, last_change)
    reread = db.session.get(Plan, plan.id)
    assert reread is not None and reread.updated_at == last_change
    assert [detail["revision"] for _, _, detail in audit_of(plan)] == [1, 2]


def test_a_plan_submitted_since_it_was_read_is_refused_and_nothing_is_written(
    lead: User,
) -> None:
    plan = started(lead)
    # Someone submits the plan after this request read it as a draft.
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(status=PlanStatus.SUBMITTED))
    db.session.commit()
    set_committed_value(plan, "status", PlanStatus.DRAFT)
    with pytest.raises(PlanLocked):
        save_step(plan, STEP, SECOND, 1, lead)
    kept = answer(plan)
    assert (kept.revision, kept.data) == (1, FIRST)
    assert len(audit_of(plan)) == 1
