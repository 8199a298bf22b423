"""Progress through the year (issue 25, point 2): once a plan is submitted, its school's members
record, each term, how each priority is going; coordinators of the cluster read it. Updates are
records of their own: the submitted version never changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import CountedQueries, Directory, sign_in
from tests.html import error_summary, soup, text
from tests.plans import NINE, write_plan
from wizard.data.audit import AuditAction
from wizard.data.database import db
from wizard.data.models import AuditEvent, Plan, PlanVersion, ProgressUpdate

# The plan's year runs 2026/27; "today" is set by the test (the app's WIZARD_TODAY).
YEAR = "2026-27"
AUTUMN = date(2026, 11, 20)
SPRING = date(2027, 2, 10)
UPDATE = f"/en/plan/{YEAR}/progress/{NINE[0]}"
PAGE = f"/en/plan/{YEAR}/progress"


@pytest.fixture
def today(app: Flask) -> Iterator[Callable[[date], None]]:
    """Set the app's today; put back afterwards."""

    def set_today(day: date) -> None:
        app.config["WIZARD_TODAY"] = day

    set_today(AUTUMN)
    yield set_today
    app.config.pop("WIZARD_TODAY", None)


@pytest.fixture
def world(
    app: Flask, directory: Directory, client: FlaskClient, today: Callable[[date], None]
) -> dict[str, object]:
    cluster = directory.cluster()
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    colleague = directory.user("colleague@school.example", school=school)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    return {
        "cluster": cluster.id,
        "school": school.id,
        "lead": lead.email,
        "colleague": colleague.email,
        "coordinator": coordinator.email,
    }


def snapshot_bytes(app: Flask) -> bytes:
    with app.app_context():
        version = db.session.scalar(select(PlanVersion))
        assert version is not None
        return json.dumps(version.snapshot, sort_keys=True).encode()


def post_update(client: FlaskClient, url: str = UPDATE, **fields: str) -> object:
    page = soup(client.get(url))
    revision = page.find("input", attrs={"name": "revision"})["value"]
    return client.post(url, data={"revision": revision, "status": "on-track", **fields})


def test_nothing_to_record_before_the_plan_is_submitted(
    app: Flask, directory: Directory, client: FlaskClient, today: Callable[[date], None]
) -> None:
    school = directory.school()
    lead = directory.user("lead@school.example", school=school, lead=True)
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Progress opens once the plan for 2026/27 is submitted" in text(soup(page))
    assert client.get(UPDATE).status_code == 404
    assert "Through the year" not in text(soup(client.get(f"/en/plan/{YEAR}/")))


def test_a_member_records_this_terms_update_and_the_version_never_changes(
    app: Flask, client: FlaskClient, world: dict[str, object], today: Callable[[date], None]
) -> None:
    before = snapshot_bytes(app)
    hub = soup(client.get(f"/en/plan/{YEAR}/"))
    assert "9 priorities to update" in text(hub)
    assert len(hub.select("ul.govuk-list--bullet a[href*='/progress/']")) == 9
    # A colleague (not the lead) writes this term's update, without JavaScript.
    client.post("/en/sign-out")
    sign_in(client, str(world["colleague"]))
    saved = post_update(
        client,
        status="some-concerns",
        note="Cover was hard to find.",
        links="https://example.org/triads\n\nhttp://example.org/notes",
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"{PAGE}#priority-card-pedagogy")
    page = soup(client.get(PAGE))
    section = page.find(id="priority-card-pedagogy")
    assert "Some concerns" in text(section) and "Cover was hard to find." in text(section)
    links = section.select("a[rel]")
    assert [a["href"] for a in links] == ["https://example.org/triads", "http://example.org/notes"]
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in links)
    # The task list names the priorities still without an update this term.
    assert "8 priorities to update" in text(soup(client.get(f"/en/plan/{YEAR}/")))
    # Changing it: the same record, a new revision; both saves audited.
    assert post_update(client, status="on-track", note="Sorted.").status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(ProgressUpdate)).all()
        assert [(r.card, r.term, r.status, r.revision, r.version) for r in rows] == [
            (NINE[0], "autumn", "on-track", 2, 1)
        ]
        audited = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.PROGRESS_SAVED.value)
            .order_by(AuditEvent.id)
        ).all()
        assert [e.detail["status"] for e in audited] == ["some-concerns", "on-track"]
        plan = db.session.scalar(select(Plan))
        assert plan is not None and plan.status == "submitted" and plan.version == 1
    # The history page says so.
    history = text(soup(client.get(f"/en/plan/{YEAR}/history")))
    assert "Recorded how “Pedagogy and teaching approaches” is going: On track" in history
    assert snapshot_bytes(app) == before


def test_each_term_has_its_own_update_and_only_this_terms_can_change(
    app: Flask, client: FlaskClient, world: dict[str, object], today: Callable[[date], None]
) -> None:
    assert post_update(client, status="on-track", note="Autumn note").status_code == 302
    today(SPRING)
    page = soup(client.get(PAGE))
    section = page.find(id="priority-card-pedagogy")
    terms = [text(row) for row in section.select(".govuk-summary-list__row")]
    assert "Autumn note" in terms[0] and "No update yet this term" in terms[1]
    # Only this term's row has a link to change it.
    assert [bool(row.select("a")) for row in section.select(".govuk-summary-list__row")] == [
        False,
        True,
        False,
    ]
    # The spring update starts empty and is a second record.
    form = soup(client.get(UPDATE))
    assert form.find("textarea", attrs={"name": "note"}).get_text() == ""
    assert post_update(client, status="done", note="Spring note").status_code == 302
    with app.app_context():
        terms_saved = db.session.scalars(select(ProgressUpdate.term)).all()
        assert sorted(terms_saved) == ["autumn", "spring"]
    # Once the year is over, the page is read-only and the update page sends back to it.
    today(date(2027, 9, 1))
    assert client.get(UPDATE).status_code == 302
    assert "is not running now" in text(soup(client.get(PAGE)))


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("javascript:alert(1)", "Link 1 must start with http:// or https://"),
        (
            "https://ok.example\ndata:text/html,<b>x</b>",
            "Link 2 must start with http:// or https://",
        ),
        ("JAVASCRIPT:alert(document.cookie)", "Link 1 must start with http:// or https://"),
        ("https://", "Link 1 must be a full web address, like https://example.org/evidence"),
        ("https://a.example/x y", "Link 1 must not contain spaces"),
        ("\n".join(f"https://e.example/{n}" for n in range(6)), "Enter 5 links or fewer"),
    ],
)
def test_links_other_than_http_and_https_are_refused(
    app: Flask,
    client: FlaskClient,
    world: dict[str, object],
    links: str,
    message: str,
) -> None:
    response = post_update(client, links=links)
    assert response.status_code == 200
    assert error_summary(response) == [message]
    with app.app_context():
        assert db.session.scalar(select(ProgressUpdate)) is None


def test_errors_in_welsh(client: FlaskClient, world: dict[str, object]) -> None:
    url = UPDATE.replace("/en/", "/cy/")
    response = client.post(url, data={"revision": "0", "links": "javascript:alert(1)"})
    assert error_summary(response) == [
        "Dewiswch sut mae'r flaenoriaeth hon yn mynd",
        "Rhaid i ddolen 1 ddechrau gyda http:// neu https://",
    ]
    assert post_update(client, url, note="x" * 1001).status_code == 200
    response = post_update(client, url, note="x" * 1001)
    assert error_summary(response) == ["Rhaid i'r nodyn fod yn 1,000 nod neu lai"]


def test_a_stale_save_is_refused_and_says_so(
    app: Flask, client: FlaskClient, world: dict[str, object]
) -> None:
    assert post_update(client, note="First").status_code == 302
    stale = client.post(UPDATE, data={"revision": "0", "status": "done", "note": "Mine"})
    assert stale.status_code == 409
    assert "Someone else saved this update" in error_summary(stale)[0]
    with app.app_context():
        row = db.session.scalar(select(ProgressUpdate))
        assert row is not None and row.note == "First"


def test_a_stale_save_shows_the_colleagues_update_and_says_so_once(
    client: FlaskClient, world: dict[str, object]
) -> None:
    """Review finding 4: the page said "Their update is shown below" but showed nothing, and
    listed the message twice; saving again would overwrite an update the user never saw."""
    theirs = post_update(
        client,
        status="off-track",
        note="Theirs: staff cover fell through",
        links="https://example.org/evidence",
    )
    assert theirs.status_code == 302
    stale = client.post(UPDATE, data={"revision": "0", "status": "done", "note": "Mine"})
    assert stale.status_code == 409
    assert len(error_summary(stale)) == 1
    page = soup(stale)
    inset = page.find(id="saved-update")
    assert inset is not None
    shown = text(inset)
    assert "The update saved by your colleague" in shown
    assert "Off track" in shown
    assert "Theirs: staff cover fell through" in shown
    assert inset.find("a", href="https://example.org/evidence") is not None
    assert "Last changed" in shown
    # What the user typed is still in the form, ready to be saved over theirs.
    assert page.find("textarea", attrs={"name": "note"}).get_text().strip() == "Mine"


def test_a_card_not_on_the_submitted_board_is_not_found(
    client: FlaskClient, world: dict[str, object]
) -> None:
    assert client.get(f"/en/plan/{YEAR}/progress/card:inclusion").status_code == 404
    assert client.post(f"/en/plan/{YEAR}/progress/card:inclusion").status_code == 404


def test_the_coordinator_reads_progress_and_cannot_write(
    client: FlaskClient, world: dict[str, object]
) -> None:
    assert post_update(client, note="Going well").status_code == 302
    client.post("/en/sign-out")
    sign_in(client, str(world["coordinator"]))
    here = f"/en/clusters/{world['cluster']}/schools/{world['school']}/{YEAR}"
    plan_page = soup(client.get(here))
    assert "Going well" in text(plan_page.find(id="priority-card-pedagogy"))
    own_page = soup(client.get(f"{here}/progress"))
    assert "Going well" in text(own_page)
    assert not own_page.select("a[href*='/plan/2026-27/progress/']")
    assert client.get(UPDATE).status_code == 403
    assert client.post(UPDATE, data={"status": "done"}).status_code == 403


def test_the_progress_page_costs_the_same_queries_however_many_updates(
    app: Flask,
    client: FlaskClient,
    world: dict[str, object],
    count_queries: Callable[[], AbstractContextManager[CountedQueries]],
    today: Callable[[date], None],
) -> None:
    assert post_update(client, note="One").status_code == 302
    with count_queries() as few:
        assert client.get(PAGE).status_code == 200
    today(SPRING)
    for card in NINE:
        assert (
            post_update(client, f"/en/plan/{YEAR}/progress/{card}", note="Note").status_code == 302
        )
    with count_queries() as many:
        assert client.get(PAGE).status_code == 200
    assert many.total == few.total, (few, many)
    with app.app_context():
        assert db.session.query(ProgressUpdate).count() == 10
