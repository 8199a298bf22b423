"""Phones: no page of the school's journey, the summary, the comparison, the shared view or the
coordinator's pages scrolls sideways at 320 px (WCAG 2.2, 1.4.10 Reflow), in Welsh (the longer
words) and in English. Wide tables scroll inside their own focusable region instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import Directory
from tests.conftest import sign_in as sign_in_client
from tests.plans import write_plan
from wizard.data.database import db
from wizard.data.models import JoinRequest
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
    directory.user(email="rhiannon.llewellyn-prydderch@hwbcymru.net", school=school)
    # Someone signed in with Hwb asks to join: the team page lists them with their address.
    db.session.add(
        JoinRequest(
            school_id=school.id,
            issuer="https://login.example/tenant/v2.0",
            subject="a-long-subject",
            name="Gwenllian Llewellyn-Prydderch",
            email="gwenllian.llewellyn-prydderch@hwbcymru.net",
        )
    )
    db.session.commit()
    client = app.test_client()
    sign_in_client(client, "lead@school.example")
    write_plan(client, plan_year, distinct_evidence=True)
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
        "/account/team",
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


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_every_amount_of_the_shared_plan_is_on_screen_at_375_px(
    new_context: ContextFactory, plans: Plans, cy: Translator, en: Translator, lang: str
) -> None:
    """A governor on a phone reads every amount of the shared plan without scrolling sideways:
    the tables are lists of label and value on narrow screens, and real tables on wide ones."""
    t = cy if lang == "cy" else en
    context = new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"/{lang}/shared/{plans.token}")
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(OVERFLOWING)
    # No table scrolls inside its own box either.
    boxes = page.evaluate(
        "[...document.querySelectorAll('.app-scroll')].filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert boxes == 0
    amounts = page.locator("main td.govuk-table__cell--numeric")
    assert amounts.count() >= 3
    for index in range(amounts.count()):
        amount = amounts.nth(index)
        amount.scroll_into_view_if_needed()
        box = amount.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        assert "£" in amount.inner_text()
    # Each amount says what it is (its column's heading, shown before it).
    label = page.evaluate(
        "getComputedStyle(document.querySelector('main td.govuk-table__cell--numeric'), '::before').content"
    )
    assert label == f'"{t("Amount")}"'
    # On a wide screen, the same table has its column headings.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("columnheader", name=t("Amount")).first).to_be_visible()


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


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_public_pages_and_a_link_shown_once_fit_at_320_px(
    new_context: ContextFactory, plans: Plans, cy: Translator, en: Translator, lang: str
) -> None:
    """The cookies table wraps its long Welsh words; a new share or staff voice link, shown in
    full so it can be copied, wraps rather than widening the page."""
    t = cy if lang == "cy" else en
    _, page = phone(new_context)
    assert_fit(
        page, [f"/{lang}/{name}" for name in ("privacy", "cookies", "accessibility", "sign-in")]
    )
    sign_in(page, "lead@school.example", t)
    page.goto(f"/{lang}/plan/{plans.year}/share")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=t("Make a share link"), exact=True).click()
    expect(page.locator("#new-share-link")).to_be_visible()
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(OVERFLOWING)
    closes = date.today() + timedelta(days=14)
    page.goto(f"/{lang}/plan/{plans.next_year}/staff-voice")
    for label, value in (
        (t("Day"), closes.day),
        (t("Month"), closes.month),
        (t("Year"), closes.year),
    ):
        page.get_by_label(label, exact=True).fill(str(value))
    page.get_by_role("button", name=t("Open the round"), exact=True).click()
    expect(page.locator("#new-staff-voice-link")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(OVERFLOWING)


def test_the_open_rounds_buttons_stand_apart(
    new_context: ContextFactory, plans: Plans, en: Translator
) -> None:
    """In the rounds table, "Make a new link" and "Close the round" are clear of each other and
    of the links beside them (they overlapped as inline forms)."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "lead@school.example", en)
    closes = date.today() + timedelta(days=14)
    page.goto(f"/en/plan/{plans.next_year}/staff-voice")
    for label, value in (("Day", closes.day), ("Month", closes.month), ("Year", closes.year)):
        page.get_by_label(label, exact=True).fill(str(value))
    page.get_by_role("button", name="Open the round", exact=True).click()
    expect(page.locator("#new-staff-voice-link")).to_be_visible()
    rounds = page.get_by_role("region", name="Rounds")
    controls = [
        rounds.get_by_role("link", name="See the results"),
        rounds.get_by_role("button", name="Make a new link"),
        rounds.get_by_role("button", name="Close the round"),
        rounds.get_by_role("link", name="Delete"),
    ]
    boxes = [control.bounding_box() for control in controls]
    assert all(box is not None for box in boxes)
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above is not None and below is not None
        # Clear of a button's 2px shadow and a link's underline: a gap of at least 5px.
        assert below["y"] - (above["y"] + above["height"]) >= 5, (above, below)
