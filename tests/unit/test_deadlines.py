"""When a deadline's reminders are due, and when a school is overdue."""

from __future__ import annotations

from datetime import date, timedelta

from wizard.domain.deadlines import ReminderKind, is_overdue, reminder_due

DUE = date(2027, 1, 29)


def test_the_reminder_before_is_due_from_the_days_before_until_the_day_before() -> None:
    assert reminder_due(DUE, DUE - timedelta(days=8), 7) is None
    assert reminder_due(DUE, DUE - timedelta(days=7), 7) is ReminderKind.BEFORE
    assert reminder_due(DUE, DUE - timedelta(days=1), 7) is ReminderKind.BEFORE


def test_the_reminder_on_the_day_only_on_the_day() -> None:
    assert reminder_due(DUE, DUE, 7) is ReminderKind.ON_THE_DAY
    assert reminder_due(DUE, DUE + timedelta(days=1), 7) is None


def test_overdue_only_after_the_day_and_unsubmitted() -> None:
    assert not is_overdue(DUE, DUE, submitted=False)
    assert is_overdue(DUE, DUE + timedelta(days=1), submitted=False)
    assert not is_overdue(DUE, DUE + timedelta(days=1), submitted=True)
    assert not is_overdue(None, DUE, submitted=False)
