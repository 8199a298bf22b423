"""The plan's steps: loading a plan's answers, saving one step, and the "Have you completed
this section?" answer of a task's check page, each saved with compare-and-set on the answer's
revision (a stale save is refused and says who saved meanwhile).

The view validates the form and builds the step's answers; this module decides where the
journey goes next, and returns what happened as a typed result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.data.accounts import name_of
from wizard.data.boards import DiamondSummary, summarise
from wizard.data.plans import (
    answer_data,
    answer_languages,
    get_or_create_plan,
    is_draft,
    plan_and_answers,
    require_draft,
    save_step,
)
from wizard.data.versions import confirmed_revisions, latest_plan_before
from wizard.domain.funding import Totals
from wizard.domain.funding import summarise as summarise_funding
from wizard.domain.journey import ABOUT_STEP, HUB, JOURNEY, Location, Task, is_marked_complete
from wizard.services.offered import require_offered

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanAnswer, User


@dataclass
class PlanAnswers:
    """A school's plan for a year (None: not started) and its answers, by step."""

    school_id: int
    academic_year: int
    plan: Plan | None
    answers: dict[str, PlanAnswer]
    data: dict[str, dict[str, Any]]

    @property
    def editable(self) -> bool:
        return is_draft(self.plan)

    @property
    def funding_totals(self) -> Totals:
        return summarise_funding(self.data).totals

    def diamond(self, locale: str) -> DiamondSummary:
        """The board row by row, with the cards to title it (one query for own cards)."""
        return summarise(self.plan, self.data, locale)

    def saved(self, key: str) -> PlanAnswer | None:
        return self.answers.get(key)

    @property
    def languages(self) -> dict[str, str]:
        """The language each step's answers were written in, where it is known."""
        return answer_languages(self.answers)


def load_plan(school_id: int, academic_year: int) -> PlanAnswers:
    """The plan and its answers, in one query."""
    plan, answers = plan_and_answers(school_id, academic_year)
    return PlanAnswers(school_id, academic_year, plan, answers, answer_data(answers))


def previous_plan(school_id: int, academic_year: int) -> Plan | None:
    """The school's latest plan of an earlier year (to start this one from)."""
    return latest_plan_before(school_id, academic_year)


def open_step(school_id: int, academic_year: int, slug: str) -> PlanAnswers | None:
    """The plan, to show or save the step `slug`; None if the step cannot start yet.

    Raises PlanLocked if the plan has been submitted, PlanNotOffered if it is next year's and
    cannot be started yet.
    """
    state = load_plan(school_id, academic_year)
    require_offered(school_id, academic_year, state.plan)
    if not JOURNEY.can_access(slug, state.data):
        return None
    require_draft(state.plan)
    return state


@dataclass(frozen=True)
class Saved:
    """The answers were saved."""

    next: Location
    """Where the journey goes next."""
    over: Totals | None = None
    """The funding totals, when the save left more planned than the allocation."""


@dataclass(frozen=True)
class Conflict:
    """Refused: someone else saved these answers since the user opened the page."""

    current: PlanAnswer | None
    """The answer as the other person saved it."""
    author: str | None
    """Their name, if they are still a user."""

    @property
    def revision(self) -> int:
        """The revision the next save should be based on."""
        return self.current.revision if self.current else 0


def _save(
    state: PlanAnswers,
    key: str,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    lang: str | None = None,
) -> Conflict | None:
    if state.plan is None:
        require_offered(state.school_id, state.academic_year, None)
    plan = state.plan or get_or_create_plan(state.school_id, state.academic_year)
    state.plan = plan
    unconfirm = JOURNEY.confirmation_changed_by(key, state.data.get(key), data, state.data)
    result = save_step(
        plan,
        key,
        data,
        based_on_revision,
        user,
        lang=lang,
        unconfirm=unconfirm,
        before=state.data.get(key) or {},
    )
    if result.saved:
        return None
    current = result.current
    return Conflict(current, name_of(current.updated_by_id) if current else None)


def save_answers(
    state: PlanAnswers,
    slug: str,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    return_to: str | None = None,
    *,
    lang: str | None = None,
) -> Saved | Conflict:
    """Save a step's answers, written in `lang`, if nobody has saved them since
    `based_on_revision`."""
    if (conflict := _save(state, slug, data, based_on_revision, user, lang)) is not None:
        return conflict
    state.data[slug] = data
    over = None
    if slug == ABOUT_STEP and (funding := state.funding_totals).over:
        # A lower allocation than is already planned is saved, and said at once.
        over = funding
    return Saved(JOURNEY.next_location(slug, state.data, return_to), over)


def open_task(school_id: int, academic_year: int, task: Task) -> PlanAnswers | None:
    """The plan, to check a task's answers; None if the task cannot start yet."""
    state = load_plan(school_id, academic_year)
    return None if JOURNEY.task_entry(task, state.data) is None else state


def completion(state: PlanAnswers, task: Task) -> bool | None:
    """The answer to "Have you completed this section?" (None: not answered yet)."""
    saved = state.saved(task.completion_key)
    if saved is None or "completed" not in (saved.data or {}):
        # Not answered yet, or withdrawn by a change to the section's answers.
        return None
    return is_marked_complete(task, state.data)


def ready_to_confirm(state: PlanAnswers, task: Task) -> bool:
    """Whether the question can be answered: only once every step of the task is answered.

    Raises PlanLocked if the plan has been submitted.
    """
    require_draft(state.plan)
    return all(step.complete(state.data.get(step.slug)) for step in task.steps)


def confirm_completion(
    state: PlanAnswers, task: Task, completed: bool, based_on_revision: int, user: User
) -> Saved | Conflict:
    """Save the answer, with the revision of each of the task's answers, so that reopening
    the plan can tell whether they changed since."""
    answer = {"completed": completed, "revisions": confirmed_revisions(task, state.answers)}
    conflict = _save(state, task.completion_key, answer, based_on_revision, user)
    return conflict or Saved(HUB)
