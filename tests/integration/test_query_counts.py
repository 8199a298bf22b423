"""How many SQL statements each request that scripts/bench.py times runs, for a signed-in
lead with a whole plan. A new query fails here, and so does an N+1: the task list and the board
run as many queries for ten own cards and ten lines of spending as for one.

A count that changes for a good reason is updated here; the figures of `make bench` are in
benchmarks/."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import CountedQueries, Directory, sign_in
from tests.html import soup
from tests.plans import LINE, revision, write_plan
from wizard.data.deadlines import set_deadline
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
BASE = f"/en/plan/{YEAR}"
STEP = f"{BASE}/about-your-school"
BOARD = f"{BASE}/diamond-9"
ANSWERS = {  # as scripts/bench.py saves them
    "phase": "primary",
    "teaching_staff": "24",
    "support_staff": "12",
    "pl_lead": "Catrin",
    "funding_allocation": "12500",
}
HX = {"HX-Request": "true"}

CountQueries = Callable[[], AbstractContextManager[CountedQueries]]


@pytest.fixture
def plan_client(lead_client: FlaskClient) -> FlaskClient:
    """The lead, signed in, with every task of the plan done (one own card, one line)."""
    write_plan(lead_client, YEAR)
    add_own_cards(lead_client, 1)
    return lead_client


def add_own_cards(client: FlaskClient, number: int) -> None:
    for n in range(number):
        added = client.post(f"{BOARD}/cards/new", data={"title_en": f"Our own card {n}"})
        assert added.status_code == 302, added.status_code


def add_lines(client: FlaskClient, number: int) -> None:
    new = f"{BASE}/funding-plan/lines/new"
    for _ in range(number):
        added = client.post(new, data={**LINE, "amount": "10", "revision": revision(client, new)})
        assert added.status_code == 302, added.status_code


def queries(count_queries: CountQueries, request: Callable[[], TestResponse]) -> CountedQueries:
    """The statements one request runs, after checking that it succeeded."""
    with count_queries() as counted:
        response = request()
    assert response.status_code in (200, 302), response.status_code
    return counted


def get(client: FlaskClient, url: str) -> Callable[[], TestResponse]:
    return lambda: client.get(url)


def save_statements(client: FlaskClient) -> int:
    """The statements of a save after the user and the plan: the draft lock (which also
    records the plan's last change), the compare-and-set UPDATE of the answer and the audit
    event; on PostgreSQL, one statement that does all three (data/plans._merged_save)."""
    on_postgresql = client.application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    return 1 if on_postgresql else 3


def board_version(client: FlaskClient) -> str:
    return str(soup(client.get(BOARD)).find(id="diamond-board")["data-version"])


def test_task_list(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(f"{BASE}/"))
    # The user (whether they coordinate a cluster is read in the same statement, an EXISTS);
    # the plan with its answers; last year's plan; the school; the submitted versions.
    assert counted.total == 5, counted


def test_about_your_school_in_welsh(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    welsh = STEP.replace("/en/", "/cy/")
    plan_client.get(welsh)  # the first Welsh page also saves the user's language (one UPDATE)
    counted = queries(count_queries, lambda: plan_client.get(welsh))
    # The user; the plan with its answers; the school and its local authority.
    assert counted.total == 4, counted


def test_save_about_your_school(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    data = {**ANSWERS, "revision": revision(plan_client, STEP)}
    counted = queries(count_queries, lambda: plan_client.post(STEP, data=data))
    # The user; the plan with its answers (the plan is not looked up again to save); the draft
    # lock, which also records the plan's last change (UPDATE plan ... WHERE status = draft),
    # the compare-and-set UPDATE of the answer and the audit event (one statement on
    # PostgreSQL).
    assert counted.total == 2 + save_statements(plan_client), counted


def test_check_your_answers(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(f"{STEP}/check"))
    # The user; the plan with its answers; the school.
    assert counted.total == 3, counted


def test_diamond_9_board(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(BOARD))
    # The user; the plan with its answers and the school's own cards; the school.
    assert counted.total == 3, counted


def test_diamond_9_move_with_htmx(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    # Well-being (row 3) swaps with a chosen card of row 4.
    data = {"version": board_version(plan_client), "m": "card:well-being with:card:equity"}
    counted = queries(
        count_queries, lambda: plan_client.post(f"{BOARD}/move", data=data, headers=HX)
    )
    # The user; the plan with its answers and the own cards; the draft lock, which also records
    # the plan's last change, the compare-and-set UPDATE of the board and the audit event (one
    # statement on PostgreSQL).
    assert counted.total == 2 + save_statements(plan_client), counted


def test_diamond_9_version_poll(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    version = board_version(plan_client)
    counted = queries(
        count_queries,
        lambda: plan_client.get(f"{BOARD}/version?version={version}", headers=HX),
    )
    # The user; the board's version, in one small query.
    assert counted.total == 2, counted


def test_the_task_list_and_board_do_not_query_per_card_or_line(
    plan_client: FlaskClient, count_queries: CountQueries
) -> None:
    pages = {"task list": f"{BASE}/", "board": BOARD, "funding plan": f"{BASE}/funding-plan"}

    def counts() -> dict[str, int]:
        return {
            name: queries(count_queries, get(plan_client, url)).total for name, url in pages.items()
        }

    with_one = counts()
    add_own_cards(plan_client, 9)
    add_lines(plan_client, 9)
    assert counts() == with_one


# Every other request that `make bench` (scripts/bench.py) measures.


def test_other_step_pages(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counts = {
        name: queries(count_queries, get(plan_client, f"{BASE}/{path}")).total
        for name, path in (("context", "context-school"), ("hallmark", "hallmark-3"))
    }
    # The user; the plan with its answers. Not the school: only About your school shows it.
    assert counts == {"context": 2, "hallmark": 2}, counts


def test_save_a_hallmark(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    url = f"{BASE}/hallmark-3"
    data = {
        "rating": "developing",
        "evidence": "Lesson visits",
        "next_steps": "Coaching",
        "revision": revision(plan_client, url),
    }
    counted = queries(count_queries, lambda: plan_client.post(url, data=data))
    # As for About your school: the user, the plan, then the draft lock, the answer and the
    # audit (one statement on PostgreSQL).
    assert counted.total == 2 + save_statements(plan_client), counted


def test_check_pages(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    task = queries(count_queries, get(plan_client, f"{BASE}/hallmarks/check")).total
    whole = queries(count_queries, get(plan_client, f"{BASE}/check-your-answers")).total
    # The user; the plan with its answers; the school (and for the whole plan, the school's
    # own cards).
    assert (task, whole) == (3, 4)


def test_funding_pages(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    plan_page = queries(count_queries, get(plan_client, f"{BASE}/funding-plan"))
    total = queries(
        count_queries,
        lambda: plan_client.get(f"{BASE}/funding-plan/total?amount=750", headers=HX),
    )
    funding = plan_client.get(f"{BASE}/funding-plan").get_data(as_text=True)
    line_id = next(
        part.split('"')[0]
        for part in funding.split(f"{BASE}/funding-plan/lines/")[1:]
        if not part.startswith("new")
    )
    url = f"{BASE}/funding-plan/lines/{line_id}"
    data = {**LINE, "amount": "650", "revision": revision(plan_client, url)}
    save = queries(count_queries, lambda: plan_client.post(url, data=data))
    counts = {"funding plan": plan_page.total, "live total": total.total, "save": save.total}
    saving = save_statements(plan_client)
    # The funding plan and the save read the plan, its answers and the school's own cards in
    # one statement. The live total (no write): the user and the plan with its answers; it
    # names no card, so it does not load the school's own cards. The save changes a completed
    # section, so it also withdraws "I have completed this section" (one UPDATE).
    assert counts == {"funding plan": 3, "live total": 2, "save": 3 + saving}, counts


def test_summary_pdf_and_start_page(
    plan_client: FlaskClient, client: FlaskClient, count_queries: CountQueries
) -> None:
    counts = {
        "summary": queries(count_queries, get(plan_client, f"{BASE}/summary")).total,
        "pdf": queries(count_queries, get(plan_client, f"{BASE}/summary.pdf")).total,
    }
    # Each reads the plan's latest staff voice round, for its count and heat map. On
    # PostgreSQL the PDF also takes and gives back a render slot (an advisory lock each).
    slot = (
        2
        if plan_client.application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
        else 0
    )
    assert counts == {"summary": 7, "pdf": 6 + slot}, counts


def test_dashboards_csvs_and_the_national_view_at_two_sizes(
    app: Flask, directory: Directory, count_queries: CountQueries
) -> None:
    """The same number of statements for a cluster of 3 schools and of 40, and for all of
    Wales with 3 or 40 schools."""
    from tests.integration.test_dashboard import bulk

    cluster = directory.cluster("Counted")
    someone = directory.user(email="coordinator@cluster.example", coordinator_of=[cluster])
    directory.user(email="admin@wales.example", admin=True)
    # With a deadline, whose reminders the dashboard lists (its deadline, reminders and the
    # coordinator's unread comments are a query each).
    set_deadline(cluster.id, academic_year_of(date.today()), "plan", date.today(), someone)
    coordinator, admin = app.test_client(), app.test_client()
    sign_in(coordinator, "coordinator@cluster.example")
    sign_in(admin, "admin@wales.example")
    pages = {
        "dashboard": (coordinator, f"/en/clusters/{cluster.id}?year={YEAR}"),
        "schools csv": (coordinator, f"/en/clusters/{cluster.id}/{YEAR}/schools.csv"),
        "funding csv": (coordinator, f"/en/clusters/{cluster.id}/{YEAR}/funding.csv"),
        "national": (admin, "/en/national"),
    }

    def counts() -> dict[str, int]:
        for user, url in pages.values():  # the first request of a session does one-off work
            user.get(url)
        return {
            name: queries(count_queries, get(user, url)).total
            for name, (user, url) in pages.items()
        }

    bulk(directory, cluster, 3)
    small = counts()
    bulk(directory, directory.cluster("More"), 37)
    from tests.integration.test_dashboard import directory_school_fast
    from tests.reporting import snapshot, submitted

    for number in range(100, 137):
        school = directory_school_fast(cluster, number)
        submitted(school, academic_year_of(date.today()), snapshot({1: "embedded"}, {}, [], []))
    large = counts()
    assert small == large, (small, large)
    # The schools, then their plans with each one's latest version (one statement). The
    # aggregates of the plans and the year-end figures are one statement (seven GROUP BY
    # queries in a UNION ALL); the year-end reviews add one more to the dashboard (the
    # schools' reviews); the deadline, its reminders and the coordinator's unread comments
    # three to the dashboard (whose cluster comes with its local authority). The national
    # view counts the schools by status once, by authority (Wales's counts are their sum).
    assert small == {"dashboard": 9, "schools csv": 4, "funding csv": 4, "national": 4}, small


def test_shared_plan(
    plan_client: FlaskClient, client: FlaskClient, count_queries: CountQueries
) -> None:
    made = plan_client.post(f"{BASE}/share", data={"shows": "draft"})
    link = soup(made).find(id="new-share-link")
    assert link is not None, "no share link on the page"
    path = "/en/shared/" + str(link["href"]).rsplit("/shared/", 1)[1]
    anonymous = client.application.test_client()
    anonymous.get(path)
    counted = queries(count_queries, get(anonymous, path))
    # The link with its plan; the plan's answers; the school; the own cards; the link's
    # "last used"; the audit of the use; the plan's latest staff voice round.
    assert counted.total == 7, counted
