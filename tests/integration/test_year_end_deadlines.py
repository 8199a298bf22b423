"""A cluster's deadline for the year-end reviews: set by its coordinator beside the plans'
deadline, shown on the "After the year" task, reminders before it and on the day (once each,
in each lead's language, however many senders run, only once the reviews have opened) to the
schools whose plan is submitted and whose review is not, and the dashboard's overdue reviews
first, with who was reminded and when. The clock is the test's: `send_reminders(on=...)` and
the services' `today`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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
from wizard.data.models import (
    Cluster,
    ClusterDeadline,
    School,
    User,
    YearEndReview,
)
from wizard.data.versions import submit
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.values import PlanStatus
from wizard.services import deadlines

# Last academic year's reviews opened on 1 April of this calendar year's summer term (or last
# one's): open today, whatever today is.
YEAR = academic_year_of(date.today()) - 1
SLUG = year_slug(YEAR)
OPENS = date(YEAR + 1, 4, 1)
DUE = date(YEAR + 1, 6, 30)


@dataclass
class Reviews:
    cluster: Cluster
    welsh: School
    """Plan submitted, review not started; its lead reads Welsh."""
    english: School
    """Plan submitted, review in progress; its lead reads English."""
    done: School
    """Plan and review submitted."""
    no_plan: School
    """Plan not submitted: it cannot write a review yet, so is not reminded of it."""
    coordinator: User


def _lead(directory: Directory, school: School, email: str, locale: str) -> User:
    return directory.user(email, school=school, lead=True, locale=locale)


@pytest.fixture
def reviews(app: Flask, directory: Directory) -> Reviews:
    cluster = directory.cluster("West")
    welsh = directory.school("Aber School", "Ysgol Aber", cluster=cluster)
    english = directory.school("Bryn School", "Ysgol Bryn", cluster=cluster)
    done = directory.school("Castell School", "Ysgol Castell", cluster=cluster)
    no_plan = directory.school("Dinas School", "Ysgol Dinas", cluster=cluster)
    leads = {
        welsh.id: _lead(directory, welsh, "aber@school.example", "cy"),
        english.id: _lead(directory, english, "bryn@school.example", "en"),
        done.id: _lead(directory, done, "castell@school.example", "en"),
    }
    dinas = _lead(directory, no_plan, "dinas@school.example", "en")
    write_plan_for(dinas, YEAR)
    for school in (welsh, english, done):
        submit(write_plan_for(leads[school.id], YEAR), school, leads[school.id])
    for school, status in ((english, PlanStatus.DRAFT), (done, PlanStatus.SUBMITTED)):
        plan_id = school_plan_id(school)
        db.session.add(YearEndReview(plan_id=plan_id, status=status, version=1))
    db.session.commit()
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster], locale="cy")
    return Reviews(cluster, welsh, english, done, no_plan, coordinator)


def school_plan_id(school: School) -> int:
    from wizard.data.models import Plan

    plan_id = db.session.scalar(
        select(Plan.id).where(Plan.school_id == school.id, Plan.academic_year == YEAR)
    )
    assert plan_id is not None
    return plan_id


def set_due(reviews: Reviews, due: date = DUE, kind: str = "year_end") -> ClusterDeadline:
    return deadline_data.set_deadline(reviews.cluster.id, YEAR, kind, due, reviews.coordinator)


def coordinator_client(app: Flask, reviews: Reviews) -> FlaskClient:
    client = app.test_client()
    sign_in(client, reviews.coordinator.email)
    return client


def test_reminders_before_and_on_the_day_once_each_to_schools_without_a_submitted_review(
    reviews: Reviews,
) -> None:
    set_due(reviews)
    assert sent_around(DUE, between=DUE - timedelta(days=1)) == [0, 2, 0, 0, 2, 0, 0]
    assert reminders() == before_and_on_the_day(reviews.welsh.id, reviews.english.id)
    mails = outbox()
    recipients = [m.recipient for m in mails]
    assert recipients.count("aber@school.example") == 2
    assert recipients.count("bryn@school.example") == 2
    # Its review is submitted; the other's plan is not (it has no review to write yet).
    assert not {"castell@school.example", "dinas@school.example"} & set(recipients)
    assert all(m.sent_at is not None for m in mails)
    # The outbox's key names what the reminder is for.
    assert all(m.event.startswith("reminder:year_end:") for m in mails)


def test_no_reminder_before_the_reviews_open(reviews: Reviews) -> None:
    """A deadline two days after the reviews open: the reminder before it (due from seven
    days before) waits for the day they open, then goes once."""
    set_due(reviews, OPENS + timedelta(days=2))
    assert deadlines.send_reminders(OPENS - timedelta(days=5)) == 0
    assert deadlines.send_reminders(OPENS - timedelta(days=1)) == 0
    assert reminders() == []
    assert deadlines.send_reminders(OPENS) == 2
    assert deadlines.send_reminders(OPENS + timedelta(days=1)) == 0
    assert reminders() == sorted([(reviews.welsh.id, "before"), (reviews.english.id, "before")])


def test_plan_and_review_deadlines_are_reminded_apart(reviews: Reviews) -> None:
    """The same day is both deadlines: the plans' reminder goes to the school whose plan is
    not submitted, the reviews' to the two whose review is not; each once."""
    set_due(reviews)
    set_due(reviews, kind="plan")
    assert deadlines.send_reminders(DUE) == 3
    assert deadlines.send_reminders(DUE) == 0
    subjects = {(m.recipient, m.subject) for m in outbox()}
    assert subjects == {
        ("dinas@school.example", "Your professional learning plan is due today"),
        ("aber@school.example", "Mae eich adolygiad diwedd blwyddyn i'w gyflwyno heddiw"),
        ("bryn@school.example", "Your year-end review is due today"),
    }


def test_a_closed_school_is_never_reminded_of_its_review(reviews: Reviews) -> None:
    reviews.welsh.closed_on = date.today()
    db.session.commit()
    set_due(reviews)
    assert deadlines.send_reminders(DUE - timedelta(days=7)) == 1
    assert reminders() == [(reviews.english.id, "before")]


def test_each_lead_is_reminded_of_the_review_in_their_own_language(reviews: Reviews) -> None:
    set_due(reviews)
    (welsh_before, welsh_day), (english_before, english_day) = reminded_twice(
        DUE, "aber@school.example", "bryn@school.example"
    )
    assert welsh_before.locale == "cy" and english_before.locale == "en"
    assert welsh_before.subject == (
        f"Mae eich adolygiad diwedd blwyddyn i'w gyflwyno ar 30 Mehefin {YEAR + 1}"
    )
    assert welsh_day.subject == "Mae eich adolygiad diwedd blwyddyn i'w gyflwyno heddiw"
    assert english_before.subject == f"Your year-end review is due on 30 June {YEAR + 1}"
    assert english_day.subject == "Your year-end review is due today"
    assert "Mae cydlynydd eich clwstwr wedi gofyn am adolygiad diwedd blwyddyn" in welsh_day.body
    assert f"/cy/plan/{SLUG}/year-end" in welsh_before.body
    assert f"/en/plan/{SLUG}/year-end" in english_before.body


def test_two_senders_at_once_remind_each_school_of_its_review_once(
    app: Flask, reviews: Reviews, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_due(reviews)
    counts = send_from_two_at_once(app, monkeypatch, DUE - timedelta(days=3))
    assert sum(counts) == 2
    assert reminders() == sorted([(reviews.welsh.id, "before"), (reviews.english.id, "before")])
    assert sorted(m.recipient for m in outbox()) == ["aber@school.example", "bryn@school.example"]


def test_a_review_submitted_after_the_first_reminder_is_not_reminded_on_the_day(
    reviews: Reviews,
) -> None:
    set_due(reviews)
    assert deadlines.send_reminders(DUE - timedelta(days=7)) == 2
    review = db.session.scalar(
        select(YearEndReview).where(YearEndReview.plan_id == school_plan_id(reviews.english))
    )
    assert review is not None
    review.status = PlanStatus.SUBMITTED
    db.session.commit()
    assert deadlines.send_reminders(DUE) == 1
    assert (reviews.english.id, "on-the-day") not in reminders()


def test_the_coordinator_sets_the_review_deadline_and_sees_who_was_reminded(
    app: Flask, reviews: Reviews
) -> None:
    client = coordinator_client(app, reviews)
    dashboard = client.get(f"/cy/clusters/{reviews.cluster.id}?year={SLUG}")
    links = {a.get_text(strip=True): a["href"] for a in soup(dashboard).select(".app-deadline a")}
    url = links["Gosod dyddiad cau ar gyfer adolygiadau diwedd blwyddyn"]
    assert "kind=year_end" in url
    page = client.get(url)
    assert page.status_code == 200
    assert (
        soup(page)
        .h1.get_text(strip=True)
        .startswith("Dyddiad cau ar gyfer adolygiadau diwedd blwyddyn")
    )
    due = date.today() + timedelta(days=5)
    response = client.post(
        url,
        data={"due_day": str(due.day), "due_month": str(due.month), "due_year": str(due.year)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    # Within the reminder's days: the two schools without a submitted review are reminded now.
    assert reminders() == sorted([(reviews.welsh.id, "before"), (reviews.english.id, "before")])
    dashboard = client.get(response.headers["Location"])
    assert "Rhaid cyflwyno'r adolygiadau diwedd blwyddyn erbyn" in dashboard.get_data(as_text=True)
    headers, reminded = reminded_column(dashboard, "Nodyn atgoffa am yr adolygiad")
    assert reminded["Ysgol Aber"].startswith("Cyn y dyddiad cau")
    assert reminded["Ysgol Bryn"].startswith("Cyn y dyddiad cau")
    assert reminded["Ysgol Castell"] == "Heb eu hatgoffa"
    assert reminded["Ysgol Dinas"] == "Heb eu hatgoffa"
    # No plans' deadline is set: no plans' reminder column.
    assert "Nodyn atgoffa" not in headers


def test_a_review_deadline_before_the_reviews_open_is_refused(app: Flask, reviews: Reviews) -> None:
    """This year's reviews open next summer term: a deadline before then is refused, in the
    page's language, with what was typed kept."""
    client = coordinator_client(app, reviews)
    this_year = academic_year_of(date.today())
    opens = date(this_year + 1, 4, 1)
    early = max(date.today(), opens - timedelta(days=30))
    if early >= opens:  # pragma: no cover - today is past this year's opening
        pytest.skip("this year's reviews are open")
    for lang, message in (
        ("en", "The deadline for year-end reviews must be on or after"),
        ("cy", "Rhaid i'r dyddiad cau ar gyfer adolygiadau diwedd blwyddyn fod ar"),
    ):
        response = client.post(
            f"/{lang}/clusters/{reviews.cluster.id}/deadline?year={year_slug(this_year)}"
            "&kind=year_end",
            data={
                "due_day": str(early.day),
                "due_month": str(early.month),
                "due_year": str(early.year),
            },
        )
        assert response.status_code == 200
        page = soup(response)
        summary = page.select_one(".govuk-error-summary")
        assert summary is not None and message in summary.get_text()
        assert page.select_one("#due-day")["value"] == str(early.day)
    assert db.session.scalar(select(ClusterDeadline)) is None


def test_the_service_refuses_a_review_deadline_before_the_reviews_open(reviews: Reviews) -> None:
    """The rule is the service's, whoever calls it: a year-end deadline before the reviews
    open is refused with the earliest day allowed, and nothing is written; on the day they
    open it is set. A plans' deadline on that early day is set as before."""
    before = OPENS - timedelta(days=10)
    refused = deadlines.set_deadline(
        reviews.coordinator,
        reviews.cluster.id,
        YEAR,
        deadlines.DeadlineKind.YEAR_END,
        OPENS - timedelta(days=1),
        on=before,
    )
    assert refused == deadlines.DeadlineRefused(OPENS)
    db.session.rollback()
    assert db.session.scalar(select(ClusterDeadline)) is None
    done = deadlines.set_deadline(
        reviews.coordinator,
        reviews.cluster.id,
        YEAR,
        deadlines.DeadlineKind.YEAR_END,
        OPENS,
        on=before,
    )
    assert isinstance(done, deadlines.DeadlineSet) and done.deadline.due_on == OPENS
    plans = deadlines.set_deadline(
        reviews.coordinator,
        reviews.cluster.id,
        YEAR,
        deadlines.DeadlineKind.PLAN,
        OPENS - timedelta(days=1),
        on=before,
    )
    assert isinstance(plans, deadlines.DeadlineSet)
    # Once the reviews are open, not before today either.
    late = deadlines.set_deadline(
        reviews.coordinator,
        reviews.cluster.id,
        YEAR,
        deadlines.DeadlineKind.YEAR_END,
        DUE - timedelta(days=1),
        on=DUE,
    )
    assert late == deadlines.DeadlineRefused(DUE)


def test_overdue_reviews_are_listed_first(
    app: Flask, reviews: Reviews, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_due(reviews)
    monkeypatch.setattr(deadlines, "today", lambda: DUE + timedelta(days=1))
    client = coordinator_client(app, reviews)
    page = client.get(f"/en/clusters/{reviews.cluster.id}?year={SLUG}")
    rows = soup(page).find("table").select("tbody tr")
    names = [row.th.get_text(strip=True) for row in rows]
    assert names[:2] == ["Aber School", "Bryn School"]
    late = [row.th.get_text(strip=True) for row in rows if "Overdue" in row.get_text()]
    assert late == ["Aber School", "Bryn School"]
    text = soup(page).select_one(".app-deadline").get_text(" ", strip=True)
    assert "2 schools are past the deadline without submitting their review." in text


def test_the_after_the_year_task_shows_the_review_deadline(
    app: Flask, reviews: Reviews, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_due(reviews)
    monkeypatch.setattr(deadlines, "today", lambda: DUE - timedelta(days=3))
    client = app.test_client()
    sign_in(client, "aber@school.example")
    page = client.get(f"/cy/plan/{SLUG}/")
    task = soup(page).select_one("#year-end-task")
    assert task is not None
    assert (
        f"Mae cydlynydd eich clwstwr yn gofyn amdano erbyn 30 Mehefin {YEAR + 1}."
        in task.get_text(" ", strip=True)
    )
    assert "Yn hwyr" not in task.get_text()
    monkeypatch.setattr(deadlines, "today", lambda: DUE + timedelta(days=1))
    task = soup(client.get(f"/en/plan/{SLUG}/")).select_one("#year-end-task")
    assert task is not None
    assert f"Your cluster coordinator asks for it by 30 June {YEAR + 1}." in task.get_text(
        " ", strip=True
    )
    assert task.select_one(".govuk-tag--red").get_text(strip=True) == "Overdue"
    # A school whose review is submitted is never overdue.
    castell = app.test_client()
    sign_in(castell, "castell@school.example")
    task = soup(castell.get(f"/en/plan/{SLUG}/")).select_one("#year-end-task")
    assert task is not None and "Overdue" not in task.get_text()


def test_the_command_sends_the_review_reminders(app: Flask, reviews: Reviews) -> None:
    set_due(reviews)
    result = app.test_cli_runner().invoke(
        args=["send-reminders", "--on", (DUE - timedelta(days=7)).isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "2 reminders sent." in result.output


@pytest.mark.parametrize("method", ["get", "post"])
def test_who_may_set_the_review_deadline(
    app: Flask, reviews: Reviews, directory: Directory, method: str
) -> None:
    """As the access matrix's row of `clusters.deadline` (whose URL has no ?kind=): signed
    out, sent to sign in; a lead, forbidden; another cluster's coordinator, not found; the
    cluster's coordinator, allowed."""
    other = directory.user("other@la.example", coordinator_of=[directory.cluster("East")])
    url = f"/en/clusters/{reviews.cluster.id}/deadline?year={SLUG}&kind=year_end"
    data = {"due_day": "1", "due_month": "6", "due_year": str(date.today().year + 1)}
    expected = {
        None: 302,
        "aber@school.example": 403,
        other.email: 404,
        reviews.coordinator.email: 302 if method == "post" else 200,
    }
    for email, status in expected.items():
        client = app.test_client()
        if email is not None:
            sign_in(client, email)
        response = client.post(url, data=data) if method == "post" else client.get(url)
        assert response.status_code == status, (email, response.status_code)
        if email is None:
            assert "/sign-in" in response.headers["Location"]
    db.session.rollback()
    kinds = list(db.session.scalars(select(ClusterDeadline.kind)))
    assert kinds == (["year_end"] if method == "post" else [])


def test_the_drill_down_shows_both_deadlines(
    app: Flask, reviews: Reviews, directory: Directory
) -> None:
    """An administrator's authority page gives each cluster's deadline for plans and for
    year-end reviews; the cluster's page says the reviews'."""
    set_due(reviews)
    directory.user("admin@wales.example", admin=True)
    client = app.test_client()
    sign_in(client, "admin@wales.example")
    page = soup(client.get(f"/cy/national/authorities/cardiff?year={SLUG}"))
    table = page.find(id="clusters")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[-2:] == ["Dyddiad cau cynlluniau", "Dyddiad cau adolygiadau diwedd blwyddyn"]
    cells = [td.get_text(strip=True) for td in table.select("tbody tr")[0].find_all("td")]
    assert cells[-2:] == ["Heb ei osod", f"30 Mehefin {YEAR + 1}"]
    cluster = client.get(
        f"/en/national/authorities/cardiff/clusters/{reviews.cluster.id}?year={SLUG}"
    )
    assert cluster.status_code == 200
    main = soup(cluster).find("main")
    assert f"Year-end reviews are due by 30 June {YEAR + 1}." in main.get_text(" ", strip=True)
