"""Feedback on submitted versions: coordinators' comments and verdicts, and leads' replies.

Each comment belongs to the version it was made on and stays with it, whatever happens to the
plan later. Each writing function is one transaction and commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wizard.data.audit import AuditAction, record
from wizard.data.caps import check_comments
from wizard.data.database import db
from wizard.data.models import (
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
        stage(f"comment:{comment.id}", mail())
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
        stage(f"review:{version.id}:{status.value}:{version.reviewed_at.isoformat()}", mail())
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
