"""The cluster CSV exports: one row per school and one per funding line, in the page's
language, readable by Excel (UTF-8 with a BOM) and safe against formula injection."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import CountedQueries, sign_in
from tests.factories import Directory
from wizard.data.database import db
from wizard.data.models import Cluster, OwnCard, Plan, PlanAnswer, PlanVersion, School, User
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import BOARD_STEP, FUNDING_STEP
from wizard.seed.wales import random_answers

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)
HYPERLINK = '=HYPERLINK("http://example.com","Click")'

CountQueries = Callable[[], AbstractContextManager[CountedQueries]]


def parse(response: TestResponse) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def submitted_plan(school: School, lead: User, seed: int = 1) -> PlanVersion:
    """A complete plan, submitted: an own card titled "+1" in slot 9 and a funding line whose
    description is a formula."""
    plan = Plan(school_id=school.id, academic_year=THIS)
    db.session.add(plan)
    db.session.flush()
    card = OwnCard(plan_id=plan.id, title_en="+1", title_cy="+1")
    db.session.add(card)
    db.session.flush()
    answers = random_answers(random.Random(seed), "cy")
    answers[BOARD_STEP]["slots"]["9"] = card.key
    answers[FUNDING_STEP]["lines"][0]["description"] = HYPERLINK
    answers[FUNDING_STEP]["lines"][0]["priority"] = card.key
    for step, data in answers.items():
        db.session.add(PlanAnswer(plan_id=plan.id, step=step, data=data))
    db.session.commit()
    return submit(plan, school, lead)


@pytest.fixture
def setup(directory: Directory) -> dict[str, Any]:
    cluster = directory.cluster("Cardiff West")
    school = directory.school(
        name_en="Tŷ Gwyn Primary School",
        name_cy="Ysgol Gynradd Tŷ Gwyn a Glan Ŵy",
        cluster=cluster,
        number="6812345",
    )
    directory.school(name_en="Zebra Primary", name_cy="Ysgol Sebra", cluster=cluster)
    lead = directory.user(email="lead@school.example", school=school, lead=True)
    directory.user(email="coordinator@cluster.example", coordinator_of=[cluster])
    version = submitted_plan(school, lead)
    return {"cluster": cluster, "school": school, "version": version, "lead": lead}


def url(cluster: Cluster | int, name: str, lang: str = "en", year: str = YEAR) -> str:
    cluster_id = cluster if isinstance(cluster, int) else cluster.id
    return f"/{lang}/clusters/{cluster_id}/{year}/{name}"


def test_schools_csv_has_a_row_per_school_in_english(
    client: FlaskClient, setup: dict[str, Any]
) -> None:
    sign_in(client, "coordinator@cluster.example")
    response = client.get(url(setup["cluster"], "schools.csv"))
    assert f"schools-{setup['cluster'].id}-{YEAR}.csv" in response.headers["Content-Disposition"]
    header, *rows = parse(response)
    assert header[:7] == [
        "School number",
        "School",
        "Status",
        "Version",
        "Date submitted",
        "Allocation (£)",
        "Planned total (£)",
    ]
    assert header[7] == "Priority 1 (row 1)"
    assert header[15] == "Priority 9 (row 5)"
    assert len(rows) == 2
    submitted, other = rows
    snapshot = setup["version"].snapshot["answers"]
    allocation = snapshot["about-your-school"]["funding_allocation_pence"]
    planned = sum(line["amount_pence"] for line in snapshot["funding-plan"]["lines"])
    assert submitted[:7] == [
        "6812345",
        "Tŷ Gwyn Primary School",
        "Submitted",
        "1",
        setup["version"].submitted_at.date().isoformat(),
        f"{allocation // 100}.{allocation % 100:02d}",
        f"{planned // 100}.{planned % 100:02d}",
    ]
    assert all(submitted[7:15])
    assert submitted[15] == "'+1"  # the own card, escaped against formula injection
    assert other[1:] == ["Zebra Primary", "Not started"] + [""] * 13


def test_schools_csv_in_welsh_keeps_the_welsh_letters(
    client: FlaskClient, setup: dict[str, Any]
) -> None:
    sign_in(client, "coordinator@cluster.example", "cy")
    response = client.get(url(setup["cluster"], "schools.csv", "cy"))
    assert f"ysgolion-{setup['cluster'].id}-{YEAR}.csv" in response.headers["Content-Disposition"]
    header, first, _ = parse(response)
    assert header[:4] == ["Rhif yr ysgol", "Ysgol", "Statws", "Fersiwn"]
    assert header[7] == "Blaenoriaeth 1 (rhes 1)"
    assert first[1] == "Ysgol Gynradd Tŷ Gwyn a Glan Ŵy"
    assert first[2] == "Wedi'i gyflwyno"


def test_funding_csv_has_a_row_per_line_with_formulas_escaped(
    client: FlaskClient, setup: dict[str, Any]
) -> None:
    sign_in(client, "coordinator@cluster.example")
    header, *rows = parse(client.get(url(setup["cluster"], "funding.csv")))
    lines = setup["version"].snapshot["answers"]["funding-plan"]["lines"]
    assert header[0] == "School number" and header[-1] == "Amount (£)"
    assert len(rows) == len(lines)
    first = rows[0]
    assert first[0] == "6812345"
    assert first[4] == "'+1"
    assert first[7] == "'" + HYPERLINK
    assert first[8] == f"{lines[0]['amount_pence'] // 100}.{lines[0]['amount_pence'] % 100:02d}"

    header, first, *_ = parse(client.get(url(setup["cluster"], "funding.csv", "cy")))
    assert header[0] == "Rhif yr ysgol" and header[-1] == "Swm (£)"
    assert first[1] == "Ysgol Gynradd Tŷ Gwyn a Glan Ŵy"


def test_only_the_clusters_coordinators_may_download(
    app: Flask, client: FlaskClient, setup: dict[str, Any], directory: Directory
) -> None:
    cluster = setup["cluster"]
    for name in ("schools.csv", "funding.csv"):
        anonymous = client.get(url(cluster, name))
        assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    other = directory.cluster("Arfon", code="gwynedd")
    directory.user(email="other@cluster.example", coordinator_of=[other])
    sign_in(client, "other@cluster.example")
    for name in ("schools.csv", "funding.csv"):
        assert client.get(url(cluster, name)).status_code == 404
        assert client.get(url(other, name)).status_code == 200
    member = app.test_client()
    sign_in(member, "lead@school.example")
    for name in ("schools.csv", "funding.csv"):
        assert member.get(url(cluster, name)).status_code == 403


def test_a_bad_year_or_cluster_is_not_found(client: FlaskClient, setup: dict[str, Any]) -> None:
    sign_in(client, "coordinator@cluster.example")
    assert client.get(url(setup["cluster"], "schools.csv", year="2026-28")).status_code == 404
    assert client.get(url(setup["cluster"], "funding.csv", year="next")).status_code == 404
    assert client.get(url(999999, "schools.csv")).status_code == 404


def fill(cluster: Cluster, count: int) -> None:
    rng = random.Random(count)
    for number in range(count):
        school = School(
            school_number=f"69{count:02d}{number:03d}",
            name_en=f"School {number:03d}",
            name_cy=f"Ysgol {number:03d}",
            local_authority_id=cluster.local_authority_id,
            cluster_id=cluster.id,
        )
        db.session.add(school)
        db.session.flush()
        if number % 4 == 0:
            continue
        plan = Plan(school_id=school.id, academic_year=THIS, status="submitted")
        db.session.add(plan)
        db.session.flush()
        answers = random_answers(rng, "en")
        db.session.add(PlanAnswer(plan_id=plan.id, step="about-your-school", data={}))
        db.session.add(PlanVersion(plan_id=plan.id, number=1, snapshot={"answers": answers}))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_schools(
    client: FlaskClient, directory: Directory, count_queries: CountQueries
) -> None:
    small = directory.cluster("Small")
    large = directory.cluster("Large")
    directory.user(email="coordinator@cluster.example", coordinator_of=[small, large])
    fill(small, 5)
    fill(large, 50)
    sign_in(client, "coordinator@cluster.example")
    client.get("/en/clusters/")  # the first page after signing in remembers the language
    for name in ("schools.csv", "funding.csv"):
        counts = []
        for cluster, schools in ((small, 5), (large, 50)):
            with count_queries() as counted:
                rows = parse(client.get(url(cluster, name)))
            if name == "schools.csv":
                assert len(rows) == schools + 1
            counts.append(counted)
        assert counts[0].total == counts[1].total, counts[1]
