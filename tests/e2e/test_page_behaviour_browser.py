"""Page behaviour with JavaScript: nothing the browser reports as a Content-Security-Policy
violation after htmx swaps, the warning before leaving a page with unsaved changes, and the
warning before the session times out."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Dialog, Locator, Page, expect

from tests.e2e.support import (
    Translator,
    error_summary,
    htmx_requests,
    plan_path,
    save_button,
    sign_in,
)
from wizard.data.models import User

QUICK = 2_000


@pytest.mark.e2e
def test_an_htmx_swap_applies_no_inline_style(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    """Scripts (the drag copy of a Diamond 9 card, for one) set styles through the CSSOM, which the policy allows; htmx
    used to copy such `style` attributes onto the new content with setAttribute, which it
    forbids. The page fixture fails the test on any violation."""
    sign_in(page, school_lead.email, en)
    page.goto(plan_path("en", plan_year, "about-your-school"))
    page.evaluate(
        """() => {
          for (const id of ['main-content', 'app-container']) {
            document.getElementById(id).style.outline = '1px solid transparent'
          }
        }"""
    )
    boosted = htmx_requests(page)
    save_button(page, en).click()
    expect(error_summary(page)).to_be_visible()
    assert boosted
    # Give a late violation report time to arrive before the fixture checks.
    page.wait_for_timeout(300)


@pytest.mark.e2e
def test_the_htmx_request_indicator_is_styled_by_our_css(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    page.goto(plan_path("en", plan_year, "about-your-school"))
    button = save_button(page, en)
    assert button.evaluate("(el) => getComputedStyle(el).cursor") != "progress"
    # htmx marks the element that made the request (a boosted form) while it waits.
    button.evaluate("(el) => el.form.classList.add('htmx-request')")
    assert button.evaluate("(el) => getComputedStyle(el).cursor") == "progress"
    assert float(button.evaluate("(el) => getComputedStyle(el).opacity")) < 1


# Unsaved changes -------------------------------------------------------------------------------

REFLECTION = "Professional learning lead"


def leave_warning(page: Page, t: Translator) -> Locator:
    return page.get_by_role("dialog", name=t("You have not saved your changes"), exact=True)


def language_toggle(page: Page, t: Translator, to: str) -> Locator:
    toggle = page.get_by_role("navigation", name=t("Language"), exact=True)
    return toggle.get_by_role("link", name="English" if to == "en" else "Cymraeg")


@pytest.mark.e2e
def test_the_welsh_language_toggle_warns_before_dropping_typed_text(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    step = plan_path("cy", plan_year, "about-your-school")
    page.goto(step)
    box = page.get_by_label(cy(REFLECTION), exact=True)
    box.press_sequentially("Ein myfyrdod heb ei gadw")

    language_toggle(page, cy, "en").click()
    dialog = leave_warning(page, cy)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        cy("If you leave this page now, what you have typed or chosen here will be lost.")
    )
    stay = dialog.get_by_role("button", name=cy("Stay on this page"), exact=True)
    expect(stay).to_be_focused()
    stay.click()
    expect(dialog).to_be_hidden()
    expect(box).to_have_value("Ein myfyrdod heb ei gadw")
    assert page.url.endswith(step)
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    # Escape is "stay" too; "leave" goes on to the English page.
    language_toggle(page, cy, "en").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(box).to_have_value("Ein myfyrdod heb ei gadw")
    language_toggle(page, cy, "en").click()
    dialog.get_by_role("button", name=cy("Leave without saving"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/plan/.*/about-your-school$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.e2e
def test_a_boosted_link_warns_and_an_unchanged_page_does_not(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    page.goto(plan_path("en", plan_year, "about-your-school"))
    back = page.get_by_role("link", name=en("Back"), exact=True)
    box = page.get_by_label(en(REFLECTION), exact=True)
    box.press_sequentially("x")
    boosted = htmx_requests(page)
    back.click()
    expect(leave_warning(page, en)).to_be_visible()
    page.get_by_role("button", name=en("Stay on this page"), exact=True).click()
    assert not boosted
    # Typing and deleting again is no change: no question.
    box.fill("")
    back.click()
    expect(page).not_to_have_url(re.compile(r"about-your-school$"))
    expect(leave_warning(page, en)).to_be_hidden()
    assert boosted


@pytest.mark.e2e
def test_other_ways_of_leaving_get_the_browsers_question(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    step = plan_path("en", plan_year, "about-your-school")
    page.goto(step)
    page.get_by_label(en(REFLECTION), exact=True).press_sequentially("Not saved")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.evaluate("() => { window.location.assign('/en/accessibility') }")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith(step)
    expect(page.get_by_label(en(REFLECTION), exact=True)).to_have_value("Not saved")
    # Saving is not leaving: no question (the answers come back with their errors).
    save_button(page, en).click()
    expect(error_summary(page)).to_be_visible()
    assert asked == ["beforeunload"]


# The session timeout warning -------------------------------------------------------------------


@pytest.fixture
def short_session(live_app: Flask) -> Iterator[None]:
    """Sessions that end after 8 idle seconds, with the warning for the last 6."""
    saved = {
        key: live_app.config[key] for key in ("SESSION_IDLE_SECONDS", "SESSION_WARNING_SECONDS")
    }
    live_app.config.update(SESSION_IDLE_SECONDS=8, SESSION_WARNING_SECONDS=6)
    yield
    live_app.config.update(saved)


def timeout_warning(page: Page, t: Translator) -> Locator:
    return page.get_by_role("dialog", name=t("You are about to be signed out"), exact=True)


@pytest.mark.e2e
def test_the_welsh_timeout_warning_keeps_the_session_and_the_typed_text(
    page: Page, short_session: None, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    step = plan_path("cy", plan_year, "about-your-school")
    page.goto(step)
    box = page.get_by_label(cy(REFLECTION), exact=True)
    box.press_sequentially("Testun heb ei gadw")
    dialog = timeout_warning(page, cy)
    expect(dialog).to_be_visible(timeout=6_000)
    stay = dialog.get_by_role("button", name=cy("Stay signed in"), exact=True)
    expect(stay).to_be_focused()
    with page.expect_response(re.compile(r"/cy/stay-signed-in$")) as answer:
        stay.click()
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()
    expect(box).to_have_value("Testun heb ei gadw")
    # More than the idle time since the page loaded, but not since "Stay signed in".
    page.wait_for_timeout(3_000)
    still = page.request.get(plan_path("cy", plan_year), max_redirects=0)
    assert still.status == 200

    # The second button signs out.
    expect(dialog).to_be_visible(timeout=6_000)
    dialog.get_by_role("button", name=cy("Sign out"), exact=True).click()
    expect(page.get_by_text(cy("You have signed out."))).to_be_visible()


@pytest.mark.e2e
def test_when_the_time_is_up_the_page_goes_to_sign_in(
    page: Page, short_session: None, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    hub = plan_path("en", plan_year)
    page.goto(hub)
    expect(timeout_warning(page, en)).to_be_visible(timeout=6_000)
    expect(page).to_have_url(re.compile(r"/en/sign-in\?next="), timeout=10_000)
    expect(page.get_by_role("button", name=en("Sign out"), include_hidden=True)).to_have_count(0)
