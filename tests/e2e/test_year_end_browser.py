"""Real-browser test of the year-end review (issue 25, point 3), in Welsh: a lead completes and
submits last year's review by keyboard alone, and the review's pages are clean under axe-core
in Welsh and in English.

The browser finds things by role, label and text in the page's language; Welsh comes from the
`cy` translator, so that a missing translation fails.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.plans import NINE, write_plan_for
from wizard.data.database import db
from wizard.data.models import Plan, User
from wizard.data.versions import submit
from wizard.domain import framework
from wizard.domain.academic_year import year_label, year_slug
from wizard.seed.demo_year_end import write_demo_review

from .support import (
    ACADEMIC_YEAR,
    AccessibilityAudit,
    Translator,
    assert_accessible,
    heading,
    msgid,
    plan_path,
    sign_in,
    wait_until_ready,
)

LAST = ACADEMIC_YEAR - 1
YEAR = year_slug(LAST)
TITLES = {f"card:{card.key}": card.title for card in framework.CARDS}


def submitted_plan(user: User) -> Plan:
    """Last year's plan of the user's school, complete and submitted as version 1 (the plan
    factory's: a line of £600 for pedagogy; every hallmark "developing")."""
    plan = write_plan_for(user, LAST)
    assert user.school is not None
    submit(plan, user.school, user)
    return plan


def press(page: Page, locator: object, key: str = "Enter") -> None:
    locator.focus()  # type: ignore[attr-defined]
    page.keyboard.press(key)


def test_a_lead_completes_and_submits_the_year_end_review_by_keyboard_in_welsh(
    page: Page, school_lead: User, cy: Translator
) -> None:
    submitted_plan(school_lead)
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", YEAR))
    wait_until_ready(page)
    task = page.locator("#year-end-task")
    press(page, task.get_by_role("link", name=cy("Year-end review")))
    expect(heading(page)).to_have_text(
        cy("Year-end review of your %(year)s plan", year=year_label(LAST))
    )
    press(page, page.get_by_role("link", name=cy("Funding: what you spent")))
    expect(heading(page)).to_have_text(cy("Funding: what you spent"))
    wait_until_ready(page)
    # Saved with nothing: the errors, in Welsh.
    press(page, page.get_by_role("button", name=cy("Save and continue")))
    expect(page.get_by_role("alert")).to_contain_text(
        cy("Enter the amount spent on %(what)s", what="Cover so that triads can plan together")
    )
    # £700 against £600 planned: more than a tenth, so it needs a reason. (The error summary
    # takes focus when the page starts: wait for that before moving to the field.)
    wait_until_ready(page)
    amount = page.get_by_label(cy("Amount spent"))
    amount.focus()
    expect(amount).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("700")
    press(page, page.get_by_role("radio", name=cy("Yes, it happened")), " ")
    press(page, page.get_by_role("button", name=cy("Save and continue")))
    expect(page.get_by_role("alert")).to_contain_text(
        cy("Explain why what you spent is different from what you planned")
    )
    wait_until_ready(page)
    why = page.get_by_label(cy("Why is what you spent different from what you planned?"))
    why.focus()
    expect(why).to_be_focused()
    page.keyboard.type("Roedd angen mwy o gyflenwi yn nhymor yr haf.")
    press(page, page.get_by_role("button", name=cy("Save and continue")))
    # The impact on each of the nine priorities.
    for number, card in enumerate(NINE, start=1):
        expect(heading(page)).to_have_text(cy(msgid(TITLES[card])))
        wait_until_ready(page)
        press(page, page.get_by_role("checkbox", name=cy("Staff's reactions")), " ")
        if number == 1:
            press(page, page.get_by_role("checkbox", name=cy("Staff's practice")), " ")
            page.get_by_label(cy("What is the evidence?")).focus()
            page.keyboard.type("Teithiau dysgu ym mis Mai.")
        verdict = cy("Not met") if number == 2 else cy("Met")
        press(page, page.get_by_role("radio", name=verdict, exact=True), " ")
        press(page, page.get_by_role("button", name=cy("Save and continue")))
    # The eight hallmarks rated again, beside the start of the year's ratings.
    expect(heading(page)).to_have_text(cy("The eight hallmarks: where are we now?"))
    wait_until_ready(page)
    for hallmark in framework.HALLMARKS:
        legend = cy(
            "Hallmark %(number)d: %(title)s",
            number=hallmark.number,
            title=cy(msgid(hallmark.title)),
        )
        group = page.get_by_role("group", name=legend)
        expect(group).to_contain_text(
            cy("At the start of the year: %(rating)s", rating=cy("Developing"))
        )
        press(page, group.get_by_role("radio", name=cy("Established"), exact=True), " ")
    press(page, page.get_by_role("button", name=cy("Save and continue")))
    # What carries over: the priority not met is proposed.
    expect(heading(page)).to_have_text(cy("What carries into next year"))
    wait_until_ready(page)
    curriculum = cy(msgid(TITLES[NINE[1]]))
    expect(page.get_by_role("checkbox", name=curriculum)).to_be_checked()
    press(page, page.get_by_role("button", name=cy("Save and continue")))
    # Check, then submit.
    expect(heading(page)).to_have_text(cy("Check your year-end review before you submit it"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("£700.00")
    expect(main).to_contain_text(cy("%(amount)s more than planned", amount="£100.00"))
    wait_until_ready(page)
    press(page, page.get_by_role("button", name=cy("Submit the year-end review")))
    expect(heading(page)).to_have_text(
        cy("Year-end review of the %(year)s plan", year=year_label(LAST))
    )
    expect(page.get_by_role("main")).to_contain_text(cy("You have submitted your year-end review."))
    expect(
        page.get_by_role("link", name=cy("Download the year-end review as a PDF in Welsh"))
    ).to_be_visible()
    # The task list says so.
    page.goto(plan_path("cy", YEAR))
    expect(page.locator("#year-end-task")).to_contain_text(cy("Submitted"))


def test_year_end_pages_are_accessible_in_both_languages(
    page: Page, school_lead: User, cy: Translator, en: Translator
) -> None:
    submitted_plan(school_lead)
    for t in (cy, en):
        sign_in(page, school_lead.email, t)
        audit = AccessibilityAudit(page, t, f"/{t.locale}/plan/{YEAR}/year-end")
        audit.visit("", t("Year-end review of your %(year)s plan", year=year_label(LAST)))
        audit.visit("/funding", t("Funding: what you spent"))
        page.get_by_role("button", name=t("Save and continue")).click()
        expect(page.get_by_role("alert")).to_be_visible()
        audit.audit(t("Funding: what you spent"))
        audit.visit("/funding/add", t("Add spending that was not in your plan"))
        audit.visit("/impact/1", t(msgid(TITLES[NINE[0]])))
        audit.visit("/hallmarks", t("The eight hallmarks: where are we now?"))
        audit.visit("/carry-over", t("What carries into next year"))
        audit.visit("/check", t("Check your year-end review before you submit it"))
        audit.assert_clean()
        page.context.clear_cookies()


def test_a_submitted_review_and_the_coordinators_figures_are_accessible_in_both_languages(
    page: Page, school_lead: User, coordinator: User, cy: Translator, en: Translator
) -> None:
    assert school_lead.school is not None
    # The lead's school is in the coordinator's cluster.
    cluster = coordinator.coordinated_clusters[0].id
    school_lead.school.cluster_id = cluster
    db.session.commit()
    plan = submitted_plan(school_lead)
    # The demo's review (seed-demo writes the same), submitted as the lead.
    write_demo_review(plan, school_lead.school, school_lead, "cy")
    for t in (cy, en):
        sign_in(page, school_lead.email, t)
        audit = AccessibilityAudit(page, t, f"/{t.locale}/plan/{YEAR}/year-end")
        audit.visit("", t("Year-end review of your %(year)s plan", year=year_label(LAST)))
        audit.visit("/versions/1", t("Year-end review of the %(year)s plan", year=year_label(LAST)))
        audit.assert_clean()
        page.context.clear_cookies()
        sign_in(page, coordinator.email, t)
        page.goto(f"/{t.locale}/clusters/{cluster}?year={YEAR}")
        wait_until_ready(page)
        # The figures' heading (the deadlines' list has a smaller one of the same name).
        expect(page.get_by_role("heading", name=t("Year-end reviews"), level=2)).to_be_visible()
        assert_accessible(page, ())
        page.context.clear_cookies()
