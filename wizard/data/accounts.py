"""Passwords, one-time tokens, sign-in throttling and account emails."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import (
    DateTime,
    Integer,
    String,
    bindparam,
    case,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Invitation,
    PasswordResetToken,
    SignInAttempt,
    User,
    UserSession,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.domain.inputs import normalise_email


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


# A real hash to verify against when the email is unknown, so that both failures take as long.
_DUMMY_HASH: dict[tuple[int, int], str] = {}


def _dummy_hash() -> str:
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH[key]


def check_password(user: User | None, password: str) -> bool:
    """Return whether the password is right, taking the same time for unknown users."""
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        _hasher().verify(stored or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if stored is None or user is None:
        return False
    if _hasher().check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    return True


def set_password(user: User, password: str) -> None:
    """Set a new password and end every session of the user (on every device)."""
    user.password_hash = hash_password(password)
    user.session_version = (user.session_version or 1) + 1
    if user.id is not None:
        end_all_sessions(user.id)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# Tokens sent by email: long, random, stored only as a hash.
def new_token() -> tuple[str, str]:
    """Return (token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_password_reset(user: User) -> str:
    token, digest = new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    return token


def find_password_reset(token: str) -> PasswordResetToken | None:
    """Return the unused, unexpired reset for this token, if any."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    return row


# Sessions: each sign-in has a row; the cookie carries only its random token.
SESSION_TOKEN_KEY = "sid"
# When the session last saw a request (seconds since the epoch), for the idle timeout. Kept in
# the signed cookie, so that counting activity costs no database write.
SESSION_SEEN_KEY = "seen"


def start_session(user: User) -> str:
    """Record a new sign-in for the user and return the token for their cookie."""
    token, digest = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=digest))
    return token


# Built once (SQLAlchemy then neither builds it nor works out its cache key on each request),
# and without the columns that pages do not read from the signed-in user: the password's hash
# and the Hwb identity (the account page and joining a school load them when they read them),
# and when the account was made and last signed in.
_USER_OF_SESSION = (
    select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id", type_=Integer),
        User.session_version == bindparam("session_version", type_=Integer),
        UserSession.token_hash == bindparam("token_hash", type_=String),
        UserSession.ended_at.is_(None),
        UserSession.created_at >= bindparam("oldest", type_=DateTime),
    )
    .options(
        defer(User.password_hash),
        defer(User.external_issuer),
        defer(User.external_subject),
        defer(User.created_at),
        defer(User.last_signed_in_at),
    )
)


def user_of_session(user_id: int, session_version: int, token: str) -> User | None:
    """The user whose live session this is, in one query: not ended, not older than the
    absolute lifetime, and of the user's current password."""
    if not token or len(token) > 100:
        return None
    oldest = utcnow() - timedelta(seconds=current_app.config["SESSION_ABSOLUTE_SECONDS"])
    return db.session.scalar(
        _USER_OF_SESSION,
        {
            "user_id": user_id,
            "session_version": session_version,
            "token_hash": token_hash(token),
            "oldest": oldest,
        },
    )


def end_session(token: str) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(user_id: int) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


# Sign-in throttling, kept in the database so that every worker and machine agrees, after
# OWASP's "device cookies": a browser that has signed in to an account before (it carries a
# signed device cookie for it; see web/devices.py) has its own allowance, counted by account
# and device; every other attempt on the account is counted by account alone. Guessing from
# anywhere therefore never locks out the owner's own browsers; and a ceiling per address on
# attempts without a device cookie stops guessing across accounts from one address, without
# ever blocking a browser with a valid device cookie (a school behind one address keeps
# signing in). What was typed as the email is kept only as an HMAC (`account_key`).
#
# The attempt is recorded (as a failure) and committed BEFORE the count, and the password is
# checked only when the count allows: of a burst of concurrent attempts, each sees at least
# the ones committed before it, so a burst gets no more evaluations than a sequence.
def account_key(email: str) -> str:
    """What sign-in attempts keep of the email typed: an HMAC under SECRET_KEY, enough to
    count attempts on one account, never readable."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = b"sign-in-account\0" + normalise_email(email)[:254].encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def begin_sign_in(email: str, address: str, device: str | None = None) -> tuple[int, int]:
    """Record an attempt on this account (a failure until `sign_in_succeeded` says otherwise),
    commit it, then count: returns (the attempt's id, seconds to wait; 0: go ahead and check
    the password). With a wait, the caller calls `sign_in_throttled`, which forgets it."""
    attempt = SignInAttempt(
        account=account_key(email), device=device, address=address[:64], succeeded=False
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt.id, _wait_seconds(attempt)


def _wait_seconds(attempt: SignInAttempt) -> int:
    config = current_app.config
    now = utcnow()
    window = int(config["SIGN_IN_WINDOW_SECONDS"])
    since = now - timedelta(seconds=window)
    same_key = (
        SignInAttempt.account == attempt.account,
        SignInAttempt.device == attempt.device
        if attempt.device is not None
        else SignInAttempt.device.is_(None),
    )
    last_success = (
        select(func.max(SignInAttempt.created_at))
        .where(*same_key, SignInAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    failures, latest_other = db.session.execute(
        select(
            func.count(),
            func.max(case((SignInAttempt.id != attempt.id, SignInAttempt.created_at))),
        ).where(
            *same_key,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.created_at >= since,
            SignInAttempt.created_at > func.coalesce(last_success, since),
        )
    ).one()
    # The failures before this attempt (this one is among those counted).
    earlier = max(int(failures) - 1, 0)
    free = int(config["SIGN_IN_FREE_FAILURES"])
    if earlier >= free and latest_other is not None:
        delay = min(int(config["SIGN_IN_FIRST_DELAY_SECONDS"]) * 2 ** (earlier - free), window)
        wait: int = delay - int((now - latest_other).total_seconds())
        if wait > 0:
            return wait
    if attempt.device is not None:
        return 0  # a trusted device is never held back by what others do from its address
    by_address = db.session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(
            SignInAttempt.address == attempt.address,
            SignInAttempt.device.is_(None),
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.created_at >= since,
        )
    )
    if (by_address or 0) - 1 >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]:
        return window
    return 0


def _forget_attempt(attempt_id: int) -> None:
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.id == attempt_id))


def may_send_reset(user: User) -> bool:
    """At most a few reset emails an hour for one account; more are dropped silently."""
    recent = db.session.scalar(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at >= utcnow() - timedelta(hours=1),
        )
    )
    return (recent or 0) < int(current_app.config["RESETS_PER_ACCOUNT_PER_HOUR"])


def use_password_reset(reset: PasswordResetToken, user: User, password: str) -> None:
    """Use up this link and any other outstanding ones, and set the new password."""
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    set_password(user, password)


# What the sign-in, reset and invitation pages do, each one transaction.
def sign_in_succeeded(user: User, address: str, attempt_id: int) -> str:
    """Mark the attempt a success (the count starts again) and start the session; return the
    session's token."""
    db.session.execute(
        update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True)
    )
    record(AuditAction.SIGNED_IN, user_id=user.id, address=address)
    token = start_session(user)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    return token


def sign_in_failed(user: User | None, address: str) -> None:
    """The attempt (already recorded by `begin_sign_in`) failed. The audit trail keeps the
    account when there is one, and never what was typed as the email."""
    record(AuditAction.SIGN_IN_FAILED, user_id=user.id if user else None, address=address)
    db.session.commit()


def sign_in_throttled(attempt_id: int, address: str) -> None:
    """The attempt was not evaluated: it is not counted as a failure (a wait does not grow
    while someone keeps knocking), only audited."""
    _forget_attempt(attempt_id)
    record(AuditAction.SIGN_IN_THROTTLED, address=address)
    db.session.commit()


def signed_out(user_id: int, token: str | None) -> None:
    """End the session of this cookie (only this one: other devices stay signed in)."""
    record(AuditAction.SIGNED_OUT, user_id=user_id)
    if token:
        end_session(token)
    db.session.commit()


def request_password_reset(
    user: User, address: str, mail: Callable[[str], Sequence[Mail]] | None = None
) -> str | None:
    """A reset token for the user, or None when they have had enough emails this hour.

    `mail(token)` gives the email with the link, written to the outbox in the same
    transaction as the token.
    """
    if not may_send_reset(user):
        return None
    token = create_password_reset(user)
    record(AuditAction.PASSWORD_RESET_REQUESTED, user_id=user.id, address=address)
    if mail is not None:
        stage(f"password-reset:{token_hash(token)}", mail(token))
    db.session.commit()
    return token


def reset_password_with(reset: PasswordResetToken, password: str, address: str) -> User | None:
    """Use a reset link: the new password, every session ended, the links used up."""
    user = db.session.get(User, reset.user_id)
    if user is None:
        return None
    use_password_reset(reset, user, password)
    record(AuditAction.PASSWORD_RESET_USED, user_id=user.id, address=address)
    db.session.commit()
    return user


def find_invitation(token: str) -> Invitation | None:
    """The open (unaccepted, unexpired) invitation of this token, if any."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


class AccountExists(Exception):
    """There is already an account with this email address (one was created at the same
    moment: two acceptances of one invitation, say)."""


def email_of(user_id: int) -> str | None:
    user = db.session.get(User, user_id)
    return user.email if user else None


def create_invited_account(
    invitation: Invitation, name: str, password: str, locale: str
) -> tuple[User, str]:
    """Create the invited account, signed in; return it and its session token. Raises
    AccountExists, with nothing changed, when the address has an account by the time this
    commits (the unique email decides between two acceptances at once)."""
    try:
        return _create_invited_account(invitation, name, password, locale)
    except IntegrityError as error:
        db.session.rollback()
        raise AccountExists(invitation.email) from error


def _create_invited_account(
    invitation: Invitation, name: str, password: str, locale: str
) -> tuple[User, str]:
    user = User(
        email=normalise_email(invitation.email),
        name=name or invitation.name,
        school_id=invitation.school_id,
        locale=locale,
    )
    set_password(user, password)
    db.session.add(user)
    invitation.accepted_at = utcnow()
    db.session.flush()
    become_lead_if_invited_as_one(invitation, user)
    record(AuditAction.INVITATION_ACCEPTED, user_id=user.id, invitation=invitation.id)
    token = start_session(user)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    return user, token


def invite_colleague(
    lead: User,
    email: str,
    name: str,
    locale: str,
    mail: Callable[[str], Sequence[Mail]] | None = None,
) -> str:
    """Record an invitation to the lead's school; return the token for its link.

    `mail(token)` gives the invitation email, written to the outbox in the same transaction.
    """
    token, digest = new_token()
    db.session.add(
        Invitation(
            email=normalise_email(email),
            name=name,
            school_id=lead.school_id,
            invited_by_id=lead.id,
            token_hash=digest,
            locale=locale,
            expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
        )
    )
    record(AuditAction.COLLEAGUE_INVITED, user_id=lead.id, email=normalise_email(email))
    if mail is not None:
        stage(f"invitation:{digest}", mail(token))
    db.session.commit()
    return token


def colleagues_of(school_id: int) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.school_id == school_id).order_by(User.name))
    )


def pending_invitations(school_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.school_id == school_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at >= utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )


def name_of(user_id: int | None) -> str | None:
    """A user's name (the author of a saved answer), if there is such a user."""
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user else None


def change_password(user: User, current_token: str, password: str, address: str) -> None:
    """Set a new password chosen on the account page: every OTHER session of the user ends
    (their rows, and the cookies of the old password's session version); the session of
    `current_token` goes on. The caller signs the user in again with the new version."""
    user.password_hash = hash_password(password)
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
    record(AuditAction.PASSWORD_CHANGED, user_id=user.id, address=address)
    db.session.commit()


def password_change_refused(user: User, address: str) -> None:
    """A wrong current password on the account page: it counts as a failed sign-in (its
    attempt, recorded by `begin_sign_in`, stays a failure), so that a borrowed session cannot
    be used to guess the password faster than the sign-in page."""
    record(AuditAction.PASSWORD_CHANGE_REFUSED, user_id=user.id, address=address)
    db.session.commit()


def password_check_passed(attempt_id: int) -> None:
    """The current password was right on the account page: that check is not a sign-in, so
    its attempt is not kept."""
    _forget_attempt(attempt_id)
    db.session.commit()


def set_preferred_language(user: User, lang: str) -> None:
    """The language chosen on the account page: pages after signing in, and emails, use it."""
    previous = user.locale
    user.locale = lang
    record(AuditAction.LANGUAGE_CHANGED, user_id=user.id, previous=previous, language=lang)
    db.session.commit()


def chosen_language(user_id: int) -> str | None:
    """The language last chosen on the account page (None: never chosen). `User.locale` is
    also set when an account is made (the invitation's language), so the choice itself is read
    from its audit record."""
    detail = db.session.scalar(
        select(AuditEvent.detail)
        .where(AuditEvent.user_id == user_id, AuditEvent.action == AuditAction.LANGUAGE_CHANGED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    language = (detail or {}).get("language")
    return language if isinstance(language, str) else None


def database_ready() -> bool:
    """Whether the database answers (for /readyz)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means not ready
        db.session.rollback()
        return False
    return True


def become_lead_if_invited_as_one(invitation: Invitation, user: User) -> None:
    """An invitation an administrator sent to name a school's lead: the new account leads the
    school, and whoever led it before becomes a member."""
    if not invitation.as_lead:
        return
    for other in db.session.scalars(
        select(User).where(
            User.school_id == invitation.school_id,
            User.is_school_lead.is_(True),
            User.id != user.id,
        )
    ):
        other.is_school_lead = False
    user.is_school_lead = True
