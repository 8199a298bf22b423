"""Real-browser test of a coordinator's review: a coordinator opens a school's submitted plan in
Welsh, comments on a task and asks for changes; the school lead sees the comment beside the
task on the task list. axe-core checks the coordinator's page in Welsh and in English."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import Directory
from tests.conftest import sign_in as sign_in_client
from tests.plans import write_plan
from wizard.domain.academic_year import parse_year_slug
from wizard.domain.academic_year import year_label as label_of_year

from .support import (
    AccessibilityAudit,
    Translator,
    heading,
    plan_path,
    sign_in,
    sign_out,
    task_item,
)

HALLMARKS_TASK = "Self-review against the eight hallmarks"
SCHOOL_CY = "Ysgol Gynradd Oakfield"


def year_label(slug: str) -> str:
    year = parse_year_slug(slug)
    assert year is not None
    return label_of_year(year)


def test_a_coordinator_asks_for_changes_in_welsh_and_the_lead_sees_them(
    app: Flask, directory: Directory, page: Page, cy: Translator, en: Translator, plan_year: str
) -> None:
    cluster = directory.cluster("Taff cluster")
    school = directory.school(cluster=cluster)
    directory.user(email="lead@school.example", school=school, lead=True, locale="cy")
    directory.user(email="coord@cardiff.example", name="Gareth Evans", coordinator_of=[cluster])
    # The school's plan is filled and submitted through the routes (the app without CSRF).
    school_client = app.test_client()
    sign_in_client(school_client, "lead@school.example")
    write_plan(school_client, plan_year)
    assert school_client.post(f"/en/plan/{plan_year}/submit").status_code == 302

    path = f"/clusters/{cluster.id}/schools/{school.id}/{plan_year}"
    sign_in(page, "coord@cardiff.example", cy)
    audit = AccessibilityAudit(page, cy)
    audit.visit(f"/cy{path}", SCHOOL_CY)
    expect(page.get_by_text(cy("This is the first version the school submitted."))).to_be_visible()

    page.get_by_label(cy("What is your comment about?"), exact=True).select_option(
        label=cy(HALLMARKS_TASK)
    )
    page.get_by_label(cy("Comment"), exact=True).fill("Mwy am hyfforddi, os gwelwch yn dda")
    page.get_by_role("button", name=cy("Add comment"), exact=True).click()
    expect(page.get_by_text(cy("Your comment has been added."))).to_be_visible()
    expect(page.get_by_text("Mwy am hyfforddi, os gwelwch yn dda")).to_be_visible()

    page.get_by_label(cy("Changes requested"), exact=True).check()
    page.get_by_role("button", name=cy("Save verdict"), exact=True).click()
    expect(
        page.get_by_text(
            cy(
                "You have marked version %(number)d as: %(status)s",
                number=1,
                status=cy("Changes requested"),
            )
        )
    ).to_be_visible()
    audit.audit(SCHOOL_CY)
    english = AccessibilityAudit(page, en)
    english.visit(f"/en{path}", "Oakfield Primary School")
    sign_out(page, en)

    sign_in(page, "lead@school.example", cy)
    page.goto(plan_path("cy", plan_year))
    expect(heading(page)).to_be_visible()
    item = task_item(page, cy, HALLMARKS_TASK)
    expect(item).to_contain_text("Mwy am hyfforddi, os gwelwch yn dda")
    expect(page.locator("#feedback")).to_contain_text(cy("Changes requested"))
    # The task list with feedback, and the lead's reply page, in both languages.
    lead_cy = AccessibilityAudit(page, cy)
    lead_cy.audit(cy("Your professional learning plan for %(year)s", year=year_label(plan_year)))
    item.get_by_role("link", name=cy("Reply"), exact=False).click()
    lead_cy.audit(cy("Reply to a comment"))
    reply_path = urlparse(page.url).path
    page.get_by_label(cy("Your reply"), exact=True).fill("Diolch, byddwn yn ychwanegu hynny")
    page.get_by_role("button", name=cy("Send reply"), exact=True).click()
    expect(heading(page)).to_be_visible()
    expect(page.get_by_text("Diolch, byddwn yn ychwanegu hynny")).to_be_visible()
    lead_en = AccessibilityAudit(page, en)
    lead_en.visit(reply_path.replace("/cy/", "/en/", 1), en("Reply to a comment"))
    for done in (audit, english, lead_cy, lead_en):
        done.assert_clean()
