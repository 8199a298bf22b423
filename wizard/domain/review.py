"""A school's plan as a cluster dashboard shows it (plain Python)."""

from __future__ import annotations

from wizard.domain.values import DashboardStatus, PlanStatus, ReviewStatus


def dashboard_status(
    plan_status: str | None, latest_review: str | None, *, has_answers: bool
) -> DashboardStatus:
    """Not started, in progress, submitted, changes requested or reviewed.

    A plan reopened after "changes requested" is in progress again until it is resubmitted;
    the verdict belongs to the version it was given on.
    """
    if plan_status is None or (plan_status == PlanStatus.DRAFT and not has_answers):
        return DashboardStatus.NOT_STARTED
    if plan_status == PlanStatus.DRAFT:
        return DashboardStatus.IN_PROGRESS
    if latest_review == ReviewStatus.REVIEWED:
        return DashboardStatus.REVIEWED
    if latest_review == ReviewStatus.CHANGES_REQUESTED:
        return DashboardStatus.CHANGES_REQUESTED
    return DashboardStatus.SUBMITTED
