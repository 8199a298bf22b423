"""The outbox: every email the service sends is first a row here, added in the same
transaction as the event it tells of, so that a mail server that is down loses nothing and a
retried job or a second sender never sends it twice.

`stage` adds rows to the current transaction (the caller's commit keeps them); `claim`,
`mark_sent` and `mark_failed` are each one transaction, used by whoever sends (the request
itself after its commit, or an RQ worker).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from wizard.data.database import db
from wizard.data.models import OutboxMail, utcnow
from wizard.domain.redaction import without_link_tokens

# Ids staged in this session's transaction, for the caller to send once it has committed.
_STAGED = "outbox_staged"


@dataclass(frozen=True)
class Mail:
    """One rendered email to one recipient."""

    to: str
    subject: str
    body: str
    locale: str


def mail_key(event: str, to: str) -> str:
    """The unique key of one event's email to one recipient."""
    return hashlib.sha256(f"{event}\n{to.strip().lower()}".encode()).hexdigest()


def _written_lately(thread: str, to: str, window: timedelta) -> bool:
    """Whether an email of `thread` (events beginning "thread:") went to `to` within `window`."""
    found = db.session.scalar(
        select(OutboxMail.id)
        .where(
            OutboxMail.recipient == to,
            OutboxMail.event.startswith(thread + ":", autoescape=True),
            OutboxMail.created_at >= utcnow() - window,
        )
        .limit(1)
    )
    return found is not None


def stage(
    event: str,
    mails: Iterable[Mail],
    *,
    thread: str | None = None,
    window: timedelta = timedelta(0),
) -> list[int]:
    """Add the emails of an event to the current transaction (nothing is committed here).

    An email already in the outbox for the same event and recipient is not added again. With
    `thread` (the event is stored as "thread:event"), nor is one to a recipient who was sent an
    email of the same thread within `window`: a burst of feedback on one plan is one email,
    whose link shows all of it.
    Returns the ids of the rows added; they are also remembered for `take_staged`.
    """
    if thread is not None:
        event = f"{thread}:{event}"
    added: list[OutboxMail] = []
    for mail in mails:
        key = mail_key(event, mail.to)
        if any(row.key == key for row in added):
            continue
        if db.session.scalar(select(OutboxMail.id).where(OutboxMail.key == key)) is not None:
            continue
        if thread is not None and _written_lately(thread, mail.to, window):
            continue
        row = OutboxMail(
            key=key,
            event=event[:200],
            recipient=mail.to,
            locale=mail.locale,
            subject=mail.subject[:300],
            body=mail.body,
            created_at=utcnow(),
            attempts=0,
        )
        db.session.add(row)
        added.append(row)
    if not added:
        return []
    db.session.flush()
    ids = [row.id for row in added]
    db.session.info.setdefault(_STAGED, []).extend(ids)
    return ids


def queue(event: str, mails: Iterable[Mail]) -> list[int]:
    """Stage emails that are an event of their own, and commit them."""
    ids = stage(event, mails)
    db.session.commit()
    return ids


def take_staged() -> list[int]:
    """The ids staged since the last call, forgotten now (to send them after the commit)."""
    ids: list[int] = db.session.info.pop(_STAGED, [])
    return ids


def claim(outbox_id: int, lease_seconds: int = 300) -> OutboxMail | None:
    """Take an unsent email for sending, or None when it is sent or another sender has it.

    A compare-and-set on the row: of two senders, exactly one gets it. The claim lapses after
    `lease_seconds`, so a sender that died does not keep it forever.
    """
    now = utcnow()
    taken = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == outbox_id,
            OutboxMail.sent_at.is_(None),
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(
            claimed_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMail.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = db.session.get(OutboxMail, outbox_id)
    if row is not None:
        db.session.refresh(row)
    return row


def mark_sent(outbox_id: int) -> None:
    """The email is sent: what is kept of it no longer holds the token of any link (a reset
    or an invitation link in it would otherwise stay readable in the table, and in backups,
    for as long as the row is kept). Unsent emails keep theirs, for the next attempt."""
    body = db.session.scalar(select(OutboxMail.body).where(OutboxMail.id == outbox_id))
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == outbox_id)
        .values(
            sent_at=utcnow(),
            claimed_until=None,
            last_error=None,
            body=without_link_tokens(body or ""),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def mark_failed(outbox_id: int, error: str) -> None:
    """Give the email back (unsent) with what went wrong; the next attempt may take it."""
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == outbox_id, OutboxMail.sent_at.is_(None))
        .values(claimed_until=None, last_error=error[:500])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def unsent(older_than_seconds: int = 0, limit: int = 1000) -> list[int]:
    """Ids of unsent, unclaimed emails written at least `older_than_seconds` ago, oldest first."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(OutboxMail.id)
            .where(
                OutboxMail.sent_at.is_(None),
                OutboxMail.created_at <= now - timedelta(seconds=older_than_seconds),
                or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
            )
            .order_by(OutboxMail.id)
            .limit(limit)
        )
    )
