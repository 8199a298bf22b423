"""Year-end figures for coordinators and the national view: planned against actual spending by
purpose and the impact on each priority card, from the reporting facts written when a review
is submitted, checked against numbers worked out by hand at two sizes, with the same number of
queries at both."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import CountedQueries, Directory, sign_in
from tests.html import soup, text
from tests.integration.test_dashboard import directory_school_fast
from tests.reporting import snapshot, submitted
from wizard.data.database import db
from wizard.data.models import Cluster, School, YearEndReview, YearEndVersion
from wizard.data.year_end import write_year_end_facts
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.plan_document import FundingLine
from wizard.domain.values import PlanStatus
from wizard.domain.year_end import (
    FUNDING,
    AddedLine,
    FundingReview,
    LineActual,
    ReviewedPlan,
    YearEndDocument,
    impact_section,
)

YEAR = academic_year_of(date.today()) - 1
SLUG = year_slug(YEAR)

Line = tuple[str, int, int]  # purpose, planned pence, spent pence


def reviewed(
    school: School,
    lines: list[Line],
    impacts: dict[str, tuple[list[str], str]],
    added: list[tuple[str, int]] = (),  # type: ignore[assignment]
) -> None:
    """A submitted plan of the school for YEAR and its submitted year-end review, with the
    facts that submitting writes."""
    plan = submitted(school, YEAR, snapshot({}, {}, []), commit=False)
    reviewed_plan = ReviewedPlan(
        version=1,
        allocation=None,
        lines=tuple(
            FundingLine(f"l{n}", purpose, amount_pence=planned)
            for n, (purpose, planned, _) in enumerate(lines)
        ),
        priorities=tuple(impacts),
    )
    sections: dict[str, Any] = {
        FUNDING: FundingReview(
            {f"l{n}": LineActual(f"l{n}", spent, "yes") for n, (_, _, spent) in enumerate(lines)},
            tuple(AddedLine(f"a{n}", p, "", "Extra", pence) for n, (p, pence) in enumerate(added)),
        ).to_stored()
    }
    for card, (levels, criteria) in impacts.items():
        sections[impact_section(card)] = {"levels": levels, "evidence": "", "criteria": criteria}
    document = YearEndDocument.from_sections(reviewed_plan, sections)
    review = YearEndReview(plan_id=plan.id, status=PlanStatus.SUBMITTED, version=1)
    db.session.add(review)
    db.session.flush()
    db.session.add(YearEndVersion(review_id=review.id, number=1, snapshot=document.to_stored()))
    write_year_end_facts(plan, school, document, 1)


def school_a(school: School) -> None:
    # Release and cover: £1,000 planned, £800 spent; a coach: £500 planned, £700 spent; £100
    # on books that were not planned (purpose "other").
    reviewed(
        school,
        [("release-and-cover", 100_000, 80_000), ("learning-coach", 50_000, 70_000)],
        {
            "card:pedagogy": (["reactions", "learning", "practice"], "met"),
            "card:assessment": (["reactions"], "not-met"),
        },
        added=[("other", 10_000)],
    )


def school_b(school: School) -> None:
    # Release and cover: £2,000 planned and spent.
    reviewed(
        school,
        [("release-and-cover", 200_000, 200_000)],
        {"card:pedagogy": (["reactions", "learners"], "partly")},
    )


def dashboard_tables(page: Any) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    section = soup(page)
    spending = section.find(id="year-end-spending").find_next("table")
    impact = section.find(id="year-end-impact").find_next("table")

    def rows(table: Any) -> dict[str, list[str]]:
        return {
            text(row.find("th")): [text(cell) for cell in row.find_all("td")]
            for row in table.select("tbody tr")
        }

    return rows(spending), rows(impact)


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    body = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def setup(app: Flask, directory: Directory) -> tuple[Cluster, FlaskClient, FlaskClient]:
    cluster = directory.cluster("Reviewed")
    directory.user(email="coordinator@cluster.example", coordinator_of=[cluster])
    directory.user(email="admin@wales.example", admin=True)
    coordinator, admin = app.test_client(), app.test_client()
    sign_in(coordinator, "coordinator@cluster.example")
    sign_in(admin, "admin@wales.example")
    return cluster, coordinator, admin


def counted(count_queries: Any, client: FlaskClient, url: str) -> tuple[Any, CountedQueries]:
    client.get(url)  # the first request of a session does one-off work
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, queries


def test_figures_at_two_sizes_with_the_same_queries(
    app: Flask, directory: Directory, count_queries: Any
) -> None:
    cluster, coordinator, admin = setup(app, directory)
    school_a(directory_school_fast(cluster, 1))
    school_b(directory_school_fast(cluster, 2))
    # A school of another local authority: in the figures for Wales, not Cardiff's.
    elsewhere = directory.cluster("Elsewhere", code="bridgend")
    school_b(directory_school_fast(elsewhere, 3))
    db.session.commit()
    pages = {
        "dashboard": (coordinator, f"/en/clusters/{cluster.id}?year={SLUG}"),
        "spending csv": (coordinator, f"/en/clusters/{cluster.id}/{SLUG}/year-end-spending.csv"),
        "impact csv": (coordinator, f"/en/clusters/{cluster.id}/{SLUG}/year-end-impact.csv"),
        "cardiff": (admin, f"/en/national?year={SLUG}&authority=cardiff"),
        "wales": (admin, f"/en/national?year={SLUG}"),
        "wales csv": (admin, f"/cy/national/year-end-impact.csv?year={SLUG}"),
    }
    small = {name: counted(count_queries, *page) for name, page in pages.items()}
    spending, impact = dashboard_tables(small["dashboard"][0])
    # By hand: release and cover £1,000 + £2,000 planned, £800 + £2,000 spent.
    assert spending == {
        "Release and cover for collaborative professional learning and planning": [
            "£3,000.00",
            "£2,800.00",
        ],
        "A school or cluster professional learning coach": ["£500.00", "£700.00"],
        "Other": ["£0.00", "£100.00"],
    }
    # Pedagogy: 2 schools; reactions 2, learning 1, support 0, practice 1, learners 1; met 1,
    # partly 1, not met 0. Assessment: 1 school, reactions 1, not met 1.
    assert impact == {
        "Pedagogy and teaching approaches": ["2", "2", "1", "0", "1", "1", "1", "1", "0"],
        "Assessment and progression": ["1", "1", "0", "0", "0", "0", "0", "0", "1"],
    }
    body = text(soup(small["dashboard"][0]).find(id="year-end").find_parent("main"))
    assert "latest submitted year-end review of 2 schools" in body
    assert csv_rows(small["spending csv"][0])[0] == [
        "Purpose / Diben",
        "Planned (£) / Wedi'i gynllunio (£)",
        "Spent (£) / Wedi'i wario (£)",
        "Difference (£) / Gwahaniaeth (£)",
    ]
    assert csv_rows(small["spending csv"][0])[1] == [
        "Release and cover for collaborative professional learning and planning",
        "3000.00",
        "2800.00",
        "-200.00",
    ]
    wales = csv_rows(small["wales csv"][0])
    assert wales[0][0] == "Card / Cerdyn"
    # Wales: pedagogy in three schools (two of them school B's pattern, one in Bridgend).
    assert ["3", "3", "1", "0", "1", "2", "1", "2", "0"] in [row[1:] for row in wales]
    cardiff = soup(small["cardiff"][0])
    assert "latest submitted year-end review of 2 schools" in text(
        cardiff.find(id="year-end").parent
    )

    # Twenty more schools like B in the cluster.
    for number in range(10, 30):
        school_b(directory_school_fast(cluster, number))
    db.session.commit()
    large = {name: counted(count_queries, *page) for name, page in pages.items()}
    spending, impact = dashboard_tables(large["dashboard"][0])
    assert spending["Release and cover for collaborative professional learning and planning"] == [
        "£43,000.00",  # £3,000 + 20 × £2,000
        "£42,800.00",
    ]
    assert impact["Pedagogy and teaching approaches"] == [
        "22",
        "22",
        "1",
        "0",
        "1",
        "21",
        "1",
        "21",
        "0",
    ]
    assert {name: q.total for name, (_, q) in small.items()} == {
        name: q.total for name, (_, q) in large.items()
    }, (small, large)


def test_the_dashboard_shows_each_schools_year_end_review(app: Flask, directory: Directory) -> None:
    cluster, coordinator, _ = setup(app, directory)
    reviewed_school = directory_school_fast(cluster, 1)
    school_a(reviewed_school)
    directory_school_fast(cluster, 2)
    db.session.commit()
    page = soup(coordinator.get(f"/cy/clusters/{cluster.id}?year={SLUG}"))
    cells = {
        text(row.find("th")): text(row.find_all("td")[-1])
        for row in page.select("table")[0].select("tbody tr")
    }
    assert cells["School 001"].startswith("Wedi'i gyflwyno")  # and the school's name, hidden
    assert cells["School 002"] == "Heb ddechrau"
    link = page.select_one("table tbody tr td a[href*='year-end']")
    assert link is not None
    summary = coordinator.get(link["href"])
    assert summary.status_code == 200
    assert "£800.00" in text(soup(summary).find("main"))
