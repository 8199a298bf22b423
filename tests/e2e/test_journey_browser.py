"""Real-browser checks of the journey's fixes, in Welsh: the task list's status tags stay on one
line (two at most on a phone), an old error on a funding line's amount goes once the live total
changes, both choices of the conflict page work without JavaScript, and axe-core on the
reopening, password and language pages in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from wizard.data.models import User

from .support import (
    LANGUAGES,
    AccessibilityAudit,
    ContextFactory,
    Translator,
    error_summary,
    field,
    heading,
    plan_path,
    save_answer,
    sign_in,
    wait_until_ready,
)

ALLOCATION_PENCE = 500_000
ABOUT = {
    "phase": "primary",
    "teaching_staff": 24,
    "support_staff": 12,
    "pl_lead": "Siân Williams",
    "funding_allocation_pence": ALLOCATION_PENCE,
}

# The number of lines of text in each status of the task list: the distinct tops of the line
# boxes of its text.
STATUS_LINES = """() => [...document.querySelectorAll('.govuk-task-list__status')].map(status => {
  const tops = new Set()
  const walker = document.createTreeWalker(status, NodeFilter.SHOW_TEXT)
  while (walker.nextNode()) {
    const range = document.createRange()
    range.selectNodeContents(walker.currentNode)
    for (const rect of range.getClientRects()) {
      if (rect.width > 0) tops.add(Math.round(rect.top))
    }
  }
  return [status.innerText.trim(), tops.size]
})"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def status_lines(page: Page) -> dict[str, int]:
    return {label: lines for label, lines in page.evaluate(STATUS_LINES)}


@pytest.mark.e2e
@pytest.mark.parametrize(("width", "most"), [(1280, 1), (375, 2), (320, 2)])
def test_task_list_statuses_do_not_wrap_in_welsh(
    new_context: ContextFactory,
    school_lead: User,
    cy: Translator,
    plan_year: str,
    width: int,
    most: int,
) -> None:
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", plan_year))
    wait_until_ready(page)
    # A new plan: "Not yet started" and "Cannot start yet", with the reason for the latter.
    first = status_lines(page)
    assert set(first) == {cy("Not yet started"), cy("Cannot start yet")}, first
    expect(page.locator(".govuk-task-list__hint").last).to_contain_text(
        cy(
            "Complete “%(task)s” first: the funding plan needs your funding allocation.",
            task=cy("About your school"),
        )
    )
    # Then "Completed" and "In progress" too; success criteria still cannot start (they wait
    # for a complete Diamond 9).
    save_answer(school_lead, "about-your-school", ABOUT)
    save_answer(school_lead, "context-school", {"reflection": "Ein myfyrdod", "priorities": []})
    page.reload()
    wait_until_ready(page)
    second = status_lines(page)
    assert set(second) == {
        cy("Completed"),
        cy("In progress"),
        cy("Not yet started"),
        cy("Cannot start yet"),
    }, second
    for label, lines in {**first, **second}.items():
        assert 1 <= lines <= most, f"{label!r} takes {lines} lines at {width} px"
    assert page.evaluate(SIDEWAYS) <= 0, f"sideways scroll at {width} px"


def funding_line_form(page: Page, t: Translator, plan_year: str) -> None:
    page.goto(plan_path(t.locale, plan_year, "funding-plan/lines/new"))
    wait_until_ready(page)
    page.get_by_role("group", name=t("What is the money for?")).get_by_role("radio").first.check()
    page.get_by_role("group", name=t("Who benefits?")).get_by_role(
        "checkbox", name=t("Teachers"), exact=True
    ).check()
    page.get_by_role("group", name=t("When will the money be spent?")).get_by_role(
        "radio", name=t("Autumn term"), exact=True
    ).check()
    field(page, t, "What will you do?").fill("Rhyddhau athrawon i gynllunio gyda'i gilydd.")


@pytest.mark.e2e
def test_an_old_amount_error_goes_once_the_live_total_changes(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    save_answer(school_lead, "about-your-school", ABOUT)
    sign_in(page, school_lead.email, cy)
    funding_line_form(page, cy, plan_year)
    amount = field(page, cy, "Amount")
    amount.fill("6000")
    page.get_by_role("button", name=cy("Save and continue"), exact=True).click()
    message = cy(
        "With this amount, your funding plan is %(over)s more than the allocation of %(allocation)s. Reduce this amount or another line.",
        over="£1,000.00",
        allocation="£5,000.00",
    )
    expect(error_summary(page)).to_contain_text(message)
    expect(page.locator("#amount-error")).to_contain_text(message)
    assert page.title().startswith(cy("Error:"))

    # A new amount: the live total is worked out again, and the old error goes.
    amount.fill("")
    amount.press_sequentially("4000")
    expect(page.locator("#funding-total")).to_contain_text(
        cy("Left to plan: %(amount)s of %(allocation)s", amount="£1,000.00", allocation="£5,000.00")
    )
    expect(page.locator("#amount-error")).to_have_count(0)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator(".govuk-form-group--error")).to_have_count(0)
    assert not page.title().startswith(cy("Error:")), page.title()
    assert amount.get_attribute("aria-describedby") == "amount-hint"
    # Too much again: the live total warns (the server checks again on save).
    amount.press_sequentially("0")
    warning = page.locator("#funding-total .govuk-warning-text")
    expect(warning).to_contain_text(
        cy(
            "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
            over="£35,000.00",
            allocation="£5,000.00",
        )
    )
    amount.press("Backspace")
    page.get_by_role("button", name=cy("Save and continue"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(cy("Your funding plan has been saved."))


@pytest.mark.e2e
def test_both_conflict_choices_work_without_javascript(
    new_context: ContextFactory,
    school_lead: User,
    colleague: User,
    cy: Translator,
    plan_year: str,
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, school_lead.email, cy)
    hallmark = plan_path("cy", plan_year, "hallmark-2")
    evidence = cy("How do you know?")

    def stale_save(mine: str, theirs: str) -> None:
        page.goto(hallmark)
        save_answer(
            colleague,
            "hallmark-2",
            {"rating": "embedded", "evidence": theirs, "next_steps": "Eu camau"},
        )
        page.get_by_role("group", name=cy("How well does your school do this?")).get_by_role(
            "radio"
        ).first.check()
        field(page, cy, "How do you know?").fill(mine)
        field(page, cy, "What will you do next?").fill("Fy nghamau i")
        page.get_by_role("button", name=cy("Save and continue"), exact=True).click()
        expect(error_summary(page).get_by_role("heading", level=2)).to_have_text(
            cy("Someone else has changed this page")
        )

    # Keep theirs: my answers are dropped and theirs are in the form.
    stale_save("Fy nhystiolaeth gyntaf", "Eu tystiolaeth nhw")
    error_summary(page).get_by_role(
        "button", name=cy("Discard my answers and keep theirs"), exact=True
    ).click()
    expect(page).to_have_url(hallmark)
    expect(page.get_by_label(evidence, exact=True)).to_have_value("Eu tystiolaeth nhw")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # Save mine over theirs: the button in the box sends the form below it.
    stale_save("Fy nhystiolaeth i", "Eu hail dystiolaeth")
    error_summary(page).get_by_role(
        "button", name=cy("Save my answers over theirs"), exact=True
    ).click()
    expect(heading(page)).not_to_have_text(cy("Someone else has changed this page"))
    page.goto(hallmark)
    expect(page.get_by_label(evidence, exact=True)).to_have_value("Fy nhystiolaeth i")


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_reopening_and_account_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    from tests.e2e.test_submission_browser import save_whole_plan

    t = cy if lang == "cy" else en
    save_whole_plan(school_lead)
    sign_in(page, school_lead.email, t)
    page.goto(plan_path(lang, plan_year, "submit"))
    page.get_by_role("button", name=t("Submit your plan"), exact=True).click()
    expect(heading(page)).to_have_text(t("Plan submitted"))

    audit = AccessibilityAudit(page, t)
    audit.visit(
        plan_path(lang, plan_year, "reopen"), t("Are you sure you want to reopen the plan?")
    )
    # "No": back to the task list, still submitted.
    page.get_by_role("link", name=t("No, keep the plan as submitted"), exact=True).click()
    expect(page).to_have_url(plan_path(lang, plan_year))
    audit.visit(f"/{lang}/account/", t("Your account"))
    audit.visit(f"/{lang}/account/password", t("Change your password"))
    page.get_by_role("button", name=t("Change password"), exact=True).click()
    expect(error_summary(page)).to_be_visible()
    audit.audit(t("Change your password"))
    audit.visit(f"/{lang}/account/language", t("Which language do you want to use the service in?"))
    audit.assert_clean()
