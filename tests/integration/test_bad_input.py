"""Bad input on every form and htmx endpoint, generated with hypothesis.

Every route that takes a POST (and the htmx GET that answers the funding total) has a SPEC: its
fields and what kind of value each takes. Hypothesis then sends, on one plan, many requests,
each with some fields missing, of the wrong type, oversized, full of control characters or in
invalid UTF-8, extra fields, ids of another school in the URL or in a field, tampered hidden
revisions and versions, and a missing or wrong CSRF token (the app checks CSRF here, as in
production). Each answer must be a page in the request's language or a bilingual 400, 404, 409
or 413, never a 5xx; and when the request had something in it that must be refused, the
database is unchanged (a dump of every table the service writes is compared).

A new form or htmx route without a SPEC fails `test_every_form_route_has_a_spec`.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import Directory, sign_in
from tests.factories import PASSWORD
from tests.html import soup
from tests.hwb_provider import CLIENT_ID, CLIENT_SECRET, provider_process
from tests.integration.test_faults import dump
from tests.plans import NINE, write_plan
from tests.rows import Rows
from wizard.data.accounts import invite_colleague
from wizard.data.database import db
from wizard.data.feedback import add_comment
from wizard.data.models import (
    Invitation,
    JoinRequest,
    OwnCard,
    Plan,
    PlanAnswer,
    PlanComment,
    ShareLink,
    StaffVoiceRound,
)
from wizard.data.sharing import create_share_link
from wizard.data.staff_voice import close_round, open_round, round_of, save_response
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import identity
from wizard.web.extensions import limiter
from wizard.web.views.hwb import IDENTITY_KEY

YEAR = year_slug(academic_year_of(date.today()))

# Kinds of field, and a valid value of each (ids are filled in from the world).
VALID = {
    "text": "Cover for triads",
    "long": "We visit lessons every half term.",
    "name": "Catrin Jones",
    "email": "nobody@school.example",
    "password": "a long enough pass phrase",
    "number": "12",
    "money": "100",
    "phase": "primary",
    "rating": "developing",
    "completed": "yes",
    "purpose": "release-and-cover",
    "priority": "card:pedagogy",
    "beneficiaries": "teachers",
    "term": "autumn",
    "to": "next",
    "card": "card:pedagogy",
    "start": "copy",
    "shows": "draft",
    "status": "reviewed",
    "task": "contexts",
    "language": "en",
    "confirm": "yes",
    "day": "",
    "role": "teacher",
    "decision": "approve",
    "school": "",
    "keep": "",
    "cluster": "",
    "category": "primarily-welsh",
    "progress": "on-track",
    "links": "https://example.org/evidence",
    "level": "reactions",
    "met": "met",
    "happened": "yes",
}
# Kinds whose value is only compared, never stored or shown, so that any other value is simply
# "not that one": a wrong password, the "confirm" of deleting an own card (needed only for a
# card on the board; a card in the bank is deleted without it, whatever is sent), and a share
# link the lead keeps when handing the lead role over (a checkbox whose value is compared with
# the ids of the lead's own links: any other value keeps none, and the others are revoked).
IGNORED_WHEN_WRONG = ("password", "confirm", "keep")
# Kinds whose every wrong value is refused (a free text field takes any text).
CHOSEN = {
    "number",
    "money",
    "phase",
    "rating",
    "completed",
    "purpose",
    "priority",
    "beneficiaries",
    "term",
    "to",
    "card",
    "start",
    "shows",
    "status",
    "language",
    "role",
    "decision",
    "school",
    "cluster",
    "category",
    "progress",
    "level",
    "met",
    "happened",
}


@dataclass(frozen=True)
class Spec:
    """A form route: its fields (name to kind), who sends it, and the URL's step or task."""

    fields: dict[str, str] = field(default_factory=dict)
    who: str = "lead"
    path: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    # A "revision" or "version" hidden field, read from the plan as it stands.
    hidden: str | None = None
    hidden_step: str = ""
    # Which of the world's staff voice rounds a `<round_id>` in the URL names.
    round: str = "round_id"


ABOUT = {
    "phase": "phase",
    "teaching_staff": "number",
    "support_staff": "number",
    "pl_lead": "name",
    "funding_allocation": "money",
}
LINE = {
    "purpose": "purpose",
    "priority": "priority",
    "beneficiaries": "beneficiaries",
    "term": "term",
    "description": "long",
    "amount": "money",
}

# A staff voice response: a role (optional) and a rating for each hallmark.
RESPONSE = {"role": "role", **{f"hallmark_{h.number}": "rating" for h in framework.HALLMARKS}}

# The year-end review (its sections open from the summer term on a submitted plan: on the
# world's reopened plan each is refused, and the example checks that nothing changes).
YEAR_END_LINE = {"purpose": "purpose", "priority": "priority", "description": "text"}
HALLMARK_RATINGS = {f"rating_{h.id}": "rating" for h in framework.HALLMARKS}

SPECS: dict[str, Spec] = {
    "progress.update": Spec(
        {"status": "progress", "note": "long", "links": "links"},
        path={"card": "card:pedagogy"},
    ),
    "year_end.funding": Spec(
        {"actual_0": "money", "happened_0": "happened", "explanation": "long"}
    ),
    "year_end.add_line": Spec({**YEAR_END_LINE, "amount": "money"}),
    "year_end.remove_line": Spec({}),
    "year_end.impact": Spec({"levels": "level", "evidence": "long", "criteria": "met"}),
    "year_end.hallmarks": Spec(HALLMARK_RATINGS),
    "year_end.carry_over": Spec({"carry": "card", "notes": "long"}),
    "year_end.check": Spec({}),
    "year_end.reopen": Spec({}),
    "auth.sign_in": Spec({"email": "email", "password": "password"}, who="anonymous"),
    "auth.sign_out": Spec({}, who="spare"),
    "auth.reset_password_request": Spec({"email": "email"}, who="anonymous"),
    "auth.reset_password": Spec({"password": "password", "confirm": "password"}, who="anonymous"),
    "auth.accept_invitation": Spec(
        {"name": "name", "password": "password", "confirm": "password"}, who="anonymous"
    ),
    "auth.stay_signed_in": Spec({"next": "text"}),
    "account.invite": Spec({"name": "name", "email": "email", "language": "language"}),
    # The current password is never the lead's (so the change itself is refused, and counted
    # as a failed sign-in); the rest is checked before it.
    "account.password": Spec(
        {"current": "password", "password": "password", "confirm": "password"}
    ),
    "account.language": Spec({"language": "language"}),
    "plan.step": Spec(
        ABOUT,
        path={"step": "about-your-school"},
        hidden="revision",
        hidden_step="about-your-school",
    ),
    "plan.step hallmark": Spec(
        {"rating": "rating", "evidence": "long", "next_steps": "long"},
        path={"step": "hallmark-2"},
        hidden="revision",
        hidden_step="hallmark-2",
    ),
    "plan.step context": Spec(
        {"reflection": "long", "priorities": "text"},
        path={"step": "context-school"},
        hidden="revision",
        hidden_step="context-school",
    ),
    "plan.check": Spec(
        {"completed": "completed"},
        path={"task": "contexts"},
        hidden="revision",
        hidden_step="contexts:completed",
    ),
    "diamond.move_card": Spec(
        {"card": "card", "to": "to"}, hidden="version", hidden_step="diamond-9"
    ),
    "diamond.arrange_form": Spec({"row-card:pedagogy": "number"}, method="GET"),
    "diamond.new_card": Spec({"title_en": "text", "title_cy": "text"}),
    "diamond.edit_card": Spec({"title_en": "text", "title_cy": "text"}),
    "diamond.delete_card": Spec({"confirm": "confirm"}, hidden="version", hidden_step="diamond-9"),
    "funding.line": Spec(LINE, hidden="revision", hidden_step="funding-plan"),
    "funding.line new": Spec(LINE, hidden="revision", hidden_step="funding-plan"),
    "funding.remove_line": Spec({}, hidden="revision", hidden_step="funding-plan"),
    "funding.total": Spec({"amount": "money", "line": "text"}, method="GET"),
    "submission.check_and_submit": Spec({}),
    "submission.reopen_plan": Spec({}),
    "next_year.start": Spec(
        {"start": "start"}, path={"year": year_slug(academic_year_of(date.today()) + 1)}
    ),
    "feedback.reply": Spec({"body": "long"}),
    "sharing.index": Spec(
        {"shows": "shows", "expires_day": "day", "expires_month": "day", "expires_year": "day"}
    ),
    "sharing.revoke_link": Spec({}),
    # Staff voice: the lead's forms (the results' round has five responses and is closed; the
    # round closed and the round deleted are others of the plan's rounds), and the responders'
    # forms, public by a round's token: a valid response is saved, as it should be.
    "staff_voice.index": Spec(
        {"closes_day": "number", "closes_month": "number", "closes_year": "number"}
    ),
    "staff_voice.close": Spec({}, round="closing_round_id"),
    "staff_voice.new_link": Spec({}, round="closing_round_id"),
    "staff_voice.delete": Spec({}, round="deleting_round_id"),
    "staff_voice.apply": Spec({}, hidden="version", hidden_step="diamond-9"),
    "staff_voice.undo": Spec({}),
    "staff_voice_response.start": Spec(RESPONSE, who="anonymous"),
    "staff_voice_response.move": Spec({"card": "card", "to": "to"}, who="anonymous"),
    "staff_voice_response.forget": Spec({}, who="anonymous"),
    "coordinator.comment": Spec(
        {"task": "task", "body": "long"}, who="coordinator", hidden="version"
    ),
    "coordinator.review": Spec({"status": "status"}, who="coordinator", hidden="version"),
    "clusters.deadline": Spec(
        {"due_day": "number", "due_month": "number", "due_year": "number"}, who="coordinator"
    ),
    "clusters.conversations_read": Spec({"up_to": "number"}, who="coordinator"),
    # Hwb: the buttons that send the browser to the provider (a valid press is a redirect to
    # it), and asking to join a school, by someone the provider knows and the service does not
    # (the anonymous browser holds such an identity; a valid request is recorded).
    "hwb.start": Spec({}, who="anonymous"),
    "hwb.start_invitation": Spec({}, who="anonymous"),
    "hwb.start_link": Spec({}),
    "hwb.join": Spec({"school": "school"}, who="anonymous"),
    # The lead's team: a request to join to decide, a colleague to remove or to hand the lead
    # role to (keeping a share link), an invitation to cancel or send again. The spare member's
    # account is linked to Hwb, so that its password can go.
    "team.decide": Spec({"decision": "decision"}),
    "team.remove": Spec({"confirm": "confirm"}),
    "team.hand_over": Spec({"confirm": "confirm", "keep": "keep"}),
    "team.cancel": Spec({}),
    "team.resend": Spec({}),
    "team.remove_password": Spec({}, who="spare"),
    # Administration, by the administrator of the school's local authority (Cardiff; the other
    # school is in Newport, which is not theirs). The upload routes get no file (a form with
    # its error) and tokens nobody made; the coordinator to remove is a member, not one.
    "admin.make_lead": Spec({"confirm": "confirm"}, who="admin"),
    "admin.invite_lead": Spec(
        {"name": "name", "email": "email", "language": "language"}, who="admin"
    ),
    "admin.move_school": Spec({"cluster": "cluster"}, who="admin"),
    "admin.school_category": Spec({"category": "category"}, who="admin"),
    "admin.clusters": Spec({"name_en": "text", "name_cy": "text"}, who="admin"),
    "admin.cluster": Spec({"name_en": "text", "name_cy": "text"}, who="admin"),
    "admin.add_coordinator": Spec({"email": "email", "name": "name"}, who="admin"),
    "admin.remove_coordinator": Spec({"confirm": "confirm"}, who="admin"),
    "admin.decide": Spec({"decision": "decision"}, who="admin"),
    "admin.import_schools": Spec({}, who="admin"),
    "admin.import_preview": Spec({}, who="admin"),
    "admin.import_clusters": Spec({}, who="admin"),
    "admin.clusters_preview": Spec({}, who="admin"),
}
# Which SPEC each rule uses, when an endpoint has more than one rule or page kind.
RULE_SPECS = {"/<any(en,cy):lang>/plan/<year>/funding-plan/lines/new": "funding.line new"}
# GET routes that answer htmx requests with a fragment (and so take input in their query).
HTMX_GETS = {"funding.total", "diamond.arrange_form"}


def spec_rules(app: Flask) -> dict[str, Rule]:
    """Each SPEC and the rule it is sent to ("plan.step hallmark" is another page of
    plan.step; RULE_SPECS names the SPEC of a second rule of one endpoint)."""
    found: dict[str, Rule] = {}
    for rule in app.url_map.iter_rules():
        base = RULE_SPECS.get(rule.rule, rule.endpoint)
        for name in SPECS:
            other_page = (
                name.split(" ")[0] == rule.endpoint
                and base == rule.endpoint
                and name not in RULE_SPECS.values()
            )
            if name == base or other_page:
                found.setdefault(name, rule)
    return found


def test_every_form_route_has_a_spec(app: Flask) -> None:
    missing = sorted(
        f"{rule.endpoint} ({rule.rule})"
        for rule in app.url_map.iter_rules()
        if ("POST" in (rule.methods or set()) or rule.endpoint in HTMX_GETS)
        and RULE_SPECS.get(rule.rule, rule.endpoint) not in SPECS
    )
    assert not missing, (
        "These form or htmx routes have no SPEC in tests/integration/test_bad_input.py: "
        + ", ".join(missing)
    )
    assert set(SPECS) == set(spec_rules(app)), set(SPECS) ^ set(spec_rules(app))


# The world: a plan with every kind of thing in it, and another school's plan whose ids are
# tried on this one's routes.


@dataclass
class World:
    """What every example starts from. An example may change it (a valid request is saved, a
    sign-out ends a session), so `restore` puts back every row and every browser's cookies as
    they were when the world was made: each example is independent of the ones before it, and
    hypothesis replays a failing example on the world it first failed on."""

    app: Flask
    clients: dict[str, FlaskClient]
    csrf: dict[str, str]
    ids: dict[str, Any]
    other_ids: dict[str, Any]
    plan_id: int
    engine: Engine
    rows: Rows = Rows({})
    cookies: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def save(self) -> None:
        self.rows = Rows.of(self.engine)
        self.cookies = {
            who: dict(client._cookies)  # type: ignore[attr-defined]
            for who, client in self.clients.items()
        }

    def restore(self) -> None:
        self.rows.put_back(self.engine)
        for who, cookies in self.cookies.items():
            client = self.app.test_client()
            client._cookies = dict(cookies)  # type: ignore[attr-defined]
            self.clients[who] = client
        with self.app.app_context():
            limiter.reset()


def _csrf(client: FlaskClient) -> str:
    return str(
        soup(client.get("/en/cookies")).find("meta", attrs={"name": "csrf-token"})["content"]
    )


def _signed_in(app: Flask, email: str | None) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = _csrf(client)
    if email:
        response = client.post(
            "/en/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.status_code
        token = _csrf(client)
    return client, token


def _things_of(plan: Plan, lead: Any, coordinator: Any) -> dict[str, Any]:
    card = OwnCard(plan_id=plan.id, title_en="Own card", created_by_id=lead.id)
    db.session.add(card)
    db.session.commit()
    comment = add_comment(plan, 1, None, coordinator, "Comment") if coordinator else None
    create_share_link(plan, lead, shows_draft=True, expires_on=None)
    funding = db.session.query(PlanAnswer).filter_by(plan_id=plan.id, step="funding-plan").first()
    return {
        "card_id": card.id,
        "card_key": card.key,
        "line_id": funding.data["lines"][0]["id"] if funding else "0123456789ab",
        "comment_id": comment.id if comment else db.session.query(PlanComment).first().id,
        "link_id": db.session.query(ShareLink).filter_by(plan_id=plan.id).one().id,
    }


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OpenID provider (tests/hwb_provider.py), so that "Sign in with Hwb" goes to it."""
    with provider_process() as issuer:
        yield issuer


def _team_of(lead: Any, colleague: Any, issuer: str, subject: str) -> dict[str, Any]:
    """A colleague, an open invitation and a request to join the lead's school."""
    email = f"invited-{subject}@school.example"
    invite_colleague(lead, email, "Dafydd Lewis", "en")
    join = JoinRequest(
        school_id=lead.school_id,
        issuer=issuer,
        subject=subject,
        name="Gwen Hughes",
        email=f"{subject}@hwbcymru.net",
    )
    db.session.add(join)
    db.session.commit()
    invitation = db.session.query(Invitation).filter_by(email=email).one()
    return {"user_id": colleague.id, "invitation_id": invitation.id, "request_id": join.id}


@pytest.fixture
def world(app: Flask, directory: Directory, make_app: Callable[..., Flask], provider: str) -> World:
    cluster = directory.cluster("North")
    # In another local authority: the administrator of the first's may not touch it.
    other_cluster = directory.cluster("South", "newport")
    school = directory.school(cluster=cluster)
    other_school = directory.school("Elsewhere", None, cluster=other_cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    spare = directory.user("spare@school.example", school=school)
    colleague = directory.user("colleague@school.example", school=school)
    other_lead = directory.user("other@x.example", school=other_school, lead=True)
    other_colleague = directory.user("colleague@x.example", school=other_school)
    # The spare member signs in with a password, and has linked Hwb (so may remove it).
    spare.external_issuer, spare.external_subject = provider, "spare-member"
    db.session.commit()
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    directory.user("admin@cardiff.example", authority_admin=directory.authority("cardiff"))
    other_coordinator = directory.user("oc@la.example", coordinator_of=[other_cluster])

    for who in (lead, other_lead):
        setup = app.test_client()
        sign_in(setup, who.email)
        write_plan(setup, YEAR)
        assert setup.post(f"/en/plan/{YEAR}/submit").status_code == 302
        assert setup.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    plan = db.session.query(Plan).filter_by(school_id=school.id).one()
    other_plan = db.session.query(Plan).filter_by(school_id=other_school.id).one()
    ids = {
        **_things_of(plan, lead, coordinator),
        **_team_of(lead, colleague, provider, "asks-to-join"),
        "cluster_id": cluster.id,
        "school_id": school.id,
    }
    other_ids = {
        **_things_of(other_plan, other_lead, other_coordinator),
        **_team_of(other_lead, other_colleague, provider, "asks-elsewhere"),
        "cluster_id": other_cluster.id,
        "school_id": other_school.id,
    }
    # Staff voice rounds. The plan's: one with five responses (closed, so that the lead's page
    # opens a round with the date checked), one open to close, one to delete. The responders'
    # routes open the other plan's round (a round's token is all a responder needs).
    today = date.today()
    closes = today + timedelta(days=14)
    rounds = {}
    for key in ("round_id", "deleting_round_id", "closing_round_id"):
        open_round(plan, lead, closes)
        rounds[key] = max(r.id for r in db.session.query(StaffVoiceRound).all())
    consensus = dict(enumerate(reversed(NINE), start=1))
    answered = round_of(plan, rounds["round_id"])
    assert answered is not None
    for _ in range(5):
        ratings = {h.number: "established" for h in framework.HALLMARKS}
        save_response(answered, None, today, role="teacher", ratings=ratings, board=consensus)
    for key in ("round_id", "deleting_round_id"):
        closing = round_of(plan, rounds[key])
        assert closing is not None
        close_round(plan, closing, lead)
    voice_token = open_round(other_plan, other_lead, closes)
    other_round = max(r.id for r in db.session.query(StaffVoiceRound).all())
    ids.update(rounds, voice_token=voice_token)
    other_ids.update(dict.fromkeys(rounds, other_round), voice_token=voice_token)
    identity.forget_cache()
    protected = make_app(
        WTF_CSRF_ENABLED=True,
        OIDC_ISSUER=provider,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
    )
    clients, csrf = {}, {}
    for who, email in (
        ("anonymous", None),
        ("lead", lead.email),
        ("spare", "spare@school.example"),
        ("coordinator", coordinator.email),
        ("admin", "admin@cardiff.example"),
    ):
        clients[who], csrf[who] = _signed_in(protected, email)
    # The anonymous browser has signed in with Hwb as someone the service does not know (so
    # may ask to join a school).
    with clients["anonymous"].session_transaction() as session:
        session[IDENTITY_KEY] = {
            "issuer": provider,
            "subject": "a-newcomer",
            "name": "Rhys Evans",
            "email": "a-newcomer@hwbcymru.net",
            "at": int(time.time()),
        }
    # The anonymous browser has responded to the round, so that its board moves.
    response = {"hallmark_1": "developing", "csrf_token": csrf["anonymous"]}
    response.update({f"hallmark_{h.number}": "developing" for h in framework.HALLMARKS})
    started = clients["anonymous"].post(f"/en/staff-voice/{voice_token}", data=response)
    assert started.status_code == 302, started.status_code
    with protected.app_context():
        engine = db.engine
    world = World(protected, clients, csrf, ids, other_ids, plan.id, engine)
    world.save()
    return world


# What hypothesis varies.

MUTATIONS = ("valid", "missing", "wrong_type", "oversized", "control", "invalid_utf8")
# Characters the service refuses in any text (C0/C1 controls, bidi overrides, zero-width).
CONTROLS = st.sampled_from(["\x00", "\x07", "\x1b", "\x85", "\u202e", "\u200b", "\ufeff", "\x7f"])


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(SPECS)))
    spec = SPECS[name]
    mutations = {f: draw(st.sampled_from(MUTATIONS)) for f in spec.fields}
    return {
        "name": name,
        "lang": draw(st.sampled_from(["en", "cy"])),
        "csrf": draw(st.sampled_from(["valid", "valid", "missing", "wrong"])),
        "mutations": mutations,
        "control": draw(CONTROLS),
        "oversized": draw(st.integers(3000, 40000)),
        "wrong": draw(
            st.sampled_from(["-1", "1e9", "abc", "12.5", "٣", "0x10", " ", "[]", "１２"])
        ),
        "extra": draw(
            st.dictionaries(
                st.text("abcdefghij_-", min_size=1, max_size=12), st.text(max_size=20), max_size=3
            )
        ),
        "ids": draw(st.sampled_from(["own", "own", "other"])),
        "hidden": draw(st.sampled_from(["current", "current", "stale", "missing", "wrong"])),
        "utf8_raw": draw(st.booleans()),
    }


def _current_revision(world: World, step: str) -> int:
    with world.app.app_context():
        answer = db.session.query(PlanAnswer).filter_by(plan_id=world.plan_id, step=step).first()
        plan = db.session.get(Plan, world.plan_id)
        if step == "" and plan is not None:
            return plan.version
        return answer.revision if answer else 0


def _url(world: World, rule: Rule, spec: Spec, ids: dict[str, Any], lang: str) -> str:
    values: dict[str, Any] = {
        "lang": lang,
        "year": YEAR,
        "step": "about-your-school",
        "task": "contexts",
        "number": 1,
        "token": secrets.token_urlsafe(32),
    }
    values.update({k: v for k, v in ids.items() if k in rule.arguments})
    if "round_id" in rule.arguments:
        values["round_id"] = ids[spec.round]
    if rule.endpoint.startswith("staff_voice_response."):
        values["token"] = ids["voice_token"]
    values.update(spec.path)
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(values[name]), path)
    return path


def _body(
    world: World, spec: Spec, example: dict[str, Any], ids: dict[str, Any]
) -> tuple[list[tuple[str, str]], bytes | None, bool]:
    """The fields to send (or raw bytes), and whether something in them must be refused."""
    fields: list[tuple[str, str]] = []
    refuse = False
    raw_parts: list[bytes] = []
    for name, kind in spec.fields.items():
        mutation = example["mutations"][name]
        value = VALID[kind]
        if kind == "card" and example["ids"] == "other":
            value, refuse = ids["card_key"], True  # another school's own card
        if kind in ("school", "keep", "cluster"):
            # Any school may be asked to join; another school's link is simply not kept;
            # another authority's cluster is not one to move a school to.
            key = {"school": "school_id", "keep": "link_id", "cluster": "cluster_id"}[kind]
            value = str((ids if example["ids"] == "other" else world.ids)[key])
            refuse = refuse or (kind == "cluster" and example["ids"] == "other")
        if mutation == "missing":
            continue
        if mutation == "wrong_type":
            value = example["wrong"]
            refuse = refuse or kind in CHOSEN
        elif mutation == "oversized":
            value = "x" * example["oversized"]
            refuse = refuse or kind not in IGNORED_WHEN_WRONG + ("day",)
        elif mutation == "control":
            value = f"{value}{example['control']}x"
            refuse = refuse or kind not in IGNORED_WHEN_WRONG
        elif mutation == "invalid_utf8":
            raw_parts.append(
                quote(name).encode()
                + b"="
                + (b"\xff\xfe\xfa" if example["utf8_raw"] else b"%FF%FE%FA")
            )
            refuse = refuse or kind not in IGNORED_WHEN_WRONG
            continue
        fields.append((name, value))
    if spec.hidden:
        current = _current_revision(world, spec.hidden_step) if spec.hidden_step else 1
        hidden = {
            "current": str(current),
            "stale": str(current + 7),
            "wrong": example["wrong"],
        }.get(example["hidden"])
        if hidden is not None:
            fields.append((spec.hidden, hidden))
        refuse = refuse or example["hidden"] in ("stale", "wrong")
    fields += list(example["extra"].items())
    if raw_parts:
        encoded = "&".join(f"{quote(k)}={quote(v)}" for k, v in fields).encode()
        return fields, b"&".join([p for p in [encoded, *raw_parts] if p]), refuse
    return fields, None, refuse


def _titles(app: Flask, lang: str) -> dict[int, str]:
    english = {
        400: "Sorry, there is a problem with your request",
        403: "You do not have permission to see this page",
        404: "Page not found",
        409: "Someone else changed this at the same time",
        413: "What you sent is too large",
        429: "Too many attempts",
    }
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return {status: str(babel_gettext(title)) for status, title in english.items()}


@contextmanager
def world_locale(app: Flask, lang: str) -> Iterator[None]:
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        yield


def check_language(app: Flask, response: TestResponse, lang: str) -> None:
    """An HTML answer is in the request's language; an error page has the right heading."""
    if (
        response.mimetype != "text/html"
        or not response.get_data().lstrip()[:9].lower() == b"<!doctype"
    ):
        return
    if 300 <= response.status_code < 400:
        return  # a redirect's body is never shown
    page = soup(response)
    assert page.html["lang"] == lang, (response.status_code, page.html["lang"])
    # (A 404 may be a page of its own, such as "This link has expired".)
    if response.status_code == 400 and page.find(class_="govuk-error-summary") is not None:
        # A form shown again with its errors (a staff voice response answers 400 so): its
        # title says so, in the page's language.
        with world_locale(app, lang):
            error = str(babel_gettext("Error:"))
        assert page.title.get_text().strip().startswith(error), page.title
        return
    if response.status_code in (400, 403, 413, 429):
        h1 = " ".join(page.find("h1").get_text().split())
        assert h1 == _titles(app, lang)[response.status_code], h1


# Tables the service writes: none of them may change on a request that must be refused. (The
# sign-in attempts are kept, as they should be, for failed sign-ins.)
IGNORED = ("user_session", "sign_in_attempt")


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, less the language each user last read in (kept as their preference on
    every page, which is no change to their data)."""
    tables = dump(engine)
    columns = [c["name"] for c in inspect(engine).get_columns("user_account")]
    at = columns.index("locale")
    tables["user_account"] = [row[:at] + row[at + 1 :] for row in tables["user_account"]]
    return tables


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=requests())
def test_bad_input_is_refused_in_the_page_language_and_changes_nothing(
    world: World, example: dict[str, Any]
) -> None:
    world.restore()
    spec = SPECS[example["name"]]
    rule = spec_rules(world.app)[example["name"]]
    ids = world.other_ids if example["ids"] == "other" else world.ids
    url = _url(world, rule, spec, ids, example["lang"])
    fields, raw, refuse = _body(world, spec, example, world.other_ids)
    refuse = refuse or (example["ids"] == "other" and any(k in rule.arguments for k in ids))
    client = world.clients[spec.who]
    headers = {}
    if spec.method == "POST":
        if example["csrf"] == "valid":
            fields.append(("csrf_token", world.csrf[spec.who]))
            if raw is not None:
                raw += b"&csrf_token=" + quote(world.csrf[spec.who]).encode()
        elif example["csrf"] == "wrong":
            fields.append(("csrf_token", secrets.token_hex(20)))
            if raw is not None:
                raw += b"&csrf_token=" + secrets.token_hex(20).encode()
        refuse = refuse or example["csrf"] != "valid"
    if example["name"] in HTMX_GETS or example["name"] == "diamond.move_card":
        headers["HX-Request"] = "true"  # as htmx sends them
    before = snapshot(world.engine)
    if spec.method == "GET":
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in fields)
        response = client.get(f"{url}?{query}", headers=headers)
    elif raw is not None:
        response = client.post(
            url, data=raw, content_type="application/x-www-form-urlencoded", headers=headers
        )
    else:
        response = client.post(url, data=MultiDict(fields), headers=headers)
    assert response.status_code < 500, (example, response.status_code)
    check_language(world.app, response, example["lang"])
    if refuse:
        after = snapshot(world.engine)
        changed = [t for t in after if t not in IGNORED and after[t] != before[t]]
        if spec.who == "anonymous" or example["name"] == "auth.sign_out":
            # A failed sign-in or reset request is audited, as it should be.
            changed = [t for t in changed if t != "audit_event"]
        assert not changed, (example, url, response.status_code, changed)


@pytest.mark.parametrize(("lang", "title"), [("en", "What you sent is too large"), ("cy", None)])
def test_a_body_over_the_limit_is_a_413_in_the_page_language(
    world: World, lang: str, title: str | None
) -> None:
    before = dump(world.engine)
    url = f"/{lang}/plan/{YEAR}/hallmark-2"
    body = {
        "evidence": "x" * (world.app.config["MAX_CONTENT_LENGTH"] + 10),
        "csrf_token": world.csrf["lead"],
    }
    response = world.clients["lead"].post(url, data=body)
    assert response.status_code == 413
    check_language(world.app, response, lang)
    if lang == "cy":
        assert (
            " ".join(soup(response).find("h1").get_text().split()) != "What you sent is too large"
        )
    assert dump(world.engine) == before
