"""Next year's plan: when it is offered, and what it takes from the plan it starts from.

Plain Python, so that the rules can be unit-tested alone. Starting a plan from last year's
goes through `carried_over` step by step: a rule for another step (last year's unmet
priorities, say) is one more branch there, or one more entry in CARRY_RULES.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from wizard.domain.academic_year import academic_year_of
from wizard.domain.journey import ABOUT_STEP, JOURNEY
from wizard.domain.year_end import CARRIED_STEP

DEFAULT_OPENS = (6, 1)
"""(month, day): from 1 June next year's plan is offered even if this year's is not
submitted (WIZARD_NEXT_YEAR_FROM, "MM-DD", changes it)."""

ALLOCATION = "funding_allocation_pence"


def parse_opens(raw: str) -> tuple[int, int] | None:
    """ "06-01" -> (6, 1); None if it is not a real month and day."""
    parts = raw.strip().split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    month, day = int(parts[0]), int(parts[1])
    try:
        date(2024, month, day)  # a leap year, so that 02-29 is a day
    except ValueError:
        return None
    return month, day


def opens_on(academic_year: int, opens: tuple[int, int]) -> date:
    """The day, in the academic year before `academic_year`, from which its plan is offered
    whatever the state of the year before's (an academic year runs from 1 August)."""
    month, day = opens
    year = academic_year if month < 8 else academic_year - 1
    if (month, day) == (2, 29) and year % 4:
        day = 28
    return date(year, month, day)


def offered(
    academic_year: int, today: date, previous_submitted: bool, opens: tuple[int, int]
) -> bool:
    """Whether the plan for `academic_year` may be started: this year's and earlier always;
    next year's once this year's has been submitted, or from the configured day."""
    current = academic_year_of(today)
    if academic_year <= current:
        return True
    if academic_year > current + 1:
        return False
    return previous_submitted or today >= opens_on(academic_year, opens)


def _about(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The school's details stay; the year's allocation is new each year, so it is asked
    again (and "About your school" is in progress until it is given)."""
    return {key: value for key, value in data.items() if key != ALLOCATION}


def _not_carried(data: Mapping[str, Any]) -> None:
    return None


CARRY_RULES: dict[str, Callable[[Mapping[str, Any]], dict[str, Any] | None]] = {
    ABOUT_STEP: _about,
    # What last year's review carried into last year's plan is not carried again: this year's
    # plan takes what last year's own review carries (domain.year_end.next_year_answers).
    CARRIED_STEP: _not_carried,
}
"""Steps whose answers change on the way into next year's plan (None: not carried)."""

_COMPLETION_KEYS = frozenset(task.completion_key for task in JOURNEY.tasks)


def carried_over(step: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a step's answers become in a plan started from this one (None: nothing).

    "Have you completed this section?" is never carried: each section is confirmed again."""
    if step in _COMPLETION_KEYS:
        return None
    rule = CARRY_RULES.get(step)
    return rule(data) if rule is not None else dict(data)
