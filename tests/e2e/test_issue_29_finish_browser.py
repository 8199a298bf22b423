"""Issue 29's last points in a real browser: the hint and the character count write 2,000 the
same way in both languages (Chromium has no Welsh number data, and the count wrote 2000); on
the share page in Welsh at 1280 px the new link and the Revoke link lie inside their boxes; an
own card's description is written in the page's language first and read under "About"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import Directory
from wizard.data.models import User

from .support import (
    LANGUAGES,
    ContextFactory,
    Translator,
    assert_accessible,
    plan_path,
    plural,
    sign_in,
)
from .test_phone_width_browser import Plans, plans, school_pages  # noqa: F401 (a fixture)
from .test_submission_browser import save_whole_plan


def inside(inner: Locator, outer: Locator) -> bool:
    """Whether `inner`'s box lies within `outer`'s (a pixel's rounding allowed)."""
    a, b = inner.bounding_box(), outer.bounding_box()
    assert a is not None and b is not None
    return (
        a["x"] >= b["x"] - 1
        and a["y"] >= b["y"] - 1
        and a["x"] + a["width"] <= b["x"] + b["width"] + 1
        and a["y"] + a["height"] <= b["y"] + b["height"] + 1
    )


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_hint_and_the_count_write_2000_alike(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    sign_in(page, school_lead.email, t)
    page.goto(plan_path(lang, plan_year, "context-school"))
    hint = t("You can enter up to %(count)s characters", count="2,000")
    count = plural(
        t,
        "You have %(count)s character remaining",
        "You have %(count)s characters remaining",
        2000,
        count="2,000",
    )
    # The hint is read by screen readers; the count is what everyone sees as they type.
    expect(page.get_by_text(hint, exact=True)).to_have_count(1)
    expect(page.locator(".govuk-character-count__status")).to_have_text(count)
    page.get_by_role("textbox").first.fill("x" * 10)
    expect(page.locator(".govuk-character-count__status")).to_have_text(
        plural(
            t,
            "You have %(count)s character remaining",
            "You have %(count)s characters remaining",
            1990,
            count="1,990",
        )
    )


@pytest.mark.e2e
def test_the_share_page_in_welsh_at_1280_keeps_the_link_and_revoke_in_their_boxes(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    save_whole_plan(school_lead)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", plan_year, "share"))
    for _ in range(2):
        page.get_by_role("radio", name=cy("The latest submitted version"), exact=True).check()
        page.get_by_role("button", name=cy("Make a share link"), exact=True).click()
        expect(page.get_by_text(cy("You have made a share link"))).to_be_visible()
    banner = page.locator(".govuk-notification-banner")
    assert inside(page.locator("#new-share-link"), banner)
    assert inside(page.get_by_role("button", name=cy("Copy the link"), exact=True), banner)
    table = page.get_by_role("table", name=cy("Your share links"))
    revokes = table.get_by_role("link", name=re.compile("^" + re.escape(cy("Revoke"))))
    expect(revokes).to_have_count(2)
    for index in range(2):
        revoke = revokes.nth(index)
        cell = revoke.locator("xpath=ancestor::td")
        assert inside(revoke, cell) and inside(cell, table)
    # Each heading of the table on no more than two lines (they were on three).
    for header in table.locator("th").all():
        box = header.bounding_box()
        assert box is not None and box["height"] < 3 * 24, header.text_content()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280
    assert_accessible(page)


@pytest.mark.e2e
def test_an_own_cards_description_in_welsh_first_and_read_under_about(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    page.goto(plan_path("cy", plan_year, "diamond-9/cards/new"))
    labels = page.locator("main form label")
    expect(labels).to_have_text(
        [
            cy("Title in Welsh"),
            cy("Title in English"),
            cy("Description in Welsh (optional)"),
            cy("Description in English (optional)"),
        ]
    )
    page.get_by_role("textbox", name=cy("Title in Welsh"), exact=True).fill("Dysgu awyr agored")
    description = page.get_by_role("textbox", name=cy("Description in Welsh (optional)"))
    description.fill("y" * 501)
    page.get_by_role("button", name=cy("Save card"), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        cy("The Welsh description must be 500 characters or fewer")
    )
    expect(description).to_have_value("y" * 501)  # nothing lost
    assert_accessible(page)
    description.fill("Gwersi yn y coed bob wythnos.")
    page.get_by_role("button", name=cy("Save card"), exact=True).click()
    card = page.locator("[data-card^='own:']")
    expect(card.get_by_role("heading", name="Dysgu awyr agored")).to_be_visible()
    card.locator("summary", has_text=cy("About")).click()
    expect(card.get_by_text("Gwersi yn y coed bob wythnos.")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_is_axe_clean_with_region_in_both_languages(
    new_context: ContextFactory,
    plans: Plans,  # noqa: F811 (the fixture imported above)
    cy: Translator,
    en: Translator,
    lang: str,
) -> None:
    """axe-core (every rule, `region` too) on each kind of page a school member, a reader of a
    shared plan and a coordinator meet: the school's journey this year and next, the summary,
    the comparison, the history, help, the years, progress, the cards' page and the revoke
    confirmation, in Welsh and in English."""
    t = cy if lang == "cy" else en
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    findings: list[str] = []

    def audit(path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        try:
            assert_accessible(page)
        except AssertionError as error:
            findings.append(f"{path}: {error}")

    audit(f"/{lang}/shared/{plans.token}")
    audit(f"/{lang}/help")
    sign_in(page, "lead@school.example", t)
    this, after = f"/plan/{plans.year}", f"/plan/{plans.next_year}"
    extra = [
        "/plan/years",
        f"{this}/history",
        f"{this}/progress",
        f"{after}/diamond-9/cards",
        f"{after}/staff-voice",
        f"{after}/success-criteria",
    ]
    for path in [*school_pages(plans), *extra]:
        audit(f"/{lang}{path}")
    page.goto(f"/{lang}{this}/share")
    page.get_by_role("table").get_by_role("link").first.click()
    page.wait_for_load_state()
    try:
        assert_accessible(page)
    except AssertionError as error:
        findings.append(f"revoke: {error}")
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "coord@cardiff.example", t)
    cluster = f"/{lang}/clusters/{plans.cluster_id}"
    for path in (
        f"/{lang}/clusters/",
        f"{cluster}?year={plans.year}",
        f"{cluster}/schools/{plans.school_id}/{plans.year}",
        f"{cluster}/schools/{plans.school_id}/{plans.year}/history",
    ):
        audit(path)
    assert not findings, "\n\n".join(findings)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_administrators_clusters_fit_a_phone_as_label_and_value(
    directory: Directory,
    new_context: ContextFactory,
    cy: Translator,
    en: Translator,
    lang: str,
) -> None:
    """Issue 29 point 1 on a page the walk-through found: at 375 px the national
    administrator's list of clusters (four columns) made the page 418 px wide."""
    t = cy if lang == "cy" else en
    for name, authority in (
        ("Gorllewin Caerdydd cluster", "cardiff"),
        ("Arfon cluster", "gwynedd"),
    ):
        cluster = directory.cluster(name, authority)
        directory.school(f"School of {name}", None, cluster=cluster)
    directory.user("admin@wales.example", name="Alex Morgan", admin=True)
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, "admin@wales.example", t)
    page.goto(f"/{lang}/admin/clusters")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, width
    table = page.get_by_role("table", name=t("Clusters"))
    label = page.evaluate(
        "getComputedStyle(document.querySelector('main td[data-label]:nth-child(2)'), '::before')"
        ".content"
    )
    assert label == f'"{t("Local authority")}"'
    expect(table.get_by_role("link").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_national_views_breadcrumbs_are_24_px_high(
    directory: Directory,
    new_context: ContextFactory,
    plans: Plans,  # noqa: F811 (the fixture imported above)
    cy: Translator,
    en: Translator,
    lang: str,
) -> None:
    """The walk-through's axe run found the breadcrumbs of a school's plan in the national view
    20 px high (target-size, WCAG 2.2 2.5.8): GOV.UK's breadcrumbs were not styled at all."""
    t = cy if lang == "cy" else en
    directory.user("admin@wales.example", name="Alex Morgan", admin=True)
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, "admin@wales.example", t)
    path = (
        f"/{lang}/national/authorities/cardiff/clusters/{plans.cluster_id}"
        f"/schools/{plans.school_id}/{plans.year}"
    )
    response = page.goto(path)
    assert response is not None and response.status == 200
    links = page.get_by_role("navigation", name=t("Breadcrumb")).get_by_role("link")
    assert links.count() >= 3
    for link in links.all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 24, box
    assert_accessible(page)
