"""Real-browser tests of the whole plan: every task in Welsh from signing in to a submitted plan
(the funding plan's live total on the way), the PDF, reopening, and axe-core on the funding,
submission, summary, versions and comparison pages in Welsh and in English.

As in test_browser.py, the browser finds things by role, label and text in the page's language,
and Welsh comes from the `cy` translator, so that a missing translation fails.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from flask_babel import force_locale
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from wizard.data.models import User
from wizard.domain import framework
from wizard.domain.academic_year import year_label, year_slug
from wizard.render.locale import format_money

from .support import (
    ABOUT_TASK,
    ACADEMIC_YEAR,
    CONTEXTS_TASK,
    DIAMOND_TASK,
    HALLMARKS_TASK,
    LANGUAGES,
    AccessibilityAudit,
    Translator,
    answer_completed,
    error_summary,
    expect_errors,
    expect_main,
    field,
    heading,
    htmx_requests,
    msgid,
    plan_path,
    save_answer,
    save_button,
    sign_in,
    task_item,
    task_link,
    wait_until_ready,
    yaml_string,
)

FUNDING_TASK = "Funding plan"
ALLOCATION_PENCE = 500_000  # £5,000.00
SCHOOL_NAME_CY = "Ysgol Gynradd Oakfield"  # the `school_lead` fixture's school


def money(t: Translator, pence: int) -> str:
    """An amount as the app shows it in the translator's language ("£1,500.00")."""
    with t.app.test_request_context(f"/{t.locale}/"):
        with force_locale(t.locale):
            return format_money(pence)


# Saving answers as if the school had given them -----------------------------------------------


def save_about_your_school(user: User, year: int = ACADEMIC_YEAR) -> None:
    data = {
        "phase": "primary",
        "teaching_staff": 24,
        "support_staff": 12,
        "pl_lead": "Siân Williams",
        "funding_allocation_pence": ALLOCATION_PENCE,
    }
    save_answer(user, "about-your-school", data, year)


def funding_line(amount_pence: int, priority: str = "card:pedagogy") -> dict[str, Any]:
    return {
        "id": f"line{amount_pence}",
        "purpose": framework.FUNDING_PURPOSES[0].key,
        "purpose_other": "",
        "priority": priority,
        "beneficiaries": ["teachers"],
        "term": "autumn",
        "description": "Rhyddhau staff i gynllunio gyda'i gilydd",
        "amount_pence": amount_pence,
    }


def save_whole_plan(
    user: User, year: int = ACADEMIC_YEAR, *, rating: str = "developing", shift: int = 0
) -> None:
    """Every task complete: the self-review (each hallmark rated `rating`), a full board (the
    designed cards from `shift` on), and one funding line."""
    save_about_your_school(user, year)
    for context in framework.CONTEXTS:
        element = framework.elements_of(context.key)[0].key
        data = {"reflection": f"Myfyrdod ar {context.key}", "priorities": [element]}
        save_answer(user, f"context-{context.key}", data, year)
    for hallmark in framework.HALLMARKS:
        data = {"rating": rating, "evidence": "Arsylwi gwersi", "next_steps": "Hyfforddiant"}
        save_answer(user, f"hallmark-{hallmark.number}", data, year)
    cards = [f"card:{card.key}" for card in framework.CARDS]
    slots = {str(slot): cards[(slot - 1 + shift) % len(cards)] for slot in range(1, 10)}
    save_answer(user, "diamond-9", {"slots": slots}, year)
    save_answer(user, "funding-plan", {"lines": [funding_line(150_000, slots["1"])]}, year)
    for task in ("contexts", "hallmarks", "funding-plan"):
        save_answer(user, f"{task}:completed", {"completed": True}, year)


# Where things are ----------------------------------------------------------------------------


def expect_plan_details(page: Page, t: Translator, status: str, version: int) -> None:
    """The task list's summary of the plan: its status and version."""
    expect_main(
        page,
        [
            f"- term: {yaml_string(t('Status'))}",
            f"- definition: {yaml_string(t(status))}",
            f"- term: {yaml_string(t('Version'))}",
            f"- definition: {yaml_string(str(version))}",
        ],
    )


# 6. The whole journey in Welsh, from signing in to a submitted plan, and reopening it ----------


def about_your_school(page: Page, t: Translator, year: str) -> None:
    task_link(page, t, ABOUT_TASK).click()
    expect(heading(page)).to_have_text(t(ABOUT_TASK))
    field(page, t, "Primary").check()
    field(page, t, "Number of teaching staff").fill("24")
    field(page, t, "Number of support staff").fill("12")
    field(page, t, "Professional learning lead").fill("Siân Williams")
    field(page, t, "Professional learning funding allocation for the year").fill("5000")
    save_button(page, t).click()
    expect(heading(page)).to_have_text(t("Check your answers: %(task)s", task=t(ABOUT_TASK)))
    expect(page.get_by_role("main")).to_contain_text(money(t, ALLOCATION_PENCE))
    page.get_by_role("button", name=t("Return to your plan"), exact=True).click()
    expect(page).to_have_url(plan_path(t.locale, year))
    expect(task_item(page, t, ABOUT_TASK)).to_contain_text(t("Completed"))


def contexts(page: Page, t: Translator, year: str) -> None:
    task_link(page, t, CONTEXTS_TASK).click()
    for context in framework.CONTEXTS:
        expect(page).to_have_url(plan_path(t.locale, year, f"context-{context.key}"))
        expect(heading(page)).to_have_text(t(msgid(context.title)))
        field(
            page, t, "What does this context mean for your professional learning priorities?"
        ).fill(f"Ein blaenoriaethau ar gyfer {context.key}")
        priorities = page.get_by_role(
            "group", name=t("Which of these elements do you want to prioritise?")
        )
        element = framework.elements_of(context.key)[0]
        priorities.get_by_role("checkbox", name=t(msgid(element.title)), exact=True).check()
        save_button(page, t).click()
    expect(page).to_have_url(plan_path(t.locale, year, "contexts/check"))
    answer_completed(page, t, year, CONTEXTS_TASK)


def hallmarks(page: Page, t: Translator, year: str) -> None:
    task_link(page, t, HALLMARKS_TASK).click()
    for hallmark in framework.HALLMARKS:
        expect(page).to_have_url(plan_path(t.locale, year, f"hallmark-{hallmark.number}"))
        expect(heading(page)).to_have_text(t(msgid(hallmark.title)))
        rating = framework.RATINGS[hallmark.number % len(framework.RATINGS)]
        ratings = page.get_by_role("group", name=t("How well does your school do this?"))
        ratings.get_by_role("radio", name=t(msgid(rating.title)), exact=True).check()
        field(page, t, "How do you know?").fill(f"Arolwg staff, dilysnod {hallmark.number}")
        field(page, t, "What will you do next?").fill(f"Camau nesaf, dilysnod {hallmark.number}")
        save_button(page, t).click()
    expect(page).to_have_url(plan_path(t.locale, year, "hallmarks/check"))
    answer_completed(page, t, year, HALLMARKS_TASK)


def diamond_9(page: Page, t: Translator, year: str) -> list[str]:
    """Fill the board with the bank's first card, nine times; return the titles in order."""
    task_link(page, t, DIAMOND_TASK).click()
    expect(heading(page)).to_have_text(t(DIAMOND_TASK))
    bank = page.get_by_role("region", name=t("Card bank"), exact=True)
    titles = []
    for _ in range(9):
        first = bank.get_by_role("listitem").first
        card_title = first.get_by_role("heading", level=3).inner_text()
        first.get_by_role("button", name=re.compile("^" + re.escape(t("Add to the board")))).click()
        board = page.get_by_role("list", name=t("Diamond 9 board"), exact=True)
        expect(board.get_by_role("heading", level=4, name=card_title, exact=True)).to_be_visible()
        titles.append(card_title)
    status = page.get_by_role("paragraph").filter(has_text=t("Status:"))
    expect(status).to_have_text(f"{t('Status:')} {t('Completed')}")
    page.get_by_role("button", name=t("Return to your plan"), exact=True).click()
    expect(page).to_have_url(plan_path(t.locale, year))
    expect(task_item(page, t, DIAMOND_TASK)).to_contain_text(t("Completed"))
    return titles


def expect_total(page: Page, t: Translator, planned: int, over: bool = False) -> None:
    """The running total below the amount, as it is now."""
    expect(
        page.get_by_text(t("Planned, with this line: %(amount)s", amount=money(t, planned)))
    ).to_be_visible()
    left = t(
        "Left to plan: %(amount)s of %(allocation)s",
        amount=money(t, ALLOCATION_PENCE - planned),
        allocation=money(t, ALLOCATION_PENCE),
    )
    too_much = t(
        "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
        over=money(t, planned - ALLOCATION_PENCE),
        allocation=money(t, ALLOCATION_PENCE),
    )
    if over:
        # A warning (GOV.UK warning text, with its hidden "Warning" first).
        warning = page.locator("#funding-total .govuk-warning-text")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text(too_much)
    else:
        expect(page.get_by_text(left, exact=True)).to_be_visible()


def funding_plan(page: Page, t: Translator, year: str, priority: str) -> None:
    task_link(page, t, FUNDING_TASK).click()
    expect(heading(page)).to_have_text(t(FUNDING_TASK))
    expect(page.get_by_text(t("No lines of spending yet."))).to_be_visible()
    page.get_by_role("button", name=t("Add a line of spending"), exact=True).click()
    expect(heading(page)).to_have_text(t.page_title("Add a line of spending"))

    purpose = page.get_by_role("group", name=t("What is the money for?"))
    purpose.get_by_role("radio", name=t(msgid(framework.FUNDING_PURPOSES[0].title))).check()
    field(page, t, "Which Diamond 9 priority does it serve?").select_option(label=priority)
    page.get_by_role("group", name=t("Who benefits?")).get_by_role(
        "checkbox", name=t("Teachers"), exact=True
    ).check()
    page.get_by_role("group", name=t("When will the money be spent?")).get_by_role(
        "radio", name=t("Autumn term"), exact=True
    ).check()
    field(page, t, "What will you do?").fill("Rhyddhau athrawon i gynllunio gyda'i gilydd")

    # The total follows the amount as it is typed, and says so when it is too much.
    expect_total(page, t, 0)
    amount = field(page, t, "Amount")
    totals = htmx_requests(page)
    amount.press_sequentially("1500")
    expect_total(page, t, 150_000)
    amount.press_sequentially("0")  # £15,000: more than the allocation
    expect_total(page, t, 1_500_000, over=True)
    amount.press("Backspace")
    expect_total(page, t, 150_000)
    assert totals and all(r.method == "GET" for r in totals), [r.url for r in totals]

    save_button(page, t).click()
    expect(heading(page)).to_have_text(t(FUNDING_TASK))
    expect(page.get_by_role("alert")).to_contain_text(t("Your funding plan has been saved."))
    expect(
        page.get_by_role(
            "heading", name=f"{t('Line %(number)d', number=1)}: {money(t, 150_000)}", exact=True
        )
    ).to_be_visible()
    page.get_by_role("button", name=t("Continue"), exact=True).click()
    expect(heading(page)).to_have_text(t("Check your answers: %(task)s", task=t(FUNDING_TASK)))
    answer_completed(page, t, year, FUNDING_TASK)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, with its whitespace collapsed (lines may break anywhere)."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.e2e
def test_welsh_plan_from_sign_in_to_submitted_and_reopened(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    expect(page).to_have_url(plan_path("cy", plan_year))
    expect(
        page.get_by_text(cy("You can submit your plan when you have completed every task."))
    ).to_be_visible()

    about_your_school(page, cy, plan_year)
    contexts(page, cy, plan_year)
    hallmarks(page, cy, plan_year)
    titles = diamond_9(page, cy, plan_year)
    funding_plan(page, cy, plan_year, titles[0])

    # Every task is complete: check and submit.
    page.get_by_role("link", name=cy("Check and submit your plan"), exact=True).click()
    expect(heading(page)).to_have_text(cy.page_title("Check and submit your plan"))
    page.get_by_role("button", name=cy("Submit your plan"), exact=True).click()

    # The confirmation: a panel saying which version was submitted.
    expect(page).to_have_url(
        re.compile(re.escape(plan_path("cy", plan_year, "versions/1/submitted")) + "$")
    )
    expect(heading(page)).to_have_text(cy("Plan submitted"))
    expect(page.get_by_role("main")).to_contain_text(
        cy(
            "Version %(number)d of your %(year)s plan",
            number=1,
            year=year_label(ACADEMIC_YEAR),
        )
    )
    wait_until_ready(page)

    # The PDF, in Welsh.
    # WeasyPrint takes seconds on a busy machine: the download may take longer than a click.
    with page.expect_download(timeout=60_000) as downloading:
        page.get_by_role("link", name=cy("Download the plan as a PDF"), exact=True).click(
            no_wait_after=True
        )
    download = downloading.value
    assert download.suggested_filename == (
        f"cynllun-dysgu-proffesiynol-{plan_year}-fersiwn-1-cy.pdf"
    )
    path = download.path()
    text = pdf_text(path.read_bytes())
    assert SCHOOL_NAME_CY in text, text[:500]
    assert cy(DIAMOND_TASK) in text, text[:500]
    assert titles[0] in text, text

    # Reopen it from the task list: version 2, a draft.
    page.get_by_role("link", name=cy("Return to your plan"), exact=True).click()
    expect(page).to_have_url(plan_path("cy", plan_year))
    expect_plan_details(page, cy, "Submitted", 1)
    page.get_by_role("button", name=cy("Reopen the plan to make changes"), exact=True).click()
    # It asks first: the submitted version stays as it is.
    expect(page).to_have_url(plan_path("cy", plan_year, "reopen"))
    expect(heading(page)).to_have_text(cy("Are you sure you want to reopen the plan?"))
    page.get_by_role("button", name=cy("Yes, reopen the plan"), exact=True).click()
    expect(page).to_have_url(plan_path("cy", plan_year))
    expect(page.get_by_role("alert")).to_contain_text(
        cy("You have reopened the plan. This is now version %(number)d, a draft.", number=2)
    )
    expect_plan_details(page, cy, "Draft", 2)
    # Nothing changed since each section was confirmed: every section stays complete.
    expect(task_item(page, cy, FUNDING_TASK)).to_contain_text(cy("Completed"))


# 7. axe-core on the funding, submission, summary, versions and comparison pages ------------------


LINE_ERRORS = [
    "Select what the money is for",
    "Select who benefits",
    "Select when the money will be spent",
    "Enter what you will do",
    "Enter the amount",
]


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_funding_and_submission_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator
) -> None:
    t = cy if lang == "cy" else en
    # No allowance for GOV.UK's conditional reveal: the "Other" radio carries no aria-expanded.
    audit = AccessibilityAudit(page, t, plan_path(lang, year_slug(ACADEMIC_YEAR)))
    save_about_your_school(school_lead)
    sign_in(page, school_lead.email, t)

    # The funding plan: no lines yet, the line form empty, with errors, then with a line.
    audit.visit("funding-plan", t(FUNDING_TASK))
    add_line = t.page_title("Add a line of spending")
    audit.visit("funding-plan/lines/new", add_line)
    save_button(page, t).click()
    expect_errors(page, t, LINE_ERRORS)
    audit.audit(add_line)
    # "Other" reveals its description, and another purpose hides it again.
    describe = field(page, t, "Describe what the money is for")
    expect(describe).to_be_hidden()
    page.get_by_role("radio", name=t("Other"), exact=True).check()
    expect(describe).to_be_visible()
    audit.audit(add_line)
    page.get_by_role("radio").first.check()
    expect(describe).to_be_hidden()
    save_answer(school_lead, "funding-plan", {"lines": [funding_line(150_000, "")]})
    audit.visit("funding-plan", t(FUNDING_TASK))
    expect(
        page.get_by_role("heading", name=re.compile(re.escape(money(t, 150_000))))
    ).to_be_visible()
    audit.visit("funding-plan/lines/line150000", t("Change a line of spending"))
    field(page, t, "Amount").fill("9000")
    save_button(page, t).click()
    over = t(
        "With this amount, your funding plan is %(over)s more than the allocation of %(allocation)s. Reduce this amount or another line.",
        over=money(t, 400_000),
        allocation=money(t, ALLOCATION_PENCE),
    )
    expect_errors(page, t, [over], translate=False)
    audit.audit(t("Change a line of spending"))

    # Check and submit: with tasks still to do, and refused when submitted anyway.
    submit_title = t.page_title("Check and submit your plan")
    audit.visit("submit", submit_title)
    expect(page.get_by_text(t("Before you can submit, complete these tasks:"))).to_be_visible()
    page.get_by_role("button", name=t("Submit your plan"), exact=True).click()
    expect(error_summary(page).get_by_role("heading", level=2)).to_have_text(
        t("You cannot submit your plan yet")
    )
    audit.audit(submit_title)

    # Every task complete: the submit page, the confirmation, the summary, the versions.
    save_whole_plan(school_lead)
    audit.visit("submit", submit_title)
    expect(page.get_by_text(t("Before you can submit, complete these tasks:"))).to_have_count(0)
    page.get_by_role("button", name=t("Submit your plan"), exact=True).click()
    audit.audit(t("Plan submitted"))
    audit.visit("summary", SCHOOL_NAME_CY if lang == "cy" else "Oakfield Primary School")
    audit.visit("versions", t("Versions of your plan"))
    page.get_by_role("link", name=t("Version %(number)d", number=1), exact=True).click()
    audit.audit(SCHOOL_NAME_CY if lang == "cy" else "Oakfield Primary School")

    # Last year's plan, to compare with: from the task list's link.
    save_whole_plan(school_lead, ACADEMIC_YEAR - 1, rating="established", shift=3)
    audit.visit(
        "", t("Your professional learning plan for %(year)s", year=year_label(ACADEMIC_YEAR))
    )
    page.get_by_role(
        "link", name=t("Compare with %(year)s", year=year_label(ACADEMIC_YEAR - 1)), exact=True
    ).click()
    audit.audit(
        t(
            "Compare %(this)s with %(other)s",
            this=year_label(ACADEMIC_YEAR),
            other=year_label(ACADEMIC_YEAR - 1),
        )
    )
    audit.assert_clean()


@pytest.mark.e2e
def test_the_about_step_styles_its_over_allocation_warning(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    """A step links app.css alone: the warning's "!" circle and its bold text come from there."""
    save_about_your_school(school_lead)
    save_answer(school_lead, "funding-plan", {"lines": [funding_line(600_000)]})
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", plan_year, "about-your-school"))
    warning = page.get_by_text(
        cy(
            "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
            over=money(cy, 100_000),
            allocation=money(cy, ALLOCATION_PENCE),
        )
    )
    expect(warning).to_be_visible()
    styles = warning.evaluate(
        """text => {
          const icon = getComputedStyle(text.closest('div').querySelector('[aria-hidden=true]'))
          return [getComputedStyle(text).fontWeight, icon.borderRadius, icon.borderStyle]
        }"""
    )
    assert styles == ["700", "50%", "solid"], styles


# Known app bugs -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_the_live_total_stays_the_same_live_region(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    save_about_your_school(school_lead)
    sign_in(page, school_lead.email, en)
    page.goto(plan_path("en", plan_year, "funding-plan/lines/new"))
    wait_until_ready(page)
    planned = page.get_by_text(
        en("Planned, with this line: %(amount)s", amount=money(en, 0)), exact=True
    )
    region = planned.evaluate_handle("total => total.closest('[aria-live]')")
    assert region.evaluate("region => region.getAttribute('aria-live')") == "polite"

    field(page, en, "Amount").press_sequentially("15")
    expect_total(page, en, 1_500)
    assert region.evaluate("region => region.isConnected"), (
        "The running total's live region was replaced, not updated"
    )
