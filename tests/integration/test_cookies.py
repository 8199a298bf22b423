"""The cookies page lists every cookie the service sets. Every response of the test suite is
looked at (tests/conftest.py records each `Set-Cookie` name, and the session's teardown fails
on a name the page lacks); this file goes through each flow that sets one."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import record_cookies, unlisted_cookies
from tests.factories import PASSWORD
from tests.integration.test_staff_voice import HALLMARKS, YEAR, open_round
from tests.plans import write_plan
from wizard.data.models import User


def test_every_cookie_set_by_signing_in_language_and_staff_voice_is_listed_in_both_languages(
    app: Flask, lead: User, lead_client: FlaskClient
) -> None:
    seen: set[str] = set()
    visitor = app.test_client()
    # Choosing a language, signing in (and anything sign-in adds), signing out.
    seen |= record_cookies(visitor.get("/cy/"))
    seen |= record_cookies(
        visitor.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD})
    )
    seen |= record_cookies(visitor.post("/en/sign-out", follow_redirects=True))
    seen |= record_cookies(
        visitor.post("/en/sign-in", data={"email": lead.email, "password": "wrong password!"})
    )
    # A member of staff answering a staff voice round.
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    staff = app.test_client()
    form = {f"hallmark_{number}": "established" for number in HALLMARKS}
    seen |= record_cookies(staff.post(f"/en/staff-voice/{token}", data=form))

    assert "session" in seen
    assert any(name.startswith("staff-voice-") for name in seen), seen
    assert unlisted_cookies(app, seen, "en") == set()
    assert unlisted_cookies(app, seen, "cy") == set()


def test_a_cookie_missing_from_the_page_is_found(app: Flask) -> None:
    """The check itself: a name that is not listed, or a listed prefix without its number."""
    names = {"session", "staff-voice-12", "tracker", "staff-voice-x"}
    assert unlisted_cookies(app, names, "en") == {"tracker", "staff-voice-x"}
    assert unlisted_cookies(app, names, "cy") == {"tracker", "staff-voice-x"}
