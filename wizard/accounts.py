"""Passwords, one-time tokens, sign-in throttling and account emails."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import delete, func, select

from .extensions import db
from .models import PasswordResetToken, SignInAttempt, User, utcnow


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
    user.password_hash = hash_password(password)
    # Signs out every other session of this user.
    user.session_version = (user.session_version or 1) + 1


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# Tokens sent by email: long, random, stored only as a hash.
def new_token() -> tuple[str, str]:
    """Return (token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def create_password_reset(user: User) -> str:
    token, digest = new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    db.session.commit()
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


# Sign-in throttling. Kept in the database so that every worker and machine agrees.
def sign_in_blocked(email: str, address: str) -> bool:
    config = current_app.config
    since = utcnow() - timedelta(seconds=config["SIGN_IN_WINDOW_SECONDS"])
    by_email = db.session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.email == normalise_email(email), SignInAttempt.created_at >= since)
    )
    if (by_email or 0) >= config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]:
        return True
    by_address = db.session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.address == address, SignInAttempt.created_at >= since)
    )
    return bool((by_address or 0) >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"])


def record_failed_sign_in(email: str, address: str) -> None:
    db.session.add(SignInAttempt(email=normalise_email(email)[:254], address=address[:64]))
    db.session.commit()


def clear_failed_sign_ins(email: str) -> None:
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.email == normalise_email(email)))
