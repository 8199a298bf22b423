"""Share links (issue 11): the lead makes, lists and revokes read-only links to the plan, and
anyone with a live link reads it, in either language, without signing in."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text

from tests.conftest import Directory, sign_in
from tests.html import error_links, error_summary, heading, soup
from tests.plans import revision, write_plan
from wizard.data.database import db
from wizard.data.models import AuditEvent, ShareLink, User, UserSession
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
SHARE = f"/en/plan/{YEAR}/share"
LINK = re.compile(r"http://localhost/(en|cy)/shared/([A-Za-z0-9_-]+)")
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}


def make_link(client: FlaskClient, shows: str = "submitted", **expiry: str) -> str:
    """Make a link on the lead's page; return its token (read from the page, shown once)."""
    response = client.post(SHARE, data={"shows": shows, **expiry})
    assert response.status_code == 200
    found = LINK.search(soup(response).find(id="new-share-link")["href"])
    assert found is not None
    return found.group(2)


def submitted(client: FlaskClient, reflection: str = "Submitted words") -> None:
    write_plan(client, YEAR, reflection=reflection)
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302


def hrefs(response: Any) -> list[str]:
    return [a["href"] for a in soup(response).find_all("a", href=True)] + [
        form["action"] for form in soup(response).find_all("form")
    ]


def test_the_token_is_stored_only_as_a_hash(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = make_link(lead_client, "draft")
    assert len(token) >= 43  # 256 bits, URL-safe base64
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM share_link")).mappings().all()
        events = db.session.execute(text("SELECT * FROM audit_event")).mappings().all()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    for row in [*rows, *events]:
        assert all(token not in str(value) for value in row.values())
    assert token not in lead_client.get(SHARE).get_data(as_text=True)  # never shown again


def test_draft_and_submitted_links_show_what_they_say(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR, reflection="Draft words")
    latest = make_link(lead_client, "submitted")
    draft = make_link(lead_client, "draft")
    anonymous = app.test_client()
    not_yet = anonymous.get(f"/en/shared/{latest}")
    assert not_yet.status_code == 200
    assert heading(not_yet) == "This plan has not been submitted yet"
    assert anonymous.get(f"/en/shared/{latest}.pdf").status_code == 404
    assert "Draft words" in anonymous.get(f"/en/shared/{draft}").get_data(as_text=True)

    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    assert lead_client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    context = f"/en/plan/{YEAR}/context-school"
    changed = lead_client.post(
        context, data={"revision": revision(lead_client, context), "reflection": "Newer words"}
    )
    assert changed.status_code == 302
    shown = anonymous.get(f"/en/shared/{latest}").get_data(as_text=True)
    assert "Draft words" in shown and "Newer words" not in shown
    assert "Version 1" in shown
    assert "Newer words" in anonymous.get(f"/en/shared/{draft}").get_data(as_text=True)

    pdf = anonymous.get(f"/en/shared/{latest}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    svg = anonymous.get(f"/cy/shared/{draft}/diamond-9.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "a-rannwyd-cy.svg" in svg.headers["Content-Disposition"]


def test_last_use_is_recorded_and_listed(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = make_link(lead_client, "draft")
    assert "Not used yet" in lead_client.get(SHARE).get_data(as_text=True)
    app.test_client().get(f"/en/shared/{token}")
    with app.app_context():
        link = db.session.scalar(select(ShareLink))
        assert link is not None and link.last_used_at is not None
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "share-link-created" in actions
    page = lead_client.get(SHARE).get_data(as_text=True)
    assert "Not used yet" not in page and "Working" in page


def demote(lead: User) -> None:
    lead.is_school_lead = False


def move_school(directory: Directory) -> Any:
    def move(lead: User) -> None:
        lead.school = directory.school(name_en="Another School")

    return move


def remove_account(lead: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == lead.id))
    db.session.delete(lead)


@pytest.mark.parametrize("change", ["role changed", "moved school", "account removed"])
def test_a_link_stops_working_when_its_maker_is_no_longer_the_lead(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient, change: str
) -> None:
    write_plan(lead_client, YEAR, reflection="Draft words")
    token = make_link(lead_client, "draft")
    anonymous = app.test_client()
    assert "Draft words" in anonymous.get(f"/en/shared/{token}").get_data(as_text=True)
    school = lead.school
    {
        "role changed": demote,
        "moved school": move_school(directory),
        "account removed": remove_account,
    }[change](lead)
    db.session.commit()
    for suffix in ("", ".pdf", "/diamond-9.svg"):
        assert anonymous.get(f"/en/shared/{token}{suffix}").status_code == 404
    # The school's new lead sees the link as stopped, and may revoke it.
    successor = directory.user(email="new.lead@school.example", school=school, lead=True)
    as_successor = app.test_client()
    sign_in(as_successor, successor.email)
    page = as_successor.get(SHARE).get_data(as_text=True)
    assert "Stopped: its maker is no longer the lead" in page and "Working" not in page
    # Still gone once the school has a lead again: the link was the old lead's.
    assert anonymous.get(f"/en/shared/{token}").status_code == 404
    # A link the new lead makes works.
    fresh = make_link(as_successor, "draft")
    assert "Draft words" in anonymous.get(f"/en/shared/{fresh}").get_data(as_text=True)


def not_found_body(response: Any) -> str:
    assert response.status_code == 404
    return str(soup(response).find("main"))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_unknown_revoked_and_expired_tokens_get_the_same_404(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    revoked = make_link(lead_client, "draft")
    expired = make_link(lead_client, "draft")
    with app.app_context():
        links = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
        links[1].expires_on = date.today() - timedelta(days=1)
        db.session.commit()
        revoked_id = links[0].id
    assert lead_client.post(f"{SHARE}/{revoked_id}/revoke").status_code == 302
    anonymous = app.test_client()
    bodies = {
        not_found_body(anonymous.get(f"/{lang}/shared/{token}"))
        for token in (revoked, expired, "x" * 43, "nonsense", "a%00b", "é" * 10, "a" * 500)
    }
    assert len(bodies) == 1
    response = anonymous.get(f"/{lang}/shared/{revoked}")
    # It says the link is no longer available, in the reader's language (not "Page not found").
    assert heading(response) == (
        "This link is no longer available" if lang == "en" else "Nid yw'r ddolen hon ar gael mwyach"
    )
    said = soup(response).find("main").get_text(" ", strip=True)
    assert (
        "Ask the school for a new one" if lang == "en" else "Gofynnwch i'r ysgol am un newydd"
    ) in said
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    for suffix in (".pdf", ".docx", "/diamond-9.svg"):
        assert anonymous.get(f"/{lang}/shared/{expired}{suffix}").status_code == 404


def test_a_link_works_through_its_expiry_date(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    today = date.today()
    token = make_link(
        lead_client,
        "draft",
        expires_day=str(today.day),
        expires_month=str(today.month),
        expires_year=str(today.year),
    )
    assert app.test_client().get(f"/en/shared/{token}").status_code == 200
    assert today.strftime("%Y") in lead_client.get(SHARE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("expiry", "message", "href"),
    [
        (
            {"expires_day": "31", "expires_month": "2", "expires_year": "2030"},
            "The expiry date must be a real date",
            "#expires-day",
        ),
        (
            {"expires_day": "1", "expires_month": "1", "expires_year": "2000"},
            "The expiry date must be today or in the future",
            "#expires-day",
        ),
        (
            {"expires_day": "1", "expires_month": "", "expires_year": "2030"},
            "The expiry date must include a month",
            "#expires-month",
        ),
        (
            {"expires_day": "x", "expires_month": "1", "expires_year": "2030"},
            "The expiry date must be a real date",
            "#expires-day",
        ),
        (
            {"expires_day": "1", "expires_month": "1", "expires_year": "30"},
            "The expiry date must be a real date",
            "#expires-day",
        ),
    ],
)
def test_the_expiry_date_is_checked(
    app: Flask, lead_client: FlaskClient, expiry: dict[str, str], message: str, href: str
) -> None:
    write_plan(lead_client, YEAR)
    response = lead_client.post(SHARE, data={"shows": "draft", **expiry})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert error_links(response) == [href]
    assert soup(response).find(id="new-share-link") is None
    with app.app_context():
        assert db.session.scalar(select(ShareLink)) is None


def test_the_errors_are_in_welsh(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    response = lead_client.post(
        f"/cy/plan/{YEAR}/share",
        data={"expires_day": "31", "expires_month": "2", "expires_year": "2030"},
    )
    errors = error_summary(response)
    assert len(errors) == 2 and not any("expiry" in error or "Select" in error for error in errors)
    assert soup(response).find("title").get_text().startswith("Gwall:")


def test_only_the_lead_makes_and_revokes_links(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    make_link(lead_client, "draft")
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    colleague = directory.user(email="colleague@school.example", school=lead.school)
    other_lead = directory.user(
        email="other@elsewhere.example", school=directory.school(name_en="Elsewhere"), lead=True
    )
    as_colleague = app.test_client()
    sign_in(as_colleague, colleague.email)
    assert as_colleague.get(SHARE).status_code == 403
    assert as_colleague.post(SHARE, data={"shows": "draft"}).status_code == 403
    assert as_colleague.post(f"{SHARE}/{link_id}/revoke").status_code == 403

    as_other = app.test_client()
    sign_in(as_other, other_lead.email)
    write_plan(as_other, YEAR)
    # Their own plan's page works; another plan's link id is not theirs to revoke.
    assert as_other.get(SHARE).status_code == 200
    assert as_other.post(f"{SHARE}/{link_id}/revoke").status_code == 404
    other_school = directory.school(name_en="Third")
    assert as_other.get(f"/en/plan/{YEAR}/school/{other_school.id}/share").status_code == 404

    anonymous = app.test_client().get(SHARE)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    assert app.test_client().post(f"{SHARE}/{link_id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ShareLink.revoked_at)) is None


def test_the_shared_page_sends_private_headers_and_links_nowhere_signed_in(
    app: Flask, lead_client: FlaskClient
) -> None:
    submitted(lead_client)
    token = make_link(lead_client, "submitted")
    # Even for a signed-in reader (the lead here), the page has no account navigation.
    for client in (app.test_client(), lead_client):
        for lang in ("en", "cy"):
            for path in ("", ".pdf", "/diamond-9.svg"):
                response = client.get(f"/{lang}/shared/{token}{path}")
                assert response.status_code == 200
                assert response.headers["Referrer-Policy"] == "no-referrer"
                assert "noindex" in response.headers["X-Robots-Tag"]
            page = client.get(f"/{lang}/shared/{token}")
            for href in hrefs(page):
                assert not re.search(r"/(en|cy)/(plan|account|sign-in|sign-out|clusters)", href)
            assert f"/{lang}/shared/{token}.pdf" in hrefs(page)
            assert f"/{lang}/shared/{token}/diamond-9.svg" in hrefs(page)
            toggle = soup(page).select_one("nav.app-language-toggle a[hreflang]")
            other = "cy" if lang == "en" else "en"
            assert toggle["href"] == f"/{other}/shared/{token}"


def test_the_shared_page_in_welsh(app: Flask, lead_client: FlaskClient) -> None:
    submitted(lead_client)
    token = make_link(lead_client, "submitted")
    page = app.test_client().get(f"/cy/shared/{token}")
    assert soup(page).find("html")["lang"] == "cy"
    body = page.get_data(as_text=True)
    assert "Lawrlwytho" in body or "Lawrlwythwch" in body
    assert "Download the plan" not in body


def test_shared_pages_are_rate_limited(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(lead_client, YEAR)
    token = make_link(lead_client, "draft")
    monkeypatch.setitem(app.config, "SHARED_PLAN_REQUESTS_PER_ADDRESS", "3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.get(f"/en/shared/{token}", environ_base=ATTACKER).status_code == 200
    limited = client.get(f"/cy/shared/{token}", environ_base=ATTACKER)
    assert limited.status_code == 429
    assert limited.headers["Referrer-Policy"] == "no-referrer"
    guessing = client.get("/en/shared/" + "y" * 43, environ_base=ATTACKER)
    assert guessing.status_code == 429
    assert app.test_client().get(f"/en/shared/{token}").status_code == 200


def test_the_task_list_links_leads_to_sharing(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    assert SHARE in hrefs(lead_client.get(f"/en/plan/{YEAR}/"))
    colleague = directory.user(email="colleague@school.example", school=lead.school)
    as_colleague = app.test_client()
    sign_in(as_colleague, colleague.email)
    assert SHARE not in hrefs(as_colleague.get(f"/en/plan/{YEAR}/"))


def test_revoking_asks_first(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = make_link(lead_client, "draft")
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    page = soup(lead_client.get(SHARE))
    link = page.find("a", href=f"{SHARE}/{link_id}/revoke")
    assert link is not None and not page.select(f"form[action='{SHARE}/{link_id}/revoke']")
    asked = lead_client.get(link["href"])
    assert heading(asked) == "Are you sure you want to revoke this share link?"
    assert app.test_client().get(f"/en/shared/{token}").status_code == 200  # nothing changed
    form = soup(asked).find("form", action=f"{SHARE}/{link_id}/revoke")
    assert form is not None and form["method"] == "post"
    assert lead_client.post(form["action"]).status_code == 302
    assert app.test_client().get(f"/en/shared/{token}").status_code == 404
    # A revoked link has nothing to ask about.
    assert lead_client.get(link["href"]).headers["Location"] == SHARE


def test_a_new_link_has_a_copy_button(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    response = lead_client.post(SHARE, data={"shows": "draft"})
    button = soup(response).find("button", attrs={"data-copy": "new-share-link"})
    assert button is not None and button.get_text(strip=True) == "Copy the link"
