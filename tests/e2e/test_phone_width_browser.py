"""Phones: no page of the school's journey, the summary, the comparison, the shared view or the
coordinator's pages scrolls sideways at 320 px (WCAG 2.2, 1.4.10 Reflow), in Welsh (the longer
words) and in English. Wide tables scroll inside their own focusable region instead."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import Directory
from tests.conftest import sign_in as sign_in_client
from tests.plans import complete_plan
from wizard.domain.academic_year import parse_year_slug, year_slug

from .support import ContextFactory, Translator, sign_in

PHONE = {"width": 320, "height": 640}
SHARE_LINK = re.compile(r"http://localhost/(?:en|cy)/shared/([A-Za-z0-9_-]+)")

# What is wider than the page, for the failure message: the innermost elements that stick out
# of the viewport, outside any region that scrolls on its own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right <= width + 0.5 || element.closest(".app-scroll")) continue;
    if ([...element.children].some((child) => child.getBoundingClientRect().right > width + 0.5)) continue;
    found.push(`${element.tagName.toLowerCase()}.${element.className} (right edge ${Math.round(box.right)}px)`);
  }
  return found.slice(0, 5);
}"""


@dataclass
class Plans:
    year: str
    next_year: str
    cluster_id: int
    school_id: int
    token: str


@pytest.fixture
def plans(app: Flask, directory: Directory, plan_year: str) -> Plans:
    """This year's plan submitted, shared, and copied into next year's; a coordinator."""
    cluster = directory.cluster("Taff cluster")
    school = directory.school(cluster=cluster)
    directory.user(email="lead@school.example", school=school, lead=True, locale="cy")
    directory.user(email="coord@cardiff.example", name="Gareth Evans", coordinator_of=[cluster])
    client = app.test_client()
    sign_in_client(client, "lead@school.example")
    complete_plan(client, plan_year, distinct_evidence=True)
    assert client.post(f"/en/plan/{plan_year}/submit").status_code == 302
    shared = client.post(f"/en/plan/{plan_year}/share", data={"shows": "submitted"})
    found = SHARE_LINK.search(shared.get_data(as_text=True))
    assert found is not None
    year = parse_year_slug(plan_year)
    assert year is not None
    next_year = year_slug(year + 1)
    assert client.post(f"/en/plan/{next_year}/start", data={"start": "copy"}).status_code == 302
    return Plans(plan_year, next_year, cluster.id, school.id, found.group(1))


def school_pages(plans: Plans) -> list[str]:
    """Every kind of page a school member meets, this year's (submitted) and next year's
    (a draft copied from it)."""
    this, after = f"/plan/{plans.year}", f"/plan/{plans.next_year}"
    return [
        "/plan/",
        f"{this}/",
        f"{this}/summary",
        f"{this}/versions",
        f"{this}/versions/1",
        f"{this}/versions/1/submitted",
        f"{this}/share",
        f"{after}/",
        f"{after}/about-your-school",
        f"{after}/context-school",
        f"{after}/context-regional",
        f"{after}/contexts/check",
        f"{after}/hallmark-1",
        f"{after}/hallmark-6",
        f"{after}/hallmarks/check",
        f"{after}/diamond-9",
        f"{after}/diamond-9/arrange",
        f"{after}/diamond-9/cards/new",
        f"{after}/funding-plan",
        f"{after}/funding-plan/lines/new",
        f"{after}/funding-plan/check",
        f"{after}/check-your-answers",
        f"{after}/submit",
        f"{after}/summary",
        f"{after}/compare?with={plans.year}",
        "/account/",
    ]


def too_wide(page: Page, path: str) -> list[str]:
    """Open the page; say how it is wider than the phone, if it is."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    width: int = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return []
    return [f"{path} is {width}px wide: {page.evaluate(OVERFLOWING)}"]


def assert_fit(page: Page, paths: list[str]) -> None:
    problems = [problem for path in paths for problem in too_wide(page, path)]
    assert not problems, "\n".join(problems)


def phone(new_context: ContextFactory) -> tuple[BrowserContext, Page]:
    context = new_context(viewport=PHONE)
    return context, context.new_page()


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_no_school_page_scrolls_sideways_at_320_px(
    new_context: ContextFactory, plans: Plans, cy: Translator, en: Translator, lang: str
) -> None:
    _, page = phone(new_context)
    sign_in(page, "lead@school.example", cy if lang == "cy" else en)
    assert_fit(page, [f"/{lang}{path}" for path in school_pages(plans)])


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_shared_view_and_the_coordinators_pages_fit_at_320_px(
    new_context: ContextFactory, plans: Plans, cy: Translator, en: Translator, lang: str
) -> None:
    _, page = phone(new_context)
    assert_fit(page, [f"/{lang}/shared/{plans.token}"])
    sign_in(page, "coord@cardiff.example", cy if lang == "cy" else en)
    cluster = f"/{lang}/clusters/{plans.cluster_id}"
    assert_fit(
        page,
        [
            f"/{lang}/clusters/",
            f"{cluster}?year={plans.year}",
            f"{cluster}/schools/{plans.school_id}/{plans.year}",
            f"{cluster}/schools/{plans.school_id}/{plans.year}?version=1",
        ],
    )


def test_the_summarys_board_image_shrinks_and_its_tables_scroll_in_their_own_region(
    new_context: ContextFactory, plans: Plans, cy: Translator
) -> None:
    _, page = phone(new_context)
    sign_in(page, "lead@school.example", cy)
    assert_fit(page, [f"/cy/plan/{plans.year}/summary"])
    board = page.locator(".app-summary__diamond svg")
    box = board.bounding_box()
    assert box is not None and 0 < box["width"] <= PHONE["width"]
    # The funding table keeps its columns and scrolls within its labelled region, by keyboard.
    region = page.get_by_role("region", name=cy("Lines of spending"))
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    expect(region).to_be_focused()
    amount = region.get_by_role("columnheader", name=cy("Amount"))
    expect(amount).to_be_attached()
