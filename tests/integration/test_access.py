"""Every route says who may use it, and the declarations are enforced."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.access import Access, declared_access

YEAR = year_slug(academic_year_of(date.today()))


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and declared_access(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_the_declarations_are_the_ones_we_expect(app: Flask) -> None:
    declared = {
        rule.endpoint: declared_access(app.view_functions[rule.endpoint])
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }
    assert declared["plan.step"] is Access.SCHOOL_MEMBER
    assert declared["account.invite"] is Access.SCHOOL_LEAD
    assert declared["clusters.index"] is Access.COORDINATOR
    assert declared["auth.sign_in"] is Access.PUBLIC
    public = {endpoint for endpoint, access in declared.items() if access is Access.PUBLIC}
    assert public == {
        "root.index",
        "root.healthz",
        "root.readyz",
        "public.start",
        "public.accessibility",
        "public.privacy",
        "public.cookies",
        "public.help_page",
        "auth.sign_in",
        "auth.reset_password_request",
        "auth.reset_password",
        "auth.accept_invitation",
        "shared.page",
        "shared.pdf",
        "shared.svg",
        "shared.docx",
        # Hwb: signing in starts without an account; someone Hwb knows but we do not asks to
        # join (the view needs their Hwb identity in the session); the provider's redirect back.
        "hwb.start",
        "hwb.start_invitation",
        "hwb.join",
        "hwb.signed_out",
        "hwb_callback.callback",
        # Staff voice: staff respond through the round's link, without an account.
        "staff_voice_response.start",
        "staff_voice_response.board",
        "staff_voice_response.move",
        "staff_voice_response.done",
        "staff_voice_response.forget",
    }
    assert declared["sharing.index"] is Access.SCHOOL_LEAD
    assert declared["staff_voice.close"] is Access.SCHOOL_LEAD
    assert declared["staff_voice.new_link"] is Access.SCHOOL_LEAD
    assert declared["staff_voice.apply"] is Access.SCHOOL_LEAD
    assert declared["staff_voice.results"] is Access.SCHOOL_MEMBER
    assert declared["auth.stay_signed_in"] is Access.SIGNED_IN


MEMBER_PAGES = [
    "/en/plan/",
    f"/en/plan/{YEAR}/",
    f"/en/plan/{YEAR}/about-your-school",
    f"/en/plan/{YEAR}/about-your-school/check",
]


@pytest.mark.parametrize(
    "url", [*MEMBER_PAGES, "/en/account/", "/en/account/invite", "/en/clusters/"]
)
def test_anonymous_people_are_sent_to_sign_in(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/sign-in?next=")


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_coordinators_without_a_school_cannot_open_a_schools_plan(
    app: Flask, directory: Directory, url: str
) -> None:
    directory.user(email="coord@la.example", coordinator_of=[directory.cluster()])
    client = app.test_client()
    sign_in(client, "coord@la.example")
    assert client.get(url).status_code == 403


def test_school_members_are_not_coordinators(lead_client: FlaskClient) -> None:
    assert lead_client.get("/cy/clusters/").status_code == 403


def test_a_coordinator_sees_only_their_own_clusters(app: Flask, directory: Directory) -> None:
    mine = directory.cluster("Mine")
    theirs = directory.cluster("Theirs")
    directory.school(name_en="Visible School", name_cy=None, cluster=mine)
    directory.school(name_en="Hidden School", name_cy=None, cluster=theirs)
    directory.user(email="coord@la.example", coordinator_of=[mine])
    client = app.test_client()
    sign_in(client, "coord@la.example")
    page = client.get("/en/clusters/", follow_redirects=True).get_data(as_text=True)
    assert "Visible School" in page
    assert "Hidden School" not in page


def test_forbidden_pages_are_in_the_page_language(lead_client: FlaskClient) -> None:
    response = lead_client.get("/cy/clusters/")
    assert "Nid oes gennych ganiatâd" in response.get_data(as_text=True)
