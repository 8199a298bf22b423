"""Real-browser test of share links (issue 11): a lead makes a link to the plan, someone without
an account opens it in Welsh, the lead revokes it and it stops working; axe-core on the share
page and the shared page in both languages."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from wizard.data.models import User

from .support import (
    AccessibilityAudit,
    ContextFactory,
    Translator,
    expect_errors,
    expect_html_lang,
    heading,
    plan_path,
    sign_in,
    wait_until_ready,
)
from .test_submission_browser import SCHOOL_NAME_CY, save_whole_plan

SCHOOL_NAME_EN = "Oakfield Primary School"


def make_link(page: Page, t: Translator, shows: str) -> str:
    """Make a link on the share page; return its path (the page shows it once, in full)."""
    page.get_by_role("radio", name=t(shows), exact=True).check()
    page.get_by_role("button", name=t("Make a share link"), exact=True).click()
    expect(page.get_by_text(t("You have made a share link"))).to_be_visible()
    shown = page.locator("#new-share-link")
    href = shown.get_attribute("href") or ""
    expect(shown).to_have_text(href)
    # A button copies it (shown where the browser can copy).
    expect(page.get_by_role("button", name=t("Copy the link"), exact=True)).to_be_visible()
    return urlparse(href).path


def test_a_lead_shares_the_plan_and_revokes_the_link(
    page: Page,
    new_context: ContextFactory,
    school_lead: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    save_whole_plan(school_lead)
    sign_in(page, school_lead.email, en)
    lead_audit = AccessibilityAudit(page, en)
    page.goto(plan_path("en", plan_year))
    page.get_by_role("link", name=en("Share this plan"), exact=True).click()
    wait_until_ready(page)
    lead_audit.audit(en.page_title("Share this plan"))

    # A date that does not exist is refused, with the GOV.UK error pattern.
    page.get_by_role(
        "radio",
        name=en("The plan as it stands now, including changes not yet submitted"),
        exact=True,
    ).check()
    page.get_by_role("textbox", name=en("Day"), exact=True).fill("31")
    page.get_by_role("textbox", name=en("Month"), exact=True).fill("2")
    page.get_by_role("textbox", name=en("Year"), exact=True).fill("2030")
    page.get_by_role("button", name=en("Make a share link"), exact=True).click()
    expect_errors(page, en, ["The expiry date must be a real date"])
    lead_audit.audit(en.page_title("Share this plan"))
    page.get_by_role("textbox", name=en("Day"), exact=True).fill("")
    page.get_by_role("textbox", name=en("Month"), exact=True).fill("")
    page.get_by_role("textbox", name=en("Year"), exact=True).fill("")
    path = make_link(page, en, "The plan as it stands now, including changes not yet submitted")
    lead_audit.audit(en.page_title("Share this plan"))
    table = page.get_by_role("table", name=en("Your share links"))
    expect(table.get_by_text(en("Not used yet"))).to_be_visible()

    # Someone without an account opens it, in Welsh; the language toggle keeps the link.
    reader = new_context(locale="cy-GB").new_page()
    welsh = path.replace("/en/", "/cy/", 1)
    response = reader.goto(welsh)
    assert response is not None and response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    wait_until_ready(reader)
    reader_audit = AccessibilityAudit(reader, cy)
    reader_audit.audit(SCHOOL_NAME_CY)
    expect(
        reader.get_by_role("link", name=cy("Download the plan as a PDF"), exact=True)
    ).to_be_visible()
    expect(reader.get_by_role("button", name=cy("Sign out"))).to_have_count(0)
    # On a phone: the summary (the Diamond 9 and the funding table) never scrolls sideways.
    phone = new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.goto(welsh)
    wait_until_ready(phone)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The shared plan is {width}px wide at a 320px viewport"
    reader.get_by_role("navigation", name=cy("Language")).get_by_role("link").click()
    wait_until_ready(reader)
    assert urlparse(reader.url).path == path
    AccessibilityAudit(reader, en).audit(SCHOOL_NAME_EN)

    # The lead sees it used, and revokes it: the link stops working.
    page.goto(plan_path("en", plan_year, "share"))
    expect(table.get_by_text(en("Not used yet"))).to_have_count(0)
    # Revoking asks first.
    table.get_by_role("link", name=en("Revoke"), exact=False).click()
    expect(heading(page)).to_have_text(en("Are you sure you want to revoke this share link?"))
    lead_audit.audit(en("Are you sure you want to revoke this share link?"))
    page.get_by_role("button", name=en("Yes, revoke the link"), exact=True).click()
    expect(
        page.get_by_text(en("You have revoked the link. It no longer opens the plan."))
    ).to_be_visible()
    expect(table.get_by_text(en("Revoked"), exact=True)).to_be_visible()
    # The revoked link says so, in the reader's language (not "Page not found").
    gone = reader.goto(welsh)
    assert gone is not None and gone.status == 404
    expect(heading(reader)).to_have_text(cy("This link is no longer available"))
    expect(
        reader.get_by_text(
            cy(
                "Ask the school for a new one. A school can revoke a link, or make one that stops working after a date."
            )
        )
    ).to_be_visible()
    expect_html_lang(reader, "cy")
    reader_audit.audit(cy("This link is no longer available"))

    # The share page in Welsh.
    page.goto(plan_path("cy", plan_year, "share"))
    wait_until_ready(page)
    welsh_audit = AccessibilityAudit(page, cy)
    welsh_audit.audit(cy.page_title("Share this plan"))
    make_link(page, cy, "The latest submitted version")
    welsh_audit.audit(cy.page_title("Share this plan"))

    for audit in (lead_audit, reader_audit, welsh_audit):
        audit.assert_clean()
