"""Clusters' deadlines: a coordinator sets the date by which the cluster's schools submit
their plans, and another for their year-end reviews; schools see each on their task list, and
those that have not submitted are reminded by email before it and on the day, once each, in
each lead's language (`send_reminders`, which `flask send-reminders` and the worker run).

A year-end review's reminders go to the schools whose plan is submitted (the review looks back
on it) and whose review is not, and only once the reviews have opened (1 April): a reminder
before the deadline that would fall earlier is sent on the day they open.

The date is Wales's: `today()` is the clock every caller takes unless told another (the tests
pass their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context

from wizard.data import deadlines as data
from wizard.data.clusters import cluster_of_coordinator
from wizard.data.models import Cluster, ClusterDeadline, DeadlineReminder, School, User
from wizard.domain import year_end as year_end_rules
from wizard.domain.deadlines import DeadlineKind, ReminderKind, is_overdue, reminder_due
from wizard.services import notifications, outbox

__all__ = [
    "ClusterDeadline",
    "DeadlineKind",
    "DeadlineSet",
    "DeadlineReminder",
    "ReminderKind",
    "SchoolDeadline",
    "deadline_for_cluster",
    "deadline_for_school",
    "earliest_deadline",
    "is_overdue",
    "reviews_open",
    "send_reminders",
    "set_deadline",
    "today",
]

WALES = ZoneInfo("Europe/London")


def today() -> date:
    """Today's date in Wales."""
    return datetime.now(WALES).date()


def deadline_for_cluster(
    user_id: int, cluster_id: int, academic_year: int, kind: DeadlineKind
) -> tuple[Cluster | None, ClusterDeadline | None]:
    """(the cluster, None if the user does not coordinate it; its deadline of this kind for
    the year, if set)."""
    cluster = cluster_of_coordinator(user_id, cluster_id)
    if cluster is None:
        return None, None
    return cluster, data.deadline_of(cluster_id, academic_year, kind)


def reviews_open(academic_year: int) -> date:
    """The day the year's year-end reviews open (the summer term)."""
    return year_end_rules.summer_term_starts(academic_year)


def earliest_deadline(kind: DeadlineKind, academic_year: int, on: date | None = None) -> date:
    """The earliest date a deadline of this kind may be set to: today, and for the year-end
    reviews not before they open (the schools could not have started)."""
    day = on or today()
    if kind is DeadlineKind.YEAR_END:
        return max(day, reviews_open(academic_year))
    return day


@dataclass(frozen=True)
class DeadlineSet:
    deadline: ClusterDeadline
    reminded: int
    """How many schools were reminded at once (a deadline set within the days before it)."""


@dataclass(frozen=True)
class DeadlineRefused:
    """A deadline the cluster may not have: nothing was set."""

    earliest: date
    """The earliest day it may be set to."""


def set_deadline(
    user: User,
    cluster_id: int,
    academic_year: int,
    kind: DeadlineKind,
    due_on: date,
    on: date | None = None,
) -> DeadlineSet | DeadlineRefused | None:
    """Set or move the cluster's deadline; None when the user does not coordinate it. A
    year-end reviews' deadline before `earliest_deadline` (before the reviews open: the
    schools could not have started) is refused, whoever calls. A deadline set (or moved)
    within the reminder's days sends its reminder now."""
    if cluster_of_coordinator(user.id, cluster_id) is None:
        return None
    day = on or today()
    if kind is DeadlineKind.YEAR_END:
        earliest = earliest_deadline(kind, academic_year, day)
        if due_on < earliest:
            return DeadlineRefused(earliest)
    deadline = data.set_deadline(cluster_id, academic_year, kind, due_on, user)
    reminded = _remind(deadline, day, int(current_app.config["REMINDER_DAYS_BEFORE"]))
    return DeadlineSet(deadline, reminded)


@dataclass(frozen=True)
class SchoolDeadline:
    """A school's deadline as its task list shows it."""

    due_on: date
    overdue: bool


def deadline_for_school(
    school: School | None,
    academic_year: int,
    *,
    submitted: bool,
    on: date | None = None,
    kind: DeadlineKind = DeadlineKind.PLAN,
) -> SchoolDeadline | None:
    """The school's cluster's deadline of this kind for the year (its plan, or its year-end
    review), if one is set; `submitted`: whether that plan or review is."""
    if school is None or school.cluster_id is None:
        return None
    deadline = data.deadline_of(school.cluster_id, academic_year, kind)
    if deadline is None:
        return None
    return SchoolDeadline(
        deadline.due_on, is_overdue(deadline.due_on, on or today(), submitted=submitted)
    )


def send_reminders(on: date | None = None) -> int:
    """Remind the schools that have not submitted their plan (or their year-end review) of
    every deadline near or on `on` (today in Wales unless told): write each reminder and its
    emails to the outbox, once per school, deadline and kind of reminder however many senders
    run at once, and send them. Returns how many reminders (schools, by deadline) this call
    sent."""
    day = on or today()
    days_before = int(current_app.config["REMINDER_DAYS_BEFORE"])
    if not has_request_context():
        # A job or a command: the emails' templates and links are made as in a request
        # (their language is each recipient's, their links' address the configured one).
        with current_app.test_request_context("/"):
            return send_reminders(day)
    return sum(
        _remind(deadline, day, days_before)
        for kind in DeadlineKind
        for deadline in data.deadlines_due(day, day + timedelta(days=days_before), kind)
    )


def _remind(deadline: ClusterDeadline, day: date, days_before: int) -> int:
    """Send the deadline's reminder due on `day` (if one is) to each school that has not
    submitted and has not had it; returns how many schools this call reminded."""
    kind = reminder_due(deadline.due_on, day, days_before)
    if kind is None:
        return 0
    if deadline.kind == DeadlineKind.YEAR_END and not year_end_rules.is_open(
        deadline.academic_year, day
    ):
        return 0  # the reviews have not opened: the reminder before waits for them
    sent = 0
    done = data.already_reminded(deadline, kind)
    for school in data.schools_without_submission(deadline):
        if school.id in done:
            continue
        mails = notifications.reminder_mail(deadline, school, kind)
        if data.record_reminder(deadline, school, kind, mails):
            sent += 1
            outbox.dispatch()
    return sent
