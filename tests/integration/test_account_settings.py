"""The account page: changing the password (the current one first, the password rules, every
other session ended and this one kept) and choosing the preferred language (saved, and used
after signing in), each with an audit record."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, Directory, sign_in
from tests.html import error_summary, heading, soup, summary_rows, text
from wizard.data.database import db
from wizard.data.models import AuditEvent, User, UserSession

NEW_PASSWORD = "lantern orchard pebble kettle"


def change(
    client: FlaskClient, current: str, new: str, confirm: str | None = None, lang: str = "en"
) -> TestResponse:
    return client.post(
        f"/{lang}/account/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_account_page_links_to_both_changes(lead_client: FlaskClient) -> None:
    page = soup(lead_client.get("/cy/account/"))
    links = {a["href"]: text(a) for a in page.select(".govuk-summary-list__actions a")}
    assert links == {
        "/cy/account/language": "Newid eich iaith",
        "/cy/account/password": "Newid eich cyfrinair",
    }
    form = lead_client.get("/cy/account/password")
    assert heading(form) == "Newidiwch eich cyfrinair"
    inputs = {
        i["name"]: i.get("autocomplete") for i in soup(form).select("form input[type=password]")
    }
    assert inputs == {
        "current": "current-password",
        "password": "new-password",
        "confirm": "new-password",
    }


def test_a_wrong_current_password_changes_nothing(
    app: Flask, lead_client: FlaskClient, lead: User
) -> None:
    refused = change(lead_client, "not my password at all", NEW_PASSWORD, lang="cy")
    assert refused.status_code == 200
    assert error_summary(refused) == ["Nid yw eich cyfrinair presennol yn gywir"]
    assert text(soup(refused).find("title")).startswith("Gwall:")
    assert "password-change-refused" in actions()
    # The old password still works; the new one does not.
    other = app.test_client()
    assert (
        other.post("/en/sign-in", data={"email": lead.email, "password": NEW_PASSWORD}).status_code
        == 200
    )
    sign_in(other, lead.email)


def test_guessing_the_current_password_is_throttled_like_signing_in(
    lead_client: FlaskClient,
) -> None:
    for _ in range(5):
        change(lead_client, "a wrong password guess", NEW_PASSWORD)
    assert change(lead_client, "a wrong password guess", NEW_PASSWORD).status_code == 429


def test_a_weak_or_mismatched_new_password_is_refused(lead_client: FlaskClient) -> None:
    assert error_summary(change(lead_client, PASSWORD, "short", lang="en")) == [
        "Password must be between 12 and 200 characters"
    ]
    assert error_summary(change(lead_client, PASSWORD, "password1234", lang="en")) == [
        "Choose a password that is harder to guess: this one is too common or follows a simple pattern"
    ]
    assert error_summary(change(lead_client, PASSWORD, NEW_PASSWORD, "something else")) == [
        "Passwords must match"
    ]
    assert error_summary(change(lead_client, "", "")) == [
        "Enter your current password",
        "Enter a new password",
        "Confirm your new password",
    ]
    assert "password-changed" not in actions()


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    app: Flask, lead: User
) -> None:
    mine, other = app.test_client(), app.test_client()
    sign_in(mine, lead.email)
    sign_in(other, lead.email)
    assert other.get("/en/account/").status_code == 200

    done = change(mine, PASSWORD, NEW_PASSWORD)
    assert done.headers["Location"] == "/en/account/"
    page = mine.get("/en/account/")
    assert page.status_code == 200
    assert "You have been signed out everywhere else." in text(
        soup(page).select_one(".govuk-notification-banner")
    )
    # The other browser's cookie no longer works; this one still does, for more than one page.
    assert other.get("/en/account/").headers["Location"].startswith("/en/sign-in")
    assert mine.get("/en/plan/").status_code == 302
    assert mine.get("/en/account/").status_code == 200
    db.session.rollback()
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == lead.id, UserSession.ended_at.is_(None))
    ).all()
    assert len(live) == 1
    assert "password-changed" in actions()
    # Signing in takes the new password, not the old one.
    fresh = app.test_client()
    assert (
        fresh.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        fresh.post("/en/sign-in", data={"email": lead.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_preferred_language_is_saved_and_used_at_the_next_sign_in(
    app: Flask, directory: Directory
) -> None:
    user = directory.user(email="lead@school.example", school=directory.school(), lead=True)
    client = app.test_client()
    sign_in(client, user.email)
    page = client.get("/en/account/language")
    assert (
        text(soup(page).select_one("legend")) == "Which language do you want to use the service in?"
    )
    assert soup(page).select_one("legend h1") is not None
    chosen = client.post("/en/account/language", data={"language": "cy"})
    # The account page in Welsh, saying so in Welsh.
    assert chosen.headers["Location"] == "/cy/account/"
    saved = client.get("/cy/account/")
    assert "Mae eich dewis iaith wedi'i gadw." in text(
        soup(saved).select_one(".govuk-notification-banner")
    )
    assert summary_rows(saved)["Iaith"].startswith("Cymraeg")
    db.session.rollback()
    assert db.session.scalar(select(User.locale).where(User.id == user.id)) == "cy"
    assert "language-changed" in actions()
    client.post("/cy/sign-out")

    # Next time, signing in on the English page goes to the service in Welsh.
    fresh = app.test_client()
    signed_in = fresh.post("/en/sign-in", data={"email": user.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/cy/plan/"
    assert soup(fresh.get("/cy/account/")).find("html")["lang"] == "cy"


def test_without_a_choice_signing_in_follows_the_sign_in_pages_language(
    app: Flask, lead: User
) -> None:
    client = app.test_client()
    sign_in(client, lead.email)
    client.get("/en/account/")  # read in English: remembered, but not chosen
    client.post("/en/sign-out")
    fresh = app.test_client()
    signed_in = fresh.post("/cy/sign-in", data={"email": lead.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == "/cy/plan/"


def test_a_language_must_be_chosen_from_the_two(lead_client: FlaskClient) -> None:
    assert error_summary(lead_client.post("/cy/account/language", data={})) == [
        "Dewiswch yr iaith rydych am ei defnyddio"
    ]
    assert lead_client.post("/en/account/language", data={"language": "fr"}).status_code == 200
    assert "language-changed" not in actions()


def test_the_account_pages_need_a_signed_in_user(client: FlaskClient) -> None:
    for path in ("/en/account/password", "/cy/account/language"):
        assert client.get(path).headers["Location"].startswith(path[:3] + "/sign-in")
