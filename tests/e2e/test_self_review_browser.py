from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page

from tests.conftest import Directory
from wizard import framework
from wizard.academic_year import academic_year_of
from wizard.extensions import db
from wizard.models import User
from wizard.plans import get_or_create_plan, save_step

from .support import ContextFactory, Translator, sign_in

YEAR = academic_year_of(date.today())


@pytest.mark.e2e
def test_explore(
    page: Page,
    school_lead: User,
    cy: Translator,
    plan_year: str,
    new_context: ContextFactory,
    directory: Directory,
) -> None:
    plan = get_or_create_plan(school_lead.school_id, YEAR)
    for key in ("school", "regional", "national"):
        els = [e.key for e in framework.elements_of(key)]
        assert save_step(
            plan,
            f"context-{key}",
            {"reflection": f"R {key}", "priorities": els[:1]},
            0,
            school_lead,
        ).saved
    for n in range(1, 9):
        assert save_step(
            plan,
            f"hallmark-{n}",
            {"rating": "developing", "evidence": f"E{n}", "next_steps": f"N{n}"},
            0,
            school_lead,
        ).saved
    db.session.commit()
    sign_in(page, school_lead.email, cy)
    for path in (
        "context-school",
        "hallmark-3",
        "contexts/check",
        "hallmarks/check",
        "check-your-answers",
    ):
        page.goto(f"/cy/plan/{plan_year}/{path}")
        open(f"/tmp/explore/{path.replace('/', '_')}.yaml", "w").write(
            page.get_by_role("main").aria_snapshot()
        )
    page.goto(f"/cy/plan/{plan_year}/context-school")
    page.get_by_role("textbox").first.press_sequentially("Helo")
    page.wait_for_timeout(300)
    open("/tmp/explore/count.html", "w").write(page.content())
    # conflict
    colleague = directory.user(
        email="colleague@school.example", school=school_lead.school, name="Rhys Evans"
    )
    other = new_context().new_page()
    sign_in(other, colleague.email, cy)
    page.goto(f"/cy/plan/{plan_year}/hallmark-2")
    other.goto(f"/cy/plan/{plan_year}/hallmark-2")
    other.get_by_role("button", name="Cadw a pharhau").click()
    other.wait_for_url("**/hallmark-3")
    page.get_by_role("button", name="Cadw a pharhau").click()
    page.wait_for_timeout(1000)
    open("/tmp/explore/conflict.yaml", "w").write(page.get_by_role("main").aria_snapshot())
    print(page.url)
