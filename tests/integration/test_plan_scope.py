"""Every plan is reached through the one plan scope: the access declaration resolves the school
and year a URL names and the signed-in user's right to that plan, once per request."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from werkzeug.exceptions import Forbidden, NotFound

from tests.conftest import Directory
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.access import declared_access, declares_plan_scope
from wizard.web.scope import resolve_plan_scope

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)


def test_every_route_of_a_years_plan_declares_the_plan_scope(app: Flask) -> None:
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "<year>" in rule.rule
        # A cluster's exports (and its year-end figures) name a cluster and a year, not a plan:
        # they check that the user coordinates the cluster instead.
        and not rule.endpoint.startswith(("exports.", "year_end_reports."))
        and not declares_plan_scope(app.view_functions[rule.endpoint])
    ]
    assert missing == []
    # The coordinator's page of one school's plan names the school: the scope checks it.
    assert declares_plan_scope(app.view_functions["coordinator.plan"])
    assert all(
        declared_access(app.view_functions[rule.endpoint]) is not None
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    )


@pytest.fixture
def people(directory: Directory) -> dict[str, object]:
    cluster = directory.cluster("North")
    other_cluster = directory.cluster("South")
    school = directory.school(cluster=cluster)
    other_school = directory.school(name_en="Elsewhere", cluster=other_cluster)
    return {
        "school": school,
        "other_school": other_school,
        "member": directory.user(email="m@x.example", school=school),
        "stranger": directory.user(email="s@x.example", school=other_school),
        "coordinator": directory.user(email="c@x.example", coordinator_of=[cluster]),
        "other_coordinator": directory.user(email="o@x.example", coordinator_of=[other_cluster]),
        "admin": directory.user(email="a@x.example", admin=True),
    }


def scope_for(app: Flask, user: object, school_id: int | None, method: str = "GET") -> object:
    args: dict[str, object] = {"year": YEAR}
    if school_id is not None:
        args["school_id"] = school_id
    with app.test_request_context(f"/en/plan/{YEAR}/", method=method):
        return resolve_plan_scope(user, args)


def test_a_member_reads_and_writes_their_own_schools_plan(app: Flask, people: dict) -> None:
    scope = scope_for(app, people["member"], None, method="POST")
    assert (scope.school_id, scope.academic_year, scope.can_write) == (
        people["school"].id,
        THIS,
        True,
    )


def test_a_coordinator_reads_the_plans_of_their_clusters_only(app: Flask, people: dict) -> None:
    scope = scope_for(app, people["coordinator"], people["school"].id)
    assert scope.school_id == people["school"].id and not scope.can_write
    with pytest.raises(Forbidden):
        scope_for(app, people["coordinator"], people["school"].id, method="POST")
    with pytest.raises(NotFound):
        scope_for(app, people["other_coordinator"], people["school"].id)
    with pytest.raises(NotFound):
        scope_for(app, people["coordinator"], people["other_school"].id)


def test_an_administrator_reads_every_plan(app: Flask, people: dict) -> None:
    assert not scope_for(app, people["admin"], people["other_school"].id).can_write
    with pytest.raises(Forbidden):
        scope_for(app, people["admin"], people["school"].id, method="POST")


def test_a_member_of_another_school_does_not_find_the_plan(app: Flask, people: dict) -> None:
    with pytest.raises(NotFound):
        scope_for(app, people["stranger"], people["school"].id)


@pytest.mark.parametrize("slug", ["1999-00", "2026-28", "x"])
def test_years_out_of_range_are_not_found(app: Flask, people: dict, slug: str) -> None:
    with app.test_request_context("/"), pytest.raises(NotFound):
        resolve_plan_scope(people["member"], {"year": slug})
