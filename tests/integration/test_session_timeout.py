"""The idle timeout and the "Stay signed in" endpoint behind the timeout warning."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Directory
from tests.html import soup
from wizard.data.accounts import SESSION_SEEN_KEY
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
STAY = "/en/stay-signed-in"
FETCH = {"X-Requested-With": "fetch"}


def seen(client: FlaskClient) -> Any:
    with client.session_transaction() as session:
        return session.get(SESSION_SEEN_KEY)


def idle_for(client: FlaskClient, seconds: int) -> None:
    with client.session_transaction() as session:
        session[SESSION_SEEN_KEY] = int(time.time()) - seconds


def test_signing_in_starts_the_idle_clock(app: Flask, lead_client: FlaskClient) -> None:
    assert abs(seen(lead_client) - time.time()) < 5


def test_each_request_restarts_the_idle_clock(app: Flask, lead_client: FlaskClient) -> None:
    idle = app.config["SESSION_IDLE_SECONDS"]
    idle_for(lead_client, idle - 60)
    assert lead_client.get("/en/account/").status_code == 200
    assert abs(seen(lead_client) - time.time()) < 5
    # The idle time starts again: as long again is still fine.
    idle_for(lead_client, idle - 60)
    assert lead_client.get("/en/account/").status_code == 200


def test_an_idle_session_is_over(app: Flask, lead_client: FlaskClient) -> None:
    idle_for(lead_client, app.config["SESSION_IDLE_SECONDS"] + 1)
    response = lead_client.get(f"/en/plan/{YEAR}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/sign-in?next=")
    # "Stay signed in" cannot bring it back.
    stay = lead_client.post(STAY, headers=FETCH)
    assert stay.status_code == 302 and "/sign-in" in stay.headers["Location"]
    assert lead_client.get("/en/account/").status_code == 302


def test_a_session_without_its_idle_clock_is_over(lead_client: FlaskClient) -> None:
    with lead_client.session_transaction() as session:
        session.pop(SESSION_SEEN_KEY)
    assert lead_client.get("/en/account/").status_code == 302


def test_stay_signed_in_restarts_the_clock_from_the_script(
    app: Flask, lead_client: FlaskClient
) -> None:
    idle_for(lead_client, app.config["SESSION_IDLE_SECONDS"] - 30)
    response = lead_client.post(STAY, headers=FETCH)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert abs(seen(lead_client) - time.time()) < 5


def test_stay_signed_in_without_javascript_goes_back_to_the_page(
    lead_client: FlaskClient,
) -> None:
    back = lead_client.post(STAY, data={"next": f"/cy/plan/{YEAR}/about-your-school"})
    assert back.status_code == 302
    assert back.headers["Location"] == f"/cy/plan/{YEAR}/about-your-school"
    elsewhere = lead_client.post(STAY, data={"next": "https://attacker.example/"})
    assert elsewhere.status_code == 302
    assert elsewhere.headers["Location"] == "/en/plan/"


def test_stay_signed_in_needs_a_signed_in_user(client: FlaskClient) -> None:
    response = client.post(STAY, headers=FETCH)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/sign-in")
    assert client.get(STAY).status_code == 405


def test_stay_signed_in_needs_the_csrf_token(
    make_app: Any, directory: Directory, lead: User
) -> None:
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    token = soup(client.get("/en/sign-in")).find("input", attrs={"name": "csrf_token"})["value"]
    signed_in = client.post(
        "/en/sign-in", data={"csrf_token": token, "email": lead.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    page = soup(client.get("/en/account/"))
    token = page.find("meta", attrs={"name": "csrf-token"})["content"]
    assert client.post(STAY, headers=FETCH).status_code == 400
    stay = page.find("form", attrs={"data-app-stay-signed-in": True})
    form = {i["name"]: i["value"] for i in stay.find_all("input")}
    assert client.post(STAY, data=form, headers=FETCH).status_code == 204
    assert client.post(STAY, data=form, headers={**FETCH, "X-CSRFToken": token}).status_code == 204


def test_signed_in_pages_carry_the_warning_in_the_page_language(
    app: Flask, lead_client: FlaskClient
) -> None:
    welsh = soup(lead_client.get(f"/cy/plan/{YEAR}/"))
    dialog = welsh.find("dialog", id="app-timeout-warning")
    assert dialog is not None
    assert dialog["data-idle-seconds"] == str(app.config["SESSION_IDLE_SECONDS"])
    assert dialog["data-warning-seconds"] == str(app.config["SESSION_WARNING_SECONDS"])
    assert dialog.find(id=dialog["aria-labelledby"]).get_text(strip=True) == (
        "Rydych ar fin cael eich allgofnodi"
    )
    assert "ymhen 5 munud" in dialog.find(id=dialog["aria-describedby"]).get_text()
    actions = {form["action"]: form.get_text(" ", strip=True) for form in dialog.find_all("form")}
    assert actions == {"/cy/stay-signed-in": "Aros wedi mewngofnodi", "/cy/sign-out": "Allgofnodi"}
    stay = dialog.find("form", action="/cy/stay-signed-in")
    assert stay.find("input", attrs={"name": "next"})["value"] == f"/cy/plan/{YEAR}/"


def test_public_pages_have_no_timeout_warning(client: FlaskClient) -> None:
    page = soup(client.get("/cy/"))
    assert page.find("dialog", id="app-timeout-warning") is None
    # The unsaved-changes dialog is on every page, closed, in the page language.
    leave = page.find("dialog", id="app-leave-warning")
    assert leave is not None and not leave.has_attr("open")
    assert "Nid ydych wedi cadw eich newidiadau" in leave.get_text()


def test_the_boards_poll_does_not_keep_an_idle_session_alive(
    app: Flask, lead_client: FlaskClient, monkeypatch: Any
) -> None:
    """An open board asks every 15 seconds whether a colleague changed it: that is the page's
    doing, not the user's, so it never restarts the idle clock (issue 22, point 5)."""
    from tests.plans import write_plan

    write_plan(lead_client, YEAR)
    poll = f"/en/plan/{YEAR}/diamond-9/version?version=0"
    idle = app.config["SESSION_IDLE_SECONDS"]
    idle_for(lead_client, idle - 20)
    before = seen(lead_client)
    for _ in range(3):
        assert lead_client.get(poll, headers={"HX-Request": "true"}).status_code in (200, 204)
    assert seen(lead_client) == before
    # Half a minute later, with only polls in between, the session is over.
    later = time.time() + 30
    monkeypatch.setattr(time, "time", lambda: later)
    board = f"/en/plan/{YEAR}/diamond-9"
    over = lead_client.get(
        poll, headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost{board}"}
    )
    # htmx takes the whole page to sign in (and back to the board), not into the notice.
    assert over.status_code == 204
    assert over.headers["HX-Redirect"] == f"/en/sign-in?next={board}"
    response = lead_client.get(f"/en/plan/{YEAR}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/sign-in?next=")
