"""Feedback on a submitted version: a coordinator's comments and verdict, which the school's
leads are emailed about (after the commit), and a lead's reply to a comment. Feedback never
changes the plan itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.data import feedback
from wizard.data.caps import CapReached
from wizard.data.plans import get_plan
from wizard.data.versions import versions_of
from wizard.domain.values import ReviewStatus
from wizard.services import notifications, outbox

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanComment, PlanVersion, User

__all__ = [
    "CapReached",
    "comment",
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
    """A lead's reply to a comment, written in `lang` (no email). Raises CapReached as a
    comment does."""
    return feedback.add_comment(
        plan, to.version_number, to.task_key, author, body, reply_to=to, lang=lang
    )
