"""A school beside its cluster, on the coordinator's page of its plan: its ratings and board
beside the cluster's spread and heat map, with what it alone chose said in words."""

from __future__ import annotations

from datetime import date

from flask import Flask

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.plans import NINE, write_plan_for
from tests.reporting import snapshot, submitted
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = academic_year_of(date.today())


def test_the_school_beside_its_cluster(app: Flask, directory: Directory) -> None:
    cluster = directory.cluster("West")
    school = directory.school("Aber School", "Ysgol Aber", cluster=cluster)
    lead = directory.user("aber@school.example", school=school, lead=True)
    submit(write_plan_for(lead, YEAR), school, lead)
    # Two other schools: both put the first card in row 1, and rate hallmark 1 "embedded".
    for name in ("Bryn School", "Castell School"):
        other = directory.school(name, None, cluster=cluster)
        submitted(other, YEAR, snapshot({1: "embedded"}, {1: NINE[0], 2: NINE[3]}, []))
    directory.user("coord@la.example", coordinator_of=[cluster])
    client = app.test_client()
    sign_in(client, "coord@la.example")
    url = f"/en/clusters/{cluster.id}/schools/{school.id}/{year_slug(YEAR)}"
    page = soup(client.get(url))
    beside = page.find(id="beside-cluster")
    assert beside is not None
    said = text(beside)
    assert "latest submitted versions of 3 schools" in said
    # The school put the first card in row 1 too; every other card of its board is its alone.
    assert "Only this school put" in said
    tables = beside.find_all("table")
    cards = {
        text(row.th): [text(cell) for cell in row.find_all("td")]
        for row in tables[0].select("tbody tr")
    }
    first = next(title for title in cards if "Pedagogy" in title)
    assert cards[first][0] == "● 3 (this school)"
    welsh = soup(client.get(url.replace("/en/", "/cy/")))
    assert "Dim ond yr ysgol hon a roddodd" in text(welsh.find(id="beside-cluster"))
