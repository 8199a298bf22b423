"""Staff voice (issue 15): the lead opens a round, staff respond anonymously through one link, the
results appear from five responses, and the lead applies the consensus board and can undo it."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import Integer, func, insert, inspect, select, text
from sqlalchemy.exc import OperationalError

from tests.conftest import Directory, database_url, sign_in, test_config
from tests.html import error_links, error_summary, heading, soup
from tests.i18n import translate
from tests.plans import NINE, revision, write_plan
from wizard import create_app
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    LocalAuthority,
    Plan,
    School,
    StaffVoiceResponse,
    StaffVoiceRound,
    User,
)
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
LEAD_PAGE = f"/en/plan/{YEAR}/staff-voice"
LINK = re.compile(r"http://localhost/(en|cy)/staff-voice/([A-Za-z0-9_-]+)")
HALLMARKS = [h.number for h in framework.HALLMARKS]


def open_round(client: FlaskClient, closes: date | None = None) -> str:
    closes = closes or date.today() + timedelta(days=14)
    response = client.post(
        LEAD_PAGE,
        data={
            "closes_day": str(closes.day),
            "closes_month": str(closes.month),
            "closes_year": str(closes.year),
        },
    )
    assert response.status_code == 200, response.status_code
    found = LINK.search(soup(response).find(id="new-staff-voice-link")["href"])
    assert found is not None
    return found.group(2)


def respond(
    client: FlaskClient,
    token: str,
    role: str = "",
    rating: str | dict[int, str] = "established",
    cards: tuple[str, ...] = (),
    lang: str = "en",
    environ: dict[str, str] | None = None,
) -> None:
    """One member of staff: a role and ratings, then each card added to the next free place."""
    ratings = rating if isinstance(rating, dict) else dict.fromkeys(HALLMARKS, rating)
    form = {f"hallmark_{n}": key for n, key in ratings.items()}
    if role:
        form["role"] = role
    saved = client.post(f"/{lang}/staff-voice/{token}", data=form, environ_base=environ or {})
    assert saved.status_code == 302, saved.status_code
    for card in cards:
        moved = client.post(
            f"/{lang}/staff-voice/{token}/board",
            data={"card": card, "to": "next", "version": "0"},
            environ_base=environ or {},
        )
        assert moved.status_code == 302, moved.status_code


def close(client: FlaskClient, round_id: int) -> None:
    assert client.post(f"{LEAD_PAGE}/{round_id}/close").status_code == 302


def results(client: FlaskClient, round_id: int) -> Any:
    response = client.get(f"{LEAD_PAGE}/{round_id}/results")
    assert response.status_code == 200
    return response


def round_id(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(StaffVoiceRound.id).order_by(StaffVoiceRound.id.desc()))
    assert found is not None
    return found


def test_the_link_is_256_bits_stored_only_as_a_hash(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    assert len(token) >= 43
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM staff_voice_round")).mappings().all()
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in rows[0].values())
    assert token not in lead_client.get(LEAD_PAGE).get_data(as_text=True)


def test_nothing_identifying_is_stored_with_responses(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browsers = [app.test_client() for _ in range(3)]
    agent = {"HTTP_USER_AGENT": "Mozilla/5.0 Spyglass", "REMOTE_ADDR": "198.51.100.23"}
    for index, browser in enumerate(browsers):
        respond(browser, token, "teacher", cards=(NINE[index],), environ=agent)
    cookies = [c.value for b in browsers for c in b._cookies.values()]  # type: ignore[attr-defined]
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("staff_voice_response")}
        rows = db.session.execute(text("SELECT * FROM staff_voice_response")).mappings().all()
        events = db.session.scalars(select(AuditEvent.action)).all()
    # Only the answers and the cookie's hash: no name, email, address, agent or time.
    assert columns == {"id", "round_id", "cookie_hash", "role", "ratings", "board"}
    assert len(rows) == 3
    dumped = " ".join(str(value) for row in rows for value in row.values())
    for secret in ["198.51.100.23", "Spyglass", *cookies]:
        assert secret not in dumped
    assert all(len(row["cookie_hash"]) == 64 for row in rows)
    # Responding records nothing in the audit trail.
    assert not [e for e in events if "response" in e]


def test_the_same_browser_changes_its_answers_and_others_cannot(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, "teacher", "developing", cards=(NINE[0],))
    page = browser.get(f"/en/staff-voice/{token}?change=1")
    assert soup(page).find("input", {"name": "role", "checked": True})["value"] == "teacher"
    respond(browser, token, "leader", "embedded", cards=(NINE[1],))
    with app.app_context():
        rows = db.session.scalars(select(StaffVoiceResponse)).all()
        assert len(rows) == 1
        assert rows[0].role == "leader"
        assert set(rows[0].ratings.values()) == {"embedded"}
        assert rows[0].board == {"1": NINE[0], "2": NINE[1]}
    # Another browser starts afresh (its own response), and cannot reach the first one's board.
    stranger = app.test_client()
    assert stranger.get(f"/en/staff-voice/{token}/board").status_code == 302


def test_bad_answers_get_errors_in_the_page_language(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    response = browser.post(f"/cy/staff-voice/{token}", data={"hallmark_1": "embedded"})
    assert response.status_code == 400
    assert len(error_summary(response)) == 7
    assert "Dewiswch" in error_summary(response)[0]
    assert error_links(response)[0] == "#hallmark_2"
    wrong_role = browser.post(
        f"/en/staff-voice/{token}",
        data={"role": "headteacher", **{f"hallmark_{n}": "embedded" for n in HALLMARKS}},
    )
    assert wrong_role.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(StaffVoiceResponse.id)) is None


def test_responders_read_each_ratings_description_and_errors_name_the_hallmark(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    descriptions = [
        "We have not begun to work on this.",
        "We have started, but it is not yet consistent across the school.",
        "It happens across most of the school.",
        "It is part of how we work, and we can show its impact.",
        "We need to find out more before we can say.",
    ]
    for lang in ("en", "cy"):
        page = soup(browser.get(f"/{lang}/staff-voice/{token}"))
        fieldset = page.find("input", {"name": "hallmark_2"}).find_parent("fieldset")
        hints = [hint.get_text(" ", strip=True) for hint in fieldset.select(".govuk-radios__hint")]
        assert hints == [translate(app, lang, text) for text in descriptions], hints
        legend = fieldset.find("legend").get_text(" ", strip=True)
        title = legend.removeprefix("2. ")
        answered = {f"hallmark_{n}": "embedded" for n in HALLMARKS if n != 2}
        refused = browser.post(f"/{lang}/staff-voice/{token}", data=answered)
        assert refused.status_code == 400
        expected = translate(
            app, lang, "Select how well the school does on “%(hallmark)s”", hallmark=title
        )
        assert error_summary(refused) == [expected]
        assert title in expected


def test_finishing_a_board_of_fewer_than_nine_cards_warns_first(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, "teacher", cards=NINE[:3], lang="cy")
    warned = browser.get(f"/cy/staff-voice/{token}/done")
    assert warned.status_code == 200
    assert heading(warned) == "Nid yw eich Diemwnt 9 yn gyflawn"
    page = soup(warned)
    assert page.find(id="board-count").get_text(strip=True) == "Mae 3 cherdyn ar eich Diemwnt 9."
    assert page.find("a", string=re.compile("Daliwch ati"))["href"] == (
        f"/cy/staff-voice/{token}/board"
    )
    anyway = page.find("a", string=re.compile("Gorffen beth bynnag"))["href"]
    assert heading(browser.get(anyway)) == translate(app, "cy", "Thank you: your answers are saved")
    # A complete board finishes at once.
    complete = app.test_client()
    respond(complete, token, cards=NINE)
    assert soup(complete.get(f"/en/staff-voice/{token}/done")).find(id="forget-browser")


def test_results_wait_for_the_round_to_close_and_five_responses(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(4):
        respond(app.test_client(), token, "teacher", cards=NINE)
    hidden = results(lead_client, number)
    assert "4 members of staff have responded" in soup(hidden).find(id="response-count").text
    assert soup(hidden).find(id="hallmark-table") is None
    assert soup(hidden).find(id="consensus-board") is None
    # Five responses, but the round is still open: only the count, never live results (someone
    # watching them before and after one person responds could read that person's answers).
    respond(app.test_client(), token, "teacher", cards=NINE)
    live = results(lead_client, number)
    assert "5 members of staff have responded" in soup(live).find(id="response-count").text
    assert "once the round has closed" in soup(live).find(id="results-wait").text
    for part in ("roles-table", "hallmark-table", "staff-heat-table", "consensus-board"):
        assert soup(live).find(id=part) is None, part
    close(lead_client, number)
    shown = results(lead_client, number)
    assert soup(shown).find(id="results-wait") is None
    assert soup(shown).find(id="hallmark-table") is not None
    assert soup(shown).find(id="consensus-board") is not None


def test_a_role_is_hidden_when_the_rest_is_fewer_than_five(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(5):
        respond(app.test_client(), token, "teacher", cards=NINE)
    respond(app.test_client(), token, "leader", cards=NINE)
    close(lead_client, number)
    roles = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in soup(results(lead_client, number)).find(id="roles-table").tbody.find_all("tr")
    }
    # Five teachers and one leader: "Teacher 5" beside "6 responses" would single out the
    # leader, so neither role is shown.
    assert roles == {
        "Teacher": "Not shown",
        "Support staff": "Not shown",
        "Leader": "Not shown",
        "Role not given": "Not shown",
    }


def test_the_heat_map_and_consensus_need_five_complete_boards(
    app: Flask, lead_client: FlaskClient
) -> None:
    """Five responses of which one has a whole board: that board alone is never shown, on the
    results page, the summary, the shared view or the PDF."""
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(4):
        respond(app.test_client(), token, "teacher", cards=(NINE[0],))
    respond(app.test_client(), token, "teacher", cards=tuple(reversed(NINE)))
    close(lead_client, number)
    page = results(lead_client, number)
    assert soup(page).find(id="hallmark-table") is not None  # five ratings of each hallmark
    assert "1 member of staff completed" in soup(page).find(id="complete-boards").text
    assert soup(page).find(id="boards-hidden") is not None
    assert soup(page).find(id="staff-heat-table") is None
    assert soup(page).find(id="consensus-board") is None
    assert soup(page).find("form", action=f"{LEAD_PAGE}/{number}/apply") is None
    assert lead_client.post(f"{LEAD_PAGE}/{number}/apply", data={"version": "1"}).status_code == 404
    summary = lead_client.get(f"/en/plan/{YEAR}/summary")
    assert soup(summary).find(id="summary-staff-heat-table") is None
    assert "completed their Diamond 9" in soup(summary).find(id="staff-voice-hidden").text
    pdf_response = lead_client.get(f"/en/plan/{YEAR}/summary.pdf")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_response.data)).pages)
    assert "Staff heat map" not in pdf


def test_the_aggregates_and_consensus_match_figures_worked_out_by_hand(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    # Five leaders rate hallmark 1 embedded (4) and five teachers developing (2): a gap of 2.0.
    # Every leader's board: NINE[0] in row 1, NINE[1] and NINE[2] in row 2, and so on; every
    # teacher's board the same but with NINE[8] first (row 1) and the rest one place down.
    leaders_board = tuple(NINE)
    teachers_board = (NINE[8], *NINE[:8])
    for _ in range(5):
        respond(
            app.test_client(),
            token,
            "leader",
            {**dict.fromkeys(HALLMARKS, "embedded")},
            cards=leaders_board,
        )
    for index in range(5):
        respond(
            app.test_client(),
            token,
            "teacher",
            {**dict.fromkeys(HALLMARKS, "developing"), 2: "not-sure"},
            cards=teachers_board,
            lang="cy" if index % 2 else "en",
        )
    close(lead_client, number)
    page = results(lead_client, number)
    table = soup(page).find(id="hallmark-table").tbody.find_all("tr")
    first = [td.get_text(strip=True) for td in table[0].find_all("td")]
    # Ratings in framework order: not yet started, developing, established, embedded, not sure.
    assert first[:5] == ["0", "5", "0", "5", "0"]
    assert first[5] == "Developing"  # the school's own rating (tests/plans.py)
    assert "Leaders 4.0, others 2.0" in first[6] and "2.0 points higher" in first[6]
    second = [td.get_text(strip=True) for td in table[1].find_all("td")]
    assert second[:5] == ["0", "0", "0", "5", "5"]
    assert "Not shown" in second[6]  # the teachers were not sure: no five ratings to compare
    heat = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in soup(page).find(id="staff-heat-table").tbody.find_all("tr")
    }
    pedagogy = heat["Pedagogy and teaching approaches"]  # NINE[0]
    # Leaders: row 1 (5 x 5 = 25); teachers: slot 2, row 2 (5 x 4 = 20): 45.
    assert pedagogy == ["5", "5", "0", "0", "0", "45"]
    # Early years (NINE[8]): leaders row 5 (5 x 1), teachers row 1 (5 x 5): 30.
    assert heat["Early years"] == ["5", "0", "0", "0", "5", "30"]
    # Scores (x 5 staff each): NINE[0] 5+4 = 45, NINE[1] 4+4 = 40, NINE[2] 4+3 = 35, NINE[3]
    # 3+3 = 30, NINE[4] 30, NINE[8] 1+5 = 30, NINE[5] 3+2 = 25, NINE[6] 2+2 = 20, NINE[7]
    # 2+1 = 15. The three on 30, each placed by ten, go by card key: early-years, well-being,
    # welsh-language.
    rows = [
        li.get_text(" ", strip=True).replace(" ;", ";")
        for li in soup(page).find(id="consensus-board").find_all("li")
    ]
    assert rows == [
        "Row 1 (most important): Pedagogy and teaching approaches",
        "Row 2: Curriculum design; Assessment and progression",
        "Row 3: Early years; Well-being; The Welsh language",
        "Row 4: Equity and the impact of poverty; Coaching and mentoring",
        "Row 5 (least important): Digital competence",
    ]


def test_the_lead_applies_the_consensus_in_one_change_and_undoes_it(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    reversed_nine = tuple(reversed(NINE))
    for _ in range(5):
        respond(app.test_client(), token, "teacher", cards=reversed_nine)
    close(lead_client, number)
    page = results(lead_client, number)
    form = soup(page).find("form", action=f"{LEAD_PAGE}/{number}/apply")
    version = form.find("input", {"name": "version"})["value"]
    with app.app_context():
        before_events = db.session.query(AuditEvent).count()
    applied = lead_client.post(f"{LEAD_PAGE}/{number}/apply", data={"version": version})
    assert applied.status_code == 302
    board = lead_client.get(f"/en/plan/{YEAR}/diamond-9")
    first_row = soup(board).find(attrs={"data-slot": "1"}).get_text()
    assert "Early years" in first_row  # NINE[8], everyone's row 1
    with app.app_context():
        new = db.session.scalars(
            select(AuditEvent).order_by(AuditEvent.id).offset(before_events)
        ).all()
        actions = [e.action for e in new]
        assert actions == ["answer-saved", "staff-voice-applied"]
        detail = new[1].detail
        assert detail["before"]["1"] == NINE[0] and detail["after"]["1"] == NINE[8]
    # Applying again with the old version is refused (the board has changed).
    stale = lead_client.post(f"{LEAD_PAGE}/{number}/apply", data={"version": version})
    assert stale.status_code == 302
    page = results(lead_client, number)
    assert soup(page).find(id="same-board") is not None
    undone = lead_client.post(f"{LEAD_PAGE}/{number}/undo")
    assert undone.status_code == 302
    board = lead_client.get(f"/en/plan/{YEAR}/diamond-9")
    assert "Pedagogy" in soup(board).find(attrs={"data-slot": "1"}).get_text()
    # Undoing twice changes nothing more.
    assert lead_client.post(f"{LEAD_PAGE}/{number}/undo").status_code == 302
    assert (
        "Pedagogy"
        in soup(lead_client.get(f"/en/plan/{YEAR}/diamond-9"))
        .find(attrs={"data-slot": "1"})
        .get_text()
    )


def test_applying_and_undoing_the_consensus_are_in_the_plan_history(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(5):
        respond(app.test_client(), token, "teacher", cards=tuple(reversed(NINE)))
    close(lead_client, number)
    form = soup(results(lead_client, number)).find("form", action=f"{LEAD_PAGE}/{number}/apply")
    version = form.find("input", {"name": "version"})["value"]
    assert (
        lead_client.post(f"{LEAD_PAGE}/{number}/apply", data={"version": version}).status_code
        == 302
    )
    assert lead_client.post(f"{LEAD_PAGE}/{number}/undo").status_code == 302
    for lang, applied, undone in (
        ("en", "Applied the staff's consensus board", "Undid applying the staff's consensus"),
        ("cy", "Wedi defnyddio bwrdd consensws", "Wedi dadwneud"),
    ):
        page = lead_client.get(f"/{lang}/plan/{YEAR}/history")
        found = [
            [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in soup(page).select("tbody .govuk-table__row")
        ]
        whats = [row[-1] for row in found]
        # The newest first: the undo, then applying it (each beside its saved board).
        undo_at = next(i for i, what in enumerate(whats) if undone in what)
        apply_at = next(i for i, what in enumerate(whats) if applied in what)
        assert undo_at < apply_at, whats


def test_a_closed_round_refuses_new_responses_and_edits(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    browser = app.test_client()
    respond(browser, token, "teacher", cards=(NINE[0],))
    assert lead_client.post(f"{LEAD_PAGE}/{number}/close").status_code == 302
    closed = browser.get(f"/en/staff-voice/{token}")
    assert heading(closed) == "This staff voice round has closed"
    edit = browser.post(
        f"/en/staff-voice/{token}", data={f"hallmark_{n}": "embedded" for n in HALLMARKS}
    )
    assert edit.status_code == 403
    move = browser.post(
        f"/en/staff-voice/{token}/board", data={"card": NINE[1], "to": "next", "version": "0"}
    )
    assert move.status_code == 403
    newcomer = app.test_client().post(
        f"/cy/staff-voice/{token}", data={f"hallmark_{n}": "embedded" for n in HALLMARKS}
    )
    assert newcomer.status_code == 403
    with app.app_context():
        rows = db.session.scalars(select(StaffVoiceResponse)).all()
        assert len(rows) == 1 and rows[0].board == {"1": NINE[0]}
        assert set(rows[0].ratings.values()) == {"established"}


def test_a_round_past_its_closing_date_is_closed(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    with app.app_context():
        row = db.session.scalar(select(StaffVoiceRound))
        assert row is not None
        row.closes_on = date.today() - timedelta(days=1)
        db.session.commit()
    response = app.test_client().post(
        f"/en/staff-voice/{token}", data={f"hallmark_{n}": "embedded" for n in HALLMARKS}
    )
    assert response.status_code == 403


def test_the_lead_deletes_a_round_and_its_responses(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    respond(app.test_client(), token, "teacher")
    confirm = lead_client.get(f"{LEAD_PAGE}/{number}/delete")
    assert heading(confirm) == "Are you sure you want to delete this round and its responses?"
    assert lead_client.post(f"{LEAD_PAGE}/{number}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(StaffVoiceResponse.id)) is None
        assert db.session.scalar(select(StaffVoiceRound.id)) is None
    assert app.test_client().get(f"/en/staff-voice/{token}").status_code == 404


def test_the_closing_date_is_checked(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    empty = lead_client.post(LEAD_PAGE, data={})
    assert error_summary(empty) == ["Enter the date the round closes"]
    past = date.today() - timedelta(days=1)
    old = lead_client.post(
        LEAD_PAGE,
        data={"closes_day": past.day, "closes_month": past.month, "closes_year": past.year},
    )
    assert error_summary(old) == ["The closing date must be today or in the future"]
    welsh = lead_client.post(
        f"/cy/plan/{YEAR}/staff-voice",
        data={"closes_day": "31", "closes_month": "2", "closes_year": "2027"},
    )
    assert error_links(welsh) == ["#closes-day"]
    assert "Enter" not in error_summary(welsh)[0]


def test_only_the_lead_opens_closes_and_applies(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    colleague = directory.user(email="colleague@school.example", school=lead.school)
    as_colleague = app.test_client()
    sign_in(as_colleague, colleague.email)
    assert as_colleague.get(LEAD_PAGE).status_code == 200
    assert as_colleague.get(f"{LEAD_PAGE}/{number}/results").status_code == 200
    assert as_colleague.post(f"{LEAD_PAGE}/{number}/close").status_code == 403
    assert as_colleague.post(f"{LEAD_PAGE}/{number}/apply").status_code == 403
    # Another school's lead cannot reach the round.
    other = directory.user(email="other@school.example", school=directory.school(), lead=True)
    as_other = app.test_client()
    sign_in(as_other, other.email)
    assert as_other.get(f"{LEAD_PAGE}/{number}/results").status_code == 404
    assert token


def test_the_response_link_is_rate_limited(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    monkeypatch.setitem(app.config, "STAFF_VOICE_REQUESTS_PER_ADDRESS", "3 per minute")
    attacker = {"REMOTE_ADDR": "203.0.113.77"}
    client = app.test_client()
    for _ in range(3):
        assert client.get(f"/en/staff-voice/{token}", environ_base=attacker).status_code == 200
    limited = client.get(f"/en/staff-voice/{token}", environ_base=attacker)
    assert limited.status_code == 429
    assert limited.headers["Referrer-Policy"] == "no-referrer"
    guessing = client.get("/en/staff-voice/" + "z" * 43, environ_base=attacker)
    assert guessing.status_code == 429
    assert app.test_client().get(f"/en/staff-voice/{token}").status_code == 200


def test_the_board_moves_by_htmx_and_without_javascript(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, cards=(NINE[0], NINE[1]))
    page = browser.get(f"/cy/staff-voice/{token}/board")
    assert page.status_code == 200
    # The school's compact board, in one form that posts (and htmx posts) to the response's board.
    form = soup(page).find(id="board-form")
    assert form["action"] == form["data-hx-post"] == f"/cy/staff-voice/{token}/board"
    assert form.find(id="diamond-board") is not None and form.find(id="card-bank") is not None
    assert form.find(attrs={"data-undo": True}) is None
    partial = browser.post(
        f"/cy/staff-voice/{token}/board",
        data={"card": NINE[1], "to": "up", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 200
    assert "HX-Request" in partial.headers["Vary"]
    assert soup(partial).find(id="diamond-board") is not None
    assert soup(partial).find(id="card-bank")["data-hx-swap-oob"] == "true"
    # A drag posts a slot number: the two cards swap.
    browser.post(
        f"/en/staff-voice/{token}/board", data={"card": NINE[0], "to": "1", "version": "0"}
    )
    with app.app_context():
        row = db.session.scalar(select(StaffVoiceResponse))
        assert row is not None and row.board["1"] == NINE[0]
    bad = browser.post(f"/en/staff-voice/{token}/board", data={"card": "card:nope", "to": "next"})
    assert bad.status_code == 200
    assert error_summary(bad) == ["Choose a card from your board or your card bank"]
    done = browser.get(f"/en/staff-voice/{token}/done")
    assert "2 cards" in soup(done).find(id="board-count").text


def responder_board(app: Flask) -> dict[str, str]:
    with app.app_context():
        row = db.session.scalar(select(StaffVoiceResponse))
        assert row is not None
        return dict(row.board)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_responder_moves_with_the_boards_buttons_and_chooses_in_a_full_row(
    app: Flask, lead_client: FlaskClient, htmx: bool
) -> None:
    """The buttons of the school's board (name "m", "<card> <where to>") move the responder's
    cards the same way: a full row asks which card to swap with, "Move to row" which row,
    "Swap with..." which card, and Cancel changes nothing."""
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, cards=NINE[:4])
    url = f"/en/staff-voice/{token}/board"
    headers = {"HX-Request": "true"} if htmx else {}

    def press(value: str, asks: bool = False) -> Any:
        """Press a button; a question (and every htmx answer) is a 200 page, a move without
        JavaScript a redirect to the board."""
        response = browser.post(url, data={"m": value, "version": "0"}, headers=headers)
        assert response.status_code == (200 if htmx or asks else 302), response.status_code
        if not htmx and not asks:
            assert response.headers["Location"].startswith(url)
        return response

    page = soup(browser.get(url))
    fourth = page.find(attrs={"data-card": NINE[3]})
    assert fourth.find("details").find("summary") is not None
    assert [b["value"] for b in fourth.select("button[name=m]")] == [
        f"{NINE[3]} up",
        f"{NINE[3]} down",
        f"{NINE[3]} rows",
        f"{NINE[3]} swap",
        f"{NINE[3]} bank",
    ]
    question = soup(press(f"{NINE[3]} up", asks=True)).find(id="board-chooser")
    assert question.find("h2").get_text(strip=True).startswith("Row 2 is full.")
    assert [b["value"] for b in question.select("button")] == [
        f"{NINE[3]} with:{NINE[1]}",
        f"{NINE[3]} with:{NINE[2]}",
        f"{NINE[3]} cancel",
    ]
    assert responder_board(app)["4"] == NINE[3]  # nothing moved yet
    press(f"{NINE[3]} with:{NINE[1]}")
    assert responder_board(app) == {"1": NINE[0], "2": NINE[3], "3": NINE[2], "4": NINE[1]}
    rows = soup(press(f"{NINE[1]} rows", asks=True)).find(id="board-chooser")
    assert f"{NINE[1]} row-5" in [b["value"] for b in rows.select("button")]
    swap = soup(press(f"{NINE[1]} swap", asks=True)).find(id="board-chooser")
    assert f"{NINE[1]} with:{NINE[0]}" in [b["value"] for b in swap.select("button")]
    cancel = press(f"{NINE[1]} cancel")
    if htmx:
        assert soup(cancel).find(id="board-chooser").get_text(strip=True) == ""
    press(f"{NINE[1]} row-5")
    assert responder_board(app)["9"] == NINE[1]
    moved = press(f"{NINE[1]} bank")
    if htmx:
        assert soup(moved).find(id="card-bank")["data-hx-swap-oob"] == "true"
        assert (
            soup(moved)
            .find(id="board-announcement")
            .get_text(strip=True)
            .endswith("returned to the card bank")
        )
    assert NINE[1] not in responder_board(app).values()
    # Responders have no undo.
    refused = browser.post(url, data={"m": "- undo", "version": "0"}, headers=headers)
    assert refused.status_code == 200
    assert error_summary(refused) == ["Choose a card from your board or your card bank"]


def share_link(lead_client: FlaskClient) -> str:
    share = lead_client.post(f"/en/plan/{YEAR}/share", data={"shows": "draft"})
    shared = re.search(r"/shared/([A-Za-z0-9_-]+)", soup(share).find(id="new-share-link")["href"])
    assert shared is not None
    return shared.group(1)


def pdf_text(client: FlaskClient, lang: str) -> str:
    response = client.get(f"/{lang}/plan/{YEAR}/summary.pdf")
    assert response.mimetype == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_summary_and_shared_view_show_the_staff_voice_once_closed(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    for _ in range(5):
        respond(app.test_client(), token, cards=NINE)
    shared = share_link(lead_client)
    heat = "Map gwres y staff" if lang == "cy" else "Staff heat map"
    # While the round is open: the count only, on the summary, the shared view and the PDF.
    for page in (
        lead_client.get(f"/{lang}/plan/{YEAR}/summary"),
        app.test_client().get(f"/{lang}/shared/{shared}"),
    ):
        assert page.status_code == 200
        assert "5" in soup(page).find(id="staff-voice-count").text
        assert soup(page).find(id="summary-staff-heat-table") is None
        assert soup(page).find(id="staff-voice-wait") is not None
    assert heat not in pdf_text(lead_client, lang)
    close(lead_client, round_id(app))
    summary = lead_client.get(f"/{lang}/plan/{YEAR}/summary")
    assert soup(summary).find(id="summary-staff-heat-table") is not None
    page = app.test_client().get(f"/{lang}/shared/{shared}")
    assert soup(page).find(id="staff-voice-count") is not None
    assert soup(page).find(id="summary-staff-heat-table") is not None
    assert heat in pdf_text(lead_client, lang)


def test_the_coordinator_and_the_pdf_show_the_staff_voice_once_closed(
    app: Flask, directory: Directory
) -> None:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    lead_client, coordinator_client = app.test_client(), app.test_client()
    sign_in(lead_client, lead.email)
    sign_in(coordinator_client, coordinator.email)
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    for _ in range(5):
        respond(app.test_client(), token, cards=NINE)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    url = f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "5 members of staff" in soup(page).find(id="staff-voice-count").text
    assert soup(page).find(id="summary-staff-heat-table") is None  # still open
    close(lead_client, round_id(app))
    assert soup(coordinator_client.get(url)).find(id="summary-staff-heat-table") is not None
    pdf = pdf_text(lead_client, "cy")
    assert "Llais staff" in pdf
    assert "Map gwres y staff" in pdf


def test_a_responder_may_rather_not_give_a_role(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, "none")
    with app.app_context():
        row = db.session.scalar(select(StaffVoiceResponse))
        assert row is not None and row.role == ""
    page = browser.get(f"/en/staff-voice/{token}?change=1")
    assert soup(page).find("input", {"name": "role", "checked": True})["value"] == "none"


def test_the_responders_board_shows_nothing_of_the_schools_self_review(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)  # chooses an element in each context: suggested cards
    url = f"/en/plan/{YEAR}/hallmark-8"
    rated = {"rating": "not-yet-started", "evidence": "None yet", "next_steps": "Start"}
    saved = lead_client.post(url, data={**rated, "revision": revision(lead_client, url)})
    assert saved.status_code == 302
    school_board = soup(lead_client.get(f"/en/plan/{YEAR}/diamond-9/cards")).get_text(" ")
    # The school's own board explains its suggestions.
    assert "You rated hallmark 8 as Not happening yet" in school_board
    assert "You chose this element" in school_board
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, cards=(NINE[0],))
    for lang in ("en", "cy"):
        page = soup(browser.get(f"/{lang}/staff-voice/{token}/board"))
        assert page.find(class_="app-card__reason") is None
        assert page.find(class_="app-card__tag") is None
        assert "You rated" not in page.get_text(" ")
        assert page.find(attrs={"data-card": re.compile("^hallmark:")}) is None
        assert "self-review" not in page.find(id="bank-count").get_text()
    moved = browser.post(
        f"/en/staff-voice/{token}/board",
        data={"card": NINE[1], "to": "next", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert soup(moved).find(class_="app-card__reason") is None
    assert "You rated" not in moved.get_data(as_text=True)


def cookie_names(client: FlaskClient) -> set[str]:
    return {c.key for c in client._cookies.values()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_shared_browser_never_shows_the_last_persons_answers_unasked(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    staff_room = app.test_client()
    respond(staff_room, token, "leader", "embedded", cards=(NINE[0],), lang=lang)
    # The next person opens the link in the same browser: a choice, none of the answers.
    page = staff_room.get(f"/{lang}/staff-voice/{token}")
    assert page.status_code == 200
    assert soup(page).find("input", {"type": "radio"}) is None
    assert soup(page).find(id="change-answers")["href"] == f"/{lang}/staff-voice/{token}?change=1"
    # They start their own: the browser forgets the first response (kept, but out of reach),
    # and they go straight to a blank response (not a page about the first person's).
    choice = soup(page).find(id="start-new").find_parent("form")
    fields = {i["name"]: i.get("value", "") for i in choice.find_all("input", type="hidden")}
    forgot = staff_room.post(choice["action"], data=fields)
    assert forgot.status_code == 303
    assert forgot.headers["Location"] == f"/{lang}/staff-voice/{token}"
    assert "staff-voice-" not in " ".join(cookie_names(staff_room))
    fresh = staff_room.get(f"/{lang}/staff-voice/{token}")
    assert soup(fresh).find("input", {"type": "radio", "checked": True}) is None
    assert staff_room.get(f"/{lang}/staff-voice/{token}/board").status_code == 302
    respond(staff_room, token, "teacher", "developing", cards=(NINE[1],), lang=lang)
    with app.app_context():
        rows = db.session.scalars(select(StaffVoiceResponse)).all()
        assert sorted(row.role for row in rows) == ["leader", "teacher"]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_shared_browser_later_asks_again_before_showing_the_board(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    """The last person left without forgetting the browser; the next opens the board's address
    from the browser's history: the choice comes first, and no page shows the earlier answers
    or board until someone says it is them."""
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    staff_room = app.test_client()
    respond(staff_room, token, "leader", "embedded", cards=(NINE[0],), lang=lang)
    board_url = f"/{lang}/staff-voice/{token}/board"
    assert staff_room.get(board_url).status_code == 200  # the same person, still at it
    # Half an hour and more later, nothing of the answers shows without the choice.
    sitting = f"staff-voice-sitting-{round_id(app)}"
    with staff_room.session_transaction() as session:
        session[sitting] -= app.config["STAFF_VOICE_SITTING_SECONDS"] + 1
    for path in ("/board", "/done"):
        later = staff_room.get(f"/{lang}/staff-voice/{token}{path}")
        assert later.status_code == 302
        assert later.headers["Location"] == f"/{lang}/staff-voice/{token}"
    moved = staff_room.post(board_url, data={"card": NINE[1], "to": "next", "version": "0"})
    assert moved.headers["Location"] == f"/{lang}/staff-voice/{token}"
    by_htmx = staff_room.post(
        board_url,
        data={"card": NINE[1], "to": "next", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert by_htmx.status_code == 204
    assert by_htmx.headers["HX-Redirect"] == f"/{lang}/staff-voice/{token}"
    choice = soup(staff_room.get(f"/{lang}/staff-voice/{token}"))
    assert choice.find("input", {"type": "radio"}) is None
    assert choice.find(id="change-answers") is not None
    with app.app_context():
        board = db.session.scalar(select(StaffVoiceResponse.board))
    assert list((board or {}).values()) == [NINE[0]]  # the later move changed nothing
    # The person says it is them: their answers and board again.
    again = soup(staff_room.get(f"/{lang}/staff-voice/{token}?change=1"))
    assert again.find("input", {"name": "role", "checked": True})["value"] == "leader"
    assert staff_room.get(board_url).status_code == 200


def test_finishing_offers_to_forget_this_browser(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    browser = app.test_client()
    respond(browser, token, "teacher", cards=(NINE[0],))
    board = soup(browser.get(f"/en/staff-voice/{token}/board"))
    finish = board.find("a", string=re.compile("Finish"))
    assert finish["href"] == f"/en/staff-voice/{token}/done"
    warned = soup(browser.get(finish["href"]))
    done = soup(browser.get(warned.find("a", string=re.compile("Finish anyway"))["href"]))
    form = done.find(id="forget-browser").find_parent("form")
    assert form["action"] == f"/en/staff-voice/{token}/forget"
    assert "staff-voice-" in " ".join(cookie_names(browser))
    # The responder's own ways back to their ratings go straight to them, not to the choice.
    change = done.find("a", string="Change your role or ratings")["href"]
    back = board.find("a", class_="govuk-back-link")["href"]
    assert change == back == f"/en/staff-voice/{token}?change=1"
    assert soup(browser.get(change)).find("input", {"name": "role", "checked": True}) is not None
    forgot = browser.post(form["action"])
    assert heading(forgot) == "This browser has forgotten your response"
    assert any(
        header.startswith("staff-voice-") and "Expires=Thu, 01 Jan 1970" in header
        for header in forgot.headers.getlist("Set-Cookie")
    )
    assert "staff-voice-" not in " ".join(cookie_names(browser))
    # The answers are kept; this browser can no longer reach them.
    assert browser.get(f"/en/staff-voice/{token}/done").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffVoiceResponse.id))) == 1


def test_a_lost_link_is_replaced_and_the_old_one_stops_working(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    old = open_round(lead_client)
    number = round_id(app)
    browser = app.test_client()
    respond(browser, old, "teacher", cards=(NINE[0],))
    page = soup(lead_client.get(LEAD_PAGE))
    form = page.find("form", action=f"{LEAD_PAGE}/{number}/new-link")
    assert form is not None and form.find("button").get_text(strip=True).startswith(
        "Make a new link"
    )
    reissued = lead_client.post(form["action"])
    assert reissued.status_code == 200
    banner = soup(reissued).find(id="new-staff-voice-link")
    found = LINK.search(banner["href"])
    assert found is not None
    new = found.group(2)
    assert new != old and len(new) >= 43
    # The copy button: served hidden, shown by the script where the clipboard can be used.
    copy = soup(reissued).find("button", attrs={"data-copy": "new-staff-voice-link"})
    assert copy is not None and copy.find_parent(attrs={"hidden": True}) is not None
    assert app.test_client().get(f"/en/staff-voice/{old}").status_code == 404
    assert app.test_client().get(f"/en/staff-voice/{new}").status_code == 200
    # The response is kept, and its browser still finds it through the new link.
    assert browser.get(f"/en/staff-voice/{new}/done").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffVoiceResponse.id))) == 1
        row = db.session.scalar(select(StaffVoiceRound))
        assert row is not None
        assert row.token_hash == hashlib.sha256(new.encode()).hexdigest()
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "staff-voice-link-reissued")
        )
        assert event is not None and event.user_id == lead.id
        assert event.detail == {"round_id": number}
    # Only the lead may do it, and not for a closed round.
    colleague = directory.user(email="colleague@school.example", school=lead.school)
    as_colleague = app.test_client()
    sign_in(as_colleague, colleague.email)
    assert as_colleague.post(f"{LEAD_PAGE}/{number}/new-link").status_code == 403
    close(lead_client, number)
    refused = lead_client.post(f"{LEAD_PAGE}/{number}/new-link", follow_redirects=True)
    assert "needs no new link" in refused.get_data(as_text=True)
    assert app.test_client().get(f"/en/staff-voice/{new}").status_code == 200  # still the same


def test_responses_carry_no_order_of_arrival(app: Flask, lead_client: FlaskClient) -> None:
    """A random key, no time, and on SQLite no rowid counting up: nothing lines the responses up
    with the order they came in (or with a web server's log)."""
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    for _ in range(3):
        respond(app.test_client(), token, "teacher")
    with app.app_context():
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("staff_voice_response")}
        ids = db.session.scalars(select(StaffVoiceResponse.id)).all()
        if db.engine.dialect.name == "sqlite":
            with pytest.raises(OperationalError):
                db.session.execute(text("SELECT rowid FROM staff_voice_response")).all()
            db.session.rollback()
    assert not isinstance(columns["id"]["type"], Integer)
    assert not any("created" in name or "_at" in name for name in columns)
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in ids)


def test_the_migration_gives_existing_responses_random_ids(tmp_path: Path) -> None:
    url, schema = database_url(tmp_path)
    migrated = create_app(test_config(url, tmp_path))
    try:
        with migrated.app_context():
            upgrade(revision="0009")
            authority = LocalAuthority(code="x", name_en="X", name_cy="X")
            db.session.add(authority)
            db.session.flush()
            # The school's table as it was at 0009 (later migrations add columns to the model).
            school_id = db.session.execute(
                insert(School)
                .values(school_number="1", name_en="S", local_authority_id=authority.id)
                .returning(School.id)
            ).scalar_one()
            plan = Plan(school_id=school_id, academic_year=2026)
            db.session.add(plan)
            db.session.flush()
            db.session.add(
                StaffVoiceRound(id=1, plan_id=plan.id, token_hash="a" * 64, closes_on=date.today())
            )
            db.session.flush()
            for number, role in enumerate(["teacher", "leader"], start=1):
                db.session.execute(
                    text(
                        "INSERT INTO staff_voice_response"
                        " (id, round_id, cookie_hash, role, ratings, board)"
                        " VALUES (:id, 1, :hash, :role, :ratings, :board)"
                    ),
                    {
                        "id": number,
                        "hash": str(number) * 64,
                        "role": role,
                        "ratings": '{"1": "embedded"}',
                        "board": '{"1": "card:pedagogy"}',
                    },
                )
            db.session.commit()
            upgrade()
            rows = db.session.execute(
                text("SELECT id, role, ratings, board FROM staff_voice_response")
            ).all()
            assert sorted(row.role for row in rows) == ["leader", "teacher"]
            assert all(re.fullmatch(r"[0-9a-f]{32}", row.id) for row in rows)
            answers = db.session.scalars(select(StaffVoiceResponse)).all()
            assert {a.board["1"] for a in answers} == {"card:pedagogy"}
            assert {a.ratings["1"] for a in answers} == {"embedded"}
    finally:
        with migrated.app_context():
            db.session.remove()
            if schema:
                db.session.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                db.session.commit()
            db.engine.dispose()


RATED = {f"hallmark_{n}": "established" for n in HALLMARKS}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_round_takes_at_most_its_cap_of_new_responses(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    monkeypatch.setitem(app.config, "STAFF_VOICE_RESPONSES_PER_ROUND", 3)
    first = app.test_client()
    respond(first, token, "teacher")
    for _ in range(2):
        respond(app.test_client(), token, "teacher")
    refused = app.test_client().post(f"/{lang}/staff-voice/{token}", data=RATED)
    assert refused.status_code == 403
    title = {
        "en": "This staff voice round has all the responses it can take",
        "cy": "Mae gan y cylch llais staff hwn yr holl ymatebion y gall eu cymryd",
    }[lang]
    assert heading(refused) == title
    assert "3" in soup(refused).find("main").get_text()
    # Someone who has responded can still change their answers.
    changed = first.post(f"/{lang}/staff-voice/{token}", data={**RATED, "role": "leader"})
    assert changed.status_code == 302
    with app.app_context():
        roles = db.session.scalars(select(StaffVoiceResponse.role)).all()
    assert sorted(roles) == ["leader", "teacher", "teacher"]


def test_one_address_can_make_only_so_many_new_responses(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    monkeypatch.setitem(app.config, "STAFF_VOICE_NEW_RESPONSES_PER_ADDRESS", "2 per hour")
    stuffer = {"REMOTE_ADDR": "203.0.113.201"}
    browsers = [app.test_client() for _ in range(3)]
    for browser in browsers[:2]:
        respond(browser, token, "teacher", environ=stuffer)
    # Pages and changes to one's own response do not count; a third new response does.
    assert browsers[2].get(f"/en/staff-voice/{token}", environ_base=stuffer).status_code == 200
    again = browsers[0].post(
        f"/en/staff-voice/{token}", data={**RATED, "role": "leader"}, environ_base=stuffer
    )
    assert again.status_code == 302
    third = browsers[2].post(f"/en/staff-voice/{token}", data=RATED, environ_base=stuffer)
    assert third.status_code == 429
    # Another address is not held back.
    respond(app.test_client(), token, "teacher", environ={"REMOTE_ADDR": "203.0.113.202"})
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffVoiceResponse.id))) == 3


def test_the_limit_on_new_responses_per_address_is_for_each_round(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schools may share an address (a local authority's network): one school's round using
    up an address's allowance does not stop another round's staff from responding."""
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    monkeypatch.setitem(app.config, "STAFF_VOICE_NEW_RESPONSES_PER_ADDRESS", "2 per hour")
    network = {"REMOTE_ADDR": "203.0.113.210"}
    for _ in range(2):
        respond(app.test_client(), token, "teacher", environ=network)
    refused = app.test_client().post(f"/en/staff-voice/{token}", data=RATED, environ_base=network)
    assert refused.status_code == 429
    close(lead_client, round_id(app))
    other = open_round(lead_client)
    respond(app.test_client(), other, "teacher", environ=network)
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffVoiceResponse.id))) == 3


def test_the_lead_sees_the_number_of_staff_and_a_warning_when_responses_exceed_it(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    url = f"/en/plan/{YEAR}/about-your-school"
    about = {
        "phase": "primary",
        "teaching_staff": "3",
        "support_staff": "2",
        "pl_lead": "Catrin Jones",
        "funding_allocation": "1000",
    }
    saved = lead_client.post(url, data={**about, "revision": revision(lead_client, url)})
    assert saved.status_code == 302
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(5):
        respond(app.test_client(), token, "teacher", cards=NINE)
    index = soup(lead_client.get(LEAD_PAGE))
    assert "5 members of staff" in index.find(id="expected-staff").get_text()
    assert "5 of 5 staff" in index.find(id="staff-voice-rounds").get_text(" ")
    assert index.find(id="more-than-staff") is None
    # What the link can and cannot promise, honestly: made-up responses could single one out.
    promises = index.find(id="round-guarantees").get_text(" ")
    assert "while the round is open" in promises
    assert "four made-up responses beside one real one" in promises
    respond(app.test_client(), token, "teacher", cards=NINE)
    index = soup(lead_client.get(LEAD_PAGE))
    assert "6 of 5 staff" in index.find(id="staff-voice-rounds").get_text(" ")
    assert "more responses than the 5 staff" in index.find(id="more-than-staff").get_text()
    page = soup(results(lead_client, number))
    assert "more responses than staff" in page.find(id="more-than-staff").get_text()
    welsh = soup(lead_client.get(f"/cy/plan/{YEAR}/staff-voice"))
    assert welsh.find(id="more-than-staff") is not None
    assert "Warning" not in welsh.find(id="more-than-staff").get_text()
    # Two instructions, both in the imperative (not "dilëwch ... ac agor").
    assert "dilëwch y cylch ac agorwch un newydd" in welsh.find(id="more-than-staff").get_text()


def test_while_a_new_round_is_open_the_summary_shows_the_last_closed_rounds_results(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    first = open_round(lead_client)
    for _ in range(5):
        respond(app.test_client(), first, cards=NINE)
    close(lead_client, round_id(app))
    second = open_round(lead_client)
    respond(app.test_client(), second, cards=tuple(reversed(NINE)))
    page = soup(lead_client.get(f"/en/plan/{YEAR}/summary"))
    assert "1 member of staff responded" in page.find(id="staff-voice-count").text
    assert page.find(id="staff-voice-wait") is not None  # the open round: its count only
    earlier = page.find(id="staff-voice-earlier").text
    assert "5 members of staff responded" in earlier
    assert date.today().strftime("%-d %B %Y") in earlier
    heat = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.find(id="summary-staff-heat-table").tbody.find_all("tr")
    }
    # Only the closed round's five boards (NINE[0] first), nothing of the open round's one.
    assert heat["Pedagogy and teaching approaches"] == ["5", "0", "0", "0", "0", "25"]


def test_on_a_submitted_plan_the_consensus_says_why_and_links_to_reopening(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    token = open_round(lead_client)
    number = round_id(app)
    for _ in range(5):
        respond(app.test_client(), token, "teacher", cards=tuple(reversed(NINE)))
    close(lead_client, number)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    page = soup(results(lead_client, number))
    assert page.find("form", action=f"{LEAD_PAGE}/{number}/apply") is None
    said = page.find(id="consensus-submitted")
    assert said is not None and "the plan has been submitted" in said.get_text()
    assert said.find("a", href=f"/en/plan/{YEAR}/reopen") is not None
