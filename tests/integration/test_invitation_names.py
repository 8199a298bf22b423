"""Invitation emails carry names as plain words: a lead cannot slip a sentence with a link,
or an address, into the email a colleague receives (through the colleague's name or their
own)."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import error_summary
from wizard.data.database import db
from wizard.data.models import OutboxMail, User
from wizard.services import outbox as mail_module

EVIL = "Click https://evil.example/claim to claim your bonus"


class FakeSMTP:
    sent: list[EmailMessage] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        pass

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> type[FakeSMTP]:
    FakeSMTP.sent = []
    monkeypatch.setattr(mail_module.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.school.example")
    return FakeSMTP


def web_addresses(message: EmailMessage) -> list[str]:
    """The addresses in the email other than the service's own links."""
    found = re.findall(r"\S+://\S+|\bwww\.\S+|\S+@\S+|\b[\w-]+\.example\S*", message.get_content())
    return [address for address in found if not address.startswith("http://localhost/")]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Enter a name without a web address or email address"),
        ("cy", "Rhowch enw heb gyfeiriad gwe na chyfeiriad e-bost"),
    ],
)
@pytest.mark.parametrize(
    "name", [EVIL, "Rhys evil.example", "Rhys www.evil.cymru", "rhys@evil.example"]
)
def test_a_name_with_a_link_is_refused(
    lead_client: FlaskClient, smtp: type[FakeSMTP], lang: str, message: str, name: str
) -> None:
    page = lead_client.post(
        f"/{lang}/account/invite",
        data={"name": name, "email": "rhys@school.example", "language": "en"},
    )
    assert page.status_code == 200
    assert error_summary(page) == [message]
    assert smtp.sent == [] and db.session.scalar(select(OutboxMail.id)) is None


def test_the_email_repeats_names_as_plain_words_only(
    app: Flask, directory: Directory, lead: User, smtp: type[FakeSMTP]
) -> None:
    """A name stored before names were checked (or by an administrator) is still sent as
    plain words: without its link, on one line, and short."""
    lead.name = f"{EVIL} " + "and more words " * 5
    db.session.commit()
    client = app.test_client()
    sign_in(client, lead.email)
    sent = client.post(
        "/en/account/invite",
        data={"name": "Rhys Evans", "email": "rhys@school.example", "language": "en"},
    )
    assert sent.status_code == 302
    other_school = directory.school(name_en="Elsewhere")
    directory.user("taken@elsewhere.example", school=other_school)
    existing = client.post(
        "/en/account/invite",
        data={"name": "Taken", "email": "taken@elsewhere.example", "language": "cy"},
    )
    assert existing.status_code == 302
    assert len(smtp.sent) == 2
    for message in smtp.sent:
        assert message.get_content_type() == "text/plain"  # no HTML part to inject into
        assert not message.is_multipart()
        assert web_addresses(message) == [], message.get_content()
        assert "evil" not in message.get_content()
    invitation = smtp.sent[0].get_content()
    assert "Hello Rhys Evans," in invitation
    inviter_line = next(line for line in invitation.splitlines() if "has invited you" in line)
    inviter = inviter_line.split(" has invited you")[0]
    assert inviter.startswith("Click to claim your bonus and more words")
    assert len(inviter) <= 70 and inviter.endswith("…")


def test_a_colleague_accepting_cannot_take_a_name_with_a_link(
    app: Flask, lead_client: FlaskClient, caplog: Any
) -> None:
    import logging

    with caplog.at_level(logging.INFO):
        lead_client.post(
            "/en/account/invite",
            data={"name": "Rhys", "email": "rhys@school.example", "language": "en"},
        )
    [link] = re.findall(r"http://localhost(/en/invitation/[\w-]+)", caplog.text)
    page = app.test_client().post(
        link,
        data={
            "name": EVIL,
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert error_summary(page) == ["Enter a name without a web address or email address"]
    assert db.session.scalar(select(User).where(User.email == "rhys@school.example")) is None
