"""Page behaviour with JavaScript: nothing the browser reports as a Content-Security-Policy
violation after htmx swaps, the warning before leaving a page with unsaved changes, and the
warning before the session times out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

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
    """Scripts (SortableJS, for one) set styles through the CSSOM, which the policy allows; htmx
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
