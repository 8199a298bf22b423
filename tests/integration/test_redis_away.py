"""Redis away (issue 33, point 3): with Redis unreachable, every page keeps working in both
languages. The rate limits fall back to each process's memory (Flask-Limiter's in-memory
fallback), emails wait in the outbox for the sweep, and the outage is logged once, not on every
request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import heading
from tests.integration.test_sharing import make_link, submitted
from tests.integration.test_staff_voice import HALLMARKS, open_round
from tests.plans import write_plan
from wizard.data.database import db
from wizard.data.models import OutboxMail, User
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import outbox as mail
from wizard.web.extensions import limiter

YEAR = year_slug(academic_year_of(date.today()))
# Nothing listens on port 1: every connection is refused at once.
NO_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_away(make_app: Any) -> Iterator[Flask]:
    """An app whose Redis (rate limits and mail queue) is unreachable, on the test database."""
    away = make_app(RATELIMIT_STORAGE_URI=NO_REDIS, MAIL_QUEUE_URL=NO_REDIS)
    yield away
    # The limiter is one extension object: give it back its in-memory storage, and forget the
    # outage, for the tests that follow.
    make_app()
    limiter._storage_dead = False
    mail._queue_down = False


def warnings_by_logger(records: list[logging.LogRecord]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for record in records:
        if record.levelno >= logging.WARNING:
            counted[record.name] = counted.get(record.name, 0) + 1
    return counted


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_password_reset_request_works_and_its_email_waits(
    redis_away: Flask, lead: User, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = redis_away.test_client()
    assert client.get(f"/{lang}/reset-password").status_code == 200
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            response = client.post(f"/{lang}/reset-password", data={"email": lead.email})
            assert response.status_code == 200
            assert response.soup.html["lang"] == lang  # type: ignore[attr-defined]
    # The email is in the outbox, unsent, for the worker's sweep once Redis is back.
    with redis_away.app_context():
        rows = db.session.query(OutboxMail).all()
        assert rows and all(row.sent_at is None for row in rows)
    # The outage is logged once, not on every request: by the limiter, and by the mail.
    assert all(count == 1 for count in warnings_by_logger(caplog.records).values())


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_limit_still_holds_in_this_process(
    redis_away: Flask, lead: User, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(redis_away.config, "RESET_REQUESTS_PER_ADDRESS", "2 per hour")
    client = redis_away.test_client()
    address = {"REMOTE_ADDR": "203.0.113.91" if lang == "en" else "203.0.113.92"}
    for _ in range(2):
        response = client.post(
            f"/{lang}/reset-password", data={"email": lead.email}, environ_base=address
        )
        assert response.status_code == 200
    limited = client.post(
        f"/{lang}/reset-password", data={"email": lead.email}, environ_base=address
    )
    assert limited.status_code == 429
    assert limited.soup.html["lang"] == lang  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_shared_plan_opens(
    app: Flask, redis_away: Flask, lead_client: FlaskClient, lang: str
) -> None:
    submitted(lead_client)
    token = make_link(lead_client)
    response = redis_away.test_client().get(f"/{lang}/shared/{token}")
    assert response.status_code == 200
    assert response.soup.html["lang"] == lang  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_invitation_is_sent_later(redis_away: Flask, directory: Directory, lang: str) -> None:
    school = directory.school()
    directory.user(email="lead@school.example", school=school, lead=True)
    client = redis_away.test_client()
    sign_in(client, "lead@school.example", lang)
    form = {"name": "Alun Jones", "email": "alun@school.example", "language": "cy"}
    response = client.post(f"/{lang}/account/invite", data=form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert page.soup.html["lang"] == lang  # type: ignore[attr-defined]
    with redis_away.app_context():
        assert [r.recipient for r in db.session.query(OutboxMail)] == ["alun@school.example"]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_staff_voice_response_is_saved(
    redis_away: Flask, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    client = redis_away.test_client()
    page = client.get(f"/{lang}/staff-voice/{token}")
    assert page.status_code == 200
    assert page.soup.html["lang"] == lang  # type: ignore[attr-defined]
    form = {f"hallmark_{n}": "established" for n in HALLMARKS}
    saved = client.post(f"/{lang}/staff-voice/{token}", data=form)
    assert saved.status_code == 302
    after = client.get(saved.headers["Location"])
    assert after.status_code == 200
    assert heading(after)
