"""The cluster dashboard and the national view: aggregates against figures worked out by hand,
filters, access, charts and a query count that does not grow with the number of schools."""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, text
from tests.reporting import snapshot, submitted
from wizard.data.aggregates import (
    Scope,
    funding_by_purpose,
    funding_by_school,
    placement_counts,
    rating_counts,
    status_counts,
)
from wizard.data.database import db
from wizard.data.models import Cluster, Plan, PlanAnswer
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.aggregates import OWN_CARDS, heat_map
from wizard.domain.values import ReviewStatus

THIS = academic_year_of(date.today())
SLUG = year_slug(THIS)
OWN_A = {"id": 901, "title_en": "Outdoor learning", "title_cy": "Dysgu awyr agored"}
OWN_B = {"id": 902, "title_en": "Reading for pleasure", "title_cy": None}


def seed(directory: Directory) -> dict[str, Any]:
    """A cluster of five schools in Cardiff (three submitted, one in progress, one not
    started) and one submitted school in a Swansea cluster."""
    gower = directory.cluster("Gower")
    other = directory.cluster("Tawe", code="swansea")
    a = directory.school("Aber School", "Ysgol Aber", cluster=gower)
    b = directory.school("Bryn School", "Ysgol Bryn", cluster=gower)
    c = directory.school("Coed School", None, cluster=gower)
    d = directory.school("Dol School", "Ysgol Dol", cluster=gower)
    directory.school("Eglwys School", "Ysgol Eglwys", cluster=gower)
    f = directory.school("Ffordd School", "Ysgol Ffordd", cluster=other)
    submitted(
        a,
        THIS,
        snapshot(
            {1: "embedded", 2: "developing"},
            {1: "card:pedagogy", 2: "card:assessment", 9: "own:901"},
            [("release-and-cover", 50000)],
            [OWN_A],
        ),
    )
    plan_b = submitted(
        b,
        THIS,
        snapshot(
            {1: "embedded", 2: "established"},
            {1: "card:assessment", 4: "card:pedagogy", 5: "own:902"},
            [("release-and-cover", 30000)],
            [OWN_B],
        ),
    )
    # Coed submitted twice: only version 2 counts.
    submitted(c, THIS, snapshot({1: "not-sure"}, {9: "card:pedagogy"}, [("learning-coach", 999)]))
    submitted(
        c,
        THIS,
        snapshot(
            {1: "developing"},
            {2: "card:pedagogy", 3: "card:assessment"},
            [("critical-enquiry", 20000)],
        ),
        number=2,
    )
    plan_d = Plan(school_id=d.id, academic_year=THIS)
    db.session.add(plan_d)
    db.session.flush()
    db.session.add(PlanAnswer(plan_id=plan_d.id, step="about-your-school", data={}))
    submitted(
        f,
        THIS,
        snapshot({1: "not-sure"}, {1: "card:pedagogy"}, [("release-and-cover", 10000)]),
    )
    from wizard.data.models import PlanVersion

    version_b = db.session.query(PlanVersion).filter_by(plan_id=plan_b.id).one()
    version_b.review_status = ReviewStatus.REVIEWED
    db.session.commit()
    coordinator = directory.user(email="coord@la.example", coordinator_of=[gower])
    return {"gower": gower, "other": other, "coordinator": coordinator}


def test_cluster_aggregates_match_figures_worked_out_by_hand(directory: Directory) -> None:
    seeded = seed(directory)
    scope = Scope(THIS, cluster_id=seeded["gower"].id)
    rows = {row.card: row for row in heat_map(placement_counts(scope))}
    assert rows["card:pedagogy"].counts == (1, 1, 1, 0, 0)
    assert rows["card:pedagogy"].score == 5 + 4 + 3
    assert rows["card:assessment"].counts == (1, 2, 0, 0, 0)
    assert rows["card:assessment"].score == 5 + 4 + 4
    assert rows[OWN_CARDS].counts == (0, 0, 1, 0, 1)
    assert [row.card for row in heat_map(placement_counts(scope))] == [
        "card:assessment",
        "card:pedagogy",
        OWN_CARDS,
    ]
    assert sorted(rating_counts(scope)) == [
        (1, "developing", 1),
        (1, "embedded", 2),
        (2, "developing", 1),
        (2, "established", 1),
    ]
    assert sorted(funding_by_purpose(scope)) == [
        ("critical-enquiry", 20000),
        ("release-and-cover", 80000),
    ]
    assert sorted(funding_by_school(scope)) == [
        ("Aber School", "Ysgol Aber", 50000),
        ("Bryn School", "Ysgol Bryn", 30000),
        ("Coed School", None, 20000),
    ]


def test_national_aggregates_and_status_counts(directory: Directory) -> None:
    seed(directory)
    wales = Scope(THIS)
    rows = {row.card: row for row in heat_map(placement_counts(wales))}
    assert rows["card:pedagogy"].counts == (2, 1, 1, 0, 0)
    assert dict(funding_by_purpose(wales))["release-and-cover"] == 90000
    swansea = directory.authority("swansea").id
    assert sorted(funding_by_purpose(Scope(THIS, local_authority_id=swansea))) == [
        ("release-and-cover", 10000)
    ]
    assert status_counts(THIS) == {
        "not-started": 1,
        "in-progress": 1,
        "submitted": 3,
        "changes-requested": 0,
        "reviewed": 1,
    }
    assert status_counts(THIS, swansea)["submitted"] == 1
    assert sum(status_counts(THIS, swansea).values()) == 1
    assert status_counts(THIS - 1)["not-started"] == 6


def coordinator_client(app: Flask, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    sign_in(client, "coord@la.example", lang)
    return client


def test_the_dashboard_lists_every_school_with_its_status(app: Flask, directory: Directory) -> None:
    seeded = seed(directory)
    client = coordinator_client(app)
    response = client.get(f"/en/clusters/{seeded['gower'].id}")
    assert response.status_code == 200
    assert heading(response) == f"Gower: plans for {THIS}/{(THIS + 1) % 100:02d}"
    page = soup(response)
    table = page.find("caption", string=lambda s: s and "Schools and their plans" in s).parent
    rows = [[text(cell) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert [row[:3] for row in rows] == [
        ["Aber School", "Submitted", "Version 1, submitted"],
        ["Bryn School", "Reviewed", "Version 1, submitted"],
        ["Coed School", "Submitted", "Version 2, submitted"],
        ["Dol School", "In progress", "Version 1, draft"],
        ["Eglwys School", "Not started", "–"],
    ]
    link = table.find("a", string="Aber School")["href"]
    assert link == f"/en/clusters/{seeded['gower'].id}/schools/{directory_id(link)}/{SLUG}"
    assert page.find("a", href=f"/en/clusters/{seeded['gower'].id}/{SLUG}/schools.csv")


def directory_id(link: str) -> str:
    return link.split("/schools/")[1].split("/")[0]


def test_the_dashboard_filters_by_status_and_year(app: Flask, directory: Directory) -> None:
    seeded = seed(directory)
    client = coordinator_client(app)
    base = f"/en/clusters/{seeded['gower'].id}"
    filtered = soup(client.get(f"{base}?status=submitted&year={SLUG}"))
    page = text(filtered.find("tbody"))
    assert "Aber School" in page and "Coed School" in page
    assert "Bryn School" not in page and "Dol School" not in page
    last_year = soup(client.get(f"{base}?year={year_slug(THIS - 1)}"))
    assert "Not started" in text(last_year.find("tbody"))
    assert "Submitted" not in text(last_year.find("tbody"))
    assert "No school has submitted a plan for this year yet." in text(last_year)
    selected = last_year.find("select", id="year").find("option", selected=True)
    assert selected["value"] == year_slug(THIS - 1)
    assert client.get(f"{base}?year=1999-00").status_code == 400
    assert client.get(f"{base}?year=nonsense").status_code == 400
    assert client.get(f"{base}?status=lost").status_code == 400


def test_charts_are_svg_with_the_numbers_on_them(app: Flask, directory: Directory) -> None:
    seeded = seed(directory)
    page = soup(coordinator_client(app).get(f"/en/clusters/{seeded['gower'].id}"))
    charts = page.find_all("svg")
    assert len(charts) == 4
    for chart in charts:
        assert chart["role"] == "img"
        assert chart.find("title") and chart.find("title").get_text()
        ElementTree.fromstring(str(chart))
        assert not chart.find_all(attrs={"style": True})
    heat = ElementTree.fromstring(str(charts[0]))
    numbers = [t.text for t in heat.iter("{http://www.w3.org/2000/svg}text")]
    assert numbers[:5] == ["Row 1", "Row 2", "Row 3", "Row 4", "Row 5"]
    assert "Assessment for learning" in " ".join(n or "" for n in numbers) or numbers
    assert ["1", "2", "0", "0", "0"] == numbers[6:11]
    assert "Schools' own cards" in text(page)
    assert "£800.00" in text(page) and "80%" in text(page)


def test_the_dashboard_in_welsh(app: Flask, directory: Directory) -> None:
    seeded = seed(directory)
    response = coordinator_client(app, "cy").get(f"/cy/clusters/{seeded['gower'].id}")
    page = text(soup(response))
    assert "Clwstwr Gower" in heading(response)
    assert "Ysgol Aber" in page
    assert "Rhes 1" in page
    assert "Cardiau'r ysgolion eu hunain" in page
    assert "Wedi'i gyflwyno" in page or "Wedi’i gyflwyno" in page


def test_access_to_the_dashboard(app: Flask, directory: Directory, client: FlaskClient) -> None:
    seeded = seed(directory)
    url = f"/en/clusters/{seeded['gower'].id}"
    assert client.get(url).status_code == 302
    directory.user(email="other@la.example", coordinator_of=[seeded["other"]])
    sign_in(client, "other@la.example")
    assert client.get(url).status_code == 404
    assert client.get("/en/clusters/999999").status_code == 404
    member = app.test_client()
    school = db.session.get(Cluster, seeded["gower"].id).schools[0]  # type: ignore[union-attr]
    directory.user(email="lead@school.example", school=school, lead=True)
    sign_in(member, "lead@school.example")
    assert member.get(url).status_code == 403
    assert member.get("/en/national").status_code == 403
    assert app.test_client().get("/en/national").status_code == 302


def test_the_chooser(app: Flask, directory: Directory) -> None:
    seeded = seed(directory)
    client = coordinator_client(app)
    response = client.get("/en/clusters/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/clusters/{seeded['gower'].id}"
    directory.user(email="two@la.example", coordinator_of=[seeded["gower"], seeded["other"]])
    two = app.test_client()
    sign_in(two, "two@la.example", "cy")
    page = soup(two.get("/cy/clusters/"))
    links = [a["href"] for a in page.find("main").find_all("a", class_="govuk-link")]
    assert f"/cy/clusters/{seeded['gower'].id}" in links
    assert f"/cy/clusters/{seeded['other'].id}" in links


def test_the_national_view(app: Flask, directory: Directory) -> None:
    seed(directory)
    directory.user(email="admin@la.example", admin=True)
    client = app.test_client()
    sign_in(client, "admin@la.example")
    assert "/en/national" in client.get("/en/account/").get_data(as_text=True)
    response = client.get("/en/national")
    assert response.status_code == 200
    page = soup(response)
    counts = page.find("caption", string="Schools by plan status").parent
    assert [text(td) for td in counts.find_all("td")] == ["1", "1", "3", "0", "1"]
    assert "£900.00" in text(page)
    swansea = soup(client.get(f"/en/national?authority=swansea&year={SLUG}"))
    assert [text(td) for td in swansea.find("tbody").find_all("td")] == ["0", "0", "1", "0", "0"]
    assert "£100.00" in text(swansea) and "Aber School" not in text(swansea)
    assert client.get("/en/national?authority=atlantis").status_code == 400
    welsh = client.get("/cy/national?authority=swansea")
    assert "Abertawe" in heading(welsh) or "Abertawe" in text(soup(welsh))


def bulk(directory: Directory, cluster: Cluster, size: int) -> None:
    for number in range(size):
        school = directory_school_fast(cluster, number)
        if number % 2:
            submitted(
                school,
                THIS,
                snapshot(
                    {1: "embedded", 2: "developing"},
                    {1: "card:pedagogy", 5: f"own:{number}"},
                    [("release-and-cover", 1000 + number)],
                    [{"id": number, "title_en": f"Own {number}", "title_cy": None}],
                ),
                commit=False,
            )
    db.session.commit()


def directory_school_fast(cluster: Cluster, number: int) -> Any:
    from wizard.data.models import School

    school = School(
        school_number=f"{cluster.id:03d}{number:04d}",
        name_en=f"School {number:03d}",
        local_authority_id=cluster.local_authority_id,
        cluster_id=cluster.id,
    )
    db.session.add(school)
    db.session.flush()
    return school


def test_query_counts_do_not_grow_with_the_number_of_schools(
    app: Flask, directory: Directory, count_queries: Any
) -> None:
    small, large = directory.cluster("Small"), directory.cluster("Large")
    directory.user(email="coord@la.example", coordinator_of=[small, large])
    directory.user(email="admin@la.example", admin=True)
    bulk(directory, small, 5)
    coordinator = coordinator_client(app)
    admin = app.test_client()
    sign_in(admin, "admin@la.example")
    counts = {}
    # The first request of a session does some one-off work: count the ones after it.
    coordinator.get(f"/en/clusters/{small.id}")
    admin.get("/en/national")
    with count_queries() as counted:
        assert coordinator.get(f"/en/clusters/{small.id}").status_code == 200
    counts["small dashboard"] = counted.total
    with count_queries() as counted:
        assert admin.get("/en/national").status_code == 200
    counts["national, 5 schools"] = counted.total
    bulk(directory, large, 200)
    with count_queries() as counted:
        response = coordinator.get(f"/en/clusters/{large.id}")
    counts["large dashboard"] = counted.total
    assert response.get_data(as_text=True).count('class="govuk-tag') == 200
    with count_queries() as counted:
        assert admin.get("/en/national").status_code == 200
    counts["national, 205 schools"] = counted.total
    assert counts["small dashboard"] == counts["large dashboard"], counts
    assert counts["national, 5 schools"] == counts["national, 205 schools"], counts
    # Twelve, and four for the year-end reviews (the schools' reviews and three GROUP BY queries).
    assert counts["small dashboard"] <= 16, counts


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_bad_filters_are_a_page_in_the_language(
    app: Flask, directory: Directory, lang: str
) -> None:
    directory.user(email="admin@la.example", admin=True)
    client = app.test_client()
    sign_in(client, "admin@la.example", lang)
    response = client.get(f"/{lang}/national?year=abc")
    assert response.status_code == 400
