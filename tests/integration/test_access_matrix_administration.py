"""The access matrix of the administration pages, by the people they are about: every route of
the admin blueprint (and the national view), tried by

    anonymous  lead  coordinator  national  authority  other_authority

- the lead and the coordinator are of a school and cluster of Gwynedd;
- national is a national administrator, authority Gwynedd's administrator, other_authority
  Conwy's administrator (whose own pages work, but every id of Gwynedd is not found);
- the upload tokens are Gwynedd's administrator's (nobody else's: not found for the others).

Letters as in test_access_matrix.py: S sent to sign in, A allowed, B bad request, F forbidden,
N not found. Every POST carries what the form needs (POST_DATA), so that it does its work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import Directory
from tests.factories import PASSWORD
from tests.integration.test_access_matrix import csrf_token, outcome
from tests.spreadsheets import published, xlsx
from wizard.data.administration import keep_upload
from wizard.data.database import db
from wizard.data.models import JoinRequest, User
from wizard.domain.academic_year import academic_year_of, year_slug

PEOPLE = ("anonymous", "lead", "coordinator", "national", "authority", "other_authority")
EMAILS = {
    "lead": "lead@gwynedd.example",
    "coordinator": "coordinator@gwynedd.example",
    "national": "national@gov.example",
    "authority": "admin@gwynedd.example",
    "other_authority": "admin@conwy.example",
}

# Letters in the order of PEOPLE.
EVERY_ADMIN = "SFFAAA"
GWYNEDD_ONLY = "SFFAAN"
UPLOADER_ONLY = "SFFNAN"
NATIONAL_ONLY = "SFFAFF"
MATRIX: dict[str, tuple[str, str]] = {
    # endpoint: (GET letters, POST letters)
    "national.index": (EVERY_ADMIN, ""),
    # The drill-down from Wales to a school: all of Wales's CSV and the comparison of two
    # authorities are national administrators'; an authority, its clusters and their schools'
    # plans, its own administrator's too.
    "national.authorities_csv": (NATIONAL_ONLY, ""),
    "national.compare": (NATIONAL_ONLY, ""),
    "national.authority": (GWYNEDD_ONLY, ""),
    "national.authority_csv": (GWYNEDD_ONLY, ""),
    "national.cluster": (GWYNEDD_ONLY, ""),
    "national.cluster_csv": (GWYNEDD_ONLY, ""),
    "national.plan": (GWYNEDD_ONLY, ""),
    # The year-end CSV files of the national view: without ?authority= a local authority's
    # administrator gets their own authority's (another authority's code is refused: below).
    "year_end_reports.national_csv": (EVERY_ADMIN, ""),
    "admin.index": (EVERY_ADMIN, ""),
    "admin.schools": (EVERY_ADMIN, ""),
    "admin.school": (GWYNEDD_ONLY, ""),
    "admin.make_lead": (GWYNEDD_ONLY, GWYNEDD_ONLY),
    "admin.invite_lead": ("", GWYNEDD_ONLY),
    "admin.move_school": ("", GWYNEDD_ONLY),
    "admin.school_category": ("", GWYNEDD_ONLY),
    "admin.clusters": (EVERY_ADMIN, GWYNEDD_ONLY),
    "admin.cluster": (GWYNEDD_ONLY, GWYNEDD_ONLY),
    "admin.add_coordinator": ("", GWYNEDD_ONLY),
    "admin.remove_coordinator": (GWYNEDD_ONLY, GWYNEDD_ONLY),
    "admin.requests": (EVERY_ADMIN, ""),
    "admin.decide": ("", GWYNEDD_ONLY),
    "admin.history": (EVERY_ADMIN, ""),
    "admin.import_schools": (EVERY_ADMIN, "SFFBBB"),
    "admin.import_preview": (UPLOADER_ONLY, UPLOADER_ONLY),
    "admin.import_clusters": (EVERY_ADMIN, "SFFBBB"),
    "admin.clusters_preview": (UPLOADER_ONLY, UPLOADER_ONLY),
}
# Routes that change what later routes find run last.
LAST = ("admin.remove_coordinator", "admin.import_preview", "admin.clusters_preview")


@dataclass
class World:
    ids: dict[str, Any]


def post_data(world: World) -> dict[str, dict[str, str]]:
    return {
        "admin.make_lead": {"confirm": "yes"},
        "admin.invite_lead": {"name": "Nia Owen", "email": "nia@gwynedd.example", "language": "cy"},
        "admin.move_school": {"cluster": str(world.ids["other_cluster"])},
        "admin.school_category": {"category": "primarily-welsh"},
        "admin.clusters": {"authority": "gwynedd", "name_en": "Dwyfor", "name_cy": "Dwyfor"},
        "admin.cluster": {"name_en": "Arfon", "name_cy": "Arfon"},
        "admin.add_coordinator": {"email": "lead@gwynedd.example"},
        "admin.remove_coordinator": {"confirm": "yes"},
        "admin.decide": {"decision": "decline"},
    }


def build(directory: Directory) -> World:
    gwynedd = directory.authority("gwynedd")
    conwy = directory.authority("conwy")
    cluster = directory.cluster("Arfon", "gwynedd")
    other_cluster = directory.cluster("Meirionnydd", "gwynedd")
    school = directory.school("Ysgol Penrhos", "Ysgol Penrhos", cluster=cluster, number="6612001")
    without_lead = directory.school("Ysgol y Gader", None, cluster=cluster, number="6612002")
    directory.user(EMAILS["lead"], school=school, lead=True)
    member = directory.user("member@gwynedd.example", school=school, name="Rhys Evans")
    coordinator = directory.user(EMAILS["coordinator"], coordinator_of=[cluster])
    directory.user(EMAILS["national"], admin=True)
    uploader = directory.user(EMAILS["authority"], authority_admin=gwynedd)
    directory.user(EMAILS["other_authority"], authority_admin=conwy)
    join = JoinRequest(
        school_id=without_lead.id, issuer="https://hwb.example", subject="s1", name="Elin"
    )
    db.session.add(join)
    db.session.commit()
    rows = [(6612001, 661, "Gwynedd", "Ysgol Penrhos", "", "", "Primary", "Welsh Medium")]
    schools_token = keep_upload(
        uploader.id, "schools", gwynedd.id, "list.xlsx", xlsx(published(rows)), None
    )
    clusters_token = keep_upload(
        uploader.id, "clusters", gwynedd.id, "clusters.csv", b"6612001,Arfon,Arfon\n", None
    )
    return World(
        {
            "school": school.id,
            "cluster": cluster.id,
            "other_cluster": other_cluster.id,
            "member": member.id,
            "coordinator": coordinator.id,
            "join": join.id,
            "schools_token": schools_token,
            "clusters_token": clusters_token,
        }
    )


ARGUMENTS: dict[str, Callable[[World, Rule], Any]] = {
    "lang": lambda world, rule: "cy",
    "code": lambda world, rule: "gwynedd",
    "kind": lambda world, rule: "spending",
    "year": lambda world, rule: year_slug(academic_year_of(date.today())),
    "school_id": lambda world, rule: world.ids["school"],
    "cluster_id": lambda world, rule: world.ids["cluster"],
    "user_id": lambda world, rule: world.ids[
        "coordinator" if rule.endpoint == "admin.remove_coordinator" else "member"
    ],
    "request_id": lambda world, rule: world.ids["join"],
    "token": lambda world, rule: world.ids[
        "schools_token" if rule.endpoint == "admin.import_preview" else "clusters_token"
    ],
}


def url_of(world: World, rule: Rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(ARGUMENTS[name](world, rule)), path)
    return path


def rules(app: Flask) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("admin.", "national."))
        or rule.endpoint == "year_end_reports.national_csv"
    ]


def test_every_administration_route_has_a_row(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in rules(app)}
    assert endpoints == set(MATRIX), sorted(endpoints ^ set(MATRIX))
    for rule in rules(app):
        get, post = MATRIX[rule.endpoint]
        methods = rule.methods or set()
        assert bool(get) == ("GET" in methods), rule.endpoint
        assert bool(post) == ("POST" in methods), rule.endpoint


def signed_in(app: Flask, person: str) -> FlaskClient:
    client = app.test_client()
    if person != "anonymous":
        response = client.post(
            "/en/sign-in",
            data={"email": EMAILS[person], "password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("person", PEOPLE)
def test_the_administration_access_matrix(make_app: Any, directory: Directory, person: str) -> None:
    world = build(directory)
    protected: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in(protected, person)
    column = PEOPLE.index(person)
    data = post_data(world)
    wrong = []
    tried = sorted(
        rules(protected), key=lambda r: LAST.index(r.endpoint) + 1 if r.endpoint in LAST else 0
    )
    for method in ("GET", "POST"):
        for rule in tried:
            letters = MATRIX[rule.endpoint][0 if method == "GET" else 1]
            if not letters:
                continue
            url = url_of(world, rule)
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client)
                response = client.post(
                    url,
                    data={**data.get(rule.endpoint, {}), "csrf_token": token},
                    headers={"X-CSRFToken": token},
                )
            got = outcome(response)
            if got != letters[column]:
                wrong.append(f"{method} {url}: expected {letters[column]}, got {got}")
            body = response.get_data(as_text=True)
            if person in ("anonymous", "lead", "coordinator", "other_authority"):
                assert "Ysgol y Gader" not in body or rule.endpoint == "national.index", url
            if person in ("anonymous", "lead", "coordinator"):
                assert "Ysgol Penrhos" not in body, url
    assert not wrong, f"{person}:\n" + "\n".join(wrong)


def test_another_authoritys_administrator_sees_only_their_own_figures_and_schools(
    client: FlaskClient, directory: Directory
) -> None:
    build(directory)
    from tests.conftest import sign_in

    sign_in(client, EMAILS["other_authority"])
    national = client.get("/en/national?authority=gwynedd")
    assert national.status_code == 400
    own = client.get("/en/national")
    assert own.status_code == 200
    assert "Conwy" in own.get_data(as_text=True)
    assert client.get("/en/admin/schools?authority=gwynedd").status_code == 404
    listed = client.get("/en/admin/schools").get_data(as_text=True)
    assert "Ysgol Penrhos" not in listed
    users = db.session.query(User).filter(User.admin_authority_id.is_not(None)).count()
    assert users == 2


def test_an_authority_administrator_downloads_their_authoritys_year_end_csv_files(
    client: FlaskClient, directory: Directory
) -> None:
    """Review finding 10: the national page showed them links that answered 403."""
    build(directory)
    from tests.conftest import sign_in
    from tests.html import soup

    sign_in(client, EMAILS["authority"])
    page = client.get("/en/national")
    links = [a["href"] for a in soup(page).select("a[href*='/national/year-end-']")]
    assert len(links) == 2 and all("authority=gwynedd" in link for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.mimetype == "text/csv"
        assert "gwynedd" in response.headers["Content-Disposition"]
    year = year_slug(academic_year_of(date.today()))
    own = client.get(f"/en/national/year-end-impact.csv?year={year}")
    assert own.status_code == 200 and "gwynedd" in own.headers["Content-Disposition"]
    other = client.get(f"/en/national/year-end-spending.csv?year={year}&authority=conwy")
    assert other.status_code == 400
