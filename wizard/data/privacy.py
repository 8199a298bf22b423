"""Subject access and erasure: everything held about one person, by email, as JSON; and the
erasure of that person (the account goes; what they wrote into plans stays, without their
name; their sessions, sign-in records, links and emails go).

Both are administrator commands (`flask export-person`, `flask erase-person`, wizard/cli.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from wizard.data.accounts import account_key
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    ClusterDeadline,
    CommentRead,
    Invitation,
    OutboxMail,
    OwnCard,
    PasswordResetToken,
    Plan,
    PlanAnswer,
    PlanComment,
    PlanVersion,
    ProgressUpdate,
    School,
    ShareLink,
    SignInAttempt,
    StaffVoiceRound,
    User,
    UserSession,
    coordinator_cluster,
    utcnow,
)
from wizard.domain.inputs import normalise_email

# Keys of an audit event's detail that identify a person: their email, and the internet
# address a request came from.
IDENTIFYING_DETAIL = ("email", "address")
# What replaces an erased person's name in the copies of emails sent to others.
REMOVED_NAME = "[...]"


def _normalised(email: str) -> str:
    return normalise_email(email)


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _school(school: School | None) -> dict[str, Any] | None:
    if school is None:
        return None
    return {
        "school_number": school.school_number,
        "name_en": school.name_en,
        "name_cy": school.name_cy,
    }


def _plans(ids: set[int]) -> dict[int, dict[str, Any]]:
    """Each plan as its school and academic year (what a person reading the export knows)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Plan.id, Plan.academic_year, School.school_number, School.name_en)
        .join(School, School.id == Plan.school_id)
        .where(Plan.id.in_(ids))
    )
    return {
        plan_id: {"school_number": number, "school": name, "academic_year": year}
        for plan_id, year, number, name in rows
    }


def _mentions(event: AuditEvent, email: str) -> bool:
    value = (event.detail or {}).get("email")
    return isinstance(value, str) and _normalised(value) == email


def _own_detail(event: AuditEvent, email: str) -> dict[str, Any]:
    """An event's detail without anyone else's email (whom the person invited, say)."""
    return {
        key: value
        for key, value in (event.detail or {}).items()
        if key != "email" or (isinstance(value, str) and _normalised(value) == email)
    }


def _events_about(user_id: int | None, email: str) -> list[AuditEvent]:
    """The audit events by the person, and those that name their email (failed sign-ins,
    invitations to them)."""
    by_them = (
        list(db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == user_id)))
        if user_id is not None
        else []
    )
    naming = [
        event
        for event in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action.in_(
                    [
                        AuditAction.SIGN_IN_FAILED.value,
                        AuditAction.SIGN_IN_THROTTLED.value,
                        AuditAction.COLLEAGUE_INVITED.value,
                    ]
                )
            )
        )
        if _mentions(event, email)
    ]
    seen = {event.id for event in by_them}
    events = by_them + [event for event in naming if event.id not in seen]
    return sorted(events, key=lambda event: (event.created_at, event.id))


def _attempts_on(email: str) -> Any:
    """The condition on sign-in attempts that picks this email's (the one place that knows
    how attempts keep the email)."""
    return SignInAttempt.account == account_key(email)


def _attempts(email: str) -> list[SignInAttempt]:
    return list(
        db.session.scalars(
            select(SignInAttempt).where(_attempts_on(email)).order_by(SignInAttempt.created_at)
        )
    )


def export_person(email: str) -> dict[str, Any]:
    """Everything held about the person with this email, as JSON-ready data (never a
    password hash or a token's hash). A person without an account may still have records
    (sign-in attempts, an invitation, emails)."""
    email = _normalised(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    document: dict[str, Any] = {
        "email": email,
        "exported_at": _when(utcnow()),
        "account": None,
    }
    if user is not None:
        document["account"] = _account(user)
        document.update(_sign_ins(user))
        document.update(_plan_work(user))
        document.update(_coordination(user))
    document.update(_records_naming(user.id if user is not None else None, email))
    return document


def _account(user: User) -> dict[str, Any]:
    """The account itself (whether it has a password, never the hash)."""
    return {
        "name": user.name,
        "email": user.email,
        "preferred_language": user.locale,
        "school": _school(user.school),
        "school_lead": bool(user.is_school_lead),
        "administrator": bool(user.is_admin),
        "coordinates_clusters": [cluster.name_en for cluster in user.coordinated_clusters],
        "single_sign_on": (
            {"issuer": user.external_issuer, "subject": user.external_subject}
            if user.external_subject
            else None
        ),
        "created_at": _when(user.created_at),
        "last_signed_in_at": _when(user.last_signed_in_at),
        "has_password": bool(user.password_hash),
    }


def _sign_ins(user: User) -> dict[str, Any]:
    """The account's sessions and password reset links (when, never a token)."""
    sessions = list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.created_at)
        )
    )
    return {
        "sessions": {
            "count": len(sessions),
            "sessions": [
                {"started_at": _when(s.created_at), "ended_at": _when(s.ended_at)} for s in sessions
            ],
        },
        "password_reset_links": [
            {
                "created_at": _when(reset.created_at),
                "expires_at": _when(reset.expires_at),
                "used_at": _when(reset.used_at),
            }
            for reset in db.session.scalars(
                select(PasswordResetToken)
                .where(PasswordResetToken.user_id == user.id)
                .order_by(PasswordResetToken.created_at)
            )
        ],
    }


def _plan_work(user: User) -> dict[str, Any]:
    """What they wrote in plans: comments, pages saved, versions submitted or reviewed, own
    cards, share links and staff voice rounds, each naming its plan."""
    comments = list(
        db.session.scalars(
            select(PlanComment)
            .where(PlanComment.author_id == user.id)
            .order_by(PlanComment.created_at)
        )
    )
    answers = list(
        db.session.scalars(select(PlanAnswer).where(PlanAnswer.updated_by_id == user.id))
    )
    submitted = list(
        db.session.scalars(
            select(PlanVersion).where(
                or_(
                    PlanVersion.submitted_by_id == user.id,
                    PlanVersion.reviewed_by_id == user.id,
                )
            )
        )
    )
    cards = list(db.session.scalars(select(OwnCard).where(OwnCard.created_by_id == user.id)))
    links = list(db.session.scalars(select(ShareLink).where(ShareLink.created_by_id == user.id)))
    rounds = list(
        db.session.scalars(select(StaffVoiceRound).where(StaffVoiceRound.created_by_id == user.id))
    )
    work: dict[str, Any] = {}
    plan_ids: set[int] = set()
    for rows in (comments, answers, submitted, cards, links, rounds):
        plan_ids |= {row.plan_id for row in rows}
    plans = _plans(plan_ids)
    work["comments"] = [
        {
            "plan": plans.get(c.plan_id),
            "version": c.version_number,
            "task": c.task_key,
            "reply": c.reply_to_id is not None,
            "body": c.body,
            "created_at": _when(c.created_at),
        }
        for c in comments
    ]
    work["plan_pages_last_saved"] = [
        {"plan": plans.get(a.plan_id), "step": a.step, "saved_at": _when(a.updated_at)}
        for a in answers
    ]
    work["versions"] = [
        {
            "plan": plans.get(v.plan_id),
            "version": v.number,
            "submitted": v.submitted_by_id == user.id,
            "submitted_at": _when(v.submitted_at),
            "reviewed": v.reviewed_by_id == user.id,
            "review": v.review_status if v.reviewed_by_id == user.id else None,
            "reviewed_at": _when(v.reviewed_at) if v.reviewed_by_id == user.id else None,
        }
        for v in submitted
    ]
    work["own_cards_added"] = [
        {
            "plan": plans.get(card.plan_id),
            "title_en": card.title_en,
            "title_cy": card.title_cy,
            "description_en": card.description_en,
            "description_cy": card.description_cy,
            "created_at": _when(card.created_at),
        }
        for card in cards
    ]
    work["share_links_made"] = [
        {
            "plan": plans.get(link.plan_id),
            "created_at": _when(link.created_at),
            "expires_on": _when(link.expires_on),
            "revoked_at": _when(link.revoked_at),
        }
        for link in links
    ]
    work["staff_voice_rounds_opened"] = [
        {
            "plan": plans.get(round_.plan_id),
            "created_at": _when(round_.created_at),
            "closes_on": _when(round_.closes_on),
        }
        for round_ in rounds
    ]
    return work


def _coordination(user: User) -> dict[str, Any]:
    """Where they have read each plan's conversation, the deadlines they set, and when and
    where they invited someone."""
    found: dict[str, Any] = {}
    # A coordinator's place in each plan's conversation (how far they have read it).
    reads = list(
        db.session.scalars(
            select(CommentRead)
            .where(CommentRead.user_id == user.id)
            .order_by(CommentRead.read_at, CommentRead.plan_id)
        )
    )
    read_plans = _plans({read.plan_id for read in reads})
    found["conversations_read"] = [
        {
            "plan": read_plans.get(read.plan_id),
            "read_up_to_comment": read.read_up_to,
            "read_at": _when(read.read_at),
        }
        for read in reads
    ]
    found["deadlines_set"] = [
        {
            "cluster": deadline.cluster.name_en,
            "academic_year": deadline.academic_year,
            "for": deadline.kind,
            "due_on": _when(deadline.due_on),
            "set_at": _when(deadline.set_at),
        }
        for deadline in db.session.scalars(
            select(ClusterDeadline)
            .where(ClusterDeadline.set_by_id == user.id)
            .order_by(ClusterDeadline.set_at, ClusterDeadline.id)
        )
    ]
    # Who they invited is someone else's information: only when, and where to.
    found["invitations_sent"] = [
        {
            "school": _school(invitation.school),
            "created_at": _when(invitation.created_at),
            "accepted": invitation.accepted_at is not None,
        }
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.invited_by_id == user.id)
        )
    ]
    return found


def _records_naming(user_id: int | None, email: str) -> dict[str, Any]:
    """The records about the person whether or not they have an account: audit events by or
    naming them, sign-in attempts, invitations to them, and emails to them."""
    found: dict[str, Any] = {}
    events = _events_about(user_id, email)
    event_plans = _plans({e.plan_id for e in events if e.plan_id is not None})
    found["audit_events"] = [
        {
            "at": _when(event.created_at),
            "action": event.action,
            "plan": event_plans.get(event.plan_id) if event.plan_id is not None else None,
            "by_this_person": user_id is not None and event.user_id == user_id,
            "detail": _own_detail(event, email),
        }
        for event in events
    ]
    found["sign_in_attempts"] = [
        {"at": _when(a.created_at), "address": a.address, "succeeded": bool(a.succeeded)}
        for a in _attempts(email)
    ]
    found["invitations_received"] = [
        {
            "name": invitation.name,
            "school": _school(invitation.school),
            "language": invitation.locale,
            "created_at": _when(invitation.created_at),
            "expires_at": _when(invitation.expires_at),
            "accepted_at": _when(invitation.accepted_at),
        }
        for invitation in db.session.scalars(
            select(Invitation)
            .where(func.lower(Invitation.email) == email)
            .order_by(Invitation.created_at)
        )
    ]
    found["emails"] = [
        {
            "subject": mail.subject,
            "body": mail.body,
            "language": mail.locale,
            "written_at": _when(mail.created_at),
            "sent_at": _when(mail.sent_at),
        }
        for mail in db.session.scalars(
            select(OutboxMail)
            .where(func.lower(OutboxMail.recipient) == email)
            .order_by(OutboxMail.created_at)
        )
    ]
    return found


def holds_anything(document: dict[str, Any]) -> bool:
    """Whether an export found anything at all about the person."""
    return any(
        document.get(key)
        for key in ("account", "audit_events", "sign_in_attempts", "invitations_received", "emails")
    )


@dataclass(frozen=True)
class Erased:
    """What one erasure removed or anonymised."""

    account: bool
    sessions: int
    password_reset_links: int
    sign_in_attempts: int
    emails: int
    invitations: int
    audit_events_anonymised: int
    comments_anonymised: int
    versions_anonymised: int

    def counts(self) -> dict[str, int | bool]:
        return asdict(self)


def _count(statement: Any) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def erase_person(email: str) -> Erased:
    """Erase the person with this email, in one transaction.

    The account, its sessions, reset links and cluster roles are deleted, as are the sign-in
    attempts, invitations and emails for the address. What the person did to plans stays, so
    that schools keep their plans and history: comments, saved pages, versions, cards, links
    and audit events no longer point to them (pages show "a person whose account has been
    removed"), the name in a submitted version's snapshot goes, and the audit trail loses
    their email and the internet addresses of their requests.
    """
    email = _normalised(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    user_id = user.id if user is not None else None
    events = _events_about(user_id, email)
    _anonymise_events(events, user_id, email)
    sessions = resets = comments = versions = 0
    if user is not None:
        comments, versions = _anonymise_plan_work(user)
        sessions, resets = _delete_account(user)
    attempts = _count(delete(SignInAttempt).where(_attempts_on(email)))
    emails = _count(delete(OutboxMail).where(func.lower(OutboxMail.recipient) == email))
    if user is not None and user.name.strip():
        _remove_name_from_emails(user.name.strip())
    invitations = _count(delete(Invitation).where(func.lower(Invitation.email) == email))
    erased = Erased(
        account=user is not None,
        sessions=sessions,
        password_reset_links=resets,
        sign_in_attempts=attempts,
        emails=emails,
        invitations=invitations,
        audit_events_anonymised=len(events),
        comments_anonymised=comments,
        versions_anonymised=versions,
    )
    # The erasure itself is on the record, with nothing that identifies the person.
    record(AuditAction.PERSON_ERASED, erased=erased.counts())
    db.session.commit()
    return erased


def _anonymise_events(events: list[AuditEvent], user_id: int | None, email: str) -> None:
    """Audit events by or naming the person lose what identifies them, and no longer point to
    their account."""
    for event in events:
        detail = dict(event.detail or {})
        if event.user_id == user_id or _mentions(event, email):
            for key in IDENTIFYING_DETAIL:
                detail.pop(key, None)
        event.detail = detail
        if user_id is not None and event.user_id == user_id:
            event.user_id = None


def _anonymise_plan_work(user: User) -> tuple[int, int]:
    """Comments, versions, saved pages, cards, links, rounds, invitations and deadlines stay,
    pointing to no one; a submitted version's snapshot loses the name. The numbers of comments
    and of versions changed."""
    comments = _count(
        update(PlanComment).where(PlanComment.author_id == user.id).values(author_id=None)
    )
    versions = 0
    for version in db.session.scalars(
        select(PlanVersion).where(
            or_(PlanVersion.submitted_by_id == user.id, PlanVersion.reviewed_by_id == user.id)
        )
    ):
        if version.submitted_by_id == user.id:
            snapshot = dict(version.snapshot)
            snapshot["submitted_by"] = None
            snapshot["submitted_by_removed"] = True
            version.snapshot = snapshot
            version.submitted_by_id = None
        if version.reviewed_by_id == user.id:
            version.reviewed_by_id = None
        versions += 1
    db.session.flush()
    for model, column in (
        (PlanAnswer, PlanAnswer.updated_by_id),
        (ProgressUpdate, ProgressUpdate.updated_by_id),
        (OwnCard, OwnCard.created_by_id),
        (OwnCard, OwnCard.updated_by_id),
        (ShareLink, ShareLink.created_by_id),
        (StaffVoiceRound, StaffVoiceRound.created_by_id),
        (Invitation, Invitation.invited_by_id),
        (ClusterDeadline, ClusterDeadline.set_by_id),
    ):
        _count(update(model).where(column == user.id).values({column.key: None}))
    return comments, versions


def _delete_account(user: User) -> tuple[int, int]:
    """The account goes with its read markers, sessions, reset links and cluster roles. The
    numbers of sessions and of reset links deleted."""
    _count(delete(CommentRead).where(CommentRead.user_id == user.id))
    sessions = _count(delete(UserSession).where(UserSession.user_id == user.id))
    resets = _count(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    _count(delete(coordinator_cluster).where(coordinator_cluster.c.user_id == user.id))
    user_id = user.id
    db.session.expunge(user)
    _count(delete(User).where(User.id == user_id))
    return sessions, resets


def _remove_name_from_emails(name: str) -> None:
    """Copies of other people's emails that name the person (an invitation from them, say)
    lose the name; the retention sweep deletes the copies themselves soon after."""
    for mail in db.session.scalars(
        select(OutboxMail).where(
            or_(
                OutboxMail.body.contains(name, autoescape=True),
                OutboxMail.subject.contains(name, autoescape=True),
            )
        )
    ):
        mail.body = mail.body.replace(name, REMOVED_NAME)
        mail.subject = mail.subject.replace(name, REMOVED_NAME)
