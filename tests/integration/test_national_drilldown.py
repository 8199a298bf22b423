"""From Wales to a school: administrators go from the national view to a local authority, its
clusters (status counts and deadlines), a cluster's dashboard and a school's plan, in four
clicks; each level has its aggregates and a CSV; two authorities side by side; headings name
what is shown; Welsh pages list in Welsh order; the queries do not grow with the schools."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, text
from tests.integration.test_dashboard import bulk
from tests.integration.test_query_counts import CountQueries, get, queries
from tests.plans import write_plan_for
from wizard.data.deadlines import set_deadline
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = academic_year_of(date.today())
SLUG = year_slug(YEAR)


@pytest.fixture
def admin(app: Flask, directory: Directory) -> FlaskClient:
    directory.user("admin@wales.example", admin=True)
    client = app.test_client()
    sign_in(client, "admin@wales.example")
    return client


def click(client: FlaskClient, page: object, name: str) -> object:
    """Follow the link named `name` on the page."""
    link = next((a for a in soup(page).find_all("a") if text(a) == name), None)
    assert link is not None, f"no link {name!r}"
    response = client.get(link["href"])
    assert response.status_code == 200, (link["href"], response.status_code)
    return response


def test_from_wales_to_a_school_in_four_clicks(
    app: Flask, directory: Directory, admin: FlaskClient
) -> None:
    cluster = directory.cluster("West")
    school = directory.school("Aber School", "Ysgol Aber", cluster=cluster)
    lead = directory.user("aber@school.example", school=school, lead=True)
    submit(write_plan_for(lead, YEAR, reflection="Our Aber reflection"), school, lead)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    set_deadline(cluster.id, YEAR, "plan", date.today() + timedelta(days=20), coordinator)

    wales = admin.get(f"/en/national?year={SLUG}")  # the national view
    assert heading(wales) == f"Plans across Wales for {YEAR}/{(YEAR + 1) % 100:02d}"
    cardiff = click(admin, wales, "Cardiff")  # 1
    assert heading(cardiff).startswith("Plans in Cardiff for")
    clusters = text(soup(cardiff).find(id="clusters"))
    assert "West" in clusters and (date.today() + timedelta(days=20)).strftime("%B") in clusters
    west = click(admin, cardiff, "West")  # 2
    assert heading(west).startswith("West: plans for")
    plan = click(admin, west, "Aber School")  # 3
    assert heading(plan) == "Aber School"
    assert "Our Aber reflection" in plan.get_data(as_text=True)
    # The way back names each level.
    crumbs = [text(a) for a in soup(plan).select(".govuk-breadcrumbs a")]
    assert crumbs == ["All of Wales", "Cardiff", "West"]


def test_headings_name_the_authority_chosen(admin: FlaskClient) -> None:
    """In Welsh without "yn" before the name, which would want it mutated (yng Nghaerdydd)."""
    page = admin.get(f"/cy/national?year={SLUG}&authority=cardiff")
    assert heading(page).startswith("Cynlluniau Caerdydd")
    assert "Cymru" not in heading(page)


def test_welsh_pages_list_authorities_in_welsh_order(admin: FlaskClient) -> None:
    page = admin.get(f"/cy/national?year={SLUG}")
    names = [text(th) for th in soup(page).select("#authorities tbody th")]
    assert len(names) == 22
    # Welsh order: "Ch" after "C", "Ll" after "L", "Th" after "T".
    assert names.index("Caerffili") < names.index("Casnewydd") < names.index("Ceredigion")
    assert names.index("Sir Ddinbych") > names.index("Rhondda Cynon Taf")


def test_a_csv_at_each_level(app: Flask, directory: Directory, admin: FlaskClient) -> None:
    cluster = directory.cluster("West")
    bulk(directory, cluster, 3)
    rows = list(
        csv.reader(
            io.StringIO(
                admin.get(f"/en/national/authorities.csv?year={SLUG}")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0][0] == "Local authority" and len(rows) == 23
    cardiff = next(row for row in rows if row[0] == "Cardiff")
    assert cardiff[-1] == "3"
    rows = list(
        csv.reader(
            io.StringIO(
                admin.get(f"/en/national/authorities/cardiff/clusters.csv?year={SLUG}")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[1][0] == "West" and rows[1][-2] == "3"
    rows = list(
        csv.reader(
            io.StringIO(
                admin.get(
                    f"/en/national/authorities/cardiff/clusters/{cluster.id}/schools.csv?year={SLUG}"
                )
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert len(rows) == 4


def test_two_authorities_side_by_side(directory: Directory, admin: FlaskClient) -> None:
    bulk(directory, directory.cluster("West"), 2)
    page = admin.get(f"/en/national/compare?year={SLUG}&authority=cardiff&authority=swansea")
    assert page.status_code == 200
    assert heading(page) == f"Cardiff and Swansea side by side, {YEAR}/{(YEAR + 1) % 100:02d}"
    headers = [text(th) for th in soup(page).find("table").select("thead th")]
    assert headers[1:] == ["Cardiff", "Swansea"]
    assert admin.get("/en/national/compare?authority=cardiff&authority=nowhere").status_code == 400


def test_a_cluster_of_another_authority_is_not_found(
    directory: Directory, admin: FlaskClient
) -> None:
    cluster = directory.cluster("West")
    assert admin.get(f"/en/national/authorities/swansea/clusters/{cluster.id}").status_code == 404
    assert admin.get("/en/national/authorities/nowhere").status_code == 404


def test_query_counts_do_not_grow_with_the_schools(
    app: Flask, directory: Directory, admin: FlaskClient, count_queries: CountQueries
) -> None:
    cluster = directory.cluster("Counted")
    other = directory.cluster("Other")
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    set_deadline(cluster.id, YEAR, "plan", date.today(), coordinator)
    pages = {
        "wales": f"/en/national?year={SLUG}",
        "authority": f"/en/national/authorities/cardiff?year={SLUG}",
        "cluster": f"/en/national/authorities/cardiff/clusters/{cluster.id}?year={SLUG}",
        "compare": f"/en/national/compare?year={SLUG}&authority=cardiff&authority=swansea",
        "authority csv": f"/en/national/authorities/cardiff/clusters.csv?year={SLUG}",
    }

    def counts() -> dict[str, int]:
        for url in pages.values():
            admin.get(url)
        return {name: queries(count_queries, get(admin, url)).total for name, url in pages.items()}

    bulk(directory, cluster, 3)
    small = counts()
    bulk(directory, other, 30)
    for number in range(100, 130):
        from tests.integration.test_dashboard import directory_school_fast

        directory_school_fast(cluster, number)
    large = counts()
    assert small == large, (small, large)
