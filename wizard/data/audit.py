"""The audit trail: one call, one list of the things we record."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from wizard.data.database import db
from wizard.data.models import AuditEvent, utcnow


class AuditAction(enum.StrEnum):
    # Plans
    ANSWER_SAVED = "answer-saved"
    CARD_ADDED = "card-added"
    CARD_CHANGED = "card-changed"
    CARD_DELETED = "card-deleted"
    PLAN_SUBMITTED = "plan-submitted"
    PLAN_REOPENED = "plan-reopened"
    PLAN_STARTED = "plan-started"
    # Feedback
    COMMENT_ADDED = "comment-added"
    COMMENT_REPLIED = "comment-replied"
    VERSION_REVIEWED = "version-reviewed"
    CHANGES_REQUESTED = "changes-requested"
    SHARE_LINK_CREATED = "share-link-created"
    SHARE_LINK_REVOKED = "share-link-revoked"
    # Staff voice (responses themselves are never audited: they are anonymous)
    STAFF_VOICE_OPENED = "staff-voice-opened"
    STAFF_VOICE_CLOSED = "staff-voice-closed"
    STAFF_VOICE_DELETED = "staff-voice-deleted"
    STAFF_VOICE_APPLIED = "staff-voice-applied"
    STAFF_VOICE_UNDONE = "staff-voice-undone"
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


def record(
    action: AuditAction,
    *,
    user_id: int | None = None,
    plan_id: int | None = None,
    at: datetime | None = None,
    **detail: Any,
) -> None:
    """Add an audit event to the current transaction (it is kept when the caller commits)."""
    db.session.add(
        AuditEvent(
            user_id=user_id,
            plan_id=plan_id,
            action=action.value,
            detail=detail,
            created_at=at or utcnow(),
        )
    )
