"""A coordinator's view of a school's plan: access, versions, the change list, the PDF,
comments and verdicts, the school's side of feedback, and the emails."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import Directory, sign_in
from tests.html import error_summary, heading, soup, text
from tests.plans import revision, write_plan
from wizard.data import outbox
from wizard.data.database import db
from wizard.data.feedback import FEEDBACK_MAIL_WINDOW
from wizard.data.models import AuditEvent, Cluster, PlanVersion, School, User, utcnow
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


@dataclass
class World:
    cluster: Cluster
    school: School
    lead: User
    coordinator: User
    lead_client: FlaskClient
    coordinator_client: FlaskClient

    def url(self, lang: str = "en", path: str = "") -> str:
        return f"/{lang}/clusters/{self.cluster.id}/schools/{self.school.id}/{YEAR}{path}"


@pytest.fixture
def world(app: Flask, directory: Directory) -> World:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True, locale="cy")
    coordinator = directory.user(
        "coord@la.example", coordinator_of=[cluster], name="Owain Hughes", locale="cy"
    )
    lead_client, coordinator_client = app.test_client(), app.test_client()
    sign_in(lead_client, lead.email)
    sign_in(coordinator_client, coordinator.email)
    return World(cluster, school, lead, coordinator, lead_client, coordinator_client)


def submit(client: FlaskClient) -> None:
    response = client.post(f"/en/plan/{YEAR}/submit")
    assert response.status_code == 302, response.status_code


def submitted(world: World) -> World:
    write_plan(world.lead_client, YEAR)
    submit(world.lead_client)
    return world


def emails(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "email was not sent" in r.getMessage()]


def test_the_coordinator_reads_the_latest_submitted_version(world: World) -> None:
    submitted(world)
    page = world.coordinator_client.get(world.url())
    assert page.status_code == 200
    assert heading(page) == "Ysgol Gynradd Oakfield" or heading(page) == "Oakfield Primary School"
    body = page.get_data(as_text=True)
    assert "Version 1" in body and "This is the first version the school submitted." in body
    assert "Our reflection" in body
    # Read-only: no forms that change the plan, only feedback.
    # Leaving out the header's sign-out and the timeout warning's forms (tests/test_session_timeout).
    actions = {
        f["action"]
        for f in soup(page).find_all("form")
        if "/sign-out" not in f["action"] and not f.find_parent("dialog")
    }
    assert actions == {world.url(path="/comments"), world.url(path="/review")}


def test_before_anything_is_submitted_the_draft_is_shown_read_only(world: World) -> None:
    write_plan(world.lead_client, YEAR, reflection="Draft words")
    page = world.coordinator_client.get(world.url("cy"))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Draft words" in body
    forms = [f["action"] for f in soup(page).find_all("form") if not f.find_parent("dialog")]
    assert forms == ["/cy/sign-out"]


def test_a_school_with_no_plan_says_so(world: World) -> None:
    page = world.coordinator_client.get(world.url())
    assert heading(page) == "This school has not started its plan"


@pytest.mark.parametrize(
    "case", ["other-coordinator", "wrong-cluster", "member-other-school", "own-member"]
)
def test_only_the_clusters_coordinators_may_read_it(
    app: Flask, directory: Directory, world: World, case: str
) -> None:
    submitted(world)
    other_cluster = directory.cluster("East")
    client = app.test_client()
    url = world.url()
    if case == "other-coordinator":
        directory.user("east@la.example", coordinator_of=[other_cluster])
        sign_in(client, "east@la.example")
    elif case == "wrong-cluster":
        # A coordinator of both clusters, with the school under the wrong one.
        directory.user("both@la.example", coordinator_of=[other_cluster, world.cluster])
        sign_in(client, "both@la.example")
        url = f"/en/clusters/{other_cluster.id}/schools/{world.school.id}/{YEAR}"
    elif case == "member-other-school":
        elsewhere = directory.school("Elsewhere", cluster=other_cluster)
        directory.user("m@else.example", school=elsewhere)
        sign_in(client, "m@else.example")
    else:
        directory.user("colleague@school.example", school=world.school)
        sign_in(client, "colleague@school.example")
    assert client.get(url).status_code in (403, 404)
    assert client.post(
        url + "/comments", data={"version": "1", "task": "whole-plan", "body": "x"}
    ).status_code in (403, 404)
    assert client.post(
        url + "/review", data={"version": "1", "status": "reviewed"}
    ).status_code in (403, 404)
    assert client.get(url + "/plan.pdf").status_code in (403, 404)


def test_a_school_lead_cannot_comment_or_review(world: World) -> None:
    submitted(world)
    assert world.lead_client.post(
        world.url(path="/comments"), data={"version": "1", "task": "whole-plan", "body": "x"}
    ).status_code in (403, 404)
    assert world.lead_client.post(
        world.url(path="/review"), data={"version": "1", "status": "reviewed"}
    ).status_code in (403, 404)


def test_anonymous_people_are_asked_to_sign_in(client: FlaskClient, world: World) -> None:
    response = client.get(world.url())
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_pdf_is_in_welsh(world: World) -> None:
    submitted(world)
    response = world.coordinator_client.get(world.url("cy", "/plan.pdf?version=1"))
    assert response.mimetype == "application/pdf"
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Fersiwn 1" in pdf
    assert world.coordinator_client.get(world.url("cy", "/plan.pdf?version=9")).status_code == 404


def test_an_unknown_version_is_404(world: World) -> None:
    submitted(world)
    assert world.coordinator_client.get(world.url(path="?version=7")).status_code == 404
    assert world.coordinator_client.get(world.url(path="?version=abc")).status_code == 404


def reopen_change_and_resubmit(world: World) -> None:
    lead = world.lead_client
    assert lead.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    path = f"/en/plan/{YEAR}/about-your-school"
    lead.post(
        path,
        data={
            "revision": revision(lead, path),
            "phase": "secondary",
            "teaching_staff": "12",
            "support_staff": "8",
            "pl_lead": "Catrin Jones",
            "funding_allocation": "1000",
        },
    )
    board = soup(lead.get(f"/en/plan/{YEAR}/diamond-9")).find(id="diamond-board")
    lead.post(
        f"/en/plan/{YEAR}/diamond-9/move",
        data={"version": board["data-version"], "card": "card:pedagogy", "to": "2"},
    )
    for task in ("contexts", "hallmarks", "funding-plan"):
        check = f"/en/plan/{YEAR}/{task}/check"
        lead.post(check, data={"revision": revision(lead, check), "completed": "yes"})
    submit(lead)


def test_the_change_list_between_versions(world: World) -> None:
    submitted(world)
    reopen_change_and_resubmit(world)
    page = world.coordinator_client.get(world.url())
    changes = soup(page).find(id="changes")
    assert changes is not None
    said = text(changes)
    assert "What changed since version 1" in said
    assert "About your school" in said
    assert "Row 1 → changed to Row 2" in said
    versions = world.lead_client.get(f"/en/plan/{YEAR}/versions")
    body = text(soup(versions))
    assert "Version 2: what changed since the version before" in body
    assert "Row 1 → changed to Row 2" in body
    welsh = text(soup(world.lead_client.get(f"/cy/plan/{YEAR}/versions")))
    assert "Rhes 1 → wedi newid i Rhes 2" in welsh
    # Version 1 is still readable, and has no change list.
    first = world.coordinator_client.get(world.url(path="?version=1"))
    assert "This is the first version the school submitted." in first.get_data(as_text=True)


def test_comments_verdicts_replies_and_emails(
    app: Flask, world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted(world)
    sent = emails(caplog)
    # The coordinator hears of the submission in Welsh, with a link to the school's plan.
    assert len(sent) == 1 and "coord@la.example" in sent[0]
    assert "wedi cyflwyno" in sent[0]
    assert f"/cy/clusters/{world.cluster.id}/schools/{world.school.id}/{YEAR}?version=1" in sent[0]
    caplog.clear()
    with app.app_context():  # the lead last used the service in English; now prefers Welsh
        db.session.get(User, world.lead.id).locale = "cy"
        db.session.commit()

    coordinator = world.coordinator_client
    empty = coordinator.post(
        world.url("cy", "/comments"), data={"version": "1", "task": "hallmarks", "body": ""}
    )
    assert empty.status_code == 200
    assert error_summary(empty) == ["Rhowch eich sylw"]
    too_long = coordinator.post(
        world.url(path="/comments"), data={"version": "1", "task": "hallmarks", "body": "a" * 2001}
    )
    assert error_summary(too_long) == ["Your comment must be 2,000 characters or fewer"]
    assert "a" * 2001 in too_long.get_data(as_text=True)  # nothing typed is lost
    assert not emails(caplog)

    done = coordinator.post(
        world.url(path="/comments"),
        data={"version": "1", "task": "hallmarks", "body": "Say more about coaching"},
    )
    assert done.status_code == 302
    coordinator.post(
        world.url(path="/comments"),
        data={"version": "1", "task": "whole-plan", "body": "A clear plan overall"},
    )
    # Two comments in quick succession are one email; the verdict comes once that has passed.
    sent = emails(caplog)
    assert len(sent) == 1 and "lead@school.example" in sent[0]
    assert "Adborth" in sent[0] and f"/cy/plan/{YEAR}/" in sent[0]
    later = utcnow() + FEEDBACK_MAIL_WINDOW
    monkeypatch.setattr(outbox, "utcnow", lambda: later)
    verdict = coordinator.post(
        world.url(path="/review"), data={"version": "1", "status": "changes-requested"}
    )
    assert verdict.status_code == 302
    with app.app_context():
        version = db.session.query(PlanVersion).one()
        assert version.review_status == "changes-requested"
        actions = [e.action for e in db.session.query(AuditEvent)]
        assert actions.count("comment-added") == 2 and "changes-requested" in actions
    sent = emails(caplog)
    assert len(sent) == 2 and all("lead@school.example" in m for m in sent)
    assert "wedi gofyn am newidiadau" in sent[1]

    # The lead sees the comment beside the right task, and the verdict.
    hub = world.lead_client.get(f"/en/plan/{YEAR}/")
    items = soup(hub).select(".govuk-task-list__item")
    hallmarks = next(i for i in items if "Self-review" in text(i))
    assert "Say more about coaching" in text(hallmarks)
    assert all("Say more about coaching" not in text(i) for i in items if i is not hallmarks)
    feedback = text(soup(hub).find(id="feedback"))
    assert "A clear plan overall" in feedback and "Changes requested" in feedback
    summary = world.lead_client.get(f"/en/plan/{YEAR}/summary")
    assert "Say more about coaching" in summary.get_data(as_text=True)

    # The lead replies, in Welsh.
    reply_link = next(
        (a for a in soup(hub).find_all("a") if text(a).startswith("Reply to the comment by")),
        None,
    )
    assert reply_link is not None
    reply_url = reply_link["href"].replace("/en/", "/cy/")
    page = world.lead_client.get(reply_url)
    assert heading(page) == "Ymatebwch i sylw"
    empty_reply = world.lead_client.post(reply_url, data={"body": ""})
    assert error_summary(empty_reply) == ["Rhowch eich ymateb"]  # it asks for a reply
    english = world.lead_client.post(reply_url.replace("/cy/", "/en/"), data={"body": ""})
    assert error_summary(english) == ["Enter your reply"]
    too_long = world.lead_client.post(reply_url, data={"body": "a" * 2001})
    assert error_summary(too_long) == ["Rhaid i'ch ymateb fod yn 2,000 nod neu lai"]
    caplog.clear()
    assert world.lead_client.post(reply_url, data={"body": "Diolch, we will"}).status_code == 302
    shown = coordinator.get(world.url())
    assert "Diolch, we will" in shown.get_data(as_text=True)
    # The coordinator hears of the reply in their language (Welsh), with a link to it.
    sent = emails(caplog)
    assert len(sent) == 1 and "coord@la.example" in sent[0]
    assert "wedi ymateb" in sent[0]
    assert f"/cy/clusters/{world.cluster.id}/schools/{world.school.id}/{YEAR}#feedback" in sent[0]


def test_the_welsh_verdict_is_adolygwyd_in_its_label_its_error_and_the_history(
    world: World,
) -> None:
    """The error names the options as the page shows them, quoted; the history and the
    confirmation say "nodi", with "wedi'i hadolygu" agreeing with "fersiwn"."""
    submitted(world)
    coordinator = world.coordinator_client
    page = soup(coordinator.get(world.url("cy")))
    options = [
        text(page.find("label", attrs={"for": radio["id"]}))
        for radio in page.select('input[name="status"]')
    ]
    assert options == ["Adolygwyd", "Gofynnwyd am newidiadau"]
    empty = coordinator.post(world.url("cy", "/review"), data={"version": "1"})
    assert error_summary(empty) == ["Dewiswch “Adolygwyd” neu “Gofynnwyd am newidiadau”"]
    assert all(f"“{option}”" in error_summary(empty)[0] for option in options)
    done = coordinator.post(
        world.url("cy", "/review"),
        data={"version": "1", "status": "reviewed"},
        follow_redirects=True,
    )
    assert "Rydych wedi nodi fersiwn 1 fel: “Adolygwyd”" in text(soup(done))
    history = text(soup(world.lead_client.get(f"/cy/plan/{YEAR}/history")))
    assert "Wedi nodi bod fersiwn 1 wedi'i hadolygu" in history
    english = text(soup(world.lead_client.get(f"/en/plan/{YEAR}/history")))
    assert "Marked version 1 as reviewed" in english


def test_comments_stay_with_their_version_after_reopen(world: World) -> None:
    submitted(world)
    world.coordinator_client.post(
        world.url(path="/comments"),
        data={"version": "1", "task": "funding-plan", "body": "Costs look high"},
    )
    reopen_change_and_resubmit(world)
    # The latest version's page has the whole conversation, saying which version each was on.
    latest = soup(world.coordinator_client.get(world.url()))
    comment = next(li for li in latest.select(".app-comment") if "Costs look high" in text(li))
    assert "on version 1" in text(comment)
    first = world.coordinator_client.get(world.url(path="?version=1")).get_data(as_text=True)
    assert "Costs look high" in first
    assert "Costs look high" not in world.lead_client.get(f"/en/plan/{YEAR}/").get_data(
        as_text=True
    )
    assert "Costs look high" in world.lead_client.get(f"/en/plan/{YEAR}/versions/1").get_data(
        as_text=True
    )


def test_no_email_to_coordinators_when_the_submission_fails(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.lead_client.post(f"/en/plan/{YEAR}/submit")  # an empty plan cannot be submitted
    assert not emails(caplog)


def test_feedback_on_a_version_that_does_not_exist_is_404_and_emails_nobody(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    submitted(world)
    caplog.clear()
    for path, data in (
        ("/comments", {"version": "2", "task": "whole-plan", "body": "Hello"}),
        ("/review", {"version": "x", "status": "reviewed"}),
    ):
        assert world.coordinator_client.post(world.url(path=path), data=data).status_code == 404
    assert not emails(caplog)


def test_the_page_takes_the_same_queries_however_many_comments(
    world: World, count_queries: Any
) -> None:
    submitted(world)

    def comment(body: str) -> None:
        data = {"version": "1", "task": "hallmarks", "body": body}
        assert (
            world.coordinator_client.post(world.url(path="/comments"), data=data).status_code == 302
        )

    comment("First")
    world.coordinator_client.get(world.url())  # the session's first page saves its language
    with count_queries() as one:
        world.coordinator_client.get(world.url())
    for n in range(5):
        comment(f"More {n}")
    with count_queries() as six:
        page = world.coordinator_client.get(world.url())
    assert "More 4" in page.get_data(as_text=True)

    # (Reads only: the session's own bookkeeping may write now and then.)
    def reads(counted: Any) -> int:
        return sum(1 for s in counted.statements if s.lstrip().upper().startswith("SELECT"))

    assert reads(six) == reads(one), (one, six)
