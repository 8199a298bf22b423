"""A cluster's deadline: set by its coordinator, shown on the schools' task lists, reminders
before it and on the day (once each, in each lead's language, however many senders run), and
the dashboard's overdue schools first, with who was reminded and when. The clock is the
test's: `send_reminders(on=...)` and the services' `today`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.plans import write_plan_for
from tests.reminders import (
    before_and_on_the_day,
    outbox,
    reminded_column,
    reminded_twice,
    reminders,
    send_from_two_at_once,
    sent_around,
)
from wizard.data import deadlines as deadline_data
from wizard.data.database import db
from wizard.data.models import Cluster, ClusterDeadline, School, User
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import deadlines

YEAR = academic_year_of(date.today())
SLUG = year_slug(YEAR)
DUE = date.today() + timedelta(days=30)


@dataclass
class Cluster3:
    cluster: Cluster
    welsh: School
    english: School
    done: School
    coordinator: User
    client: FlaskClient


@pytest.fixture
def three(app: Flask, directory: Directory) -> Cluster3:
    """A cluster of three schools: one not started (its lead reads Welsh), one in progress
    (English), one submitted."""
    cluster = directory.cluster("West")
    welsh = directory.school("Aber School", "Ysgol Aber", cluster=cluster)
    english = directory.school("Bryn School", "Ysgol Bryn", cluster=cluster)
    done = directory.school("Castell School", "Ysgol Castell", cluster=cluster)
    directory.user("aber@school.example", school=welsh, lead=True, locale="cy")
    bryn = directory.user("bryn@school.example", school=english, lead=True, locale="en")
    castell = directory.user("castell@school.example", school=done, lead=True)
    write_plan_for(bryn, YEAR)
    submit(write_plan_for(castell, YEAR), done, castell)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster], locale="cy")
    client = app.test_client()
    sign_in(client, coordinator.email)
    return Cluster3(cluster, welsh, english, done, coordinator, client)


def set_due(three: Cluster3, due: date = DUE) -> ClusterDeadline:
    return deadline_data.set_deadline(three.cluster.id, YEAR, "plan", due, three.coordinator)


def schools_table(page: Any) -> list[Any]:
    """The rows of the dashboard's first table: its schools."""
    table = soup(page).find("table")
    assert table is not None
    return list(table.select("tbody tr"))


def test_reminders_before_and_on_the_day_once_each_to_schools_that_have_not_submitted(
    three: Cluster3,
) -> None:
    set_due(three)
    assert sent_around(DUE, between=DUE - timedelta(days=2)) == [0, 2, 0, 0, 2, 0, 0]
    assert reminders() == before_and_on_the_day(three.welsh.id, three.english.id)
    mails = outbox()
    assert [m.recipient for m in mails].count("aber@school.example") == 2
    assert "castell@school.example" not in {m.recipient for m in mails}
    assert all(m.sent_at is not None for m in mails)


def test_a_closed_school_is_never_reminded(three: Cluster3) -> None:
    """Found by a review: a school closed by the published list kept its cluster, and its
    leads were reminded of the deadline."""
    three.welsh.closed_on = date.today()
    db.session.commit()
    set_due(three)
    assert deadlines.send_reminders(DUE - timedelta(days=7)) == 1
    assert reminders() == [(three.english.id, "before")]
    assert "aber@school.example" not in {m.recipient for m in outbox()}


def test_each_lead_is_reminded_in_their_own_language(three: Cluster3) -> None:
    set_due(three)
    (welsh_before, welsh_day), (english_before, english_day) = reminded_twice(
        DUE, "aber@school.example", "bryn@school.example"
    )
    assert welsh_before.locale == "cy" and english_before.locale == "en"
    assert welsh_before.subject.startswith("Mae eich cynllun dysgu proffesiynol i'w gyflwyno")
    assert welsh_day.subject == "Mae eich cynllun dysgu proffesiynol i'w gyflwyno heddiw"
    assert english_before.subject.startswith("Your professional learning plan is due on")
    assert english_day.subject == "Your professional learning plan is due today"
    assert f"/cy/plan/{SLUG}/" in welsh_before.body
    assert f"/en/plan/{SLUG}/" in english_before.body


def test_two_senders_at_once_remind_each_school_once(
    app: Flask, three: Cluster3, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers (or a job and its retry) both find the reminders unsent, then both write
    them: one commits each school's reminder and its emails, the other's fails quietly."""
    set_due(three)
    counts = send_from_two_at_once(app, monkeypatch, DUE - timedelta(days=3))
    assert sum(counts) == 2
    assert reminders() == sorted([(three.welsh.id, "before"), (three.english.id, "before")])
    assert sorted(m.recipient for m in outbox()) == ["aber@school.example", "bryn@school.example"]


def test_a_moved_deadline_is_reminded_again(three: Cluster3) -> None:
    set_due(three)
    assert deadlines.send_reminders(DUE - timedelta(days=3)) == 2
    set_due(three, DUE + timedelta(days=2))
    assert deadlines.send_reminders(DUE - timedelta(days=2)) == 2


def test_the_coordinator_sets_the_deadline_and_sees_who_was_reminded(
    three: Cluster3, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/cy/clusters/{three.cluster.id}/deadline?year={SLUG}"
    page = three.client.get(url)
    assert page.status_code == 200
    due = date.today() + timedelta(days=5)
    response = three.client.post(
        url,
        data={
            "csrf_token": "",
            "due_day": str(due.day),
            "due_month": str(due.month),
            "due_year": str(due.year),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    # Within the reminder's days: the two schools that have not submitted are reminded at once.
    assert reminders() == sorted([(three.welsh.id, "before"), (three.english.id, "before")])
    dashboard = three.client.get(f"/cy/clusters/{three.cluster.id}?year={SLUG}")
    text = dashboard.get_data(as_text=True)
    assert "Cyn y dyddiad cau" in text
    _, reminded = reminded_column(dashboard, "Nodyn atgoffa")
    assert reminded["Ysgol Castell"] == "Heb eu hatgoffa"
    assert reminded["Ysgol Aber"].startswith("Cyn y dyddiad cau")


def test_a_deadline_in_the_past_is_refused(three: Cluster3) -> None:
    past = date.today() - timedelta(days=1)
    response = three.client.post(
        f"/en/clusters/{three.cluster.id}/deadline?year={SLUG}",
        data={"due_day": str(past.day), "due_month": str(past.month), "due_year": str(past.year)},
    )
    assert response.status_code == 200
    assert "The deadline must be today or in the future" in response.get_data(as_text=True)
    assert db.session.scalar(select(ClusterDeadline)) is None


def test_overdue_schools_are_listed_first(three: Cluster3, monkeypatch: pytest.MonkeyPatch) -> None:
    set_due(three)
    monkeypatch.setattr(deadlines, "today", lambda: DUE + timedelta(days=1))
    page = three.client.get(f"/en/clusters/{three.cluster.id}?year={SLUG}")
    names = [row.th.get_text(strip=True) for row in schools_table(page)]
    assert names == ["Aber School", "Bryn School", "Castell School"]
    overdue = [
        row.th.get_text(strip=True) for row in schools_table(page) if "Overdue" in row.get_text()
    ]
    assert overdue == ["Aber School", "Bryn School"]


def test_overdue_first_whatever_the_alphabet(
    app: Flask, three: Cluster3, directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = directory.school("Zeta School", "Ysgol Zeta", cluster=three.cluster)
    for school in (three.welsh, three.english):
        lead = db.session.scalar(select(User).where(User.school_id == school.id))
        assert lead is not None
        submit(write_plan_for(lead, YEAR), school, lead)
    set_due(three)
    monkeypatch.setattr(deadlines, "today", lambda: DUE + timedelta(days=1))
    page = three.client.get(f"/en/clusters/{three.cluster.id}?year={SLUG}")
    names = [row.th.get_text(strip=True) for row in schools_table(page)]
    assert names[0] == late.name_en


def test_the_task_list_shows_the_deadline(
    app: Flask, three: Cluster3, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_due(three)
    client = app.test_client()
    sign_in(client, "aber@school.example")
    page = client.get(f"/cy/plan/{SLUG}/")
    assert "Dyddiad cau" in page.get_data(as_text=True)
    monkeypatch.setattr(deadlines, "today", lambda: DUE + timedelta(days=1))
    page = client.get(f"/en/plan/{SLUG}/")
    assert "Overdue" in page.get_data(as_text=True)


def test_another_clusters_coordinator_cannot_set_it(
    app: Flask, three: Cluster3, directory: Directory
) -> None:
    other = directory.user("other@la.example", coordinator_of=[directory.cluster("East")])
    client = app.test_client()
    sign_in(client, other.email)
    assert client.get(f"/en/clusters/{three.cluster.id}/deadline").status_code == 404
    assert (
        client.post(
            f"/en/clusters/{three.cluster.id}/deadline",
            data={"due_day": "1", "due_month": "1", "due_year": "2099"},
        ).status_code
        == 404
    )
    assert db.session.scalar(select(ClusterDeadline)) is None


def test_the_command_sends_the_reminders(app: Flask, three: Cluster3) -> None:
    set_due(three)
    result = app.test_cli_runner().invoke(
        args=["send-reminders", "--on", (DUE - timedelta(days=7)).isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "2 reminders sent." in result.output
