"""The step engine, without Flask: statuses, where each step leads, and who may enter."""

from __future__ import annotations

import pytest

from wizard.domain.journey import (
    ABOUT_YOUR_SCHOOL,
    CHECK,
    CONTEXTS,
    HALLMARKS,
    HUB,
    JOURNEY,
    PLAN,
    SUCCESS_CRITERIA,
    Journey,
    Location,
    Step,
    Task,
    TaskStatus,
    required_tasks,
)
from wizard.domain.submission import incomplete_tasks

ABOUT_DONE = {
    "about-your-school": {
        "phase": "primary",
        "teaching_staff": 12,
        "support_staff": 0,
        "pl_lead": "Catrin Jones",
        "funding_allocation_pence": 0,
    }
}

# A made-up journey shaped like the later tasks: several steps, and a task that needs another.
FIRST = Step("first", required=("a",))
SECOND = Step("second", required=("b",))
THIRD = Step("third", required=("c",))
REVIEW = Task("review", steps=(FIRST, SECOND, THIRD))
PRIORITIES = Task("priorities", steps=(Step("board", required=("x",)),), depends_on=("review",))
EXAMPLE = Journey(tasks=(REVIEW, PRIORITIES))


def test_a_task_with_no_answers_is_not_yet_started() -> None:
    assert JOURNEY.task_status(ABOUT_YOUR_SCHOOL, {}) is TaskStatus.NOT_STARTED


def test_zero_is_an_answer_but_a_blank_name_is_not() -> None:
    assert JOURNEY.task_status(ABOUT_YOUR_SCHOOL, ABOUT_DONE) is TaskStatus.COMPLETED
    blank = {"about-your-school": {**ABOUT_DONE["about-your-school"], "pl_lead": "  "}}
    assert JOURNEY.task_status(ABOUT_YOUR_SCHOOL, blank) is TaskStatus.IN_PROGRESS


def test_a_task_is_in_progress_until_every_step_is_complete() -> None:
    answers = {"first": {"a": "yes"}}
    assert EXAMPLE.task_status(REVIEW, answers) is TaskStatus.IN_PROGRESS
    answers = {"first": {"a": 1}, "second": {"b": 2}, "third": {"c": 3}}
    assert EXAMPLE.task_status(REVIEW, answers) is TaskStatus.COMPLETED


def test_a_task_that_needs_another_cannot_start_yet() -> None:
    assert EXAMPLE.task_status(PRIORITIES, {}) is TaskStatus.CANNOT_START
    assert EXAMPLE.task_entry(PRIORITIES, {}) is None
    assert not EXAMPLE.can_access("board", {})
    done = {"first": {"a": 1}, "second": {"b": 2}, "third": {"c": 3}}
    assert EXAMPLE.task_status(PRIORITIES, done) is TaskStatus.NOT_STARTED
    assert EXAMPLE.can_access("board", done)


def test_unknown_steps_cannot_be_entered() -> None:
    assert not JOURNEY.can_access("no-such-step", {})
    assert JOURNEY.next_location("no-such-step", {}) == HUB
    assert JOURNEY.previous_location("no-such-step") == HUB


def test_steps_lead_to_the_next_step_and_the_last_to_the_check_page() -> None:
    assert EXAMPLE.next_location("first", {}) == Location("step", "second")
    assert EXAMPLE.next_location("second", {}) == Location("step", "third")
    assert EXAMPLE.next_location("third", {}) == Location("check", "review")
    assert JOURNEY.next_location("about-your-school", ABOUT_DONE) == Location(
        "check", "about-your-school"
    )


def test_back_goes_to_the_previous_step_then_the_task_list() -> None:
    assert EXAMPLE.previous_location("third") == Location("step", "second")
    assert EXAMPLE.previous_location("first") == HUB
    assert EXAMPLE.previous_location("second", return_to=CHECK) == Location("check", "review")


def test_a_change_from_check_your_answers_returns_there() -> None:
    done = {"first": {"a": 1}, "second": {"b": 2}, "third": {"c": 3}}
    assert EXAMPLE.next_location("second", done, return_to=CHECK) == Location("check", "review")


def test_a_change_that_leaves_a_step_incomplete_visits_it_before_returning() -> None:
    answers = {"first": {"a": 1}, "second": {"b": 2}}
    assert EXAMPLE.next_location("first", answers, return_to=CHECK) == Location(
        "step", "third", return_to=CHECK
    )


def test_the_task_list_links_to_the_first_incomplete_step_or_the_check_page() -> None:
    assert EXAMPLE.task_entry(REVIEW, {}) == Location("step", "first")
    assert EXAMPLE.task_entry(REVIEW, {"first": {"a": 1}}) == Location("step", "second")
    done = {"first": {"a": 1}, "second": {"b": 2}, "third": {"c": 3}}
    assert EXAMPLE.task_entry(REVIEW, done) == Location("check", "review")


def test_a_step_can_define_its_own_completeness() -> None:
    board = Step("board", is_complete=lambda data: len(data["cards"]) == 9)
    assert not board.complete({"cards": [1, 2]})
    assert board.complete({"cards": list(range(9))})
    assert not board.complete(None)


def test_step_slugs_must_be_unique() -> None:
    with pytest.raises(ValueError, match="used twice"):
        Journey(tasks=(REVIEW, Task("again", steps=(FIRST,))))


def test_statuses_of_a_plan_with_only_its_school_described() -> None:
    assert set(JOURNEY.statuses({}).values()) <= {TaskStatus.NOT_STARTED, TaskStatus.CANNOT_START}
    assert JOURNEY.statuses(ABOUT_DONE) == {
        "about-your-school": TaskStatus.COMPLETED,
        "contexts": TaskStatus.NOT_STARTED,
        "hallmarks": TaskStatus.NOT_STARTED,
        "diamond-9": TaskStatus.NOT_STARTED,
        # Optional, and about the board's nine cards: it waits for the board.
        "success-criteria": TaskStatus.CANNOT_START,
        "funding-plan": TaskStatus.NOT_STARTED,
    }
    assert JOURNEY.statuses({})["funding-plan"] is TaskStatus.CANNOT_START


def test_the_journey_has_three_contexts_and_eight_hallmarks() -> None:
    assert [s.slug for s in CONTEXTS.steps] == [
        "context-school",
        "context-regional",
        "context-national",
    ]
    assert [s.slug for s in HALLMARKS.steps] == [f"hallmark-{n}" for n in range(1, 9)]


def _all_hallmarks(**overrides: dict[str, str]) -> dict[str, dict[str, str]]:
    answers = {
        f"hallmark-{n}": {
            "rating": "developing",
            "evidence": "Lesson visits",
            "next_steps": "Coaching",
        }
        for n in range(1, 9)
    }
    answers.update(overrides)
    return answers


def test_a_task_that_asks_for_confirmation_is_complete_only_when_marked_complete() -> None:
    answers: dict[str, dict[str, object]] = dict(_all_hallmarks())
    assert JOURNEY.task_status(HALLMARKS, answers) is TaskStatus.IN_PROGRESS
    assert JOURNEY.task_entry(HALLMARKS, answers) == Location("check", "hallmarks")
    answers[HALLMARKS.completion_key] = {"completed": False}
    assert JOURNEY.task_status(HALLMARKS, answers) is TaskStatus.IN_PROGRESS
    answers[HALLMARKS.completion_key] = {"completed": True}
    assert JOURNEY.task_status(HALLMARKS, answers) is TaskStatus.COMPLETED
    # An answer that becomes incomplete takes the task back to in progress.
    answers["hallmark-3"] = {"rating": "developing", "evidence": "", "next_steps": "x"}
    assert JOURNEY.task_status(HALLMARKS, answers) is TaskStatus.IN_PROGRESS
    assert JOURNEY.task_entry(HALLMARKS, answers) == Location("step", "hallmark-3")


def test_the_task_list_opens_the_first_unanswered_hallmark() -> None:
    answers = _all_hallmarks()
    del answers["hallmark-5"], answers["hallmark-6"]
    assert JOURNEY.task_entry(HALLMARKS, answers) == Location("step", "hallmark-5")


def test_hallmarks_lead_one_to_the_next_then_to_their_check_page() -> None:
    assert JOURNEY.next_location("hallmark-3", {}) == Location("step", "hallmark-4")
    assert JOURNEY.next_location("hallmark-8", {}) == Location("check", "hallmarks")
    assert JOURNEY.previous_location("hallmark-1") == HUB
    assert JOURNEY.previous_location("context-national") == Location("step", "context-regional")


def test_a_change_from_the_whole_plan_returns_to_the_whole_plan() -> None:
    answers = _all_hallmarks()
    assert JOURNEY.next_location("hallmark-2", answers, return_to=PLAN) == Location("plan-check")
    assert JOURNEY.previous_location("hallmark-2", return_to=PLAN) == Location("plan-check")
    del answers["hallmark-7"]
    assert JOURNEY.next_location("hallmark-2", answers, return_to=PLAN) == Location(
        "step", "hallmark-7", return_to=PLAN
    )


def test_success_criteria_are_optional_and_open_once_the_board_is_complete() -> None:
    assert SUCCESS_CRITERIA.optional and SUCCESS_CRITERIA not in required_tasks()
    board = {"diamond-9": {"slots": {str(n): f"card:c{n}" for n in range(1, 10)}}}
    assert JOURNEY.task_status(SUCCESS_CRITERIA, board) == TaskStatus.NOT_STARTED
    saved = {**board, "success-criteria": {"cards": {}}}
    assert JOURNEY.task_status(SUCCESS_CRITERIA, saved) == TaskStatus.COMPLETED
    assert SUCCESS_CRITERIA not in incomplete_tasks(board)
    # After the board, before the funding plan.
    keys = [task.key for task in JOURNEY.tasks]
    assert keys.index("success-criteria") == keys.index("diamond-9") + 1
