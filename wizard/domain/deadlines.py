"""A cluster's deadlines and the reminders before them (plain Python).

A coordinator sets one deadline per cluster, academic year and kind: the year's plans, and the
year-end reviews. Schools that have not submitted by then are reminded by email
WIZARD_REMINDER_DAYS_BEFORE days before (or, for a deadline set closer than that, as soon as
it is set) and on the day itself: once each (see `reminder_due`).
"""

from __future__ import annotations

import enum
from datetime import date


class DeadlineKind(enum.StrEnum):
    """What a deadline is for."""

    PLAN = "plan"
    YEAR_END = "year_end"


class ReminderKind(enum.StrEnum):
    """Which of a deadline's two reminders."""

    BEFORE = "before"
    ON_THE_DAY = "on-the-day"


def reminder_due(due_on: date, today: date, days_before: int) -> ReminderKind | None:
    """The reminder that is due `today` for a deadline on `due_on`, if any.

    The reminder before is due from `days_before` days before the deadline until the day
    before it (so that a sender that missed a day, or a deadline set late, still sends it);
    the reminder on the day only on the day (a day late it would say the wrong thing).
    """
    if today == due_on:
        return ReminderKind.ON_THE_DAY
    if 0 < (due_on - today).days <= days_before:
        return ReminderKind.BEFORE
    return None


def is_overdue(due_on: date | None, today: date, *, submitted: bool) -> bool:
    """Whether a school is late: the deadline has passed and its plan is not submitted."""
    return due_on is not None and today > due_on and not submitted
