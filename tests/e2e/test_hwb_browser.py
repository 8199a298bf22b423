"""Sign in with Hwb in a real browser, in Welsh, through the OpenID provider's own sign-in page
(oidc-provider-mock as its own process on 127.0.0.1): a new teacher the planner does not know
asks to join their school, the lead (signed in with Hwb too) approves, and the teacher's next
sign-in lets them in. No step needs an email."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from werkzeug.serving import make_server

from tests.conftest import Directory, test_config
from tests.hwb_provider import CLIENT_ID, CLIENT_SECRET, free_port, provider_process, register
from wizard import create_app
from wizard.data.database import db
from wizard.services import identity

from .conftest import TIMEOUT_MS
from .support import Translator


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with provider_process() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def hwb_server(app: Flask, provider: str) -> Iterator[str]:
    """The app with Hwb configured, served on a port of its own (its BASE_URL is the address
    the provider sends the browser back to)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = test_config(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))
    config.update(
        WTF_CSRF_ENABLED=True,
        BASE_URL=base,
        OIDC_ISSUER=provider,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
    )
    live = create_app(config)
    server = make_server("127.0.0.1", port, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(10)
    with live.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def welsh_browser(browser: Browser, hwb_server: str) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=hwb_server, locale="cy-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    identity.forget_cache()
    yield make
    for context in contexts:
        context.close()


def sign_in_with_hwb(page: Page, sub: str, cy: Translator) -> None:
    """Press "Mewngofnodi gyda Hwb", then sign in on the provider's own page."""
    page.goto("/cy/sign-in")
    page.get_by_role("button", name=cy("Sign in with Hwb"), exact=True).click()
    # The provider's page (its own words, in English).
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_a_new_teacher_asks_to_join_in_welsh_and_the_lead_lets_them_in(
    welsh_browser: Any, provider: str, directory: Directory, cy: Translator
) -> None:
    school = directory.school(name_en="Penrhos Primary", name_cy="Ysgol Gynradd Penrhos")
    lead = directory.user(school=school, lead=True, name="Catrin Jones")
    lead.external_issuer, lead.external_subject = provider, "catrin-hwb"
    db.session.commit()
    register(provider, "catrin-hwb", name="Catrin Jones", email="catrin@hwbcymru.net")
    register(provider, "elin-hwb", name="Elin Davies", email="elin@hwbcymru.net")

    # The new teacher: unknown, so asked to join; finds the school by name.
    teacher = welsh_browser()
    sign_in_with_hwb(teacher, "elin-hwb", cy)
    expect(teacher.get_by_role("heading", level=1)).to_have_text(cy("Ask to join your school"))
    teacher.get_by_label(cy("School name or number"), exact=True).fill("Penrhos")
    teacher.get_by_role("button", name=cy("Search"), exact=True).click()
    teacher.get_by_role("radio", name="Ysgol Gynradd Penrhos", exact=False).check()
    teacher.get_by_role("button", name=cy("Ask to join"), exact=True).click()
    expect(
        teacher.get_by_text(
            cy("You have asked to join %(school)s.", school="Ysgol Gynradd Penrhos"), exact=True
        )
    ).to_be_visible()

    # The lead signs in with Hwb, sees the request above the task list, and approves it.
    lead_page = welsh_browser()
    sign_in_with_hwb(lead_page, "catrin-hwb", cy)
    lead_page.get_by_role("link", name=cy("Review requests to join"), exact=True).click()
    expect(lead_page.get_by_role("heading", level=1)).to_have_text(cy("Your team"))
    lead_page.get_by_role("button", name=f"{cy('Approve')} Elin Davies", exact=True).click()
    expect(
        lead_page.get_by_text(cy("%(name)s can now sign in with Hwb.", name="Elin Davies"))
    ).to_be_visible()

    # The teacher's next sign-in lets them in, and tells them.
    sign_in_with_hwb(teacher, "elin-hwb", cy)
    expect(
        teacher.get_by_text(
            cy("Your request to join %(school)s was approved.", school="Ysgol Gynradd Penrhos")
        )
    ).to_be_visible()
    expect(teacher.locator("html")).to_have_attribute("lang", "cy")
