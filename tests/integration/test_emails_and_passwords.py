"""Emails are one address whatever their Unicode form or case (issue 22 point 6); a password
that holds the account's email is refused (issue 22 point 6); two acceptances of one
invitation at once give a clear message, not an error page (issue 22 point 3)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from tests.conftest import PASSWORD, Directory, database_url, sign_in, test_config
from tests.html import error_summary, heading
from wizard import create_app
from wizard.data.accounts import create_password_reset, invite_colleague
from wizard.data.database import db
from wizard.data.models import Invitation, User
from wizard.domain.inputs import normalise_email
from wizard.domain.passwords import contains_email
from wizard.services import accounts as account_service

NEW_PASSWORD = "a long fresh passphrase"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jo@Ysgol.Cymru", "jo@ysgol.cymru"),
        ("ＪＯ@ysgol.cymru", "jo@ysgol.cymru"),  # full-width letters
        ("  jo@ysgol.cymru ", "jo@ysgol.cymru"),
        ("STRAẞE@ysgol.cymru", "strasse@ysgol.cymru"),
        ("Siân@ysgol.cymru", "siân@ysgol.cymru"),
        ("Sia\u0302n@ysgol.cymru", "siân@ysgol.cymru"),  # â as a + combining circumflex
    ],
)
def test_an_email_is_normalised_and_case_folded(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


def test_signing_in_with_the_email_in_another_form(
    client: FlaskClient, directory: Directory
) -> None:
    directory.user(email="jo@ysgol.cymru")
    response = client.post("/en/sign-in", data={"email": "ＪＯ@YSGOL.CYMRU", "password": PASSWORD})
    assert response.status_code == 302


def test_a_reset_for_the_email_in_another_form_reaches_the_account(
    client: FlaskClient, directory: Directory, caplog: pytest.LogCaptureFixture
) -> None:
    directory.user(email="strasse@ysgol.cymru")
    client.post("/en/reset-password", data={"email": "Straße@ysgol.cymru"})
    sent = [r.getMessage() for r in caplog.records if "email was not sent" in r.getMessage()]
    assert len(sent) == 1
    assert "To: strasse@ysgol.cymru" in sent[0]


def test_inviting_a_colleague_by_their_email_in_another_form(
    lead_client: FlaskClient, directory: Directory, lead: User
) -> None:
    directory.user(email="colleague@school.example", school=lead.school, name="Colleague")
    response = lead_client.post(
        "/en/account/invite",
        data={"email": "ＣＯＬＬＥＡＧＵＥ@school.example", "name": "C", "language": "en"},
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "colleague@school.example is already a colleague at your school"
    ]
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_an_invitation_to_an_account_in_another_form_does_not_make_a_second_account(
    app: Flask, directory: Directory, lead: User
) -> None:
    token = invite_colleague(lead, "Colleague@School.Example", "C", "en")
    directory.user(email="colleague@school.example", name="Already here")
    response = app.test_client().get(f"/en/invitation/{token}")
    assert response.status_code == 409
    assert heading(response) == "You already have an account"


# A password that holds the account's email is refused.


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("siân.jones@ysgol.cymru!!", True),
        ("my name is SIÂN.JONES ok", True),
        ("ｓｉâｎ.ｊｏｎｅｓ in full width", True),
        ("siân jones but spaced", False),
        ("a long new passphrase", False),
    ],
)
def test_a_password_that_holds_the_email(password: str, refused: bool) -> None:
    assert contains_email(password, "Siân.Jones@ysgol.cymru") is refused


def test_a_very_short_local_part_is_not_refused_everywhere() -> None:
    assert not contains_email("jo and a long passphrase", "jo@ysgol.cymru")
    assert contains_email("jo@ysgol.cymru is my password", "jo@ysgol.cymru")


MESSAGES = {
    "en": "Choose a password that does not contain your email address or the part before the @",
    "cy": "Dewiswch gyfrinair nad yw'n cynnwys eich cyfeiriad e-bost na'r rhan cyn yr @",
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_accepting_an_invitation_with_the_email_in_the_password_is_refused(
    app: Flask, lead: User, lang: str
) -> None:
    token = invite_colleague(lead, "dewi.morgan@school.example", "Dewi", "en")
    password = "Dewi.Morgan-and-more-words"
    response = app.test_client().post(
        f"/{lang}/invitation/{token}",
        data={"name": "Dewi", "password": password, "confirm": password},
    )
    assert response.status_code == 200
    assert MESSAGES[lang] in error_summary(response)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_reset_with_the_email_in_the_password_is_refused(
    app: Flask, lead: User, lang: str
) -> None:
    token = create_password_reset(lead)
    db.session.commit()
    password = f"{lead.email} forever"
    response = app.test_client().post(
        f"/{lang}/reset-password/{token}", data={"password": password, "confirm": password}
    )
    assert response.status_code == 200
    assert MESSAGES[lang] in error_summary(response)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_changing_the_password_to_one_with_the_email_is_refused(
    lead_client: FlaskClient, lead: User, lang: str
) -> None:
    password = "LEAD-is-my-new-passphrase"
    response = lead_client.post(
        f"/{lang}/account/password",
        data={"current": PASSWORD, "password": password, "confirm": password},
    )
    assert response.status_code == 200
    assert MESSAGES[lang] in error_summary(response)
    lead_client.post("/en/sign-out")
    sign_in(lead_client, lead.email)  # the old password still works


# Two acceptances of one invitation at once.


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_account_made_between_the_check_and_the_save_is_a_clear_message(
    app: Flask, directory: Directory, lead: User, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    token = invite_colleague(lead, "new@school.example", "New", "en")
    # The other acceptance saved its account after this one looked for it.
    monkeypatch.setattr(account_service, "find_user_by_email", lambda email: None)
    directory.user(email="new@school.example", name="The other tab")
    response = app.test_client().post(
        f"/{lang}/invitation/{token}",
        data={"name": "New", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 409
    assert (
        heading(response)
        == {"en": "You already have an account", "cy": "Mae gennych gyfrif yn barod"}[lang]
    )


def test_two_acceptances_of_one_invitation_at_once(
    app: Flask, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = invite_colleague(lead, "new@school.example", "New", "en")
    both_checked = threading.Barrier(2)
    create = account_service.create_invited_account

    def create_after_both_checked(*args: Any) -> Any:
        both_checked.wait()
        return create(*args)

    monkeypatch.setattr(account_service, "create_invited_account", create_after_both_checked)

    def accept(_: int) -> int:
        return (
            app.test_client()
            .post(
                f"/en/invitation/{token}",
                data={"name": "New", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            )
            .status_code
        )

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(accept, range(2)))
    assert statuses == [302, 409]
    db.session.rollback()
    assert db.session.scalars(select(User.email).order_by(User.id)).all() == [
        lead.email,
        "new@school.example",
    ]


def test_the_migration_normalises_stored_emails(tmp_path: Path) -> None:
    url, schema = database_url(tmp_path)
    app = create_app(test_config(url, tmp_path))
    try:
        with app.app_context():
            upgrade(revision="0008")
            for email in ("ＪＯ@Ysgol.Cymru", "Straße@ysgol.cymru", "strasse@ysgol.cymru"):
                db.session.execute(
                    text(
                        "INSERT INTO user_account (email, name, is_admin, is_school_lead,"
                        " session_version, created_at)"
                        " VALUES (:email, 'x', false, false, 1, CURRENT_TIMESTAMP)"
                    ),
                    {"email": email},
                )
            db.session.commit()
            upgrade()
            emails = db.session.scalars(text("SELECT email FROM user_account ORDER BY id")).all()
            # The second is one address with the third: it is left for an administrator.
            assert emails == ["jo@ysgol.cymru", "Straße@ysgol.cymru", "strasse@ysgol.cymru"]
    finally:
        with app.app_context():
            db.session.remove()
            if schema:
                db.session.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                db.session.commit()
            db.engine.dispose()
