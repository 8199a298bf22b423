"""Feedback on a submitted version: a coordinator's comments and verdict, which the school's
leads are emailed about (after the commit), and a lead's reply to a comment. Feedback never
changes the plan itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.data import feedback
from wizard.data.caps import CapReached
from wizard.data.clusters import cluster_of_coordinator
from wizard.data.plans import get_plan
from wizard.data.versions import versions_of
from wizard.domain.values import ReviewStatus
from wizard.services import notifications, outbox

if TYPE_CHECKING:
    from wizard.data.models import Cluster, Plan, PlanComment, PlanVersion, School, User

__all__ = [
    "CapReached",
    "Conversations",
    "cluster_conversations",
    "comment",
    "conversation",
    "mark_conversations_read",
    "comments_on",
    "find_comment",
    "plan_and_versions",
    "reply",
    "review",
]


def plan_and_versions(school_id: int, academic_year: int) -> tuple[Plan | None, list[PlanVersion]]:
    """The school's plan for the year (None: not started) and its submitted versions, oldest
    first: what a coordinator reviews."""
    plan = get_plan(school_id, academic_year)
    return plan, versions_of(plan) if plan else []


def comments_on(plan: Plan, number: int) -> dict[str | None, list[PlanComment]]:
    """The comments and replies on version `number`, by task, oldest first."""
    return feedback.comments_of(plan).get(number, {})


def comment(
    plan: Plan,
    version: PlanVersion,
    task_key: str | None,
    author: User,
    body: str,
    lang: str | None = None,
) -> PlanComment:
    """A coordinator's comment on a version (the whole plan, or one task), written in `lang`;
    the school's leads are emailed. Raises CapReached when the version has as many comments as
    it may."""
    added = feedback.add_comment(
        plan,
        version.number,
        task_key,
        author,
        body,
        mail=notifications.feedback_mail(plan, plan.school, version.number, "comment"),
        lang=lang,
    )
    outbox.dispatch()
    return added


def review(plan: Plan, version: PlanVersion, status: ReviewStatus, reviewer: User) -> None:
    """A coordinator's verdict on a version (the latest stands); the school's leads are
    emailed."""
    feedback.set_review(
        version,
        status,
        reviewer,
        mail=notifications.feedback_mail(plan, plan.school, version.number, status.value),
    )
    outbox.dispatch()


def find_comment(plan: Plan, comment_id: int) -> PlanComment | None:
    """A comment on the plan, by its id (None: not one of this plan's)."""
    return feedback.get_comment(plan, comment_id)


def reply(
    plan: Plan, to: PlanComment, author: User, body: str, lang: str | None = None
) -> PlanComment:
    """A lead's reply to a comment, written in `lang`; the cluster's coordinators are emailed.
    Raises CapReached as a comment does."""
    added = feedback.add_comment(
        plan,
        to.version_number,
        to.task_key,
        author,
        body,
        reply_to=to,
        lang=lang,
        mail=notifications.reply_mail(plan, plan.school, to.version_number),
    )
    outbox.dispatch()
    return added


def conversation(plan: Plan) -> dict[str | None, list[PlanComment]]:
    """Every comment and reply on the plan, on any of its versions, by task (None: the whole
    plan), oldest first: the whole conversation about the plan."""
    merged: dict[str | None, list[PlanComment]] = {}
    for tasks in feedback.comments_of(plan).values():
        for task, comments in tasks.items():
            merged.setdefault(task, []).extend(comments)
    for comments in merged.values():
        comments.sort(key=lambda c: (c.created_at, c.id))
    return merged


@dataclass(frozen=True)
class ConversationItem:
    comment: PlanComment
    school: School
    unread: bool


@dataclass(frozen=True)
class Conversations:
    """A cluster's conversations for a year, newest first, as one coordinator reads them."""

    cluster: Cluster
    items: list[ConversationItem]
    unread: int
    newest: int
    """The id of the newest comment listed (0: none), up to which "mark as read" marks."""


def cluster_conversations(
    user_id: int, cluster_id: int, academic_year: int
) -> Conversations | None:
    """Every comment and reply on the cluster's plans for the year, newest first, each marked
    unread for this coordinator where it is by someone else and they have not read it; None
    when the user does not coordinate the cluster."""
    cluster = cluster_of_coordinator(user_id, cluster_id)
    if cluster is None:
        return None
    found = feedback.cluster_comments(cluster_id, academic_year)
    markers = feedback.read_markers(user_id, (comment.plan_id for comment, _ in found))
    items = [
        ConversationItem(
            comment,
            school,
            comment.author_id != user_id and comment.id > markers.get(comment.plan_id, 0),
        )
        for comment, school in found
    ]
    return Conversations(
        cluster,
        items,
        sum(1 for item in items if item.unread),
        max((comment.id for comment, _ in found), default=0),
    )


def mark_conversations_read(user_id: int, cluster_id: int, academic_year: int, up_to: int) -> bool:
    """The coordinator has read the cluster's conversations up to comment `up_to`; False when
    they do not coordinate it."""
    if cluster_of_coordinator(user_id, cluster_id) is None:
        return False
    feedback.mark_read(user_id, cluster_id, academic_year, up_to)
    return True
