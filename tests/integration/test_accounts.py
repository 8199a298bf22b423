"""Signing in and out, throttling, password resets and invitations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD, Directory, sign_in
from tests.html import error_summary, heading, soup
from wizard.data.database import db
from wizard.data.models import Invitation, PasswordResetToken, User, utcnow


def emailed_link(caplog: pytest.LogCaptureFixture) -> str:
    messages = [r.getMessage() for r in caplog.records if "email was not sent" in r.getMessage()]
    assert messages, "no email was logged"
    match = re.search(r"http://localhost(/\S+)", messages[-1])
    assert match is not None, messages[-1]
    return match.group(1)


def test_signing_in_takes_a_school_member_to_their_plan(client: FlaskClient, lead: User) -> None:
    response = client.post(
        "/en/sign-in", data={"email": "LEAD@school.example ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/plan/"


def test_signing_in_takes_a_coordinator_to_their_clusters(
    client: FlaskClient, directory: Directory
) -> None:
    cluster = directory.cluster()
    directory.school(cluster=cluster)
    directory.user(email="coord@la.example", coordinator_of=[cluster])
    assert sign_in(client, "coord@la.example", lang="cy").headers["Location"] == "/cy/clusters/"
    page = client.get("/cy/clusters/", follow_redirects=True)
    assert "Clwstwr Test cluster" in page.get_data(as_text=True)
    assert "Ysgol Gynradd Oakfield" in page.get_data(as_text=True)


def test_an_administrator_lands_on_their_account(client: FlaskClient, directory: Directory) -> None:
    directory.user(email="admin@la.example", admin=True)
    assert sign_in(client, "admin@la.example").headers["Location"] == "/en/account/"


def test_sign_in_follows_next_only_within_the_site(client: FlaskClient, lead: User) -> None:
    good = client.post(
        "/en/sign-in?next=/en/account/", data={"email": lead.email, "password": PASSWORD}
    )
    assert good.headers["Location"] == "/en/account/"
    client.post("/en/sign-out")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        bad = client.post(
            f"/en/sign-in?next={target}", data={"email": lead.email, "password": PASSWORD}
        )
        assert bad.headers["Location"] == "/en/plan/"
        client.post("/en/sign-out")


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Enter a correct email address and password"),
        ("cy", "Rhowch gyfeiriad e-bost a chyfrinair cywir"),
    ],
)
def test_unknown_email_and_wrong_password_get_the_same_error(
    client: FlaskClient, lead: User, lang: str, message: str
) -> None:
    wrong = client.post(
        f"/{lang}/sign-in", data={"email": lead.email, "password": "not the password"}
    )
    unknown = client.post(
        f"/{lang}/sign-in", data={"email": "nobody@school.example", "password": "x"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert error_summary(wrong) == error_summary(unknown) == [message]


def test_empty_sign_in_says_what_is_missing(client: FlaskClient) -> None:
    response = client.post("/en/sign-in", data={})
    assert error_summary(response) == ["Enter your email address", "Enter your password"]


def test_repeated_failures_are_throttled_per_email(client: FlaskClient, lead: User) -> None:
    for _ in range(5):
        assert (
            client.post("/en/sign-in", data={"email": lead.email, "password": "nope"}).status_code
            == 200
        )
    blocked = client.post("/cy/sign-in", data={"email": lead.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert heading(blocked) == "Gormod o ymdrechion"


def test_throttling_forgets_old_failures(client: FlaskClient, lead: User) -> None:
    from wizard.data.models import SignInAttempt

    for _ in range(5):
        client.post("/en/sign-in", data={"email": lead.email, "password": "nope"})
    db.session.execute(update(SignInAttempt).values(created_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert (
        client.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD}).status_code
        == 302
    )


def test_sign_out_needs_a_post(lead_client: FlaskClient) -> None:
    assert lead_client.get("/en/sign-out").status_code == 405
    response = lead_client.post("/en/sign-out", follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)
    assert lead_client.get("/en/plan/").status_code == 302


def test_pages_for_members_send_anonymous_people_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/cy/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cy/sign-in?next=/cy/account/"


def test_password_reset_by_one_time_link(
    app: Flask, client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post("/cy/reset-password", data={"email": lead.email})
    assert heading(response) == "Gwiriwch eich e-bost"
    link = emailed_link(caplog)
    assert link.startswith("/cy/reset-password/")
    assert "Ailosod eich cyfrinair" in caplog.text  # the email is in Welsh too

    form = client.get(link)
    assert form.status_code == 200
    mismatch = client.post(link, data={"password": "a new long password", "confirm": "different"})
    assert error_summary(mismatch) == ["Rhaid i'r cyfrineiriau fod yr un fath"]
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert len(error_summary(short)) == 1
    done = client.post(
        link, data={"password": "a new long password", "confirm": "a new long password"}
    )
    assert done.headers["Location"] == "/cy/sign-in"
    # The link works once.
    assert client.get(link).status_code == 404
    assert (
        client.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        client.post(
            "/en/sign-in", data={"email": lead.email, "password": "a new long password"}
        ).status_code
        == 302
    )


def test_changing_the_password_signs_out_other_sessions(
    app: Flask, lead_client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    other = app.test_client()
    other.post("/en/reset-password", data={"email": lead.email})
    link = emailed_link(caplog)
    other.post(link, data={"password": "a new long password", "confirm": "a new long password"})
    assert lead_client.get("/en/account/").status_code == 302


def test_reset_links_expire(
    client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    client.post("/en/reset-password", data={"email": lead.email})
    link = emailed_link(caplog)
    db.session.execute(
        update(PasswordResetToken).values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 404
    assert heading(response) == "This link has expired or has already been used"


def test_reset_does_not_reveal_who_has_an_account(client: FlaskClient, lead: User) -> None:
    known = client.post("/en/reset-password", data={"email": lead.email})
    unknown = client.post("/en/reset-password", data={"email": "nobody@school.example"})
    assert heading(known) == heading(unknown) == "Check your email"
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1


def test_reset_emails_are_limited_without_saying_so(client: FlaskClient, lead: User) -> None:
    pages = [client.post("/en/reset-password", data={"email": lead.email}) for _ in range(5)]
    assert {page.status_code for page in pages} == {200}
    assert {heading(page) for page in pages} == {"Check your email"}
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 3


def test_a_lead_invites_a_colleague_who_joins_the_school(
    app: Flask, lead_client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    form = lead_client.get("/en/account/invite")
    assert heading(form) == "Invite a colleague"
    bad = lead_client.post(
        "/en/account/invite", data={"name": "", "email": "not-an-email", "language": ""}
    )
    assert error_summary(bad) == [
        "Enter your colleague's full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select the language of the invitation email",
    ]
    sent = lead_client.post(
        "/en/account/invite",
        data={"name": "Rhys Evans", "email": "Rhys@School.example", "language": "cy"},
    )
    assert sent.headers["Location"] == "/en/account/"
    link = emailed_link(caplog)
    assert link.startswith("/cy/invitation/")
    assert "Ysgol Gynradd Oakfield" in caplog.text

    colleague = app.test_client()
    page = colleague.get(link)
    assert soup(page).find("input", attrs={"name": "name"})["value"] == "Rhys Evans"
    created = colleague.post(
        link,
        data={
            "name": "Rhys Evans",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert created.headers["Location"] == "/cy/plan/"
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.email == "rhys@school.example"))
    assert user.school_id == lead.school_id
    assert not user.is_school_lead
    assert user.locale == "cy"
    assert colleague.get(link).status_code == 404  # used up


def test_only_a_lead_can_invite(app: Flask, directory: Directory, lead: User) -> None:
    directory.user(email="colleague@school.example", school=lead.school)
    client = app.test_client()
    sign_in(client, "colleague@school.example")
    assert client.get("/en/account/invite").status_code == 403
    assert (
        client.post(
            "/en/account/invite", data={"name": "X", "email": "x@y.example", "language": "en"}
        ).status_code
        == 403
    )
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_expired_invitations_cannot_be_used(
    app: Flask, lead_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    lead_client.post(
        "/en/account/invite",
        data={"name": "Rhys", "email": "rhys@school.example", "language": "en"},
    )
    link = emailed_link(caplog)
    db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().get("/en/invitation/made-up-token").status_code == 404
