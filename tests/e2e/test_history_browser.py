"""Real-browser test of the plan's history page: the lead opens it from the task list in
English and Welsh, axe-core on both, and no sideways scrolling at 320 CSS pixels."""

from __future__ import annotations

from playwright.sync_api import Page

from wizard.data.models import User

from .support import (
    AccessibilityAudit,
    ContextFactory,
    Translator,
    plan_path,
    sign_in,
    wait_until_ready,
)
from .test_submission_browser import save_whole_plan


def test_the_lead_reads_the_history_in_both_languages(
    page: Page,
    new_context: ContextFactory,
    school_lead: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    save_whole_plan(school_lead)
    sign_in(page, school_lead.email, en)
    for t in (en, cy):
        audit = AccessibilityAudit(page, t)
        page.goto(plan_path(t.locale, plan_year))
        wait_until_ready(page)
        page.get_by_role("link", name=t("History: who changed what, and when"), exact=True).click()
        wait_until_ready(page)
        year = plan_year.replace("-", "/")
        audit.audit(t("History of the plan for %(year)s", year=year))
        rows = page.get_by_role("row")
        assert rows.count() > 5
        assert page.get_by_role("cell", name=t("About your school"), exact=True).count() >= 1
        audit.assert_clean()

    narrow = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(narrow, school_lead.email, en)
    narrow.goto(plan_path("en", plan_year, "history"))
    wait_until_ready(narrow)
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"The history is {width}px wide at a 320px viewport"
