"""The plan's history page: who changed which part of the plan and when, for the school's
members and the cluster's coordinator, in both languages, a page at a time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, text
from tests.plans import revision
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import Cluster, Plan, School, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
ABOUT = {
    "phase": "primary",
    "teaching_staff": "12",
    "support_staff": "8",
    "pl_lead": "Catrin Jones",
    "funding_allocation": "1000",
}
HALLMARK = {"rating": "developing", "evidence": "Lesson visits", "next_steps": "Coaching"}


def rows(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [
        [text(cell) for cell in row.find_all("td")]
        for row in soup(response).select("tbody .govuk-table__row")
    ]


def save(client: FlaskClient, path: str, data: dict[str, str]) -> None:
    url = f"/en/plan/{YEAR}/{path}"
    response = client.post(url, data={**data, "revision": revision(client, url)})
    assert response.status_code == 302, response.status_code


@pytest.fixture
def cluster(directory: Directory) -> Cluster:
    return directory.cluster("West")


@pytest.fixture
def school(directory: Directory, cluster: Cluster) -> School:
    return directory.school(cluster=cluster)


@pytest.fixture
def lead_client(app: Flask, directory: Directory, school: School) -> FlaskClient:
    directory.user("lead@school.example", school=school, lead=True, name="Catrin Jones")
    client = app.test_client()
    sign_in(client, "lead@school.example")
    save(client, "about-your-school", ABOUT)
    save(client, "hallmark-3", HALLMARK)
    return client


def coordinator_url(cluster: Cluster, school: School, lang: str = "en") -> str:
    return f"/{lang}/clusters/{cluster.id}/schools/{school.id}/{YEAR}/history"


def test_the_lead_sees_who_changed_which_part_and_when(lead_client: FlaskClient) -> None:
    found = rows(lead_client, f"/en/plan/{YEAR}/history")
    assert [row[1:] for row in found] == [
        [
            "Catrin Jones",
            f"Hallmark 3 of 8: {found[0][2].split(': ', 1)[1]}",
            "Saved answers Rating: set to Developing How do you know?: written"
            " What will you do next?: written",
        ],
        [
            "Catrin Jones",
            "About your school",
            "Saved answers Phase: set to Primary Teaching staff: set to 12 Support staff: set to 8"
            " Professional learning lead: written Funding allocation: set to £1,000.00",
        ],
    ]
    assert found[0][2].startswith("Hallmark 3 of 8: ") and len(found[0][2]) > 20
    assert all(row[0] for row in found)  # the date and time


def test_the_history_is_in_welsh(lead_client: FlaskClient) -> None:
    response = lead_client.get(f"/cy/plan/{YEAR}/history")
    assert heading(response).startswith("Hanes y cynllun")
    found = rows(lead_client, f"/cy/plan/{YEAR}/history")
    assert found[1][1:3] == ["Catrin Jones", "Am eich ysgol"]
    assert found[1][3].startswith("Wedi cadw atebion Cyfnod: Cynradd")
    assert found[0][2].startswith("Dilysnod 3 o 8: ")


def test_a_colleague_reads_it_from_the_task_list(
    app: Flask, directory: Directory, school: School, lead_client: FlaskClient
) -> None:
    directory.user("colleague@school.example", school=school, name="Dafydd Rees")
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    hub = soup(colleague.get(f"/en/plan/{YEAR}/"))
    link = hub.find("a", string=lambda s: s and "History" in s)
    assert link is not None and link["href"] == f"/en/plan/{YEAR}/history"
    save(colleague, "hallmark-3", {**HALLMARK, "evidence": "Learning walks"})
    assert rows(colleague, link["href"])[0][1] == "Dafydd Rees"


def test_the_coordinator_reads_it_from_their_page_of_the_plan(
    app: Flask,
    directory: Directory,
    cluster: Cluster,
    school: School,
    lead_client: FlaskClient,
) -> None:
    directory.user("coord@la.example", coordinator_of=[cluster], name="Owain Hughes")
    coordinator = app.test_client()
    sign_in(coordinator, "coord@la.example")
    page = soup(coordinator.get(f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}"))
    link = page.find("a", string=lambda s: s and "History" in s)
    assert link is not None and link["href"] == coordinator_url(cluster, school)
    assert len(rows(coordinator, link["href"])) == 2
    back = soup(coordinator.get(link["href"])).select_one(".govuk-back-link")
    assert back["href"] == f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
    # The school's own history route is for its members.
    assert coordinator.get(f"/en/plan/{YEAR}/history").status_code == 403


def test_no_one_else_reads_it(
    app: Flask,
    directory: Directory,
    cluster: Cluster,
    school: School,
    lead_client: FlaskClient,
) -> None:
    other_cluster = directory.cluster("East")
    other_school = directory.school(name_en="Elsewhere", cluster=other_cluster)
    directory.user("stranger@x.example", school=other_school)
    directory.user("other@la.example", coordinator_of=[other_cluster])
    stranger, other = app.test_client(), app.test_client()
    sign_in(stranger, "stranger@x.example")
    sign_in(other, "other@la.example")
    # A member of another school reaches only their own school's plan (which has none).
    assert stranger.get(f"/en/plan/{YEAR}/history").status_code == 404
    assert other.get(coordinator_url(cluster, school)).status_code == 404
    assert other.get(coordinator_url(other_cluster, school)).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/en/plan/{YEAR}/history").status_code == 302


def test_signing_in_is_not_a_change_to_the_plan(app: Flask, lead_client: FlaskClient) -> None:
    with app.app_context():
        plan = db.session.query(Plan).one()
        record(AuditAction.SIGNED_IN, user_id=None, plan_id=plan.id)
        db.session.commit()
    assert len(rows(lead_client, f"/en/plan/{YEAR}/history")) == 2


def test_a_long_history_comes_a_page_at_a_time(app: Flask, lead_client: FlaskClient) -> None:
    with app.app_context():
        plan = db.session.query(Plan).one()
        user = db.session.query(User).one()
        start = datetime(2020, 1, 1)
        for n in range(58):
            record(
                AuditAction.CARD_ADDED,
                user_id=user.id,
                plan_id=plan.id,
                at=start + timedelta(minutes=n),
                card=f"own:{n}",
            )
        db.session.commit()
    url = f"/en/plan/{YEAR}/history"
    first = lead_client.get(url)
    assert len(rows(lead_client, url)) == 25
    nav = soup(first).select_one("nav.govuk-pagination")
    assert nav["aria-label"] == "Pages of the history"
    assert [text(a) for a in nav.select(".govuk-pagination__item a")] == ["1", "2", "3"]
    assert len(rows(lead_client, url + "?page=2")) == 25
    last = rows(lead_client, url + "?page=3")
    assert len(last) == 10  # 60 changes in all, the oldest last
    assert last[-1][3] == "Added one of the school’s own cards"
    welsh = soup(lead_client.get(f"/cy/plan/{YEAR}/history?page=2"))
    assert welsh.select_one("nav.govuk-pagination")["aria-label"] == "Tudalennau'r hanes"
    for bad in ("4", "0", "x", "-1", "99999999999"):
        assert lead_client.get(f"{url}?page={bad}").status_code == 404


def test_submitting_and_reopening_are_in_the_history(lead_client: FlaskClient) -> None:
    from tests.plans import write_plan

    write_plan(lead_client, YEAR)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    assert lead_client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    found = rows(lead_client, f"/en/plan/{YEAR}/history")
    assert found[0][2:] == ["The whole plan", "Reopened the plan to make changes"]
    assert found[1][2:] == ["The whole plan", "Submitted version 1"]
    assert ["Professional learning Diamond 9", "Moved cards on the Diamond 9"] in [
        row[2:] for row in found
    ]


def move_cards(client: FlaskClient, cards: tuple[str, ...]) -> None:
    base = f"/en/plan/{YEAR}/diamond-9"
    version = int(soup(client.get(base)).find(id="diamond-board")["data-version"])
    for card in cards:
        moved = client.post(
            f"{base}/move", data={"version": str(version), "card": card, "to": "next"}
        )
        assert moved.status_code == 302, moved.status_code
        version += 1


def test_a_run_of_diamond_9_moves_is_one_row_listing_each(lead_client: FlaskClient) -> None:
    from tests.plans import NINE

    move_cards(lead_client, NINE[:3])
    save(lead_client, "hallmark-3", {**HALLMARK, "evidence": "Learning walks"})
    move_cards(lead_client, NINE[3:4])
    page = soup(lead_client.get(f"/en/plan/{YEAR}/history"))
    found = page.select("tbody .govuk-table__row")
    whats = [
        text(row.find_all("td")[3].find("summary"))
        or row.find_all("td")[3].find(string=True).strip()
        for row in found
    ]
    assert whats == [
        "Moved cards on the Diamond 9",
        "Saved answers",
        "3 moves on the Diamond 9",
        "Saved answers",
        "Saved answers",
    ], whats
    times = found[2].find("details").select("li")
    assert len(times) == 3 and all(text(time) for time in times)


def test_each_move_of_a_run_names_its_cards_and_a_save_says_what_it_changed(
    lead_client: FlaskClient,
) -> None:
    """Issue 29 point 9: a run of Diamond 9 moves lists which cards each move moved (not only
    when), and a save says what it changed: an answer's old and new value, prose by name."""
    from tests.plans import NINE

    move_cards(lead_client, tuple(NINE[:2]))
    base = f"/en/plan/{YEAR}/diamond-9"
    version = soup(lead_client.get(base)).find(id="diamond-board")["data-version"]
    up = lead_client.post(f"{base}/move", data={"version": version, "card": NINE[1], "to": "up"})
    assert up.status_code == 302
    save(lead_client, "hallmark-3", {**HALLMARK, "rating": "embedded", "evidence": "Walks"})
    page = soup(lead_client.get(f"/en/plan/{YEAR}/history"))
    found = page.select("tbody .govuk-table__row")
    saved = found[0].find_all("td")[3]
    assert [text(li) for li in saved.select("li")] == [
        "Rating: Developing to Embedded",
        "How do you know?: changed",
    ]
    run = found[1].find_all("td")[3]
    assert text(run.find("summary")) == "3 moves on the Diamond 9"
    moves = [text(li).split(": ", 1)[1] for li in run.find("details").select("li")]
    assert moves == [
        "Moved “Curriculum design” from row 2 to row 1;"
        " Moved “Pedagogy and teaching approaches” from row 1 to row 2",
        "Placed “Curriculum design” in row 2",
        "Placed “Pedagogy and teaching approaches” in row 1",
    ], moves
    # The first save of "About your school" says what each answer was set to.
    about = [text(li) for li in found[-1].find_all("td")[3].select("li")]
    assert "Phase: set to Primary" in about and "Professional learning lead: written" in about

    welsh = soup(lead_client.get(f"/cy/plan/{YEAR}/history"))
    welsh_run = welsh.select("tbody .govuk-table__row")[1].find("details")
    assert "Wedi rhoi" in text(welsh_run) and "o res 1 i res 2" in text(welsh_run), text(welsh_run)
    # In Welsh a changed answer names its new value, then the old (no "o ... i ..." around
    # values that cannot take the mutation those words call for).
    welsh_saved = welsh.select("tbody .govuk-table__row")[0].find_all("td")[3]
    assert text(welsh_saved.select("li")[0]) == "Sgôr: Wedi'i ymgorffori (cyn hyn: Yn datblygu)"


def test_an_own_card_added_or_changed_is_named_while_it_is_there(lead_client: FlaskClient) -> None:
    base = f"/en/plan/{YEAR}/diamond-9"
    lead_client.post(f"{base}/cards/new", data={"title_en": "Outdoor learning"})
    found = rows(lead_client, f"/en/plan/{YEAR}/history")
    assert found[0][3] == "Added the school’s own card “Outdoor learning”"
    welsh = rows(lead_client, f"/cy/plan/{YEAR}/history")
    assert welsh[0][3] == "Wedi ychwanegu cerdyn yr ysgol ei hun, “Outdoor learning”"
