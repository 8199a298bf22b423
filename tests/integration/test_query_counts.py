"""How many SQL statements each request that scripts/benchmark.py times runs, for a signed-in
lead with a whole plan. A new query fails here, and so does an N+1: the task list and the board
run as many queries for ten own cards and ten lines of spending as for one.

A count that changes for a good reason is updated here, with the README's benchmark table."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import CountedQueries
from tests.html import soup
from tests.plans import LINE, complete_plan, revision
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
BASE = f"/en/plan/{YEAR}"
STEP = f"{BASE}/about-your-school"
BOARD = f"{BASE}/diamond-9"
ANSWERS = {  # as scripts/benchmark.py saves them
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
    complete_plan(lead_client, YEAR)
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


def board_version(client: FlaskClient) -> str:
    return str(soup(client.get(BOARD)).find(id="diamond-board")["data-version"])


def test_task_list(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(f"{BASE}/"))
    # The user; the plan with its answers; last year's plan; the school; the number of
    # submitted versions; the school's cluster.
    assert counted.total == 6, counted


def test_about_your_school_in_welsh(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    welsh = STEP.replace("/en/", "/cy/")
    plan_client.get(welsh)  # the first Welsh page also saves the user's language (one UPDATE)
    counted = queries(count_queries, lambda: plan_client.get(welsh))
    # The user; the plan with its answers; the school, its cluster and its local authority.
    assert counted.total == 5, counted


def test_save_about_your_school(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    data = {**ANSWERS, "revision": revision(plan_client, STEP)}
    counted = queries(count_queries, lambda: plan_client.post(STEP, data=data))
    # The user; the plan with its answers; the plan again (get_or_create_plan); the draft lock,
    # which also records the plan's last change (UPDATE plan ... WHERE status = draft); the
    # compare-and-set UPDATE of the answer; the audit event.
    assert counted.total == 6, counted


def test_check_your_answers(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(f"{STEP}/check"))
    # The user; the plan with its answers; the school and its cluster.
    assert counted.total == 4, counted


def test_diamond_9_board(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    counted = queries(count_queries, lambda: plan_client.get(BOARD))
    # The user; the plan with its answers; the school's own cards; the school and its cluster.
    assert counted.total == 5, counted


def test_diamond_9_move_with_htmx(plan_client: FlaskClient, count_queries: CountQueries) -> None:
    # Well-being (row 3) swaps with a chosen card of row 4.
    data = {"version": board_version(plan_client), "m": "card:well-being with:card:equity"}
    counted = queries(
        count_queries, lambda: plan_client.post(f"{BOARD}/move", data=data, headers=HX)
    )
    # The user; the plan with its answers; the own cards; the draft lock, which also records
    # the plan's last change; the compare-and-set UPDATE of the board; the audit event.
    assert counted.total == 6, counted


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
