"""The step, completion and submission services called without HTTP: where the journey goes
after a save, saves that lose to someone else's, the "completed?" answer, and who may submit
what."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import Directory
from tests.plans import NINE
from wizard.data.database import db
from wizard.data.models import OutboxMail, User
from wizard.data.plans import PlanLocked
from wizard.domain import framework
from wizard.domain.journey import CONTEXT_KEYS, HALLMARK_COUNT, JOURNEY, Location
from wizard.domain.values import PlanStatus
from wizard.services import funding, steps, submission
from wizard.services.funding import LineInput
from wizard.services.steps import Conflict, Saved
from wizard.services.submission import NotSubmitted, Refusal, SubmissionState, Submitted

YEAR = 2025
ABOUT = {
    "phase": "primary",
    "teaching_staff": 12,
    "support_staff": 8,
    "pl_lead": "Catrin Jones",
    "funding_allocation_pence": 100_000,
}
LINE = LineInput(
    purpose="release-and-cover",
    purpose_other="",
    priority="",
    beneficiaries=["teachers"],
    term="autumn",
    description="Cover so that triads can plan together",
    amount_pence=60_000,
)


def _plan(user: User) -> steps.PlanAnswers:
    """The plan as a new request reads it."""
    assert user.school_id is not None
    db.session.expire_all()
    return steps.load_plan(user.school_id, YEAR)


def _save(user: User, slug: str, data: dict[str, object]) -> Saved | Conflict:
    state = _plan(user)
    saved = state.saved(slug)
    return steps.save_answers(state, slug, data, saved.revision if saved else 0, user)


def _confirm(user: User, task_key: str, completed: bool = True) -> Saved | Conflict:
    state = _plan(user)
    task = JOURNEY.task(task_key)
    assert task is not None
    marked = state.saved(task.completion_key)
    return steps.confirm_completion(state, task, completed, marked.revision if marked else 0, user)


def _complete(user: User) -> None:
    """Every task answered and confirmed, through the services."""
    _save(user, "about-your-school", ABOUT)
    for key in CONTEXT_KEYS:
        first = framework.elements_of(key)[0].key
        _save(user, f"context-{key}", {"reflection": "Our reflection", "priorities": [first]})
    for number in range(1, HALLMARK_COUNT + 1):
        answer = {"rating": "developing", "evidence": "Lesson visits", "next_steps": "Coaching"}
        _save(user, f"hallmark-{number}", answer)
    _save(user, "diamond-9", {"slots": {str(n): card for n, card in enumerate(NINE, start=1)}})
    assert user.school_id is not None
    state = funding.open_for_editing(user.school_id, YEAR, user, "en")
    assert state is not None
    funding.save_line(state, None, LINE, state.revision)
    for task in ("contexts", "hallmarks", "funding-plan"):
        assert isinstance(_confirm(user, task), Saved)


def test_a_saved_step_goes_on_to_the_next_or_back_where_it_was_asked_from(lead: User) -> None:
    answer = {"reflection": "Ours", "priorities": []}
    assert _save(lead, "context-school", answer) == Saved(Location("step", "context-regional"))
    again = steps.save_answers(_plan(lead), "context-school", answer, 1, lead, "check")
    assert again == Saved(Location("step", "context-regional", "check"))


def test_a_save_based_on_an_old_revision_is_refused_and_names_who_saved(lead: User) -> None:
    _save(lead, "about-your-school", ABOUT)
    conflict = steps.save_answers(_plan(lead), "about-your-school", ABOUT, 0, lead)
    assert isinstance(conflict, Conflict)
    assert conflict.revision == 1
    assert conflict.author == lead.name
    assert conflict.current is not None and conflict.current.data == ABOUT


def test_lowering_the_allocation_below_what_is_planned_is_saved_and_reported(
    lead: User,
) -> None:
    _save(lead, "about-your-school", ABOUT)
    assert lead.school_id is not None
    state = funding.open_for_editing(lead.school_id, YEAR, lead, "en")
    assert state is not None
    funding.save_line(state, None, LINE, 0)
    result = _save(lead, "about-your-school", {**ABOUT, "funding_allocation_pence": 50_000})
    assert isinstance(result, Saved)
    assert result.over is not None and result.over.over == 10_000


def test_a_step_cannot_open_before_its_task_can_start(lead: User) -> None:
    assert lead.school_id is not None
    assert steps.open_step(lead.school_id, YEAR, "about-your-school") is not None
    assert steps.open_step(lead.school_id, YEAR, "funding-plan") is None


def test_completion_is_asked_only_once_every_step_is_answered(lead: User) -> None:
    contexts = JOURNEY.task("contexts")
    assert contexts is not None
    _save(lead, "context-school", {"reflection": "Ours", "priorities": []})
    assert not steps.ready_to_confirm(_plan(lead), contexts)
    assert steps.completion(_plan(lead), contexts) is None
    for key in CONTEXT_KEYS[1:]:
        _save(lead, f"context-{key}", {"reflection": "Ours", "priorities": []})
    assert steps.ready_to_confirm(_plan(lead), contexts)
    assert _confirm(lead, "contexts", completed=False) == Saved(Location("hub"))
    assert steps.completion(_plan(lead), contexts) is False
    stale = steps.confirm_completion(_plan(lead), contexts, True, 0, lead)
    assert isinstance(stale, Conflict) and stale.revision == 1


def test_only_a_school_lead_submits(lead: User, directory: Directory) -> None:
    member = directory.user(email="member@school.example", school=lead.school, name="Aled")
    _complete(lead)
    state = _submission(lead)
    assert submission.submit_plan(state.plan, member) == NotSubmitted(Refusal.NOT_LEAD)
    assert state.plan.status == PlanStatus.DRAFT


def test_an_incomplete_plan_is_refused_with_what_stops_it(lead: User) -> None:
    _save(lead, "about-your-school", ABOUT)
    state = _submission(lead)
    result = submission.submit_plan(state.plan, lead)
    assert isinstance(result, NotSubmitted) and result.refusal is Refusal.NOT_READY
    assert [task.key for task in result.readiness.incomplete] == [
        "contexts",
        "hallmarks",
        "diamond-9",
        "funding-plan",
    ]
    assert result.readiness == state.readiness


def test_a_submitted_plan_is_frozen_its_coordinators_emailed_and_it_can_reopen(
    app: Flask, lead: User, directory: Directory
) -> None:
    cluster = directory.cluster()
    assert lead.school is not None
    lead.school.cluster = cluster
    directory.user(email="coordinator@cluster.example", coordinator_of=[cluster], name="Ffion")
    _complete(lead)
    state = _submission(lead)
    with app.test_request_context():  # the email's links
        result = submission.submit_plan(state.plan, lead)
    assert isinstance(result, Submitted) and result.version.number == 1
    mails = db.session.scalars(db.select(OutboxMail)).all()
    assert [mail.recipient for mail in mails] == ["coordinator@cluster.example"]
    assert lead.school_id is not None
    assert submission.open_submission(lead.school_id, YEAR) == state.plan
    with pytest.raises(PlanLocked):
        steps.open_step(lead.school_id, YEAR, "about-your-school")
    again = submission.submit_plan(state.plan, lead)
    assert again == NotSubmitted(Refusal.CHANGED)
    assert submission.reopen_plan(state.plan, lead)
    assert not submission.reopen_plan(state.plan, lead)
    assert state.plan.version == 2


def _submission(user: User) -> SubmissionState:
    assert user.school_id is not None
    db.session.expire_all()
    state = submission.open_submission(user.school_id, YEAR)
    assert isinstance(state, SubmissionState)
    return state
