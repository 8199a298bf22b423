"""Bounded work (issue 22, point 5): what one request, one person or one school can make the
service do is bounded, each limit with a clear message in the page's language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from tests.conftest import Directory, sign_in
from tests.html import error_summary, heading, soup
from tests.html import text as text_of
from tests.integration.test_sharing import make_link
from tests.plans import revision, write_plan
from wizard.data.database import db
from wizard.data.models import OwnCard, PlanAnswer, PlanComment, ShareLink, User
from wizard.data.render_slots import PDF_LOCK_KEY
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.render import pdf

YEAR = year_slug(academic_year_of(date.today()))


# Fields per request ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "said"),
    [
        ("en", "What you sent is too large", "more than 200 fields"),
        ("cy", "Mae'r hyn a anfonwyd gennych yn rhy fawr", "fwy na 200 maes"),
    ],
)
def test_a_form_with_more_fields_than_any_of_ours_is_refused(
    app: Flask, lead_client: FlaskClient, lang: str, title: str, said: str
) -> None:
    url = f"/{lang}/plan/{YEAR}/hallmark-2"
    form = {
        "rating": "developing",
        "evidence": "Learning walks",
        "next_steps": "Coaching",
        "revision": revision(lead_client, url),
    }
    padded = {**form, **{f"x{n}": "" for n in range(app.config["MAX_FORM_PARTS"])}}
    response = lead_client.post(url, data=padded)
    assert response.status_code == 413
    assert soup(response).html["lang"] == lang
    assert heading(response) == title
    assert said in text_of(soup(response).find("main"))
    with app.app_context():
        assert db.session.query(PlanAnswer).filter_by(step="hallmark-2").count() == 0
    # A form of a size ours have is read as usual.
    fewer = {**form, **{f"x{n}": "" for n in range(100)}}
    assert lead_client.post(url, data=fewer).status_code == 302


# PDFs: a submitted version's is rendered once per language; renders are capped; PDFs are rate
# limited per user and per share link ------------------------------------------------------------


@pytest.fixture
def renders(app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every WeasyPrint render, counted (and skipped: a test here needs the count, not the
    PDF); each test has a cache of its own."""
    made: list[str] = []

    def counted(html: str) -> bytes:
        made.append(html)
        return b"%PDF-1.7 " + str(len(made)).encode()

    monkeypatch.setattr(pdf, "render_pdf", counted)
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "pdf-cache"))
    return made


def submitted(client: FlaskClient) -> None:
    write_plan(client, YEAR)
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302


def test_a_submitted_versions_pdf_is_rendered_once_per_language(
    app: Flask, lead_client: FlaskClient, renders: list[str], tmp_path: Path
) -> None:
    submitted(lead_client)
    token = make_link(lead_client)
    first = lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    again = lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
    shared = app.test_client().get(f"/en/shared/{token}.pdf")
    assert again.get_data() == first.get_data() == shared.get_data()
    assert len(renders) == 1
    welsh = lead_client.get(f"/cy/plan/{YEAR}/versions/1.pdf")
    assert welsh.get_data() != first.get_data()
    assert len(renders) == 2
    assert lead_client.get(f"/cy/plan/{YEAR}/versions/1.pdf").get_data() == welsh.get_data()
    assert len(renders) == 2
    # While the plan stays submitted, its summary's PDF is that version's, from the same copy.
    assert lead_client.get(f"/en/plan/{YEAR}/summary.pdf").get_data() == first.get_data()
    assert len(renders) == 2
    # Reopened, the draft's PDF is made each time (it changes with every save).
    assert lead_client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    lead_client.get(f"/en/plan/{YEAR}/summary.pdf")
    lead_client.get(f"/en/plan/{YEAR}/summary.pdf")
    assert len(renders) == 4
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 2


def test_a_change_to_what_the_pdf_is_made_from_renders_it_again(
    lead_client: FlaskClient, renders: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    submitted(lead_client)
    lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
    assert len(renders) == 1
    # A new WeasyPrint (or stylesheet, template, translation, code: anything in the digest,
    # which a process works out once: here worked out again, as a new deployment's would be).
    monkeypatch.setattr(pdf, "package_version", lambda name: "999.0")
    pdf.pdf_made_from.cache_clear()
    try:
        lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
    finally:
        pdf.pdf_made_from.cache_clear()
    assert len(renders) == 2
    # Only the current copy is kept.
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 1


BUSY = {
    "en": ("Sorry, the service is busy", "Wait a few seconds"),
    "cy": ("Mae'n ddrwg gennym, mae'r gwasanaeth yn brysur", "Arhoswch ychydig eiliadau"),
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_when_every_render_slot_in_the_process_is_taken_the_pdf_is_a_busy_503(
    app: Flask, lead_client: FlaskClient, renders: list[str], lang: str
) -> None:
    submitted(lead_client)
    slots = pdf._process_slots(app.config["PDF_RENDERS_PER_PROCESS"])
    held = 0
    while slots.acquire(blocking=False):
        held += 1
    try:
        response = lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf")
    finally:
        for _ in range(held):
            slots.release()
    assert held == app.config["PDF_RENDERS_PER_PROCESS"]
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert soup(response).html["lang"] == lang
    title, said = BUSY[lang]
    assert heading(response) == title
    assert said in text_of(soup(response).find("main"))
    assert renders == []
    # Free again: the PDF is made.
    assert lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf").status_code == 200


def test_renders_are_capped_over_every_process_on_postgresql(
    app: Flask, lead_client: FlaskClient, renders: list[str]
) -> None:
    """Another process (here a connection of the test's own) holds every shared slot."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the shared cap is PostgreSQL's (SQLite is one machine)")
    submitted(lead_client)
    slots = app.config["PDF_RENDERS_AT_ONCE"]
    with engine.connect() as other:
        for slot in range(slots):
            assert other.scalar(select(func.pg_try_advisory_lock(PDF_LOCK_KEY, slot)))
        response = lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
        assert response.status_code == 503
        assert heading(response) == BUSY["en"][0]
        other.scalar(select(func.pg_advisory_unlock(PDF_LOCK_KEY, 0)))
        other.commit()
        assert lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf").status_code == 200
        other.execute(text("SELECT pg_advisory_unlock_all()"))
        other.commit()
    assert len(renders) == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "a lot of PDFs in a short time"), ("cy", "lawer o ffeiliau PDF mewn amser byr")],
)
def test_pdfs_are_rate_limited_per_user(
    app: Flask,
    lead_client: FlaskClient,
    directory: Directory,
    lead: User,
    renders: list[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    said: str,
) -> None:
    submitted(lead_client)
    monkeypatch.setitem(app.config, "PDF_REQUESTS_PER_USER", "3 per minute")
    # Every PDF of the user counts together, from any address.
    for n, url in enumerate(["versions/1.pdf", "summary.pdf", "versions/1.pdf"]):
        address = {"REMOTE_ADDR": f"198.51.100.{n + 1}"}
        assert (
            lead_client.get(f"/{lang}/plan/{YEAR}/{url}", environ_base=address).status_code == 200
        )
    limited = lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"].isdigit()
    assert soup(limited).html["lang"] == lang
    assert said in text_of(soup(limited).find("main"))
    # A colleague has their own allowance.
    colleague = directory.user(email="colleague@school.example", school=lead.school)
    other = app.test_client()
    sign_in(other, colleague.email)
    assert other.get(f"/{lang}/plan/{YEAR}/versions/1.pdf").status_code == 200


def test_pdfs_are_rate_limited_per_share_link(
    app: Flask, lead_client: FlaskClient, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted(lead_client)
    token, another = make_link(lead_client), make_link(lead_client)
    monkeypatch.setitem(app.config, "PDF_REQUESTS_PER_SHARE_LINK", "2 per minute")
    for n in range(2):
        address = {"REMOTE_ADDR": f"203.0.113.{n + 1}"}
        assert (
            app.test_client().get(f"/cy/shared/{token}.pdf", environ_base=address).status_code
            == 200
        )
    limited = app.test_client().get(
        f"/cy/shared/{token}.pdf", environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert limited.status_code == 429
    assert soup(limited).html["lang"] == "cy"
    # The page itself and other links are not held back.
    assert app.test_client().get(f"/cy/shared/{token}").status_code == 200
    assert app.test_client().get(f"/cy/shared/{another}.pdf").status_code == 200


# What one school can create ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "up to 3 cards of its own"), ("cy", "hyd at 3 o'i chardiau ei hun")],
)
def test_a_school_has_a_cap_on_its_own_cards(
    app: Flask,
    lead_client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    said: str,
) -> None:
    monkeypatch.setitem(app.config, "OWN_CARDS_PER_PLAN", 3)
    new = f"/{lang}/plan/{YEAR}/diamond-9/cards/new"
    for n in range(3):
        assert lead_client.post(new, data={"title_en": f"Card {n}"}).status_code == 302
    refused = lead_client.post(new, data={"title_en": "One too many"})
    assert refused.status_code == 200
    assert soup(refused).html["lang"] == lang
    assert any(said in message for message in error_summary(refused))
    with app.app_context():
        assert db.session.query(OwnCard).count() == 3
    # A card can still be changed.
    with app.app_context():
        card_id = db.session.query(OwnCard.id).order_by(OwnCard.id).first()[0]
    changed = lead_client.post(
        f"/{lang}/plan/{YEAR}/diamond-9/cards/{card_id}",
        data={"title_en": "Renamed", "revision": "1"},
    )
    assert changed.status_code == 302


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "up to 2 share links at once"), ("cy", "hyd at 2 o ddolenni rhannu")],
)
def test_a_plan_has_a_cap_on_its_live_share_links(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    write_plan(lead_client, YEAR)
    monkeypatch.setitem(app.config, "SHARE_LINKS_PER_PLAN", 2)
    make_link(lead_client, "draft")
    make_link(lead_client, "draft")
    share = f"/{lang}/plan/{YEAR}/share"
    refused = lead_client.post(share, data={"shows": "draft"})
    assert refused.status_code == 200
    assert soup(refused).html["lang"] == lang
    assert any(said in message for message in error_summary(refused))
    assert soup(refused).find(id="new-share-link") is None
    with app.app_context():
        links = db.session.query(ShareLink).order_by(ShareLink.id).all()
        assert len(links) == 2
        first = links[0].id
    # Revoking one makes room for another.
    assert lead_client.post(f"{share}/{first}/revoke").status_code == 302
    make_link(lead_client, "draft")


COMMENT_CAP = {
    "en": "already has 2 comments and replies",
    "cy": "2 o sylwadau ac ymatebion yn barod",
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_version_has_a_cap_on_comments_and_replies(
    app: Flask, directory: Directory, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    directory.user("lead@school.example", school=school, lead=True)
    directory.user("coord@la.example", coordinator_of=[cluster])
    lead_client, coordinator = app.test_client(), app.test_client()
    sign_in(lead_client, "lead@school.example")
    sign_in(coordinator, "coord@la.example")
    submitted(lead_client)
    monkeypatch.setitem(app.config, "COMMENTS_PER_VERSION", 2)
    url = f"/{lang}/clusters/{cluster.id}/schools/{school.id}/{YEAR}/comments"
    form = {"version": "1", "task": "whole-plan", "body": "Da iawn"}
    assert coordinator.post(url, data=form).status_code == 302
    with app.app_context():
        first = db.session.query(PlanComment.id).scalar()
    reply = f"/{lang}/plan/{YEAR}/feedback/{first}/reply"
    assert lead_client.post(reply, data={"body": "Diolch"}).status_code == 302

    refused = coordinator.post(url, data=form)
    assert refused.status_code == 200
    assert soup(refused).html["lang"] == lang
    assert any(COMMENT_CAP[lang] in message for message in error_summary(refused))
    refused_reply = lead_client.post(reply, data={"body": "Diolch eto"})
    assert refused_reply.status_code == 200
    assert any(COMMENT_CAP[lang] in message for message in error_summary(refused_reply))
    with app.app_context():
        assert db.session.query(PlanComment).count() == 2


def test_a_cache_that_cannot_be_written_costs_the_cache_not_the_pdf(
    app: Flask,
    lead_client: FlaskClient,
    renders: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(blocked / "pdf-cache"))
    submitted(lead_client)
    for _ in range(2):
        response = lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(renders) == 2
