"""The plan's journey as data: tasks, their steps, statuses and navigation.

Plain Python with no Flask imports, so that it can be unit-tested on its own. Views turn the
`Location`s returned here into URLs.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The keys of the answers other modules read, named once here.
ABOUT_STEP = "about-your-school"
BOARD_STEP = "diamond-9"
CRITERIA_STEP = "success-criteria"
FUNDING_STEP = "funding-plan"

Answers = Mapping[str, Mapping[str, Any]]
"""Saved answers of a plan: step slug -> that step's answer data."""


class TaskStatus(enum.StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    CANNOT_START = "cannot-start"


def _has_value(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    return True


@dataclass(frozen=True)
class Step:
    """One page of questions. `required` answers must all be present for it to be complete."""

    slug: str
    required: tuple[str, ...] = ()
    is_complete: Callable[[Mapping[str, Any]], bool] | None = None
    endpoint: str = "plan.step"
    """The view that shows this step: the generic step page, or a page of its own (the
    Diamond 9 board, the funding plan), named here so that no link depends on URL prefixes."""

    def complete(self, data: Mapping[str, Any] | None) -> bool:
        if not data:
            return False
        if self.is_complete is not None:
            return self.is_complete(data)
        return all(_has_value(data.get(name)) for name in self.required)


@dataclass(frozen=True)
class Task:
    """A task on the plan's task list, made of one or more steps."""

    key: str
    steps: tuple[Step, ...]
    depends_on: tuple[str, ...] = ()
    confirm_completion: bool = False
    """Ask "Have you completed this section?" on the task's check page (GOV.UK pattern for
    tasks with long or optional answers); the task is complete only once the answer is yes."""
    optional: bool = False
    """An optional task (success criteria): shown on the task list, never needed to submit."""

    @property
    def completion_key(self) -> str:
        """The answers key where the "Have you completed this section?" answer is kept."""
        return f"{self.key}:completed"


@dataclass(frozen=True)
class Location:
    """Where to go next: the hub, a step, or a task's check-your-answers page."""

    kind: str  # "hub", "step", "check" (a task's answers), "plan-check" (the whole plan) or
    # "submit" (the whole plan, on the page that submits it)
    slug: str = ""
    return_to: str | None = None


HUB = Location("hub")
CHECK = "check"
"""Return to the task's check-your-answers page after a change."""
PLAN = "plan"
"""Return to the whole plan's check-your-answers page after a change."""
SUBMIT = "submit"
"""Return to the check-and-submit page (which shows every answer) after a change."""
RETURN_TO = (CHECK, PLAN, SUBMIT)
_RETURN_PAGES = {PLAN: "plan-check", SUBMIT: "submit"}


def is_marked_complete(task: Task, answers: Answers) -> bool:
    return bool((answers.get(task.completion_key) or {}).get("completed"))


@dataclass
class Journey:
    tasks: tuple[Task, ...]
    _steps: dict[str, tuple[Task, Step]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._steps = {}
        for task in self.tasks:
            for step in task.steps:
                if step.slug in self._steps:
                    raise ValueError(f"Step slug {step.slug!r} is used twice")
                self._steps[step.slug] = (task, step)

    # Lookups
    def task(self, key: str) -> Task | None:
        return next((task for task in self.tasks if task.key == key), None)

    def find_step(self, slug: str) -> tuple[Task, Step] | None:
        return self._steps.get(slug)

    # Statuses
    def task_status(self, task: Task, answers: Answers) -> TaskStatus:
        for key in task.depends_on:
            required = self.task(key)
            if required is None or self.task_status(required, answers) != TaskStatus.COMPLETED:
                return TaskStatus.CANNOT_START
        done = [step.complete(answers.get(step.slug)) for step in task.steps]
        if all(done) and (not task.confirm_completion or is_marked_complete(task, answers)):
            return TaskStatus.COMPLETED
        if any(done) or any(answers.get(step.slug) for step in task.steps):
            return TaskStatus.IN_PROGRESS
        return TaskStatus.NOT_STARTED

    def statuses(self, answers: Answers) -> dict[str, TaskStatus]:
        return {task.key: self.task_status(task, answers) for task in self.tasks}

    def confirmation_changed_by(
        self,
        slug: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any],
        answers: Answers,
    ) -> str | None:
        """The "Have you completed this section?" answer that saving `after` over `before` on
        the step `slug` withdraws (its key), or None.

        A section's completion follows its answers: once a confirmed section's answers change,
        it is in progress until someone confirms it again (an unchanged save keeps it)."""
        found = self.find_step(slug)
        if found is None:
            return None
        task, _ = found
        if not task.confirm_completion or not is_marked_complete(task, answers):
            return None
        return None if dict(before or {}) == dict(after) else task.completion_key

    # Navigation
    def can_access(self, slug: str, answers: Answers) -> bool:
        found = self.find_step(slug)
        if found is None:
            return False
        task, _ = found
        return self.task_status(task, answers) != TaskStatus.CANNOT_START

    def task_entry(self, task: Task, answers: Answers) -> Location | None:
        """Where the task list links a task: nowhere if it cannot start yet, its check page if
        complete, else the first incomplete step."""
        status = self.task_status(task, answers)
        if status == TaskStatus.CANNOT_START:
            return None
        for step in task.steps:
            if status != TaskStatus.COMPLETED and not step.complete(answers.get(step.slug)):
                return Location("step", step.slug)
        return Location("check", task.key)

    def next_location(self, slug: str, answers: Answers, return_to: str | None = None) -> Location:
        """Where to go after a step is saved (post-redirect-get target)."""
        found = self.find_step(slug)
        if found is None:
            return HUB
        task, step = found
        if return_to in RETURN_TO:
            # After a change from check-your-answers, first visit any step the change has
            # left incomplete, then return.
            for other in task.steps:
                if other is not step and not other.complete(answers.get(other.slug)):
                    return Location("step", other.slug, return_to=return_to)
            if return_to in _RETURN_PAGES:
                return Location(_RETURN_PAGES[return_to])
            return Location("check", task.key)
        index = task.steps.index(step)
        if index + 1 < len(task.steps):
            return Location("step", task.steps[index + 1].slug)
        return Location("check", task.key)

    def previous_location(self, slug: str, return_to: str | None = None) -> Location:
        """Where the back link of a step goes."""
        found = self.find_step(slug)
        if found is None:
            return HUB
        task, step = found
        if return_to == CHECK:
            return Location("check", task.key)
        if return_to in _RETURN_PAGES:
            return Location(_RETURN_PAGES[return_to])
        index = task.steps.index(step)
        if index > 0:
            return Location("step", task.steps[index - 1].slug)
        return HUB


ABOUT_YOUR_SCHOOL = Task(
    key=ABOUT_STEP,
    steps=(
        Step(
            slug=ABOUT_STEP,
            required=(
                "phase",
                "teaching_staff",
                "support_staff",
                "pl_lead",
                "funding_allocation_pence",
            ),
        ),
    ),
)

CONTEXT_KEYS = ("school", "regional", "national")
CONTEXTS = Task(
    key="contexts",
    steps=tuple(Step(slug=f"context-{key}", required=("reflection",)) for key in CONTEXT_KEYS),
    confirm_completion=True,
)

HALLMARK_COUNT = 8
HALLMARKS = Task(
    key="hallmarks",
    # The steps' slugs name each hallmark by its stable id (framework.Hallmark.id), not by the
    # number shown, so that a renumbering changes no URL and no stored answer.
    steps=tuple(
        Step(
            slug=f"hallmark-{hallmark_id}",
            required=("rating", "evidence", "next_steps"),
        )
        for hallmark_id in range(1, HALLMARK_COUNT + 1)
    ),
    confirm_completion=True,
)


def _board_complete(data: Mapping[str, Any]) -> bool:
    slots = data.get("slots") or {}
    return isinstance(slots, Mapping) and len({card for card in slots.values() if card}) == 9


DIAMOND_9 = Task(
    key=BOARD_STEP,
    steps=(
        Step(
            slug=BOARD_STEP,
            is_complete=_board_complete,
            endpoint="diamond.board",
        ),
    ),
)


def _has_lines(data: Mapping[str, Any]) -> bool:
    lines = data.get("lines") or []
    return isinstance(lines, list) and len(lines) > 0


FUNDING_PLAN = Task(
    key=FUNDING_STEP,
    steps=(Step(slug=FUNDING_STEP, is_complete=_has_lines, endpoint="funding.lines"),),
    # The plan needs the year's allocation from "About your school".
    depends_on=(ABOUT_STEP,),
    confirm_completion=True,
)


def _saved(data: Mapping[str, Any]) -> bool:
    """An optional step is complete once it has been saved, whatever it holds."""
    return True


SUCCESS_CRITERIA = Task(
    key=CRITERIA_STEP,
    # For each priority on the board: what will be different, and how you will know. Optional,
    # and only once the board is complete (the criteria are about its nine cards).
    steps=(Step(slug=CRITERIA_STEP, is_complete=_saved),),
    depends_on=(BOARD_STEP,),
    optional=True,
)

JOURNEY = Journey(
    tasks=(ABOUT_YOUR_SCHOOL, CONTEXTS, HALLMARKS, DIAMOND_9, SUCCESS_CRITERIA, FUNDING_PLAN)
)


def required_tasks() -> tuple[Task, ...]:
    """The tasks a plan needs before it is submitted (every task but the optional ones)."""
    return tuple(task for task in JOURNEY.tasks if not task.optional)
