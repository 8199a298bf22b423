"""Clusters' deadlines and the reminders sent before them.

`set_deadline` and `record_reminder` are each one transaction and commit. A reminder is a row
unique per deadline, date, school and kind of reminder, written with its emails: of two senders
at once (two workers, a retried job), exactly one commits it, and so exactly one sends it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    ClusterDeadline,
    DeadlineReminder,
    Plan,
    School,
    User,
    YearEndReview,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.domain.deadlines import DeadlineKind
from wizard.domain.values import PlanStatus


def deadline_of(cluster_id: int, academic_year: int, kind: str) -> ClusterDeadline | None:
    return db.session.scalar(
        select(ClusterDeadline).where(
            ClusterDeadline.cluster_id == cluster_id,
            ClusterDeadline.academic_year == academic_year,
            ClusterDeadline.kind == kind,
        )
    )


def deadlines_of_clusters(
    cluster_ids: Iterable[int], academic_year: int, kind: str
) -> dict[int, ClusterDeadline]:
    """Cluster id -> its deadline of this kind for the year (one query)."""
    ids = list(cluster_ids)
    if not ids:
        return {}
    return {
        deadline.cluster_id: deadline
        for deadline in db.session.scalars(
            select(ClusterDeadline).where(
                ClusterDeadline.cluster_id.in_(ids),
                ClusterDeadline.academic_year == academic_year,
                ClusterDeadline.kind == kind,
            )
        )
    }


def deadlines_of_cluster(cluster_id: int, academic_year: int) -> dict[str, ClusterDeadline]:
    """Kind -> the cluster's deadline of that kind for the year (one query)."""
    return {
        deadline.kind: deadline
        for deadline in db.session.scalars(
            select(ClusterDeadline).where(
                ClusterDeadline.cluster_id == cluster_id,
                ClusterDeadline.academic_year == academic_year,
            )
        )
    }


def set_deadline(
    cluster_id: int, academic_year: int, kind: str, due_on: date, user: User
) -> ClusterDeadline:
    """Set (or move) the cluster's deadline of this kind for the year."""
    for _attempt in range(2):
        deadline = deadline_of(cluster_id, academic_year, kind)
        if deadline is None:
            deadline = ClusterDeadline(
                cluster_id=cluster_id, academic_year=academic_year, kind=kind
            )
            db.session.add(deadline)
        deadline.due_on = due_on
        deadline.set_at = utcnow()
        deadline.set_by_id = user.id
        try:
            db.session.flush()
        except IntegrityError:  # another coordinator set it at the same moment: move theirs
            db.session.rollback()
            continue
        record(
            AuditAction.DEADLINE_SET,
            user_id=user.id,
            cluster=cluster_id,
            year=academic_year,
            kind=kind,
            due_on=due_on.isoformat(),
        )
        db.session.commit()
        return deadline
    raise RuntimeError("the deadline could not be set")  # pragma: no cover


def deadlines_due(first: date, last: date, kind: str) -> list[ClusterDeadline]:
    """The deadlines of this kind from `first` to `last` (inclusive)."""
    return list(
        db.session.scalars(
            select(ClusterDeadline)
            .where(
                ClusterDeadline.kind == kind,
                ClusterDeadline.due_on >= first,
                ClusterDeadline.due_on <= last,
            )
            .order_by(ClusterDeadline.id)
        )
    )


def schools_without_submission(deadline: ClusterDeadline) -> list[School]:
    """The cluster's open schools that have not submitted what the deadline is for, by id. A
    closed school is never reminded.

    For the year's plans: those whose plan for the deadline's year is not started, in
    progress or reopened. For the year-end reviews: those whose plan has been submitted (a
    review looks back on a submitted version, so it can be written) and whose review is not
    started, in progress or reopened."""
    query = (
        select(School)
        .outerjoin(
            Plan,
            (Plan.school_id == School.id) & (Plan.academic_year == deadline.academic_year),
        )
        .where(School.cluster_id == deadline.cluster_id, School.closed_on.is_(None))
        .order_by(School.id)
    )
    if deadline.kind == DeadlineKind.YEAR_END:
        query = query.outerjoin(YearEndReview, YearEndReview.plan_id == Plan.id).where(
            or_(Plan.status == PlanStatus.SUBMITTED, Plan.version > 1),
            or_(YearEndReview.id.is_(None), YearEndReview.status == PlanStatus.DRAFT),
        )
    else:
        query = query.where(or_(Plan.id.is_(None), Plan.status == PlanStatus.DRAFT))
    return list(db.session.scalars(query))


def reminders_of(deadline_ids: Iterable[int]) -> dict[int, list[DeadlineReminder]]:
    """School id -> the reminders sent for these deadlines, oldest first (one query)."""
    ids = list(deadline_ids)
    found: dict[int, list[DeadlineReminder]] = defaultdict(list)
    if not ids:
        return found
    for reminder in db.session.scalars(
        select(DeadlineReminder)
        .where(DeadlineReminder.deadline_id.in_(ids))
        .order_by(DeadlineReminder.sent_at, DeadlineReminder.id)
    ):
        found[reminder.school_id].append(reminder)
    return found


def already_reminded(deadline: ClusterDeadline, kind: str) -> set[int]:
    """The schools already sent this kind of reminder for the deadline's present date."""
    return set(
        db.session.scalars(
            select(DeadlineReminder.school_id).where(
                DeadlineReminder.deadline_id == deadline.id,
                DeadlineReminder.due_on == deadline.due_on,
                DeadlineReminder.kind == kind,
            )
        )
    )


def record_reminder(
    deadline: ClusterDeadline, school: School, kind: str, mails: Sequence[Mail]
) -> bool:
    """Write the reminder and its emails (to the outbox), and commit. False when it was
    already written, by this sender earlier or by another one at the same moment."""
    # Unique per deadline (whose id is already its kind's), date, school and reminder; a year-end
    # review's also names its kind, so that the outbox's key says what it reminds of.
    prefix = "reminder" if deadline.kind == DeadlineKind.PLAN else f"reminder:{deadline.kind}"
    event = f"{prefix}:{deadline.id}:{deadline.due_on.isoformat()}:{school.id}:{kind}"
    db.session.add(
        DeadlineReminder(
            deadline_id=deadline.id,
            school_id=school.id,
            due_on=deadline.due_on,
            kind=kind,
            sent_at=utcnow(),
            recipients=len(mails),
        )
    )
    try:
        db.session.flush()
        stage(event, mails)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
