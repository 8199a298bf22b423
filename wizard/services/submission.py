"""Submitting a plan and reopening it: who may, whether it is ready, and telling the cluster's
coordinators once the version is committed (so that no view has to remember to).

The view checks the form (its CSRF token) and turns the typed results into HTTP.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.data.boards import DiamondSummary, summarise
from wizard.data.plans import answer_data, answer_languages, get_plan, plan_and_answers
from wizard.data.versions import CannotSubmit, get_version, reopen, submit
from wizard.domain.submission import Readiness, may_submit, readiness
from wizard.domain.values import PlanStatus
from wizard.services.notifications import submitted_mail
from wizard.services.outbox import dispatch

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanVersion, User


@dataclass(frozen=True)
class SubmissionState:
    """A draft plan on its check-and-submit page: its answers and what stops it being
    submitted."""

    plan: Plan
    data: dict[str, dict[str, Any]]
    readiness: Readiness
    languages: dict[str, str]
    """The language each step's answers were written in, where it is known."""

    def diamond(self, locale: str) -> DiamondSummary:
        """The board row by row, with the cards to title it (one query for own cards)."""
        return summarise(self.plan, self.data, locale)


def open_plan(school_id: int, academic_year: int) -> Plan | None:
    """The school's plan for the year (None: not started)."""
    return get_plan(school_id, academic_year)


def open_submission(school_id: int, academic_year: int) -> Plan | SubmissionState | None:
    """The draft plan with its answers, or the plan if it is submitted already (None: not
    started), from one query."""
    plan, answers = plan_and_answers(school_id, academic_year)
    if plan is None or plan.status != PlanStatus.DRAFT:
        return plan
    data = answer_data(answers)
    return SubmissionState(plan, data, readiness(data), answer_languages(answers))


def submitted_version(
    school_id: int, academic_year: int, number: int
) -> tuple[Plan, PlanVersion] | None:
    """A version of the school's plan for the year, with the plan (None: there is none)."""
    plan = get_plan(school_id, academic_year)
    version = get_version(plan, number) if plan is not None else None
    return None if plan is None or version is None else (plan, version)


class Refusal(enum.Enum):
    NOT_LEAD = "not-lead"
    """Only a school lead submits."""
    NOT_READY = "not-ready"
    """A task is incomplete, or more is planned than the allocation."""
    CHANGED = "changed"
    """Someone else submitted or changed the plan at the same moment."""


@dataclass(frozen=True)
class Submitted:
    version: PlanVersion


@dataclass(frozen=True)
class NotSubmitted:
    refusal: Refusal
    readiness: Readiness = Readiness()
    """With NOT_READY: what stops it, as the submitting transaction found it."""


def submit_plan(plan: Plan, user: User) -> Submitted | NotSubmitted:
    """Freeze the draft as a numbered version, and email the school's cluster coordinators
    (written to the outbox in the same transaction, sent once it is committed)."""
    if not may_submit(user.is_school_lead):
        return NotSubmitted(Refusal.NOT_LEAD)
    school = user.school
    assert school is not None
    try:
        version = submit(plan, school, user, mail=submitted_mail(plan, school))
    except CannotSubmit as refused:
        if refused.readiness.ready:
            return NotSubmitted(Refusal.CHANGED)
        return NotSubmitted(Refusal.NOT_READY, refused.readiness)
    dispatch()
    return Submitted(version)


def reopen_plan(plan: Plan, user: User) -> bool:
    """Start a new draft version of a submitted plan (the submitted one stays as it is).
    False if it was not submitted (someone else reopened it first)."""
    return reopen(plan, user)
