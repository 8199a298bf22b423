"""A cluster's conversations: every comment and reply across its schools on one page, newest
first, with what is new to each coordinator marked (read markers per coordinator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.plans import write_plan_for
from wizard.data.database import db
from wizard.data.feedback import add_comment
from wizard.data.models import Cluster, Plan, PlanComment, User
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = academic_year_of(date.today())
SLUG = year_slug(YEAR)


@dataclass
class Talk:
    cluster: Cluster
    plans: dict[str, Plan]
    leads: dict[str, User]
    coordinator: User
    colleague: User
    client: FlaskClient

    def url(self, lang: str = "en") -> str:
        return f"/{lang}/clusters/{self.cluster.id}/conversations?year={SLUG}"


@pytest.fixture
def talk(app: Flask, directory: Directory) -> Talk:
    """Two schools of a cluster, each with a submitted plan; two coordinators of the cluster."""
    cluster = directory.cluster("West")
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster], name="Siân")
    colleague = directory.user("coord2@la.example", coordinator_of=[cluster], name="Dafydd")
    plans, leads = {}, {}
    for key, english, welsh in (("aber", "Aber School", "Ysgol Aber"), ("bryn", "Bryn", None)):
        school = directory.school(english, welsh, cluster=cluster)
        lead = directory.user(f"{key}@school.example", school=school, lead=True, name=key)
        plan = write_plan_for(lead, YEAR)
        submit(plan, school, lead)
        plans[key], leads[key] = plan, lead
    client = app.test_client()
    sign_in(client, coordinator.email)
    return Talk(cluster, plans, leads, coordinator, colleague, client)


def comment(
    talk: Talk, school: str, by: User, body: str, to: PlanComment | None = None
) -> PlanComment:
    return add_comment(talk.plans[school], 1, "hallmarks", by, body, reply_to=to)


def listed(page: object) -> list[tuple[str, bool]]:
    """(the comment's text, whether it is marked new), in the page's order."""
    return [
        (text(item.select_one(".app-answer")), item.select_one(".govuk-tag") is not None)
        for item in soup(page).select(".app-conversations > li")
    ]


def test_every_comment_and_reply_of_the_cluster_newest_first_with_the_new_marked(
    talk: Talk,
) -> None:
    first = comment(talk, "aber", talk.coordinator, "Say more about coaching")
    comment(talk, "bryn", talk.colleague, "Costs look high")
    comment(talk, "aber", talk.leads["aber"], "We will", to=first)
    page = talk.client.get(talk.url())
    assert page.status_code == 200
    assert listed(page) == [
        ("We will", True),
        ("Costs look high", True),  # a colleague's comment is new to this coordinator
        ("Say more about coaching", False),  # their own is never new to them
    ]
    assert "Comments and replies new to you: 2." in text(soup(page))


def test_marking_read_is_per_coordinator_and_keeps_what_came_after(app: Flask, talk: Talk) -> None:
    first = comment(talk, "aber", talk.coordinator, "Say more about coaching")
    reply = comment(talk, "aber", talk.leads["aber"], "We will", to=first)
    done = talk.client.post(
        f"/en/clusters/{talk.cluster.id}/conversations/read?year={SLUG}",
        data={"up_to": str(reply.id)},
    )
    assert done.status_code == 302
    comment(talk, "bryn", talk.leads["bryn"], "A question", to=first)
    assert listed(talk.client.get(talk.url())) == [
        ("A question", True),
        ("We will", False),
        ("Say more about coaching", False),
    ]
    # The other coordinator has read nothing yet.
    other = app.test_client()
    sign_in(other, talk.colleague.email)
    assert [new for _, new in listed(other.get(talk.url()))] == [True, True, True]
    dashboard = other.get(f"/en/clusters/{talk.cluster.id}?year={SLUG}")
    assert "New: 3" in text(soup(dashboard))


def test_welsh_page(talk: Talk) -> None:
    comment(talk, "aber", talk.leads["aber"], "Diolch")
    page = talk.client.get(talk.url("cy"))
    assert "Ysgol Aber" in text(soup(page))
    assert "Newydd" in text(soup(page))


def test_another_clusters_coordinator_gets_not_found(
    app: Flask, talk: Talk, directory: Directory
) -> None:
    other = directory.user("east@la.example", coordinator_of=[directory.cluster("East")])
    client = app.test_client()
    sign_in(client, other.email)
    assert client.get(talk.url()).status_code == 404
    assert (
        client.post(
            f"/en/clusters/{talk.cluster.id}/conversations/read?year={SLUG}", data={"up_to": "1"}
        ).status_code
        == 404
    )
    db.session.rollback()
