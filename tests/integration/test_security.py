"""Regression tests for every finding of the outside security probe (issue 9), each one the
attack as it was made, through the Flask client, on SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
import os
import re
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD, Directory, sign_in
from tests.html import error_summary, heading, soup, text
from tests.plans import write_plan
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Invitation,
    OwnCard,
    Plan,
    PlanAnswer,
    PlanStatus,
    SignInAttempt,
    User,
    UserSession,
    utcnow,
)
from wizard.data.plans import PlanLocked
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
SCHOOL = {"REMOTE_ADDR": "198.51.100.7"}


def logged_emails(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "email was not sent" in r.getMessage()]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def count(model: Any) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# 1. Emailed links come from the configured base URL, never from the request's Host.


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    ],
)
def test_reset_links_use_the_configured_base_url_whatever_the_host_header(
    client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    client.post("/en/reset-password", data={"email": lead.email}, headers=headers)
    (email,) = logged_emails(caplog)
    assert "evil.example" not in email
    assert [link.split("/reset-password/")[0] for link in links_in(email)] == [
        "http://localhost/en"
    ]


def test_invitation_links_use_the_configured_base_url(
    lead_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    cookie = lead_client.get_cookie("session")
    assert cookie is not None
    lead_client.set_cookie("session", cookie.value, domain="evil.example")
    lead_client.post(
        "/en/account/invite",
        data={"name": "Rhys", "email": "rhys@school.example", "language": "cy"},
        headers={"Host": "evil.example"},
    )
    (email,) = logged_emails(caplog)
    assert links_in(email)[0].startswith("http://localhost/cy/invitation/")


def test_the_scheme_and_host_of_emailed_links_are_configuration(
    make_app: Any, directory: Directory, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    other = make_app(BASE_URL="https://planner.example")
    other.test_client().post(
        "/en/reset-password", data={"email": lead.email}, base_url="http://127.0.0.1:5000"
    )
    (email,) = logged_emails(caplog)
    assert links_in(email)[0].startswith("https://planner.example/en/reset-password/")


def test_in_production_other_hosts_are_refused(make_app: Any) -> None:
    production = make_app(PRODUCTION=True, ALLOWED_HOSTS=["planner.example"])
    client = production.test_client()
    assert client.get("/en/", headers={"Host": "planner.example"}).status_code == 200
    refused = client.get("/en/", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "not served here" in refused.get_data(as_text=True)
    assert client.post("/en/reset-password", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/en/", headers={"Host": "planner.example.evil.example"}).status_code == 400


def test_in_production_the_host_is_compared_ignoring_case(make_app: Any) -> None:
    production = make_app(PRODUCTION=True, ALLOWED_HOSTS=["planner.example"])
    client = production.test_client()
    for host in ("PLANNER.EXAMPLE", "Planner.Example", "planner.EXAMPLE:443"):
        assert client.get("/en/", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("host", ["10.0.0.7:8000", "backend-2.internal", "", "evil.example"])
def test_in_production_the_health_checks_answer_whatever_the_host(
    make_app: Any, path: str, host: str
) -> None:
    """A balancer's check may send no Host, or the backend's own address (HAProxy, Kubernetes)."""
    production = make_app(PRODUCTION=True, ALLOWED_HOSTS=["planner.example"])
    response = production.test_client().get(path, headers={"Host": host})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    # ...and only they: a page under a health check's name is still refused.
    assert production.test_client().get(path + "/x", headers={"Host": host}).status_code in (
        400,
        404,
    )


def test_production_needs_an_https_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.config import ConfigError, load_config

    monkeypatch.setenv("WIZARD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("WIZARD_BASE_URL", "http://planner.example")
    with pytest.raises(ConfigError):
        load_config(Path("/tmp"))
    monkeypatch.setenv("WIZARD_BASE_URL", "https://planner.example")
    config = load_config(Path("/tmp"))
    assert config["ALLOWED_HOSTS"] == ["planner.example"]
    assert config["BASE_URL"] == "https://planner.example"


# 2. `next` after signing in is only ever a path on this site.

OPEN_REDIRECTS = [
    "/%09/evil.example",
    "/\t/evil.example",
    "/%0a/evil.example",
    "/%0d%0aLocation:%20https://evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " /en/account/",
    "/ /evil.example",
    "/\u3000/evil.example",
    "/\x00/evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_sign_in_never_redirects_to_another_site(
    client: FlaskClient, lead: User, target: str
) -> None:
    response = client.post(
        "/en/sign-in",
        query_string={"next": target},
        data={"email": lead.email, "password": PASSWORD},
    )
    # A control character in the query string is refused outright; anything else signs in
    # and goes to the user's home page.
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.headers["Location"] == "/en/plan/"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_safe_next_paths_are_always_paths_on_this_site(target: str) -> None:
    from wizard.domain.inputs import safe_next_path

    safe = safe_next_path(target)
    if safe is not None:
        assert safe == target
        assert safe.startswith("/") and not safe.startswith("//")
        assert safe.isascii() and safe.isprintable()
        assert not re.search(r"[\s\\]", safe)


def test_sign_in_still_follows_a_path_on_this_site(client: FlaskClient, lead: User) -> None:
    response = client.post(
        "/en/sign-in",
        query_string={"next": "/en/plan/2026-27/compare?with=2025-26"},
        data={"email": lead.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/en/plan/2026-27/compare?with=2025-26"


# 3. Throttling: tests/integration/test_sign_in_throttling.py (device cookies, bursts, and
# nothing kept of what is typed as the email).


def test_a_success_starts_the_count_again_and_failures_are_kept(app: Flask, lead: User) -> None:
    client = app.test_client()
    for _ in range(4):
        client.post("/en/sign-in", data={"email": lead.email, "password": "wrong"})
    assert (
        client.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD}).status_code
        == 302
    )
    client.post("/en/sign-out")
    for _ in range(4):
        client.post("/en/sign-in", data={"email": lead.email, "password": "wrong"})
    assert (
        client.post("/en/sign-in", data={"email": lead.email, "password": PASSWORD}).status_code
        == 302
    )
    assert count(SignInAttempt) == 10  # nothing deleted: 8 failures and 2 successes


def test_there_is_a_ceiling_per_address(
    app: Flask, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_MAX_FAILURES_PER_ADDRESS", 10)
    client = app.test_client()
    for number in range(10):
        client.post(
            "/en/sign-in",
            data={"email": f"nobody{number}@school.example", "password": "x"},
            environ_base=ATTACKER,
        )
    blocked = client.post(
        "/cy/sign-in", data={"email": lead.email, "password": PASSWORD}, environ_base=ATTACKER
    )
    assert blocked.status_code == 429
    assert heading(blocked) == "Gormod o ymdrechion"
    # It says when to try again (this address's ceiling lasts the window), not a fixed time.
    window = app.config["SIGN_IN_WINDOW_SECONDS"]
    assert 0 < int(blocked.headers["Retry-After"]) <= window
    said = text(soup(blocked).main)
    assert "Er mwyn diogelu cyfrifon" in said
    # The time, and the date before it when the pause runs past midnight.
    assert re.search(r"Rhowch gynnig arall arni ar ôl (\d{1,2} \w+ \d{4}, )?\d\d:\d\d", said), said


def test_behind_a_trusted_proxy_the_real_client_address_is_used(make_app: Any, lead: User) -> None:
    proxied = make_app(TRUSTED_PROXIES=1, TRUSTED_PROXY_ADDRESSES="10.0.0.1").test_client()
    proxied.post(
        "/en/sign-in",
        data={"email": lead.email, "password": "wrong"},
        headers={"X-Forwarded-For": "192.0.2.44"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    db.session.rollback()
    assert db.session.scalars(select(SignInAttempt.address)).all() == ["192.0.2.44"]


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(
    client: FlaskClient, lead: User
) -> None:
    client.post(
        "/en/sign-in",
        data={"email": lead.email, "password": "wrong"},
        headers={"X-Forwarded-For": "192.0.2.44"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert db.session.scalars(select(SignInAttempt.address)).all() == ["10.0.0.1"]


# 4. Signing out ends the session on the server; so do resets; and sessions have an end.


def copy_of_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_copied_cookie_stops_working_after_sign_out(app: Flask, lead_client: FlaskClient) -> None:
    thief = copy_of_cookie(app, lead_client)
    assert thief.get("/en/account/").status_code == 200
    lead_client.post("/en/sign-out")
    assert thief.get("/en/account/").status_code == 302
    assert (
        thief.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "x"}).status_code
        == 302
    )
    assert count(OwnCard) == 0


def test_signing_out_on_one_device_keeps_the_others(app: Flask, lead: User) -> None:
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, lead.email)
    sign_in(phone, lead.email)
    laptop.post("/en/sign-out")
    assert phone.get("/en/account/").status_code == 200


def test_a_password_reset_ends_every_session(
    app: Flask, lead_client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    thief = copy_of_cookie(app, lead_client)
    app.test_client().post("/en/reset-password", data={"email": lead.email})
    link = links_in(logged_emails(caplog)[-1])[0].removeprefix("http://localhost")
    app.test_client().post(
        link, data={"password": "a new long password", "confirm": "a new long password"}
    )
    assert thief.get("/en/account/").status_code == 302
    assert lead_client.get("/en/account/").status_code == 302
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.ended_at.is_(None))
        )
        == 0
    )


def test_a_session_ends_after_its_absolute_lifetime(app: Flask, lead_client: FlaskClient) -> None:
    assert lead_client.get("/en/account/").status_code == 200
    db.session.execute(
        update(UserSession).values(
            created_at=utcnow() - timedelta(seconds=app.config["SESSION_ABSOLUTE_SECONDS"] + 1)
        )
    )
    db.session.commit()
    assert lead_client.get("/en/account/").status_code == 302


def test_the_cookie_holds_no_session_token_in_the_database(lead_client: FlaskClient) -> None:
    token_hashes = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(token_hashes) == 1 and len(token_hashes[0]) == 64


# 5. Password reset says the same every time and limits each address.


def test_reset_looks_the_same_for_known_and_unknown_addresses_every_time(
    client: FlaskClient, lead: User
) -> None:
    for _ in range(5):
        known = client.post("/en/reset-password", data={"email": lead.email})
        unknown = client.post("/en/reset-password", data={"email": "nobody@school.example"})
        assert known.status_code == unknown.status_code == 200
        assert heading(known) == heading(unknown) == "Check your email"


def test_reset_requests_are_limited_per_address(
    app: Flask, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RESET_REQUESTS_PER_ADDRESS", "3 per hour")
    client = app.test_client()
    for number in range(3):
        response = client.post(
            "/en/reset-password", data={"email": f"n{number}@x.example"}, environ_base=ATTACKER
        )
        assert response.status_code == 200
    limited = client.post("/cy/reset-password", data={"email": lead.email}, environ_base=ATTACKER)
    assert limited.status_code == 429
    assert heading(limited) == "Gormod o ymdrechion"
    # The limit is per hour: the page says when it ends (not "wait 15 minutes"), in Welsh.
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    said = text(soup(limited).main)
    assert "Er mwyn diogelu'r gwasanaeth" in said and "15 munud" not in said
    assert re.search(r"Rhowch gynnig arall arni ar ôl \d", said), said
    other = app.test_client().post(
        "/en/reset-password", data={"email": lead.email}, environ_base=SCHOOL
    )
    assert other.status_code == 200


# 6. Bad input is a clear error or a 404, never a 500.


@pytest.mark.parametrize(
    "typed", ["²", "--5", "١٢", "１２", "1e3", "0x10", "9" * 400, "12 ", "1_000"]
)
def test_numbers_that_are_not_ascii_whole_numbers_get_a_message(
    lead_client: FlaskClient, typed: str
) -> None:
    data = {
        "revision": "0",
        "phase": "primary",
        "teaching_staff": typed,
        "support_staff": "3",
        "pl_lead": "Catrin",
        "funding_allocation": "100",
    }
    response = lead_client.post(f"/en/plan/{YEAR}/about-your-school", data=data)
    if typed == "12 ":
        assert response.status_code == 302  # spaces around a number are fine
        return
    assert response.status_code == 200
    assert error_summary(response) == ["Number of teaching staff must be a whole number, like 24"]


@pytest.mark.parametrize("revision", ["9" * 20, str(2**63), str(2**31), "-1", "١", "1.0"])
def test_revisions_out_of_range_are_a_stale_save_not_an_error(
    lead_client: FlaskClient, revision: str
) -> None:
    data = {
        "revision": revision,
        "phase": "primary",
        "teaching_staff": "4",
        "support_staff": "3",
        "pl_lead": "Catrin",
        "funding_allocation": "100",
    }
    response = lead_client.post(f"/en/plan/{YEAR}/about-your-school", data=data)
    assert response.status_code in (302, 409)


@pytest.mark.parametrize("version", ["9" * 20, str(2**63), str(2**31), "²"])
def test_board_versions_out_of_range_are_stale(lead_client: FlaskClient, version: str) -> None:
    response = lead_client.post(
        f"/en/plan/{YEAR}/diamond-9/move",
        data={"version": version, "card": "card:pedagogy", "to": "next"},
    )
    assert response.status_code == 409


@pytest.mark.parametrize("number", ["9" * 20, str(2**63), str(2**31), "2147483647"])
def test_ids_out_of_range_in_urls_are_not_found(lead_client: FlaskClient, number: str) -> None:
    for path in (
        f"/en/plan/{YEAR}/diamond-9/cards/{number}",
        f"/en/plan/{YEAR}/versions/{number}",
        f"/en/plan/{YEAR}/versions/{number}.pdf",
    ):
        assert lead_client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "query",
    [
        "_method=POST",
        "_scheme=x&_external=",
        "_external=1",
        "_anchor=%22%3E%3Cscript%3E",
        "lang=xx",
    ],
)
def test_reserved_url_arguments_in_the_query_string_are_ignored(
    lead_client: FlaskClient, query: str
) -> None:
    for path in ("/en/", "/en/sign-in", f"/en/plan/{YEAR}", "/en/account/"):
        response = lead_client.get(f"{path}?{query}", follow_redirects=True)
        assert response.status_code == 200, path
        toggle = soup(response).find("a", attrs={"hreflang": "cy"})
        assert toggle is not None and toggle["href"].startswith("/cy"), toggle


# 7. One filter for control and bidi characters, with a message in the page's language.

UNSAFE = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff", "\uffff"]


@pytest.mark.parametrize("character", UNSAFE)
def test_control_and_bidi_characters_in_the_sign_in_email_are_refused(
    client: FlaskClient, character: str
) -> None:
    response = client.post(
        "/cy/sign-in", data={"email": f"lead{character}@school.example", "password": "x"}
    )
    assert response.status_code == 200
    assert (
        "Roedd nodau cudd neu nodau rheoli yn yr ateb hwn, ac rydym wedi eu tynnu: gwiriwch ef, yna parhewch"
        in error_summary(response)
    )


@pytest.mark.parametrize("character", [*UNSAFE, "\n", "\t", "\r"])
def test_control_and_bidi_characters_in_card_titles_are_refused(
    lead_client: FlaskClient, character: str
) -> None:
    response = lead_client.post(
        f"/en/plan/{YEAR}/diamond-9/cards/new",
        data={"title_en": f"Evil{character}title", "title_cy": "Teitl"},
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "This answer had hidden or control characters, which we have removed: check it, then continue"
    ]
    assert count(OwnCard) == 0


@pytest.mark.parametrize("character", UNSAFE)
def test_control_characters_in_long_answers_are_refused_but_new_lines_are_fine(
    lead_client: FlaskClient, character: str
) -> None:
    url = f"/en/plan/{YEAR}/hallmark-1"
    base = {"revision": "0", "rating": "developing", "next_steps": "Coaching"}
    bad = lead_client.post(url, data={**base, "evidence": f"Visits{character}here"})
    assert bad.status_code == 200
    assert error_summary(bad) == [
        "This answer had hidden or control characters, which we have removed: check it, then continue"
    ]
    assert count(PlanAnswer) == 0
    good = lead_client.post(url, data={**base, "evidence": "Visits\r\n\tand\nsurveys"})
    assert good.status_code == 302


@pytest.mark.parametrize("query", ["with=%00", "next=%0d%0a", "x=%E2%80%AE"])
def test_control_characters_outside_forms_are_a_bad_request(
    lead_client: FlaskClient, query: str
) -> None:
    assert lead_client.get(f"/en/plan/{YEAR}/compare?{query}").status_code == 400


def test_control_characters_in_names_are_refused(lead_client: FlaskClient) -> None:
    response = lead_client.post(
        "/en/account/invite",
        data={
            "name": "Rhys\r\nBcc: all@evil.example",
            "email": "rhys@school.example",
            "language": "en",
        },
    )
    assert error_summary(response) == [
        "This answer had hidden or control characters, which we have removed: check it, then continue"
    ]
    assert count(Invitation) == 0


# 8. Year slugs and money are ASCII, matched in full; download names come from the parsed year.


@pytest.mark.parametrize(
    "slug", ["２０２６-２７", f"{YEAR}%0A", f"{YEAR}%0D", "٢٠٢٦-٢٧", f"%20{YEAR}"]
)
def test_year_slugs_that_are_not_ascii_in_full_are_not_found(
    lead_client: FlaskClient, slug: str
) -> None:
    assert lead_client.get(f"/en/plan/{slug}/diamond-9/image.svg").status_code == 404
    assert lead_client.get(f"/en/plan/{slug}/", follow_redirects=True).status_code == 404


@pytest.mark.parametrize(
    "typed", ["١٢٣٤", "£1,2,3", "1,23,456", "12,34", "1 2 3", "£１２", "1.2.3"]
)
def test_amounts_that_are_not_plain_money_are_refused(lead_client: FlaskClient, typed: str) -> None:
    data = {
        "revision": "0",
        "phase": "primary",
        "teaching_staff": "4",
        "support_staff": "3",
        "pl_lead": "Catrin",
        "funding_allocation": typed,
    }
    response = lead_client.post(f"/en/plan/{YEAR}/about-your-school", data=data)
    assert error_summary(response) == [
        "Funding allocation must be an amount of money, like £12,500 or £12,500.50"
    ]


def test_download_names_are_built_from_the_parsed_year(lead_client: FlaskClient) -> None:
    response = lead_client.get(f"/cy/plan/{YEAR}/diamond-9/image.svg")
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="diemwnt-9-{YEAR}-cy.svg"'
    )


# 9. Huge numbers are refused before they are parsed.


def test_a_400000_digit_amount_is_too_large_without_being_parsed(
    lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.domain import money

    monkeypatch.setattr(money, "_AMOUNT", None)  # parsing would fail loudly
    data = {
        "revision": "0",
        "phase": "primary",
        "teaching_staff": "4",
        "support_staff": "3",
        "pl_lead": "Catrin",
        "funding_allocation": "9" * 400_000,
    }
    response = lead_client.post(f"/en/plan/{YEAR}/about-your-school", data=data)
    assert error_summary(response) == ["Funding allocation must be £10,000,000 or less"]


# 10. The SVG download is valid XML whatever was stored.


def test_the_svg_parses_even_with_control_characters_stored_earlier(
    lead_client: FlaskClient, lead: User
) -> None:
    lead_client.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "Ours"})
    (card_id,) = db.session.scalars(select(OwnCard.id)).all()
    version = soup(lead_client.get(f"/en/plan/{YEAR}/diamond-9")).find(id="diamond-board")[
        "data-version"
    ]
    lead_client.post(
        f"/en/plan/{YEAR}/diamond-9/move",
        data={"version": version, "card": f"own:{card_id}", "to": "next"},
    )
    db.session.execute(update(OwnCard).values(title_en="Bad\x01\x1b\u202etitle"))
    db.session.commit()
    svg = lead_client.get(f"/en/plan/{YEAR}/diamond-9/image.svg").get_data(as_text=True)
    ElementTree.fromstring(svg)
    assert "Badtitle" in svg


# 11. Invitations say nothing about accounts elsewhere, and are limited per lead.


def test_inviting_an_address_with_an_account_elsewhere_looks_like_any_invitation(
    lead_client: FlaskClient, directory: Directory, caplog: pytest.LogCaptureFixture
) -> None:
    elsewhere = directory.school(name_en="Other school", name_cy=None)
    directory.user(email="taken@other.example", school=elsewhere, locale="cy")
    taken = lead_client.post(
        "/en/account/invite",
        data={"name": "Someone", "email": "taken@other.example", "language": "en"},
        follow_redirects=True,
    )
    free = lead_client.post(
        "/en/account/invite",
        data={"name": "Someone", "email": "free@other.example", "language": "en"},
        follow_redirects=True,
    )
    assert taken.status_code == free.status_code == 200
    assert "We have sent an invitation to taken@other.example." in taken.get_data(as_text=True)
    assert "We have sent an invitation to free@other.example." in free.get_data(as_text=True)
    assert db.session.scalars(select(Invitation.email)).all() == ["free@other.example"]
    to_existing = next(m for m in logged_emails(caplog) if "taken@other.example" in m)
    assert (
        "Mae gennych gyfrif gyda'r cyfeiriad e-bost hwn eisoes" in to_existing
    )  # in their language
    assert "http://localhost/cy/sign-in" in to_existing


def test_inviting_a_colleague_already_at_the_school_says_so(
    lead_client: FlaskClient, lead: User
) -> None:
    response = lead_client.post(
        "/cy/account/invite", data={"name": "Me", "email": lead.email, "language": "en"}
    )
    assert error_summary(response) == [f"Mae gan {lead.email} gyfrif yn eich ysgol eisoes"]


def test_invitations_are_limited_per_lead(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "INVITATIONS_PER_LEAD", "2 per day")
    for number in range(2):
        sent = lead_client.post(
            "/en/account/invite",
            data={"name": "Rhys", "email": f"r{number}@school.example", "language": "en"},
        )
        assert sent.status_code == 302
    assert (
        lead_client.post(
            "/en/account/invite",
            data={"name": "Rhys", "email": "r9@school.example", "language": "en"},
        ).status_code
        == 429
    )
    assert count(Invitation) == 2


# 12. Common passwords and simple patterns are refused, in both languages.

COMMON = [
    "aaaaaaaaaaaa",
    "password1234",
    "Password2024!",
    "123456789012",
    "qwertyuiopas",
    "abcabcabcabc",
    "iloveyou1234",
    "letmein!letmein!",
    "111111111111",
]


@pytest.mark.parametrize("password", COMMON)
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "Choose a password that is harder to guess: this one is too common or follows a simple pattern",
        ),
        (
            "cy",
            "Dewiswch gyfrinair sy'n anoddach ei ddyfalu: mae hwn yn rhy gyffredin neu'n dilyn patrwm syml",
        ),
    ],
)
def test_common_passwords_are_refused(
    client: FlaskClient,
    lead: User,
    caplog: pytest.LogCaptureFixture,
    password: str,
    lang: str,
    message: str,
) -> None:
    client.post(f"/{lang}/reset-password", data={"email": lead.email})
    link = links_in(logged_emails(caplog)[-1])[0].removeprefix("http://localhost")
    response = client.post(link, data={"password": password, "confirm": password})
    assert error_summary(response) == [message]


@pytest.mark.parametrize("password", ["correct horse battery staple", "Dyffryn-Conwy-glaw-2026"])
def test_passphrases_are_accepted(password: str) -> None:
    from wizard.domain.passwords import is_too_common

    assert not is_too_common(password)


# 13. Authentication events are audited.


def test_authentication_events_are_audited(
    app: Flask, client: FlaskClient, lead: User, caplog: pytest.LogCaptureFixture
) -> None:
    client.post("/en/sign-in", data={"email": lead.email, "password": "wrong"})
    client.post("/en/sign-in", data={"email": "nobody@school.example", "password": "wrong"})
    sign_in(client, lead.email)
    client.post("/en/sign-out")
    client.post("/en/reset-password", data={"email": lead.email})
    link = links_in(logged_emails(caplog)[-1])[0].removeprefix("http://localhost")
    client.post(link, data={"password": "a new long password", "confirm": "a new long password"})
    db.session.rollback()
    events = [
        (e.action, e.user_id)
        for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]
    assert events == [
        ("sign-in-failed", lead.id),
        ("sign-in-failed", None),
        ("signed-in", lead.id),
        ("signed-out", lead.id),
        ("password-reset-requested", lead.id),
        ("password-reset-used", lead.id),
    ]


def test_accepting_an_invitation_is_audited(
    app: Flask, lead_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    lead_client.post(
        "/en/account/invite",
        data={"name": "Rhys", "email": "rhys@school.example", "language": "en"},
    )
    link = links_in(logged_emails(caplog)[-1])[0].removeprefix("http://localhost")
    app.test_client().post(
        link,
        data={"name": "Rhys", "password": "a new long password", "confirm": "a new long password"},
    )
    db.session.rollback()
    new = db.session.scalar(select(User).where(User.email == "rhys@school.example"))
    assert new is not None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.user_id == new.id)
    ).all()
    assert actions == ["invitation-accepted"]


# 14. Tokens are kept out of logs; the database file is private; headers say less.


def test_tokens_are_redacted_from_the_access_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('"%s" %s %s', "GET /en/reset-password/SECRETtoken123456 HTTP/1.1", "200", "-")
        logger.info('"%s" %s %s', "GET /cy/invitation/ANOTHERsecret987 HTTP/1.1", "404", "-")
    assert "SECRET" not in caplog.text and "ANOTHER" not in caplog.text
    assert "/en/reset-password/[token]" in caplog.text


def test_the_sqlite_file_is_readable_by_its_owner_only(make_app: Any, tmp_path: Path) -> None:
    path = tmp_path / "private" / "planner.sqlite3"
    make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_development_server_names_no_versions_and_logs_no_tokens(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """A real HTTP request to Werkzeug's server, as `make run` serves."""
    import threading
    import urllib.error
    import urllib.request

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            with urllib.request.urlopen(f"{base}/en/") as response:
                assert response.headers["Server"] == "planner"
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"{base}/en/reset-password/SECRETtoken123456789")
            assert missing.value.code == 404
            missing.value.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "SECRETtoken" not in caplog.text
    assert "/en/reset-password/[token]" in caplog.text


def test_hsts_covers_subdomains_in_production(make_app: Any) -> None:
    production = make_app(PRODUCTION=True)
    response = production.test_client().get("/en/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# 15. Nothing changes a plan once it is submitted, even when the check and the write race.


def submitted_behind_the_views_back(lead: User) -> Plan:
    """The plan as a view loaded it (a draft), after a colleague has submitted it."""
    plan = db.session.scalar(select(Plan))
    assert plan is not None and plan.status == PlanStatus.DRAFT
    db.session.commit()
    with db.engine.begin() as colleague:
        colleague.execute(update(Plan).values(status=PlanStatus.SUBMITTED))
    assert plan.status == PlanStatus.DRAFT  # what the view saw before the submission
    return plan


def test_an_own_card_write_after_a_racing_submission_changes_nothing(
    lead_client: FlaskClient, lead: User
) -> None:
    from wizard.data.boards import delete_own_card, save_own_card

    lead_client.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "Ours"})
    card = db.session.scalar(select(OwnCard))
    assert card is not None
    plan = submitted_behind_the_views_back(lead)
    with pytest.raises(PlanLocked):
        save_own_card(plan, None, "New", None, lead)
    with pytest.raises(PlanLocked):
        save_own_card(plan, card, "Changed", None, lead)
    from wizard.data.boards import BoardState

    state = BoardState(plan, {}, 0, None, {})  # type: ignore[arg-type]
    with pytest.raises(PlanLocked):
        delete_own_card(state, card, lead)
    db.session.rollback()
    assert db.session.scalars(select(OwnCard.title_en)).all() == ["Ours"]


def test_an_answer_saved_after_a_racing_submission_changes_nothing(
    lead_client: FlaskClient, lead: User
) -> None:
    from wizard.data.plans import save_step

    lead_client.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "Ours"})
    plan = submitted_behind_the_views_back(lead)
    with pytest.raises(PlanLocked):
        save_step(plan, "hallmark-1", {"rating": "strong"}, 0, lead)
    assert count(PlanAnswer) == 0


def test_a_request_that_loses_the_race_is_told_the_plan_was_submitted(
    lead_client: FlaskClient, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_client.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "Ours"})
    from wizard.data import boards

    real = boards.lock_draft

    def submit_first(plan: Plan) -> None:
        db.session.execute(update(Plan).values(status=PlanStatus.SUBMITTED))
        db.session.commit()
        real(plan)

    monkeypatch.setattr(boards, "lock_draft", submit_first)
    response = lead_client.post(
        f"/cy/plan/{YEAR}/diamond-9/cards/new", data={"title_en": "Too late"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Mae'r cynllun hwn wedi cael ei gyflwyno" in text(soup(response).find("main"))
    assert db.session.scalars(select(OwnCard.title_en)).all() == ["Ours"]


def test_submitting_takes_the_lock_before_reading_the_answers(
    lead_client: FlaskClient, lead: User
) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    db.session.rollback()
    plan = db.session.scalar(select(Plan))
    assert plan is not None and plan.status == PlanStatus.SUBMITTED
    # Every write route now refuses, and so does the data layer under them.
    db.session.expunge(plan)
    plan.status = PlanStatus.DRAFT
    from wizard.data.plans import lock_draft

    with pytest.raises(PlanLocked):
        lock_draft(plan)


# What held up stays held: a fuzz of the sign-in form never errors.


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(email=st.text(max_size=60), password=st.text(max_size=30))
def test_any_sign_in_input_gets_a_page_not_an_error(
    client: FlaskClient, email: str, password: str
) -> None:
    response = client.post("/en/sign-in", data={"email": email, "password": password})
    assert response.status_code in (200, 400, 429)


def test_rate_limits_are_shared_by_every_worker_through_redis(make_app: Any, lead: User) -> None:
    """Two apps stand for two workers: with Redis as the storage, they count together."""
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    store = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    settings = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RESET_REQUESTS_PER_ADDRESS": "2 per hour",
    }
    first, second = make_app(**settings), make_app(**settings)
    form = {"email": lead.email}
    try:
        _two_workers_count_together(first, second, form, store, settings)
    finally:
        # The limiter is one extension object: give it back its in-memory storage for the
        # tests that follow.
        make_app()


def _two_workers_count_together(
    first: Flask, second: Flask, form: dict[str, str], store: Any, settings: dict[str, str]
) -> None:
    assert first.test_client().post("/en/reset-password", data=form).status_code == 200
    assert second.test_client().post("/en/reset-password", data=form).status_code == 200
    assert first.test_client().post("/en/reset-password", data=form).status_code == 429
    assert second.test_client().post("/en/reset-password", data=form).status_code == 429
    # The counts are in Redis, where every worker and machine reads them.
    prefix = settings["RATELIMIT_KEY_PREFIX"]
    counted = store.keys(f"*{prefix}*")
    assert counted
    store.delete(*counted)


@pytest.mark.parametrize(
    "bad", [b"\xff\xfe\xfa", b"%FF%FE%FA", b"caf%C3"], ids=["raw", "encoded", "cut"]
)
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_form_that_is_not_utf8_is_refused_and_saves_nothing(
    lead_client: FlaskClient, bad: bytes, lang: str
) -> None:
    """Werkzeug keeps undecodable bytes as "%FF" text, or drops the field: either way what was
    sent is not what would be saved, so the whole form is a bad request (found by the generated
    bad-input test)."""
    url = f"/{lang}/plan/{YEAR}/context-school"
    page = soup(lead_client.get(url))
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    revision = page.find("input", attrs={"name": "revision"})["value"]
    body = b"&".join(
        [b"csrf_token=" + token.encode(), b"revision=" + revision.encode(), b"reflection=" + bad]
    )
    answer = lead_client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert soup(answer).html["lang"] == lang
    assert db.session.scalar(select(func.count()).select_from(PlanAnswer)) == 0
