"""The page shell, security headers, CSRF, error pages, and the health checks."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from tests.conftest import PASSWORD, sign_in
from tests.html import heading, soup
from wizard.data.models import User
from wizard.web.access import Access, allow


@pytest.mark.parametrize("url", ["/en/", "/cy/sign-in", "/en/accessibility"])
def test_pages_have_a_strict_content_security_policy_and_no_inline_script(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    for script in soup(response).find_all("script"):
        assert script.get("src"), "inline script found"
        assert not script.get_text(strip=True)
    assert not soup(response).find(attrs={"style": True})


def test_the_shell_has_a_skip_link_service_name_and_our_own_footer(client: FlaskClient) -> None:
    page = soup(client.get("/cy/"))
    skip = page.select_one("a.govuk-skip-link")
    assert (
        skip["href"] == "#main-content" and skip.get_text(strip=True) == "Neidio i'r prif gynnwys"
    )
    assert (
        page.select_one(".govuk-generic-header__homepage-link").get_text(strip=True)
        == "Cynllunydd dysgu proffesiynol"
    )
    footer_links = [a["href"] for a in page.select("footer a")]
    assert footer_links == ["/cy/help", "/cy/accessibility", "/cy/privacy", "/cy/cookies"]
    # No GOV.UK branding: no crown, no Crown copyright, no GOV.UK logotype.
    text = page.get_text(" ")
    assert "Crown copyright" not in text and "GOV.UK" not in text
    assert not page.select(".govuk-footer__crown, .govuk-header__logotype")


def test_static_assets_are_served_with_a_content_hash_without_a_build(
    client: FlaskClient,
) -> None:
    page = soup(client.get("/en/"))
    stylesheet = page.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("/static/css/app.css?v=")
    scripts = [s["src"] for s in page.find_all("script")]
    assert any("htmx-2.0.11.min.js" in s for s in scripts)
    for url in [stylesheet, *scripts]:
        response = client.get(url)
        assert response.status_code == 200
        response.close()


@pytest.fixture
def csrf_client(make_app: Any) -> FlaskClient:
    protected: Flask = make_app(WTF_CSRF_ENABLED=True)
    return protected.test_client()


def test_forms_without_a_csrf_token_are_refused_in_the_page_language(
    csrf_client: FlaskClient, lead: User
) -> None:
    response = csrf_client.post("/cy/sign-in", data={"email": lead.email, "password": "x"})
    assert response.status_code == 400
    assert "Ni chafodd dim ei gadw" in response.get_data(as_text=True)


def test_forms_with_the_csrf_token_work_and_htmx_can_send_it_as_a_header(
    csrf_client: FlaskClient, lead: User
) -> None:
    page = csrf_client.get("/en/sign-in")
    token = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    assert soup(page).find("meta", attrs={"name": "csrf-token"})["content"]
    signed_in = csrf_client.post(
        "/en/sign-in", data={"email": lead.email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    meta = soup(csrf_client.get("/en/account/")).find("meta", attrs={"name": "csrf-token"})[
        "content"
    ]
    out = csrf_client.post("/en/sign-out", headers={"X-CSRFToken": meta, "HX-Request": "true"})
    assert out.status_code == 302


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Page not found"), ("cy", "Heb ddod o hyd i'r dudalen")]
)
def test_not_found_pages(client: FlaskClient, lang: str, title: str) -> None:
    response = client.get(f"/{lang}/nowhere/at/all")
    assert response.status_code == 404
    assert heading(response) == title


def test_requests_that_are_too_large_are_refused(lead_client: FlaskClient) -> None:
    response = lead_client.post(
        "/cy/plan/2026-27/about-your-school", data={"pl_lead": "x" * 2_000_000}
    )
    assert response.status_code == 413
    assert heading(response) == "Mae'r hyn a anfonwyd gennych yn rhy fawr"


@pytest.fixture
def failing_app(make_app: Any) -> Flask:
    """An app with extra routes: one crashes, one's database fails, one conflicts."""
    broken: Flask = make_app()

    @broken.get("/<any(en,cy):lang>/crash")
    @allow(Access.PUBLIC)
    def crash() -> str:
        raise RuntimeError("boom")

    @broken.get("/<any(en,cy):lang>/database-down")
    @allow(Access.PUBLIC)
    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    @broken.get("/<any(en,cy):lang>/conflict")
    @allow(Access.PUBLIC)
    def conflict() -> str:
        abort(409)

    broken.config["PROPAGATE_EXCEPTIONS"] = False
    return broken


@pytest.mark.parametrize(
    ("path", "status", "english", "welsh"),
    [
        (
            "crash",
            500,
            "Sorry, there is a problem with the service",
            "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
        ),
        (
            "database-down",
            503,
            "Sorry, the service is unavailable",
            "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael",
        ),
        ("conflict", 409, "Someone else changed this at the same time", None),
    ],
)
def test_failures_get_an_error_page_in_the_page_language(
    failing_app: Flask, path: str, status: int, english: str, welsh: str | None
) -> None:
    client = failing_app.test_client()
    response = client.get(f"/en/{path}")
    assert response.status_code == status
    assert heading(response) == english
    cy = client.get(f"/cy/{path}")
    assert cy.status_code == status
    assert soup(cy).find("html")["lang"] == "cy"
    if welsh:
        assert heading(cy) == welsh
    else:
        assert heading(cy) != english


def test_health_checks(client: FlaskClient) -> None:
    assert client.get("/healthz").get_data(as_text=True) == "ok\n"
    assert client.get("/readyz").status_code == 200


UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"


def test_readyz_reports_an_unreachable_database(make_app: Any) -> None:
    unreachable = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE)
    response = unreachable.test_client().get("/readyz")
    assert response.status_code == 503
    assert unreachable.test_client().get("/healthz").status_code == 200


def test_signed_in_pages_survive_a_database_outage_with_503(
    app: Flask, lead: User, make_app: Any
) -> None:
    client = app.test_client()
    sign_in(client, lead.email)
    down = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE, SECRET_KEY=app.config["SECRET_KEY"])
    other = down.test_client()
    # Same signed cookie, but this app cannot reach any database.
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    response = other.get("/cy/account/")
    assert response.status_code == 503
    assert heading(response) == "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael"
