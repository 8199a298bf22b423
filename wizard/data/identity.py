"""Accounts linked to Hwb identities, requests to join a school, and the lead's team: each
write is one transaction, audited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from wizard.data.accounts import (
    become_lead_if_invited_as_one,
    end_all_sessions,
    new_token,
    start_session,
    token_hash,
)
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    Invitation,
    JoinRequest,
    School,
    ShareLink,
    User,
    UserSession,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.domain.identity import Identity
from wizard.domain.inputs import normalise_email

APPROVED = "approved"
DECLINED = "declined"


class IdentityTaken(Exception):
    """The Hwb identity is linked to another account already."""


def user_of_identity(issuer: str, subject: str) -> User | None:
    """The account linked to (issuer, subject): the only way a Hwb sign-in finds an account."""
    return db.session.scalar(
        select(User).where(User.external_issuer == issuer, User.external_subject == subject)
    )


def signed_in_with_hwb(user: User, address: str) -> str:
    """Start the session of a Hwb sign-in; return its token."""
    record(AuditAction.SIGNED_IN, user_id=user.id, address=address, method="hwb")
    token = start_session(user)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    return token


def hwb_sign_in_refused(reason: str, address: str) -> None:
    record(AuditAction.SIGN_IN_FAILED, address=address, method="hwb", reason=reason)
    db.session.commit()


def link_identity(user: User, identity: Identity, address: str) -> None:
    """Link a Hwb identity to a signed-in account. Raises IdentityTaken (nothing changed)
    when another account has it."""
    other = user_of_identity(identity.issuer, identity.subject)
    if other is not None and other.id != user.id:
        raise IdentityTaken
    user.external_issuer, user.external_subject = identity.issuer, identity.subject
    record(AuditAction.HWB_LINKED, user_id=user.id, address=address)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise IdentityTaken from error


def remove_password(user: User, current_token: str) -> bool:
    """Remove the password of an account linked to Hwb (False: not linked, nothing done).
    Its other sessions end (their rows and the old session version); the caller signs this one
    in again with the new version."""
    if not user.external_subject:
        return False
    user.password_hash = None
    user.session_version = (user.session_version or 1) + 1
    db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.token_hash != token_hash(current_token),
        )
        .values(ended_at=utcnow())
    )
    record(AuditAction.PASSWORD_REMOVED, user_id=user.id)
    db.session.commit()
    return True


def create_account_for_invitation(
    invitation: Invitation, identity: Identity, locale: str, address: str
) -> tuple[User, str]:
    """The invited account, made with no password and linked to the Hwb identity, signed in.
    Raises IdentityTaken, or accounts.AccountExists (via IntegrityError on the email), with
    nothing changed."""
    if user_of_identity(identity.issuer, identity.subject) is not None:
        raise IdentityTaken
    user = User(
        email=normalise_email(invitation.email),
        name=invitation.name or identity.name,
        school_id=invitation.school_id,
        locale=locale,
        external_issuer=identity.issuer,
        external_subject=identity.subject,
    )
    db.session.add(user)
    invitation.accepted_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise IdentityTaken from error
    become_lead_if_invited_as_one(invitation, user)
    record(AuditAction.INVITATION_ACCEPTED, user_id=user.id, invitation=invitation.id, method="hwb")
    record(AuditAction.HWB_LINKED, user_id=user.id, address=address)
    token = start_session(user)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    return user, token


# --- Asking to join a school ------------------------------------------------------------------


def find_schools(query: str, limit: int = 20) -> list[School]:
    """Schools whose name (English or Welsh) contains the words, or whose number starts with
    them."""
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    pattern = f"%{text.lower()}%"
    return list(
        db.session.scalars(
            select(School)
            .where(
                or_(
                    func.lower(School.name_en).like(pattern),
                    func.lower(func.coalesce(School.name_cy, "")).like(pattern),
                    School.school_number.like(f"{text}%"),
                )
            )
            .order_by(School.name_en)
            .limit(limit)
        )
    )


def school(school_id: int) -> School | None:
    return db.session.get(School, school_id)


def pending_request_of(issuer: str, subject: str) -> JoinRequest | None:
    return db.session.scalar(
        select(JoinRequest)
        .where(
            JoinRequest.issuer == issuer,
            JoinRequest.subject == subject,
            JoinRequest.outcome.is_(None),
        )
        .order_by(JoinRequest.id.desc())
        .limit(1)
    )


def untold_decision_of(issuer: str, subject: str) -> JoinRequest | None:
    """The latest decided request the person has not been told about."""
    return db.session.scalar(
        select(JoinRequest)
        .where(
            JoinRequest.issuer == issuer,
            JoinRequest.subject == subject,
            JoinRequest.outcome.is_not(None),
            JoinRequest.told_at.is_(None),
        )
        .order_by(JoinRequest.id.desc())
        .limit(1)
    )


def mark_told(request_id: int) -> None:
    db.session.execute(
        update(JoinRequest).where(JoinRequest.id == request_id).values(told_at=utcnow())
    )
    db.session.commit()


def ask_to_join(identity: Identity, school_id: int, address: str) -> JoinRequest:
    """Record a request (replacing the person's pending one, if any: one at a time)."""
    pending = pending_request_of(identity.issuer, identity.subject)
    if pending is not None:
        pending.outcome, pending.decided_at, pending.told_at = "withdrawn", utcnow(), utcnow()
    join = JoinRequest(
        school_id=school_id,
        issuer=identity.issuer,
        subject=identity.subject,
        name=identity.name or identity.email or "-",
        email=identity.email,
    )
    db.session.add(join)
    db.session.flush()
    record(AuditAction.JOIN_REQUESTED, address=address, school=school_id, request=join.id)
    db.session.commit()
    return join


def requests_to(school_id: int) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.school_id == school_id, JoinRequest.outcome.is_(None))
            .order_by(JoinRequest.created_at)
        )
    )


def open_request(school_id: int, request_id: int) -> JoinRequest | None:
    join = db.session.get(JoinRequest, request_id)
    if join is None or join.school_id != school_id or join.outcome is not None:
        return None
    return join


class EmailTaken(Exception):
    """Another account has the email address the provider gave (it can link Hwb itself)."""


def without_school(user: User) -> bool:
    """An account at no school that is not a coordinator's or an administrator's (a colleague
    removed from their school): it may ask to join one."""
    return user.school_id is None and not user.is_admin and not user.is_coordinator


class NoEmail(Exception):
    """The provider gave no email address for the person, and an account needs one."""


def approve(lead: User, join: JoinRequest) -> User:
    """Make the account, linked to the identity and with no password, at the lead's school; or,
    for an identity whose account has no school (a colleague removed from theirs), put that
    account at the lead's school. Raises IdentityTaken, NoEmail or EmailTaken with nothing
    changed."""
    existing = user_of_identity(join.issuer, join.subject)
    if existing is not None:
        if not without_school(existing):
            raise IdentityTaken
        existing.school_id = join.school_id
        join.outcome, join.decided_at, join.decided_by_id = APPROVED, utcnow(), lead.id
        record(
            AuditAction.JOIN_APPROVED,
            user_id=lead.id,
            request=join.id,
            account=existing.id,
            rejoined=True,
        )
        db.session.commit()
        return existing
    email = normalise_email(join.email) if join.email else ""
    if not email:
        raise NoEmail
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken
    user = User(
        email=email,
        name=join.name,
        school_id=join.school_id,
        external_issuer=join.issuer,
        external_subject=join.subject,
    )
    db.session.add(user)
    join.outcome, join.decided_at, join.decided_by_id = APPROVED, utcnow(), lead.id
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise IdentityTaken from error
    record(AuditAction.JOIN_APPROVED, user_id=lead.id, request=join.id, account=user.id)
    db.session.commit()
    return user


def decline(lead: User, join: JoinRequest) -> None:
    join.outcome, join.decided_at, join.decided_by_id = DECLINED, utcnow(), lead.id
    record(AuditAction.JOIN_DECLINED, user_id=lead.id, request=join.id)
    db.session.commit()


# --- The lead's team --------------------------------------------------------------------------


def colleague(lead: User, user_id: int) -> User | None:
    """Another account at the lead's school."""
    user = db.session.get(User, user_id)
    if user is None or user.id == lead.id or user.school_id != lead.school_id:
        return None
    return user


def remove_colleague(lead: User, user: User) -> None:
    """The colleague leaves the school: every session of theirs ends now (the row and the
    cookie's session version), and they are no longer its lead."""
    user.school_id = None
    user.is_school_lead = False
    user.session_version = (user.session_version or 1) + 1
    end_all_sessions(user.id)
    record(AuditAction.COLLEAGUE_REMOVED, user_id=lead.id, account=user.id)
    db.session.commit()


def share_links_made_by(user: User) -> list[ShareLink]:
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.created_by_id == user.id, ShareLink.revoked_at.is_(None))
            .order_by(ShareLink.created_at)
        )
    )


def hand_over_lead(lead: User, new_lead: User, keep_links: Sequence[int]) -> None:
    """The colleague becomes the lead and the lead a member. Share links made by the old lead
    work only while their maker is the lead: those the new lead keeps become the new lead's;
    the others are revoked."""
    lead.is_school_lead = False
    new_lead.is_school_lead = True
    now = utcnow()
    for link in share_links_made_by(lead):
        if link.id in keep_links:
            link.created_by_id = new_lead.id
        else:
            link.revoked_at = now
    record(
        AuditAction.LEAD_HANDED_OVER,
        user_id=lead.id,
        account=new_lead.id,
        kept_links=sorted(keep_links),
    )
    db.session.commit()


def open_invitation_of(lead: User, invitation_id: int) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.school_id != lead.school_id
        or invitation.accepted_at is not None
        or invitation.expires_at < utcnow()
    ):
        return None
    return invitation


def open_invitation_to(school_id: int, email: str) -> Invitation | None:
    """The school's open invitation to this address, if any (there is at most one)."""
    return db.session.scalar(
        select(Invitation).where(
            Invitation.school_id == school_id,
            Invitation.email == normalise_email(email),
            Invitation.accepted_at.is_(None),
            Invitation.expires_at >= utcnow(),
        )
    )


def cancel_invitation(lead: User, invitation: Invitation) -> None:
    """The invitation's link stops working now."""
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    record(AuditAction.INVITATION_CANCELLED, user_id=lead.id, invitation=invitation.id)
    db.session.commit()


def renew_invitation(
    lead: User, invitation: Invitation, mail: Callable[[str], Sequence[Mail]]
) -> str:
    """A new link for the invitation (the old one stops working) and a new expiry; the email
    with it in the outbox, in the same transaction; return the token."""
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    record(AuditAction.INVITATION_RESENT, user_id=lead.id, invitation=invitation.id)
    stage(f"invitation:{digest}", mail(token))
    db.session.commit()
    return token


def link_demo_account(email: str, issuer: str, subject: str) -> bool:
    """Development only (scripts/dev_identity_provider.py): link a demo account, found by its
    email address, to its identity at the local stand-in for Hwb. Never used on a sign-in."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        return False
    taken = user_of_identity(issuer, subject)
    if taken is not None and taken.id != user.id:
        taken.external_issuer = taken.external_subject = None
    user.external_issuer, user.external_subject = issuer, subject
    db.session.commit()
    return True
