"""The access matrix: every route of the URL map, tried by every kind of person, against one
table of expected outcomes.

Each endpoint has a row in MATRIX. A row gives, for GET and (where the route takes it) POST, one
letter per person, in the order of PEOPLE:

    anonymous  lead  colleague  stranger  coordinator  other coordinator  administrator

- the lead and a colleague (a member who is not the lead) belong to the plan's school;
- the stranger is the lead of another school (in another cluster), whose plan is started and
  has last year's plan too, so that the stranger's pages are their own plan's;
- the coordinator coordinates the school's cluster; the other coordinator another cluster;
- every id in the URL (school, cluster, card, funding line, comment, share link, version) is
  one of the plan's school, so that anyone else is trying someone else's ids.

Letters: S sent to sign in, A allowed (a page, a redirect, or a form with errors), B a bad
request (400: allowed through, but the empty form is refused as a whole), F forbidden (403),
N not found (404), - the route does not take this method.

Share routes also try four tokens, anonymously: a live link to the plan, a foreign token (well
formed, but never made), a revoked link and an expired link (`share=`: four letters).

Staff voice response routes are public by their round's token (not a share token): everyone
tries the plan's open round; the lead's routes take the closed round, whose five responses give
results with a consensus board. They
also try four round tokens, anonymously (`voice=`: four letters, for the method the route
takes): the open round, a foreign token, a closed round and a deleted round. Their pages name
the school (staff need to know whose survey it is), but never its answers.

POSTs carry a valid CSRF token (the app here checks it, as in production). Nobody who is not of
the school, or its cluster's coordinator, may see the school's name or answers in any response.

Adding a route? Add a row: copy the row of a route like it (the named rows below help) and
run this file; the failure says which endpoint lacks a row and what every person got.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import Directory, sign_in
from tests.factories import PASSWORD
from tests.html import soup
from tests.plans import NINE, revision, write_plan
from tests.rows import Rows
from tests.year_end import fill_review, submit_review
from wizard.data.accounts import invite_colleague
from wizard.data.database import db
from wizard.data.feedback import add_comment
from wizard.data.models import (
    Invitation,
    JoinRequest,
    OwnCard,
    Plan,
    PlanAnswer,
    ShareLink,
    StaffVoiceRound,
)
from wizard.data.sharing import create_share_link, revoke
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import clock

YEAR = year_slug(academic_year_of(date.today()))
PEOPLE = ("anonymous", "lead", "colleague", "stranger", "coordinator", "other_coordinator", "admin")
TOKENS = ("live", "foreign", "revoked", "expired")
# Words that appear only on the plan's school's pages: its name and an answer.
SECRETS = ("Secretvale", "Cyfrinachol", "SECRET-REFLECTION")


@dataclass(frozen=True)
class Row:
    get: str = ""
    post: str = ""
    share: str = ""
    voice: str = ""


# Rows that many routes share (the letters are in the order of PEOPLE).
PUBLIC = Row(get="AAAAAAA")
SIGNED_IN = Row(get="SAAAAAA")
# A page of the plan that a school member reaches for their own school (the stranger reaches
# their own school's plan, never this one's: see the check on SECRETS).
MEMBER_PAGE = Row(get="SAAAFFF")
MEMBER_FORM = Row(get="SAAAFFF", post="SAAAFFF")
# A page that names one of the plan's ids (a card, a funding line, a version): a stranger
# trying it on their own plan does not find it.
MEMBER_ID_PAGE = Row(get="SAANFFF")
MEMBER_ID_FORM = Row(get="SAANFFF", post="SAANFFF")
LEAD_FORM = Row(get="SAFNFFF", post="SAFNFFF")
COORDINATOR_PAGE = Row(get="SFFFANF")
COORDINATOR_POST = Row(post="SFFFANF")

MATRIX: dict[str, Row] = {
    # Public pages and the health checks.
    "root.index": PUBLIC,
    "root.healthz": PUBLIC,
    "root.readyz": PUBLIC,
    "public.start": PUBLIC,
    "public.accessibility": PUBLIC,
    "public.help_page": PUBLIC,
    "public.privacy": PUBLIC,
    "public.cookies": PUBLIC,
    # Signing in and out, resets and invitations (with a token nobody made: not found).
    "auth.sign_in": Row(get="AAAAAAA", post="AAAAAAA"),
    "auth.sign_out": Row(post="SAAAAAA"),
    "auth.reset_password_request": Row(get="AAAAAAA", post="AAAAAAA"),
    "auth.reset_password": Row(get="NNNNNNN", post="NNNNNNN"),
    "auth.accept_invitation": Row(get="NNNNNNN", post="NNNNNNN"),
    # The account.
    "account.index": SIGNED_IN,
    "account.invite": Row(get="SAFAFFF", post="SAFAFFF"),
    "account.password": Row(get="SAAAAAA", post="SAAAAAA"),
    "account.language": Row(get="SAAAAAA", post="SAAAAAA"),
    "auth.stay_signed_in": Row(post="SAAAAAA"),
    # Sign in with Hwb: not configured here, so its routes are not found (tests/integration/
    # test_hwb.py tries them with a provider). Asking to join needs a Hwb identity first.
    "hwb.start": Row(post="NNNNNNN"),
    "hwb.start_invitation": Row(post="NNNNNNN"),
    "hwb.start_link": Row(post="SNNNNNN"),
    "hwb_callback.callback": Row(get="NNNNNNN"),
    "hwb.join": Row(get="SSSSSSS", post="SSSSSSS"),
    "hwb.signed_out": PUBLIC,
    "team.remove_password": Row(post="SNNNNNN"),
    # The lead's team: a POST without the confirmation its page asks for is refused (B).
    "team.index": Row(get="SAFAFFF"),
    "team.decide": Row(post="SBFNFFF"),
    "team.remove": Row(get="SAFNFFF", post="SBFNFFF"),
    "team.hand_over": Row(get="SAFNFFF", post="SBFNFFF"),
    "team.resend": Row(post="SAFNFFF"),
    "team.cancel": Row(post="SAFNFFF"),
    # The plan's task list, steps and check pages.
    "plan.index": Row(get="SAAAFFF"),
    "plan.years": Row(get="SAAAFFF"),
    "plan.hub": MEMBER_PAGE,
    "plan.step": MEMBER_FORM,
    "plan.check": MEMBER_FORM,
    "plan.check_plan": MEMBER_PAGE,
    "history.plan": MEMBER_PAGE,
    # Diamond 9.
    "diamond.board": MEMBER_PAGE,
    "diamond.board_version_notice": MEMBER_PAGE,
    "diamond.arrange_form": MEMBER_PAGE,
    "diamond.about_the_cards": MEMBER_PAGE,
    "diamond.download_svg": MEMBER_PAGE,
    "diamond.move_card": Row(post="SAAAFFF"),
    "diamond.new_card": MEMBER_FORM,
    "diamond.edit_card": MEMBER_ID_FORM,
    "diamond.delete_card": MEMBER_ID_FORM,
    # Funding plan.
    "funding.lines": MEMBER_PAGE,
    "funding.total": MEMBER_PAGE,
    "funding.line": MEMBER_ID_FORM,
    "funding.line /<any(en,cy):lang>/plan/<year>/funding-plan/lines/new": MEMBER_FORM,
    "funding.remove_line": MEMBER_ID_FORM,
    # Summary, versions, submission, next year, compare.
    "summary.page": MEMBER_PAGE,
    "summary.pdf": MEMBER_PAGE,
    "summary.docx": MEMBER_PAGE,
    "summary.development_plan_page": MEMBER_PAGE,
    "versions.index": MEMBER_PAGE,
    "versions.show": MEMBER_ID_PAGE,
    "versions.pdf": MEMBER_ID_PAGE,
    "versions.docx": MEMBER_ID_PAGE,
    "versions.svg": MEMBER_ID_PAGE,
    "submission.check_and_submit": Row(get="SAAAFFF", post="SAFAFFF"),
    "submission.confirmation": MEMBER_ID_PAGE,
    "submission.confirm_reopen": Row(get="SAFAFFF"),
    "submission.reopen_plan": Row(post="SAFAFFF"),
    "next_year.start": Row(post="SAAAFFF"),
    "compare.years": MEMBER_PAGE,
    # Progress through the year: the school's members write it (the stranger's plan has no
    # submitted version, so no priority to update); the cluster's coordinators read it.
    "progress.page": MEMBER_PAGE,
    "progress.update": MEMBER_ID_FORM,
    "progress.coordinator": COORDINATOR_PAGE,
    # Feedback and sharing.
    "feedback.reply": LEAD_FORM,
    "sharing.index": Row(get="SAFAFFF", post="SAFAFFF"),
    "sharing.revoke_link": Row(get="SAFNFFF", post="SAFNFFF"),
    "shared.page": Row(get="AAAAAAA", share="ANNN"),
    "shared.pdf": Row(get="AAAAAAA", share="ANNN"),
    "shared.docx": Row(get="AAAAAAA", share="ANNN"),
    "shared.svg": Row(get="AAAAAAA", share="ANNN"),
    # Staff voice: the lead's pages (the stranger's own plan has no such round), then the
    # responders' pages, public by the round's token. An empty response is refused (400); the
    # board and the thank-you page send a browser that has not responded to the start.
    "staff_voice.index": Row(get="SAAAFFF", post="SAFAFFF"),
    "staff_voice.results": MEMBER_ID_PAGE,
    "staff_voice.apply": Row(post="SAFNFFF"),
    "staff_voice.undo": Row(post="SAFNFFF"),
    "staff_voice.close": Row(post="SAFNFFF"),
    "staff_voice.new_link": Row(post="SAFNFFF"),
    "staff_voice.delete": LEAD_FORM,
    "staff_voice_response.start": Row(get="AAAAAAA", post="BBBBBBB", voice="BNFN"),
    "staff_voice_response.board": Row(get="AAAAAAA", voice="ANAN"),
    "staff_voice_response.move": Row(post="AAAAAAA", voice="ANFN"),
    "staff_voice_response.done": Row(get="AAAAAAA", voice="ANAN"),
    "staff_voice_response.forget": Row(post="AAAAAAA", voice="ANAN"),
    # Coordinators, exports and the national view.
    "clusters.index": Row(get="SFFFAAF"),
    "clusters.dashboard": COORDINATOR_PAGE,
    "clusters.deadline": Row(get="SFFFANF", post="SFFFANF"),
    "clusters.conversations": COORDINATOR_PAGE,
    "clusters.conversations_read": COORDINATOR_POST,
    "exports.schools_csv": COORDINATOR_PAGE,
    "exports.funding_csv": COORDINATOR_PAGE,
    # Every school's latest submitted plan in one ZIP: national administrators too.
    "exports.plans_zip": Row(get="SFFFANA"),
    "exports.reviews_zip": Row(get="SFFFANA"),
    "coordinator.plan": COORDINATOR_PAGE,
    "coordinator.pdf": COORDINATOR_PAGE,
    "coordinator.docx": COORDINATOR_PAGE,
    "coordinator.comment": COORDINATOR_POST,
    "coordinator.review": COORDINATOR_POST,
    "history.coordinator": COORDINATOR_PAGE,
    "national.index": Row(get="SFFFFFA"),
    # Administration (national administrators here; local authority administrators, and an
    # administrator of another authority, in test_access_matrix_administration.py). An empty
    # form is refused (B); a confirmation without its "yes", too; the colleague coordinates
    # nothing, and upload tokens nobody made are not found.
    "admin.index": Row(get="SFFFFFA"),
    "admin.schools": Row(get="SFFFFFA"),
    "admin.school": Row(get="SFFFFFA"),
    "admin.make_lead": Row(get="SFFFFFA", post="SFFFFFB"),
    "admin.invite_lead": Row(post="SFFFFFB"),
    "admin.move_school": Row(post="SFFFFFA"),
    "admin.school_category": Row(post="SFFFFFA"),
    "admin.clusters": Row(get="SFFFFFA", post="SFFFFFB"),
    "admin.cluster": Row(get="SFFFFFA", post="SFFFFFB"),
    "admin.add_coordinator": Row(post="SFFFFFB"),
    "admin.remove_coordinator": Row(get="SFFFFFN", post="SFFFFFN"),
    "admin.requests": Row(get="SFFFFFA"),
    "admin.decide": Row(post="SFFFFFB"),
    "admin.history": Row(get="SFFFFFA"),
    "admin.import_schools": Row(get="SFFFFFA", post="SFFFFFB"),
    "admin.import_preview": Row(get="SFFFFFN", post="SFFFFFN"),
    "admin.import_clusters": Row(get="SFFFFFA", post="SFFFFFB"),
    "admin.clusters_preview": Row(get="SFFFFFN", post="SFFFFFN"),
    # The year-end review (the world's clock is in the summer term, and the plan's version 1
    # has a submitted review, so its sections send the school's members back to its task list;
    # the stranger's own plan was never submitted, so it has no review to open).
    "year_end.index": MEMBER_PAGE,
    "year_end.funding": MEMBER_ID_FORM,
    "year_end.add_line": MEMBER_ID_FORM,
    "year_end.remove_line": Row(post="SAANFFF"),
    "year_end.impact": MEMBER_ID_FORM,
    "year_end.hallmarks": MEMBER_ID_FORM,
    "year_end.carry_over": MEMBER_ID_FORM,
    "year_end.check": MEMBER_ID_FORM,
    "year_end.version": MEMBER_ID_PAGE,
    "year_end.version_pdf_view": MEMBER_ID_PAGE,
    "year_end.version_docx": MEMBER_ID_PAGE,
    "year_end.confirm_reopen": Row(get="SAFNFFF"),
    "year_end.reopen": Row(post="SAFNFFF"),
    "year_end_coordinator.coordinator_summary": COORDINATOR_PAGE,
    "year_end_coordinator.coordinator_pdf": COORDINATOR_PAGE,
    "year_end_coordinator.coordinator_docx": COORDINATOR_PAGE,
    "year_end_reports.cluster_csv": COORDINATOR_PAGE,
    "year_end_reports.national_csv": Row(get="SFFFFFA"),  # administrators (authority: theirs)
    # The drill-down from Wales to a school (who may see an authority: administrators).
    "national.authorities_csv": Row(get="SFFFFFA"),
    "national.authority": Row(get="SFFFFFA"),
    "national.authority_csv": Row(get="SFFFFFA"),
    "national.cluster": Row(get="SFFFFFA"),
    "national.cluster_csv": Row(get="SFFFFFA"),
    "national.plan": Row(get="SFFFFFA"),
    "national.compare": Row(get="SFFFFFA"),
}


@dataclass
class World:
    """The plan's school and everyone around it, and the ids its URLs use."""

    app: Flask
    ids: dict[str, Any]
    tokens: dict[str, str]
    other_token: str
    voice: dict[str, str]


# How to fill in each URL argument. A route with a new argument needs a line here.
ARGUMENTS: dict[str, Callable[[World, Rule], Any]] = {
    "lang": lambda world, rule: "en",
    "year": lambda world, rule: YEAR,
    "cluster_id": lambda world, rule: world.ids["cluster"],
    "code": lambda world, rule: "cardiff",
    "school_id": lambda world, rule: world.ids["school"],
    "card_id": lambda world, rule: world.ids["card"],
    "line_id": lambda world, rule: world.ids["line"],
    "comment_id": lambda world, rule: world.ids["comment"],
    "link_id": lambda world, rule: world.ids["link"],
    "round_id": lambda world, rule: world.ids["round"],
    "request_id": lambda world, rule: world.ids["join"],
    "user_id": lambda world, rule: world.ids["colleague"],
    "invitation_id": lambda world, rule: world.ids["invitation"],
    "number": lambda world, rule: 1,
    "step": lambda world, rule: "about-your-school",
    "card": lambda world, rule: NINE[0],
    "task": lambda world, rule: "contexts",
    "kind": lambda world, rule: "impact",
    # Share routes open the live link, staff voice responses the open round; reset and
    # invitation links get a token nobody made.
    "token": lambda world, rule: (
        world.tokens["live"]
        if rule.endpoint.startswith("shared.")
        else world.voice["live"]
        if rule.endpoint.startswith("staff_voice_response.")
        else secrets.token_urlsafe(32)
    ),
}

STAFF_VOICE = "/en/plan/{year}/staff-voice"
VOICE_TOKENS = ("live", "foreign", "closed", "deleted")
VOICE_LINK = re.compile(r"/(?:en|cy)/staff-voice/([A-Za-z0-9_-]+)")


def open_round(client: FlaskClient) -> tuple[str, int]:
    """The lead opens a round: its token and id."""
    closes = date.today() + timedelta(days=14)
    response = client.post(
        STAFF_VOICE.format(year=YEAR),
        data={
            "closes_day": str(closes.day),
            "closes_month": str(closes.month),
            "closes_year": str(closes.year),
        },
    )
    assert response.status_code == 200, response.status_code
    found = VOICE_LINK.search(soup(response).find(id="new-staff-voice-link")["href"])
    assert found is not None
    number = db.session.scalar(select(StaffVoiceRound.id).order_by(StaffVoiceRound.id.desc()))
    assert number is not None
    return found.group(1), number


# What a POST sends besides the CSRF token, where an empty form would not reach the access
# check's consequences (feedback names the version it is about).
POST_DATA: dict[str, dict[str, str]] = {
    "coordinator.comment": {"version": "1"},
    "coordinator.review": {"version": "1"},
}


def rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_has_a_row(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in rules(app)}
    missing = sorted(endpoints - MATRIX.keys())
    assert not missing, (
        "These endpoints have no row in MATRIX (tests/integration/test_access_matrix.py): "
        + ", ".join(f"{e} ({next(r.rule for r in rules(app) if r.endpoint == e)})" for e in missing)
    )
    stale = sorted(key for key in MATRIX if key.split(" ")[0] not in endpoints)
    assert not stale, f"MATRIX has rows for endpoints that no longer exist: {stale}"
    for rule in rules(app):
        row = row_for(rule)
        methods = rule.methods or set()
        assert bool(row.get) == ("GET" in methods), f"{rule.endpoint}: GET letters vs {methods}"
        assert bool(row.post) == ("POST" in methods), f"{rule.endpoint}: POST letters vs {methods}"
        for letters in (row.get, row.post):
            assert not letters or len(letters) == len(PEOPLE), f"{rule.endpoint}: {letters!r}"
        assert bool(row.share) == rule.endpoint.startswith("shared."), rule.endpoint
        is_voice = rule.endpoint.startswith("staff_voice_response.")
        assert bool(row.voice) == is_voice, rule.endpoint
        assert not row.voice or len(row.voice) == len(VOICE_TOKENS), rule.endpoint
        missing_args = sorted(set(rule.arguments) - ARGUMENTS.keys())
        assert not missing_args, f"{rule.endpoint}: add to ARGUMENTS how to fill {missing_args}"


# The world is built once for this file (in each worker) and its rows put back for each test:
# every test starts from it as built, whatever the routes tried before changed.
BUILT: dict[int, tuple[World, Rows]] = {}


@pytest.fixture
def world(app: Flask, directory: Directory, monkeypatch: pytest.MonkeyPatch) -> World:
    # The summer term of this academic year: the year-end review is open.
    monkeypatch.setattr(clock, "today", lambda: date(academic_year_of(date.today()) + 1, 6, 1))
    engine = db.engine
    if id(app) in BUILT:
        built, rows = BUILT[id(app)]
        rows.put_back(engine)
        db.session.expire_all()
        return built
    made = build_world(app, directory)
    BUILT[id(app)] = (made, Rows.of(engine))
    return made


def build_world(app: Flask, directory: Directory) -> World:
    cluster = directory.cluster("North")
    other_cluster = directory.cluster("South")
    school = directory.school("Secretvale Primary", "Ysgol Gynradd Cyfrinachol", cluster=cluster)
    other_school = directory.school("Elsewhere Primary", None, cluster=other_cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    colleague = directory.user("colleague@school.example", school=school)
    other_lead = directory.user("stranger@x.example", school=other_school, lead=True)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    directory.user("other@la.example", coordinator_of=[other_cluster])
    directory.user("admin@gov.example", admin=True)

    setup = app.test_client()
    sign_in(setup, lead.email)
    write_plan(setup, YEAR, reflection="SECRET-REFLECTION")
    assert setup.post(f"/en/plan/{YEAR}/submit").status_code == 302
    assert setup.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    new_card = f"/en/plan/{YEAR}/diamond-9/cards/new"
    card = setup.post(
        new_card, data={"title_en": "Our own card", "revision": revision(setup, new_card)}
    )
    assert card.status_code == 302, card.status_code

    plan = db.session.query(Plan).filter_by(school_id=school.id).one()
    funding = db.session.query(PlanAnswer).filter_by(plan_id=plan.id, step="funding-plan").one()
    about = db.session.query(PlanAnswer).filter_by(plan_id=plan.id, step="about-your-school").one()
    comment = add_comment(plan, 1, None, coordinator, "SECRET-REFLECTION comment")
    tokens = {
        "live": create_share_link(plan, lead, shows_draft=True, expires_on=None),
        "foreign": secrets.token_urlsafe(32),
        "revoked": create_share_link(plan, lead, shows_draft=False, expires_on=None),
        "expired": create_share_link(
            plan, lead, shows_draft=False, expires_on=date.today() - timedelta(days=1)
        ),
    }
    links = db.session.query(ShareLink).order_by(ShareLink.id).all()
    assert revoke(plan, links[1].id, lead)
    # Last year's plan, for the comparison of two years.
    db.session.add(Plan(school_id=school.id, academic_year=academic_year_of(date.today()) - 1))
    other_plan = Plan(school_id=other_school.id, academic_year=academic_year_of(date.today()))
    db.session.add(other_plan)
    db.session.commit()
    db.session.add(Plan(school_id=other_school.id, academic_year=other_plan.academic_year - 1))
    db.session.add(
        PlanAnswer(
            plan_id=other_plan.id,
            step="about-your-school",
            data={**about.data, "pl_lead": "Someone Else"},
            revision=1,
        )
    )
    db.session.commit()
    other_token = create_share_link(other_plan, other_lead, shows_draft=True, expires_on=None)
    # Staff voice: a closed round with five responses (results and a consensus board are shown
    # only once a round has closed), a deleted one, and the open round.
    base = STAFF_VOICE.format(year=YEAR)
    closed, closed_id = open_round(setup)
    ratings = {f"hallmark_{h.number}": "established" for h in framework.HALLMARKS}
    for _ in range(5):
        responder = app.test_client()
        assert responder.post(f"/en/staff-voice/{closed}", data=ratings).status_code == 302
        for card in reversed(NINE):
            moved = responder.post(
                f"/en/staff-voice/{closed}/board",
                data={"card": card, "to": "next", "version": "0"},
            )
            assert moved.status_code == 302, moved.status_code
    assert setup.post(f"{base}/{closed_id}/close").status_code == 302
    deleted, deleted_id = open_round(setup)
    assert setup.post(f"{base}/{deleted_id}/close").status_code == 302
    assert setup.post(f"{base}/{deleted_id}/delete").status_code == 302
    live, live_id = open_round(setup)
    # The year-end review of version 1, submitted.
    fill_review(setup, "en", year=YEAR)
    submit_review(setup, "en", year=YEAR)
    # Someone signed in with Hwb asks to join; the lead has invited someone.
    join = JoinRequest(
        school_id=school.id, issuer="https://hwb.example", subject="someone", name="Someone"
    )
    db.session.add(join)
    db.session.commit()
    invite_colleague(lead, "invited@school.example", "Invited", "en")
    voice = {
        "live": live,
        "foreign": secrets.token_urlsafe(32),
        "closed": closed,
        "deleted": deleted,
    }
    ids = {
        "cluster": cluster.id,
        "school": school.id,
        "card": db.session.query(OwnCard).filter_by(plan_id=plan.id).one().id,
        "line": funding.data["lines"][0]["id"],
        "comment": comment.id,
        "link": links[0].id,
        "round": closed_id,
        "colleague": colleague.id,
        "join": join.id,
        "invitation": db.session.query(Invitation).one().id,
    }
    return World(app=app, ids=ids, tokens=tokens, other_token=other_token, voice=voice)


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/en/cookies")
    token: str = soup(page).find("meta", attrs={"name": "csrf-token"})["content"]
    return token


def signed_in_as(app: Flask, person: str) -> FlaskClient:
    client = app.test_client()
    if person == "anonymous":
        return client
    email = {
        "lead": "lead@school.example",
        "colleague": "colleague@school.example",
        "stranger": "stranger@x.example",
        "coordinator": "coord@la.example",
        "other_coordinator": "other@la.example",
        "admin": "admin@gov.example",
    }[person]
    response = client.post(
        "/en/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.status_code
    return client


def outcome(response: TestResponse) -> str:
    status = response.status_code
    if status in (301, 302, 303) and "/sign-in" in response.headers.get("Location", ""):
        return "S"
    if status < 400 or status == 409:
        return "A"
    return {400: "B", 403: "F", 404: "N"}.get(status, str(status))


def leaks(response: TestResponse, words: tuple[str, ...] = SECRETS) -> list[str]:
    if not (response.mimetype.startswith("text/") or response.mimetype.endswith("xml")):
        return []
    body = response.get_data(as_text=True)
    return [word for word in words if word in body]


def secrets_of(rule: Rule) -> tuple[str, ...]:
    """What a person who may not see the plan must not find in the rule's responses: a staff
    voice round's pages name the school, but show none of its answers."""
    if rule.endpoint.startswith("staff_voice_response."):
        return ("SECRET-REFLECTION",)
    return SECRETS


# Routes that change what later routes find run last, and signing out last of all.
LAST = (
    "diamond.delete_card",
    "funding.remove_line",
    "sharing.revoke_link",
    "staff_voice.apply",
    "staff_voice.undo",
    "staff_voice.close",
    "staff_voice.delete",
    "submission.check_and_submit",
    "submission.reopen_plan",
    "next_year.start",
    "team.cancel",
    "admin.move_school",
    "auth.sign_out",
)


def order(rule: Rule) -> tuple[int, str]:
    return (LAST.index(rule.endpoint) + 1 if rule.endpoint in LAST else 0, rule.rule)


def row_for(rule: Rule) -> Row:
    """The rule's row: `"endpoint rule"` when an endpoint's rules differ, else `"endpoint"`."""
    return MATRIX.get(f"{rule.endpoint} {rule.rule}") or MATRIX[rule.endpoint]


def url_of(world: World, rule: Rule, **given: Any) -> str:
    """The rule's URL, each argument filled in from ARGUMENTS (or `given`)."""
    path = rule.rule
    for name in rule.arguments:
        value = given[name] if name in given else ARGUMENTS[name](world, rule)
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(value), path)
    return path


@pytest.mark.parametrize("person", PEOPLE)
def test_the_access_matrix(make_app: Any, world: World, person: str) -> None:
    protected: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in_as(protected, person)
    column = PEOPLE.index(person)
    wrong: list[str] = []
    leaked: list[str] = []
    may_see = person in ("lead", "colleague", "coordinator", "admin")
    tried = sorted(rules(protected), key=order)
    for method in ("GET", "POST"):
        for rule in tried:
            letters = getattr(row_for(rule), method.lower())
            if not letters:
                continue
            url = url_of(world, rule)
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client)
                data = {**POST_DATA.get(rule.endpoint, {}), "csrf_token": token}
                response = client.post(url, data=data, headers={"X-CSRFToken": token})
            got = outcome(response)
            if got != letters[column]:
                wrong.append(
                    f"{method} {url} ({rule.endpoint}): expected {letters[column]}, "
                    f"got {got} ({response.status_code})"
                )
            found = leaks(response, secrets_of(rule))
            if not may_see and not rule.endpoint.startswith("shared.") and found:
                leaked.append(f"{method} {url}: {found}")
    assert not wrong, f"{person}:\n" + "\n".join(wrong)
    assert not leaked, f"{person} saw the school's plan:\n" + "\n".join(leaked)


def test_share_routes_with_every_kind_of_token(make_app: Any, world: World) -> None:
    protected: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    wrong = []
    for rule in rules(protected):
        row = row_for(rule)
        if not row.share:
            continue
        for kind, expected in zip(TOKENS, row.share, strict=True):
            path = url_of(world, rule, token=world.tokens[kind])
            got = outcome(client.get(path))
            if got != expected:
                wrong.append(f"{rule.endpoint} with a {kind} token: expected {expected}, got {got}")
        # A live link to another school's plan opens that plan, and nothing of this one.
        response = client.get(url_of(world, rule, token=world.other_token))
        assert outcome(response) == "A", (rule.endpoint, response.status_code)
        assert not leaks(response), rule.endpoint
        # Share links are read-only: a POST is refused.
        live = url_of(world, rule)
        token = csrf_token(client)
        assert client.post(live, data={"csrf_token": token}).status_code in (404, 405)
    assert not wrong, "\n".join(wrong)


def test_staff_voice_routes_with_every_kind_of_round_token(make_app: Any, world: World) -> None:
    protected: Flask = make_app(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    wrong = []
    tried = 0
    for rule in rules(protected):
        row = row_for(rule)
        if not row.voice:
            continue
        method = "POST" if row.post else "GET"
        for kind, expected in zip(VOICE_TOKENS, row.voice, strict=True):
            path = url_of(world, rule, token=world.voice[kind])
            if method == "GET":
                response = client.get(path)
            else:
                token = csrf_token(client)
                response = client.post(path, data={"csrf_token": token})
            got = outcome(response)
            tried += 1
            if got != expected:
                wrong.append(
                    f"{method} {rule.endpoint} with a {kind} round: expected {expected}, got {got}"
                )
            assert not leaks(response, secrets_of(rule)), (rule.endpoint, kind)
        # A share link's token opens no staff voice round.
        path = url_of(world, rule, token=world.tokens["live"])
        token = csrf_token(client)
        response = (
            client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
        )
        assert outcome(response) == "N", rule.endpoint
    assert tried == 5 * len(VOICE_TOKENS)
    assert not wrong, "\n".join(wrong)
