"""Helpers for the tests of a cluster's deadlines (for plans and for year-end reviews): the
reminders and emails as committed, the reminders sent day by day around a deadline, two
senders at once, and the dashboard's column of who was reminded."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.html import soup
from wizard.data import deadlines as deadline_data
from wizard.data.database import db
from wizard.data.models import DeadlineReminder, OutboxMail
from wizard.services import deadlines


def outbox() -> list[OutboxMail]:
    """Every email written, oldest first (as committed: the test's session starts afresh)."""
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def by_address() -> dict[str, list[OutboxMail]]:
    """The emails written to each address, oldest first."""
    found: dict[str, list[OutboxMail]] = {}
    for mail in outbox():
        found.setdefault(mail.recipient, []).append(mail)
    return found


def reminded_twice(due: date, *addresses: str) -> list[tuple[OutboxMail, OutboxMail]]:
    """Send the reminders seven days before the deadline and on the day: each address's two
    emails (exactly two), the one before and the one on the day."""
    deadlines.send_reminders(due - timedelta(days=7))
    deadlines.send_reminders(due)
    mails = by_address()
    found = []
    for address in addresses:
        before, on_the_day = mails[address]
        found.append((before, on_the_day))
    return found


def reminders() -> list[tuple[int, str]]:
    """Every reminder recorded: (school id, "before" or "on-the-day"), sorted."""
    db.session.rollback()
    return sorted((r.school_id, r.kind) for r in db.session.scalars(select(DeadlineReminder)))


def before_and_on_the_day(*school_ids: int) -> list[tuple[int, str]]:
    """Both reminders of each of these schools, as `reminders()` lists them."""
    return sorted((school, kind) for school in school_ids for kind in ("before", "on-the-day"))


def sent_around(due: date, between: date) -> list[int]:
    """The reminders sent by a sender run on each of these days, in turn: eight days before
    the deadline, seven days before (twice), on `between`, on the day (twice), the day after."""
    days = (
        due - timedelta(days=8),
        due - timedelta(days=7),
        due - timedelta(days=7),
        between,
        due,
        due,
        due + timedelta(days=1),
    )
    return [deadlines.send_reminders(day) for day in days]


def send_from_two_at_once(app: Flask, monkeypatch: pytest.MonkeyPatch, on: date) -> list[int]:
    """Two workers (or a job and its retry) both find the reminders unsent, then both write
    them: what each says it sent."""
    both_looked = threading.Barrier(2, timeout=10)
    looked = deadline_data.already_reminded

    def look_then_wait(*args: Any) -> set[int]:
        found = looked(*args)
        both_looked.wait()
        return found

    monkeypatch.setattr(deadline_data, "already_reminded", look_then_wait)

    def sender(_: int) -> int:
        with app.app_context():
            return deadlines.send_reminders(on)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(sender, range(2)))


def reminded_column(page: Any, header: str) -> tuple[list[str], dict[str, str]]:
    """The dashboard's schools table: its headers, and each school's cell under `header`."""
    table = soup(page).find("table")
    assert table is not None
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    column = headers.index(header) - 1  # the row's first cell is its <th>
    cells = {
        row.th.get_text(strip=True): row.find_all("td")[column].get_text(" ", strip=True)
        for row in table.select("tbody tr")
    }
    return headers, cells
