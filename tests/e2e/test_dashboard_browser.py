"""Real-browser checks of the cluster dashboard and the national view: axe-core clean in both
languages, with the charts and tables, and no sideways scrolling of the page at 320 CSS pixels
(wide tables scroll in their own region)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Directory
from tests.reporting import snapshot, submitted
from wizard.data.models import Cluster
from wizard.domain.academic_year import year_label

from .support import ACADEMIC_YEAR, LANGUAGES, AccessibilityAudit, Translator, heading, sign_in


@pytest.fixture
def seeded(directory: Directory) -> dict[str, Any]:
    cluster = directory.cluster("Taff cluster")
    first = directory.school(cluster=cluster)
    second = directory.school("St Mary's Church in Wales Primary", name_cy=None, cluster=cluster)
    directory.school("Heol School", "Ysgol Heol", cluster=cluster)
    submitted(
        first,
        ACADEMIC_YEAR,
        snapshot(
            {1: "embedded", 2: "developing", 3: "not-sure"},
            {1: "card:pedagogy", 2: "card:assessment", 9: "own:1"},
            [("release-and-cover", 50000), ("critical-enquiry", 12500)],
            [{"id": 1, "title_en": "Outdoor learning", "title_cy": "Dysgu awyr agored"}],
        ),
    )
    submitted(
        second,
        ACADEMIC_YEAR,
        snapshot(
            {1: "established", 2: "developing"},
            {1: "card:assessment", 4: "card:pedagogy"},
            [("release-and-cover", 30000)],
        ),
    )
    coordinator = directory.user(email="coordinator@cardiff.example", coordinator_of=[cluster])
    admin = directory.user(email="admin@wales.example", admin=True)
    return {"cluster": cluster, "coordinator": coordinator, "admin": admin}


def dashboard_heading(t: Translator, cluster: Cluster) -> str:
    name = cluster.name_cy if t.locale == "cy" else cluster.name_en
    return t("%(cluster)s: plans for %(year)s", cluster=name, year=year_label(ACADEMIC_YEAR))


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dashboard_and_the_national_view_are_accessible(
    new_context: Any, seeded: dict[str, Any], lang: str, request: pytest.FixtureRequest
) -> None:
    t: Translator = request.getfixturevalue(lang)
    cluster: Cluster = seeded["cluster"]
    page = new_context().new_page()
    sign_in(page, "coordinator@cardiff.example", t)
    audit = AccessibilityAudit(page, t)
    audit.visit(f"/{lang}/clusters/{cluster.id}", dashboard_heading(t, cluster))
    expect(page.get_by_role("img", name=t("Funding planned by purpose"))).to_be_visible()
    expect(page.get_by_role("table", name=t("Funding planned by school"))).to_be_visible()
    page.get_by_label(t("Plan status")).select_option(label=t("Not started"))
    page.get_by_role("button", name=t("Show plans")).click()
    expect(heading(page)).to_have_text(dashboard_heading(t, cluster))
    results = t(
        "Schools with the status “%(status)s”: %(shown)d of %(all)d",
        status=t("Not started"),
        shown=1,
        all=3,
    )
    table = page.get_by_role("table", name=results)
    expect(table.get_by_role("link")).to_have_count(1)
    audit.audit(dashboard_heading(t, cluster))

    admin = new_context().new_page()
    sign_in(admin, "admin@wales.example", t)
    national = AccessibilityAudit(admin, t)
    title = t("Plans across Wales for %(year)s", year=year_label(ACADEMIC_YEAR))
    national.visit(f"/{lang}/national", title)
    admin.get_by_label(t("Local authority")).select_option("cardiff")
    admin.get_by_role("button", name=t("Show plans")).click()
    cardiff = "Caerdydd" if lang == "cy" else "Cardiff"
    title = t(
        "Plans in %(authority)s for %(year)s", authority=cardiff, year=year_label(ACADEMIC_YEAR)
    )
    expect(heading(admin)).to_have_text(title)
    expect(admin.get_by_role("table", name=t("Schools by plan status"))).to_be_visible()
    national.audit(title)
    audit.assert_clean()
    national.assert_clean()


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_filter_moves_focus_to_the_results_and_announces_the_count(
    new_context: Any, seeded: dict[str, Any], lang: str, request: pytest.FixtureRequest
) -> None:
    """After "Show plans", keyboard focus is on the results heading, which says how many
    schools are shown of how many, a polite live region says the same, and the figures below
    say that the filter does not apply to them."""
    t: Translator = request.getfixturevalue(lang)
    cluster: Cluster = seeded["cluster"]
    page = new_context().new_page()
    sign_in(page, "coordinator@cardiff.example", t)
    page.goto(f"/{lang}/clusters/{cluster.id}")
    expect(
        page.get_by_role("heading", name=t("Schools and their plans: %(num)d", num=3))
    ).to_be_visible()
    page.get_by_label(t("Plan status")).select_option(label=t("Submitted"))
    page.get_by_role("button", name=t("Show plans")).click()
    results = t(
        "Schools with the status “%(status)s”: %(shown)d of %(all)d",
        status=t("Submitted"),
        shown=2,
        all=3,
    )
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("id", "results")
    expect(focused).to_have_text(results)
    expect(page.locator("#results-status")).to_have_attribute("role", "status")
    expect(page.locator("#results-status")).to_have_text(results)
    expect(page.get_by_role("table", name=results).get_by_role("link")).to_have_count(2)
    expect(
        page.get_by_text(
            t(
                "The plan status filter applies to the list of schools above, not to these "
                "figures: they count every school's latest submitted version."
            )
        )
    ).to_be_visible()
    page.get_by_role("link", name=t("Show all schools")).click()
    expect(page.locator(":focus")).to_have_text(t("Schools and their plans: %(num)d", num=3))


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_sideways_scrolling_at_320_css_pixels(
    new_context: Any, seeded: dict[str, Any], lang: str, request: pytest.FixtureRequest
) -> None:
    """WCAG 1.4.10: the page reflows; the charts shrink and wide tables scroll in their own
    focusable region."""
    t: Translator = request.getfixturevalue(lang)
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, "coordinator@cardiff.example", t)
    page.goto(f"/{lang}/clusters/{seeded['cluster'].id}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The dashboard is {width}px wide at a 320px viewport"
    admin = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(admin, "admin@wales.example", t)
    admin.goto(f"/{lang}/national")
    width = admin.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The national view is {width}px wide at a 320px viewport"
    region = admin.get_by_role("region", name=t("Diamond 9 heat map table"))
    expect(region).to_have_attribute("tabindex", "0")


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_coordinator_of_two_clusters_chooses_one(
    new_context: Any, directory: Directory, lang: str, request: pytest.FixtureRequest
) -> None:
    t: Translator = request.getfixturevalue(lang)
    north, south = directory.cluster("North cluster"), directory.cluster("South cluster")
    directory.school(cluster=north)
    directory.user(email="two@cardiff.example", coordinator_of=[north, south])
    page = new_context().new_page()
    sign_in(page, "two@cardiff.example", t)
    audit = AccessibilityAudit(page, t)
    audit.visit(f"/{lang}/clusters/", t("Choose a cluster"))
    name = north.name_cy if lang == "cy" else north.name_en
    page.get_by_role("link", name=name, exact=False).first.click()
    expect(heading(page)).to_have_text(dashboard_heading(t, north))
    audit.assert_clean()
