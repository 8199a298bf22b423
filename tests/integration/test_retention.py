"""The retention schedule: sessions, sign-in attempts, the audit trail's sign-in records, sent
emails and expired reset links and invitations are deleted once older than their period in the
configuration (`flask purge-expired`, and `make worker`'s sweep); anything newer is kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from tests.conftest import Directory, sign_in
from tests.factories import PASSWORD
from wizard.config import ConfigError, load_config
from wizard.data.accounts import token_hash
from wizard.data.administration import keep_upload, upload
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Invitation,
    OutboxMail,
    PasswordResetToken,
    PendingImport,
    SignInAttempt,
    User,
    UserSession,
    utcnow,
)


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _age(model: Any, column: str, at: datetime) -> None:
    db.session.execute(update(model).values({column: at}))
    db.session.commit()


def _purge(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    return str(result.output)


@pytest.fixture
def member(directory: Directory) -> User:
    return directory.user("member@school.example", school=directory.school())


def test_sign_in_records_older_than_their_periods_are_deleted_newer_kept(
    app: Flask, ctx: None, member: User
) -> None:
    client = app.test_client()
    # One failed and one successful sign-in: two attempts, a session, two audit records.
    client.post("/en/sign-in", data={"email": member.email, "password": "not the password"})
    sign_in(client, member.email)
    assert _count(SignInAttempt) == 2 and _count(UserSession) == 1
    assert _count(AuditEvent) == 2
    now = utcnow()
    # Just inside every period: all kept.
    _age(SignInAttempt, "created_at", now - timedelta(days=29, hours=23))
    _age(UserSession, "created_at", now - timedelta(days=29, hours=23))
    _age(AuditEvent, "created_at", now - timedelta(days=89, hours=23))
    assert "Deleted 0 rows" in _purge(app)
    assert _count(SignInAttempt) == 2 and _count(UserSession) == 1 and _count(AuditEvent) == 2

    # Just past them: all deleted, and counted.
    _age(SignInAttempt, "created_at", now - timedelta(days=30, minutes=1))
    _age(UserSession, "created_at", now - timedelta(days=30, minutes=1))
    _age(AuditEvent, "created_at", now - timedelta(days=90, minutes=1))
    output = _purge(app)
    assert "1 sessions" in output
    assert "2 sign-in attempts" in output
    assert "2 records of signing in, passwords and invitations in the audit trail" in output
    assert _count(SignInAttempt) == 0 and _count(UserSession) == 0 and _count(AuditEvent) == 0
    # The account itself is untouched.
    assert db.session.get(User, member.id) is not None


def test_account_records_go_but_a_plans_history_and_the_chosen_language_stay(
    app: Flask, ctx: None, member: User
) -> None:
    record(AuditAction.ANSWER_SAVED, user_id=member.id, at=utcnow() - timedelta(days=400))
    record(AuditAction.LANGUAGE_CHANGED, user_id=member.id, at=utcnow() - timedelta(days=400))
    record(AuditAction.SIGNED_IN, user_id=member.id, at=utcnow() - timedelta(days=400))
    record(
        AuditAction.COLLEAGUE_INVITED,
        user_id=member.id,
        email="new@school.example",
        at=utcnow() - timedelta(days=91),
    )
    db.session.commit()
    _purge(app)
    kept = set(db.session.scalars(select(AuditEvent.action)))
    assert kept == {AuditAction.ANSWER_SAVED.value, AuditAction.LANGUAGE_CHANGED.value}


def _email(key: str, created: datetime, sent: datetime | None) -> OutboxMail:
    return OutboxMail(
        key=key,
        event=key,
        recipient="member@school.example",
        locale="en",
        subject="Subject",
        body="Body",
        created_at=created,
        attempts=1 if sent else 0,
        sent_at=sent,
    )


def test_sent_emails_go_after_their_period_and_unsent_ones_stay(app: Flask, ctx: None) -> None:
    now = utcnow()
    long_ago = now - timedelta(days=60)
    db.session.add_all(
        [
            _email("old-sent", long_ago, now - timedelta(days=31)),
            _email("recent-sent", long_ago, now - timedelta(days=29)),
            _email("old-unsent", long_ago, None),
        ]
    )
    db.session.commit()
    assert "1 sent emails" in _purge(app)
    assert set(db.session.scalars(select(OutboxMail.key))) == {"recent-sent", "old-unsent"}


def test_reset_links_and_invitations_go_a_week_after_they_expire_or_are_used(
    app: Flask, ctx: None, member: User
) -> None:
    now = utcnow()
    db.session.add_all(
        [
            PasswordResetToken(
                user_id=member.id, token_hash="a" * 64, expires_at=now - timedelta(days=8)
            ),
            PasswordResetToken(
                user_id=member.id, token_hash="b" * 64, expires_at=now - timedelta(days=6)
            ),
            PasswordResetToken(
                user_id=member.id,
                token_hash="c" * 64,
                expires_at=now + timedelta(hours=1),
                used_at=now - timedelta(days=8),
            ),
            PasswordResetToken(
                user_id=member.id, token_hash="d" * 64, expires_at=now + timedelta(hours=1)
            ),
        ]
    )
    for digest, expires, accepted in (
        ("e" * 64, now - timedelta(days=8), None),
        ("f" * 64, now - timedelta(days=8), now - timedelta(days=20)),
        ("0" * 64, now - timedelta(days=6), None),
        ("1" * 64, now + timedelta(days=10), None),
    ):
        db.session.add(
            Invitation(
                email="new@school.example",
                name="New colleague",
                school_id=member.school_id,
                token_hash=digest,
                expires_at=expires,
                accepted_at=accepted,
            )
        )
    db.session.commit()
    output = _purge(app)
    assert "2 password reset links" in output and "2 invitations" in output
    assert set(db.session.scalars(select(PasswordResetToken.token_hash))) == {"b" * 64, "d" * 64}
    assert set(db.session.scalars(select(Invitation.token_hash))) == {"0" * 64, "1" * 64}


def test_periods_come_from_the_configuration(
    app: Flask, ctx: None, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    client.post("/en/sign-in", data={"email": member.email, "password": PASSWORD})
    _age(SignInAttempt, "created_at", utcnow() - timedelta(days=3))
    _purge(app)
    assert _count(SignInAttempt) == 1
    monkeypatch.setitem(app.config, "RETENTION_SIGN_IN_ATTEMPTS_DAYS", 2)
    _purge(app)
    assert _count(SignInAttempt) == 0


def test_a_retention_period_must_be_whole_days(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETENTION_SENT_EMAIL_DAYS", "14")
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["RETENTION_SENT_EMAIL_DAYS"] == 14
    for bad in ("0", "-3", "a week", "1.5"):
        monkeypatch.setenv("RETENTION_SENT_EMAIL_DAYS", bad)
        with pytest.raises(ConfigError, match="RETENTION_SENT_EMAIL_DAYS"):
            load_config(tmp_path, {"SECRET_KEY": "x"})


def test_an_uploaded_spreadsheet_goes_a_day_after_its_preview_even_with_no_new_upload(
    app: Flask, ctx: None, member: User
) -> None:
    old = keep_upload(member.id, "schools", None, "old.xlsx", b"old bytes", None)
    new = keep_upload(member.id, "clusters", None, "new.csv", b"new bytes", None)
    db.session.execute(
        update(PendingImport)
        .where(PendingImport.token_hash == token_hash(old))
        .values(created_at=utcnow() - timedelta(hours=25))
    )
    db.session.commit()

    assert "1 spreadsheets uploaded for an import" in _purge(app)

    kept = list(db.session.scalars(select(PendingImport.filename)))
    assert kept == ["new.csv"]
    assert upload(new, member.id, "clusters") is not None
    assert upload(old, member.id, "schools") is None
