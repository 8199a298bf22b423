"""The audit trail: one call, one list of the things we record."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from wizard.data.database import db
from wizard.data.models import AuditEvent, User, utcnow


class AuditAction(enum.StrEnum):
    # Plans
    ANSWER_SAVED = "answer-saved"
    CARD_ADDED = "card-added"
    CARD_CHANGED = "card-changed"
    CARD_DELETED = "card-deleted"
    PLAN_SUBMITTED = "plan-submitted"
    PLAN_REOPENED = "plan-reopened"
    PLAN_STARTED = "plan-started"
    PROGRESS_SAVED = "progress-saved"
    # The year-end review of a plan
    YEAR_END_SAVED = "year-end-saved"
    YEAR_END_SUBMITTED = "year-end-submitted"
    YEAR_END_REOPENED = "year-end-reopened"
    # Feedback
    COMMENT_ADDED = "comment-added"
    COMMENT_REPLIED = "comment-replied"
    VERSION_REVIEWED = "version-reviewed"
    CHANGES_REQUESTED = "changes-requested"
    DEADLINE_SET = "deadline-set"
    SHARE_LINK_CREATED = "share-link-created"
    SHARE_LINK_REVOKED = "share-link-revoked"
    # Staff voice (responses themselves are never audited: they are anonymous)
    STAFF_VOICE_OPENED = "staff-voice-opened"
    STAFF_VOICE_CLOSED = "staff-voice-closed"
    STAFF_VOICE_DELETED = "staff-voice-deleted"
    STAFF_VOICE_APPLIED = "staff-voice-applied"
    STAFF_VOICE_UNDONE = "staff-voice-undone"
    STAFF_VOICE_LINK_REISSUED = "staff-voice-link-reissued"
    # Accounts and signing in
    COLLEAGUE_INVITED = "colleague-invited"
    INVITATION_ACCEPTED = "invitation-accepted"
    SIGNED_IN = "signed-in"
    SIGN_IN_FAILED = "sign-in-failed"
    SIGN_IN_THROTTLED = "sign-in-throttled"
    SIGNED_OUT = "signed-out"
    PASSWORD_RESET_REQUESTED = "password-reset-requested"
    PASSWORD_RESET_USED = "password-reset-used"
    PASSWORD_CHANGED = "password-changed"
    PASSWORD_CHANGE_REFUSED = "password-change-refused"
    LANGUAGE_CHANGED = "language-changed"
    # Hwb (single sign-on) and the lead's team
    HWB_LINKED = "hwb-linked"
    PASSWORD_REMOVED = "password-removed"
    JOIN_REQUESTED = "join-requested"
    JOIN_APPROVED = "join-approved"
    JOIN_DECLINED = "join-declined"
    COLLEAGUE_REMOVED = "colleague-removed"
    LEAD_HANDED_OVER = "lead-handed-over"
    INVITATION_CANCELLED = "invitation-cancelled"
    INVITATION_RESENT = "invitation-resent"
    # Administration: a person erased (`flask erase-person`), with counts only
    PERSON_ERASED = "person-erased"
    # Administration of the directory (national and local authority administrators), each
    # with the local authority it concerns
    LEAD_ASSIGNED = "lead-assigned"
    LEAD_INVITED = "lead-invited"
    SCHOOL_MOVED_CLUSTER = "school-moved-cluster"
    SCHOOL_CATEGORY_SET = "school-category-set"
    CLUSTER_CREATED = "cluster-created"
    CLUSTER_RENAMED = "cluster-renamed"
    COORDINATOR_ADDED = "coordinator-added"
    COORDINATOR_REMOVED = "coordinator-removed"
    SCHOOLS_IMPORTED = "schools-imported"
    CLUSTERS_IMPORTED = "clusters-imported"
    JOIN_DECLINED_BY_ADMIN = "join-declined-by-admin"


def record(
    action: AuditAction,
    *,
    user_id: int | None = None,
    plan_id: int | None = None,
    at: datetime | None = None,
    local_authority_id: int | None = None,
    **detail: Any,
) -> None:
    """Add an audit event to the current transaction (it is kept when the caller commits)."""
    db.session.add(
        AuditEvent(
            user_id=user_id,
            plan_id=plan_id,
            local_authority_id=local_authority_id,
            action=action.value,
            detail=detail,
            created_at=at or utcnow(),
        )
    )


# The actions that are about a plan, shown on its history page (signing in is not).
PLAN_ACTIONS = (
    AuditAction.ANSWER_SAVED,
    AuditAction.CARD_ADDED,
    AuditAction.CARD_CHANGED,
    AuditAction.CARD_DELETED,
    AuditAction.PLAN_SUBMITTED,
    AuditAction.PLAN_REOPENED,
    AuditAction.PLAN_STARTED,
    AuditAction.PROGRESS_SAVED,
    AuditAction.YEAR_END_SAVED,
    AuditAction.YEAR_END_SUBMITTED,
    AuditAction.YEAR_END_REOPENED,
    AuditAction.COMMENT_ADDED,
    AuditAction.COMMENT_REPLIED,
    AuditAction.VERSION_REVIEWED,
    AuditAction.CHANGES_REQUESTED,
    AuditAction.SHARE_LINK_CREATED,
    AuditAction.SHARE_LINK_REVOKED,
    AuditAction.STAFF_VOICE_APPLIED,
    AuditAction.STAFF_VOICE_UNDONE,
)


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a plan: what, when and by whom (None when the account is gone)."""

    action: AuditAction
    at: datetime
    user_name: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def plan_history(plan_id: int, page: int = 1, per_page: int = 25) -> HistoryPage:
    """The changes to a plan, the newest first, one page of them (two queries)."""
    where = (AuditEvent.plan_id == plan_id, AuditEvent.action.in_([a.value for a in PLAN_ACTIONS]))
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(*where)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    entries = [
        HistoryEntry(
            action=AuditAction(event.action),
            at=event.created_at,
            user_name=name,
            detail=dict(event.detail or {}),
        )
        for event, name in rows
    ]
    return HistoryPage(entries=entries, total=total, page=page, per_page=per_page)
