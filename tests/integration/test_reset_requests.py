"""A password reset request does not say by its timing whether an account exists (issue 22
point 4): the response takes the same path either way, and whether there is an account is
looked up, and the email written and sent, only after the response has gone. Checked by
counting what each path does before its response, never by timing it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, request_finished
from sqlalchemy import event, func, select

from tests.conftest import Directory
from wizard.data.database import db
from wizard.data.models import OutboxMail, PasswordResetToken, User
from wizard.services import accounts as account_service
from wizard.services import notifications


@contextmanager
def work_done(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """What a request does before its response is finished (each SQL statement, and each
    lookup, email and send) and after it, in order."""
    done: dict[str, list[str]] = {"before": [], "after": []}
    phase = ["before"]

    def note(what: str) -> None:
        done[phase[0]].append(what)

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        note(" ".join(statement.split()))

    def finished(_sender: Any, **_: Any) -> None:
        phase[0] = "after"

    for module, name in (
        (account_service, "find_user_by_email"),
        (account_service, "request_password_reset"),
        (notifications, "compose"),
        (account_service, "dispatch"),
    ):
        real = getattr(module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            note(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        with request_finished.connected_to(finished, app):
            yield done
    finally:
        event.remove(db.engine, "before_cursor_execute", on_statement)


def test_a_reset_request_does_the_same_work_before_its_response_with_or_without_an_account(
    app: Flask, directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory.user(email="teacher@school.example")
    client = app.test_client()
    seen = {}
    for email in ("teacher@school.example", "nobody@school.example"):
        with work_done(app, monkeypatch) as done:
            response = client.post("/en/reset-password", data={"email": email})
        assert response.status_code == 200
        seen[email] = done
    known, unknown = seen["teacher@school.example"], seen["nobody@school.example"]
    assert known["before"] == unknown["before"]
    assert "find_user_by_email" not in known["before"]
    # Afterwards, the account is looked up for both, and only the account gets an email.
    assert known["after"][0] == unknown["after"][0] == "find_user_by_email"
    assert "compose" in known["after"] and "dispatch" in known["after"]
    assert unknown["after"] == ["find_user_by_email", *unknown["after"][1:]]
    assert "compose" not in unknown["after"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1
    assert db.session.scalars(select(OutboxMail.recipient)).all() == ["teacher@school.example"]


def test_the_page_after_asking_is_the_same_with_or_without_an_account(
    app: Flask, directory: Directory
) -> None:
    directory.user(email="teacher@school.example")
    pages = [
        app.test_client().post("/cy/reset-password", data={"email": email}).soup.find("main")
        for email in ("teacher@school.example", "nobody@school.example")
    ]
    assert [str(p).replace("teacher", "X").replace("nobody", "X") for p in pages][0] == [
        str(p).replace("teacher", "X").replace("nobody", "X") for p in pages
    ][1]


def test_a_failure_after_the_response_is_logged_and_the_page_is_unchanged(
    app: Flask,
    directory: Directory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory.user(email="teacher@school.example")

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(account_service, "request_password_reset", broken)
    response = app.test_client().post(
        "/en/reset-password", data={"email": "teacher@school.example"}
    )
    assert response.status_code == 200
    assert "A password reset request could not be handled" in caplog.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
