"""Feedback on submitted versions: coordinators' comments and verdicts, and leads' replies.

Each comment belongs to the version it was made on and stays with it, whatever happens to the
plan later. Each writing function is one transaction and commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wizard.data.audit import AuditAction, record
from wizard.data.caps import check_comments
from wizard.data.database import db
from wizard.data.models import (
    CommentRead,
    Plan,
    PlanComment,
    PlanVersion,
    School,
    User,
    coordinator_cluster,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.domain.values import ReviewStatus

# Comments of one plan: by version number, then by task key (None: the whole plan).
CommentsByVersion = dict[int, dict[str | None, list[PlanComment]]]

FEEDBACK_MAIL_WINDOW = timedelta(minutes=1)
"""Feedback on one plan (comments, replies, a verdict) emails each person once in this time:
a coordinator's review in a few quick steps is one email, whose link shows all of it."""


def add_comment(
    plan: Plan,
    version_number: int,
    task_key: str | None,
    author: User,
    body: str,
    reply_to: PlanComment | None = None,
    mail: Callable[[], Sequence[Mail]] | None = None,
    lang: str | None = None,
) -> PlanComment:
    """Add a comment on a version (on the whole plan or one task), or a reply to one.

    A reply belongs to the same version and task as the comment it answers.
    """
    if reply_to is not None:
        version_number, task_key = reply_to.version_number, reply_to.task_key
    check_comments(plan.id, version_number)
    comment = PlanComment(
        plan_id=plan.id,
        version_number=version_number,
        task_key=task_key,
        reply_to_id=reply_to.id if reply_to else None,
        author_id=author.id,
        body=body,
        lang=lang,
    )
    db.session.add(comment)
    db.session.flush()
    record(
        AuditAction.COMMENT_REPLIED if reply_to else AuditAction.COMMENT_ADDED,
        user_id=author.id,
        plan_id=plan.id,
        version=version_number,
        task=task_key,
        comment=comment.id,
    )
    if mail is not None:
        stage(
            f"comment:{comment.id}",
            mail(),
            thread=f"feedback-{plan.id}",
            window=FEEDBACK_MAIL_WINDOW,
        )
    db.session.commit()
    return comment


def comments_of(plan: Plan) -> CommentsByVersion:
    """Every comment on the plan, grouped by version and task, oldest first (one query, with
    the authors)."""
    grouped: CommentsByVersion = defaultdict(lambda: defaultdict(list))
    for comment in db.session.scalars(
        select(PlanComment)
        .where(PlanComment.plan_id == plan.id)
        .options(joinedload(PlanComment.author))
        .order_by(PlanComment.created_at, PlanComment.id)
    ):
        grouped[comment.version_number][comment.task_key].append(comment)
    return {number: dict(tasks) for number, tasks in grouped.items()}


def get_comment(plan: Plan, comment_id: int) -> PlanComment | None:
    return db.session.scalar(
        select(PlanComment).where(PlanComment.id == comment_id, PlanComment.plan_id == plan.id)
    )


def set_review(
    version: PlanVersion,
    status: ReviewStatus,
    user: User,
    mail: Callable[[], Sequence[Mail]] | None = None,
) -> None:
    """Record the coordinator's verdict on a version (the latest verdict stands); `mail()`
    gives the emails to the school's leads, written in the same transaction."""
    version.review_status = status.value
    version.reviewed_at = utcnow()
    version.reviewed_by_id = user.id
    record(
        AuditAction.VERSION_REVIEWED
        if status is ReviewStatus.REVIEWED
        else AuditAction.CHANGES_REQUESTED,
        user_id=user.id,
        plan_id=version.plan_id,
        version=version.number,
    )
    if mail is not None:
        stage(
            f"review:{version.id}:{status.value}:{version.reviewed_at.isoformat()}",
            mail(),
            thread=f"feedback-{version.plan_id}",
            window=FEEDBACK_MAIL_WINDOW,
        )
    db.session.commit()


def coordinators_of_school(school: School) -> list[User]:
    """The coordinators of the school's cluster (none if it has no cluster)."""
    if school.cluster_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(coordinator_cluster, coordinator_cluster.c.user_id == User.id)
            .where(coordinator_cluster.c.cluster_id == school.cluster_id)
            .order_by(User.id)
        )
    )


def leads_of_school(school_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.school_id == school_id, User.is_school_lead.is_(True))
            .order_by(User.id)
        )
    )


# A cluster's conversations, and what each coordinator has read of them -----------------------

CONVERSATIONS_SHOWN = 500
"""The most comments and replies a cluster's conversations page lists (the newest)."""


def cluster_comments(
    cluster_id: int, academic_year: int, limit: int = CONVERSATIONS_SHOWN
) -> list[tuple[PlanComment, School]]:
    """The comments and replies on the plans of the cluster's schools for the year, newest
    first, each with its school (one query, with the authors)."""
    return [
        (comment, school)
        for comment, school in db.session.execute(
            select(PlanComment, School)
            .join(Plan, Plan.id == PlanComment.plan_id)
            .join(School, School.id == Plan.school_id)
            .where(School.cluster_id == cluster_id, Plan.academic_year == academic_year)
            .options(joinedload(PlanComment.author))
            .order_by(PlanComment.created_at.desc(), PlanComment.id.desc())
            .limit(limit)
        )
    ]


def read_markers(user_id: int, plan_ids: Iterable[int]) -> dict[int, int]:
    """Plan id -> the id of the last comment the user has read on it."""
    ids = list(set(plan_ids))
    if not ids:
        return {}
    return {
        plan_id: up_to
        for plan_id, up_to in db.session.execute(
            select(CommentRead.plan_id, CommentRead.read_up_to).where(
                CommentRead.user_id == user_id, CommentRead.plan_id.in_(ids)
            )
        )
    }


def unread_count(user_id: int, cluster_id: int, academic_year: int) -> int:
    """How many comments and replies by others on the cluster's plans for the year the user
    has not read (one query)."""
    query = (
        select(func.count(PlanComment.id))
        .join(Plan, Plan.id == PlanComment.plan_id)
        .join(School, School.id == Plan.school_id)
        .outerjoin(
            CommentRead,
            (CommentRead.plan_id == Plan.id) & (CommentRead.user_id == user_id),
        )
        .where(
            School.cluster_id == cluster_id,
            Plan.academic_year == academic_year,
            or_(PlanComment.author_id.is_(None), PlanComment.author_id != user_id),
            PlanComment.id > func.coalesce(CommentRead.read_up_to, 0),
        )
    )
    return int(db.session.scalar(query) or 0)


def mark_read(user_id: int, cluster_id: int, academic_year: int, up_to: int) -> None:
    """The user has read every comment, up to the id `up_to`, on the cluster's plans for the
    year (one transaction)."""
    plan_ids = list(
        db.session.scalars(
            select(Plan.id)
            .join(School, School.id == Plan.school_id)
            .where(
                School.cluster_id == cluster_id,
                Plan.academic_year == academic_year,
                exists().where(PlanComment.plan_id == Plan.id, PlanComment.id <= up_to),
            )
        )
    )
    markers = {
        marker.plan_id: marker
        for marker in db.session.scalars(
            select(CommentRead).where(
                CommentRead.user_id == user_id, CommentRead.plan_id.in_(plan_ids)
            )
        )
    }
    for plan_id in plan_ids:
        marker = markers.get(plan_id)
        if marker is None:
            db.session.add(
                CommentRead(user_id=user_id, plan_id=plan_id, read_up_to=up_to, read_at=utcnow())
            )
        elif marker.read_up_to < up_to:
            marker.read_up_to, marker.read_at = up_to, utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # the same, from another tab at the same moment: theirs stands
        db.session.rollback()
