"""Caps on what one school can create (own cards, share links, comments): each is checked in
the transaction that would add one more, and a view turns CapReached into a message in the
page's language. (Two requests at the same moment may each pass the check: a cap bounds the
work and the rows, it is not an exact count.)"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from wizard.data.database import db
from wizard.data.models import OwnCard, PlanComment, ShareLink


class CapReached(Exception):
    """One more would pass the cap (`cap`, the configuration's number)."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"cap of {cap} reached")
        self.cap = cap


def _check(count: int | None, setting: str) -> None:
    cap = int(current_app.config[setting])
    if (count or 0) >= cap:
        db.session.rollback()  # nothing of the refused addition stays, locks included
        raise CapReached(cap)


def check_own_cards(plan_id: int) -> None:
    count = db.session.scalar(select(func.count(OwnCard.id)).where(OwnCard.plan_id == plan_id))
    _check(count, "OWN_CARDS_PER_PLAN")


def check_share_links(plan_id: int) -> None:
    """Links not revoked (revoking one makes room for another)."""
    count = db.session.scalar(
        select(func.count(ShareLink.id)).where(
            ShareLink.plan_id == plan_id, ShareLink.revoked_at.is_(None)
        )
    )
    _check(count, "SHARE_LINKS_PER_PLAN")


def check_comments(plan_id: int, version_number: int) -> None:
    """Comments and replies on one version of a plan."""
    count = db.session.scalar(
        select(func.count(PlanComment.id)).where(
            PlanComment.plan_id == plan_id, PlanComment.version_number == version_number
        )
    )
    _check(count, "COMMENTS_PER_VERSION")
