"""The retention schedule: what the service deletes once it is no longer needed, and when.

The periods are in the configuration (RETENTION_*_DAYS), which the privacy notice shows, so
that what the notice promises is what `purge_expired` does. `make worker` runs it every
RETENTION_SWEEP_SECONDS; `flask purge-expired` runs it once (for cron).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_

from wizard.data.audit import AuditAction
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Invitation,
    OutboxMail,
    PasswordResetToken,
    PendingImport,
    SignInAttempt,
    UserSession,
    utcnow,
)

# How long an uploaded spreadsheet waits for its preview to be applied (data/administration.py
# refuses a preview older than this).
PENDING_UPLOAD_HOURS = 24

# The audit trail's records of signing in and out, of passwords and of invitations: they carry
# the address a request came from or the email of the person invited, and are needed only to
# investigate a recent misuse of an account. (A plan's history is kept with the plan; the
# language chosen on the account page stays, since it is read as the preference.)
ACCOUNT_EVENTS = (
    AuditAction.SIGNED_IN,
    AuditAction.SIGN_IN_FAILED,
    AuditAction.SIGN_IN_THROTTLED,
    AuditAction.SIGNED_OUT,
    AuditAction.PASSWORD_RESET_REQUESTED,
    AuditAction.PASSWORD_RESET_USED,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.PASSWORD_CHANGE_REFUSED,
    AuditAction.COLLEAGUE_INVITED,
    AuditAction.INVITATION_ACCEPTED,
)


@dataclass(frozen=True)
class Purged:
    """How many rows of each kind one sweep deleted."""

    sessions: int
    sign_in_attempts: int
    account_events: int
    sent_emails: int
    password_resets: int
    invitations: int
    pending_uploads: int = 0

    @property
    def total(self) -> int:
        return (
            self.sessions
            + self.sign_in_attempts
            + self.account_events
            + self.sent_emails
            + self.password_resets
            + self.invitations
            + self.pending_uploads
        )


def _deleted(statement: Any) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_expired(config: Mapping[str, Any], now: datetime | None = None) -> Purged:
    """Delete, in one transaction, every row older than its retention period."""
    now = now or utcnow()

    def cutoff(key: str) -> datetime:
        return now - timedelta(days=int(config[key]))

    # A session is over by then (its absolute lifetime is hours): ended or not, it goes.
    sessions = _deleted(
        delete(UserSession).where(UserSession.created_at < cutoff("RETENTION_SESSION_DAYS"))
    )
    attempts = _deleted(
        delete(SignInAttempt).where(
            SignInAttempt.created_at < cutoff("RETENTION_SIGN_IN_ATTEMPTS_DAYS")
        )
    )
    events = _deleted(
        delete(AuditEvent).where(
            AuditEvent.action.in_([action.value for action in ACCOUNT_EVENTS]),
            AuditEvent.created_at < cutoff("RETENTION_ACCOUNT_EVENTS_DAYS"),
        )
    )
    # Only sent emails: one still unsent is work to do.
    emails = _deleted(
        delete(OutboxMail).where(
            OutboxMail.sent_at.is_not(None),
            OutboxMail.sent_at < cutoff("RETENTION_SENT_EMAIL_DAYS"),
        )
    )
    tokens = cutoff("RETENTION_EXPIRED_TOKEN_DAYS")
    # A reset link is dead once it has expired or been used.
    resets = _deleted(
        delete(PasswordResetToken).where(
            or_(
                PasswordResetToken.expires_at < tokens,
                PasswordResetToken.used_at < tokens,
            )
        )
    )
    # An invitation, accepted or not, once its link has expired (the account, if any, holds
    # what the accepted one said).
    invitations = _deleted(delete(Invitation).where(Invitation.expires_at < tokens))
    # A spreadsheet uploaded for an import's preview (the schools' list, clusters) is needed
    # only until the preview is applied or abandoned: it goes once its preview has expired,
    # even if no administrator uploads another (which is when it was cleared before).
    uploads = _deleted(
        delete(PendingImport).where(
            PendingImport.created_at < now - timedelta(hours=PENDING_UPLOAD_HOURS)
        )
    )
    db.session.commit()
    return Purged(
        sessions=sessions,
        sign_in_attempts=attempts,
        account_events=events,
        sent_emails=emails,
        password_resets=resets,
        invitations=invitations,
        pending_uploads=uploads,
    )
