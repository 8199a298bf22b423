"""Real-browser test of progress through the year (issue 25, point 2), in Welsh: a lead records
this term's progress on a priority by keyboard alone, and the progress pages are clean under
axe-core in Welsh and in English.

The browser finds things by role, label and text in the page's language; Welsh comes from the
`cy` translator, so that a missing translation fails.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests.plans import NINE, write_plan_for
from wizard.data.models import User
from wizard.data.versions import submit
from wizard.domain.academic_year import term_of, year_label, year_slug

from .support import (
    ACADEMIC_YEAR,
    AccessibilityAudit,
    Translator,
    heading,
    plan_path,
    plural,
    sign_in,
    wait_until_ready,
)

YEAR = year_slug(ACADEMIC_YEAR)
TERM_LABELS = {"autumn": "Autumn term", "spring": "Spring term", "summer": "Summer term"}


def submitted_plan(user: User) -> None:
    """A complete plan of the user's school, submitted as version 1."""
    plan = write_plan_for(user, ACADEMIC_YEAR)
    assert user.school is not None
    submit(plan, user.school, user)


def test_a_lead_records_this_terms_progress_by_keyboard_in_welsh(
    page: Page, school_lead: User, cy: Translator, en: Translator
) -> None:
    submitted_plan(school_lead)
    term = TERM_LABELS[term_of(date.today())[1]]
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", YEAR))
    wait_until_ready(page)
    # The task list names the priorities with no update this term.
    expect(page.get_by_role("heading", name=cy("Through the year"))).to_be_visible()
    progress_link = page.get_by_role("link", name=cy("Progress through the year"), exact=True)
    progress_link.focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(cy("Progress through the year"))
    wait_until_ready(page)
    first = cy("Pedagogy and teaching approaches")
    add = page.get_by_role(
        "link", name=f"{cy('Add')} {cy('this term’s update on %(priority)s', priority=first)}"
    )
    add.focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(first)
    wait_until_ready(page)
    # Saved with nothing chosen: the error, in Welsh.
    page.get_by_role("button", name=cy("Save update")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(cy("Select how this priority is going"))
    # By keyboard: the first status, arrow to the second, the note, a link, save. (The error
    # summary takes focus when the page starts: wait for that before moving to the field.)
    wait_until_ready(page)
    on_track = page.get_by_role("radio", name=cy("On track"), exact=True)
    on_track.focus()
    expect(on_track).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=cy("Some concerns"), exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Mae'r triawdau wedi cyfarfod ddwywaith.")
    page.keyboard.press("Tab")  # "I am writing in English"
    page.keyboard.press("Tab")
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        cy("Link %(number)d must start with http:// or https://", number=1)
    )
    wait_until_ready(page)
    links = page.get_by_label(cy("Links to evidence (optional)"))
    links.focus()
    expect(links).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("https://example.org/triawdau")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(cy("Progress through the year"))
    section = page.locator("#priority-card-pedagogy")
    expect(section).to_contain_text(cy("Some concerns"))
    expect(section).to_contain_text("Mae'r triawdau wedi cyfarfod ddwywaith.")
    evidence = section.get_by_role("link", name="https://example.org/triawdau")
    expect(evidence).to_have_attribute("rel", "noopener noreferrer")
    expect(section).to_contain_text(cy(term))
    # The task list now has one priority fewer to update.
    page.goto(plan_path("cy", YEAR))
    expect(page.get_by_role("main")).to_contain_text(
        plural(cy, "%(num)d priority to update", "%(num)d priorities to update", 8)
    )


def test_progress_pages_are_accessible_in_both_languages(
    page: Page, school_lead: User, cy: Translator, en: Translator
) -> None:
    submitted_plan(school_lead)
    # A priority of its own for each language, each starting without an update.
    for t, card, title in (
        (cy, NINE[0], "Pedagogy and teaching approaches"),
        (en, NINE[1], "Curriculum design"),
    ):
        sign_in(page, school_lead.email, t)
        audit = AccessibilityAudit(page, t, f"/{t.locale}/plan/{YEAR}")
        audit.visit("/progress", t("Progress through the year"))
        audit.visit(f"/progress/{card}", t(title))
        page.get_by_role("button", name=t("Save update")).click()
        expect(page.get_by_role("alert")).to_be_visible()
        audit.audit(t(title))
        page.get_by_role("radio", name=t("Done"), exact=True).check()
        page.get_by_label(t("Links to evidence (optional)")).fill("https://example.org/a")
        page.get_by_role("button", name=t("Save update")).click()
        expect(heading(page)).to_have_text(t("Progress through the year"))
        audit.audit(t("Progress through the year"))
        hub = t("Your professional learning plan for %(year)s", year=year_label(ACADEMIC_YEAR))
        audit.visit("/", hub)
        audit.assert_clean()
        page.context.clear_cookies()
