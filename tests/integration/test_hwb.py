"""Sign in with Hwb, against a real OpenID provider running as its own process on 127.0.0.1
(tests/hwb_provider.py): a full sign-in, and every refusal; an unknown identity asks to join;
an invitation accepted with Hwb; linking from the account page; the lead's team."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.factories import Directory
from tests.hwb_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Tamperer,
    authorize,
    local_path,
    provider_process,
    register,
)
from wizard.data.database import db
from wizard.data.models import AuditEvent, User
from wizard.services import identity


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with provider_process() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def tamperer(provider: str) -> Iterator[Tamperer]:
    with Tamperer(provider).running() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_discovery() -> None:
    identity.forget_cache()


def hwb_app(make_app: Any, issuer: str, **overrides: Any) -> Flask:
    app: Flask = make_app(
        OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET, **overrides
    )
    return app


@pytest.fixture
def app_hwb(make_app: Any, provider: str) -> Flask:
    return hwb_app(make_app, provider)


def person(issuer: str, **claims: Any) -> str:
    """A new person at the provider; returns their subject."""
    sub = f"person-{uuid.uuid4().hex[:12]}"
    register(issuer, sub, **{"name": "Gwen Hughes", "email": f"{sub}@hwbcymru.net", **claims})
    return sub


def to_provider(client: FlaskClient, lang: str = "en", path: str = "") -> str:
    """Press "Sign in with Hwb" (or the button at `path`): where the browser goes."""
    response = client.post(path or f"/{lang}/sign-in/hwb")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return str(response.headers["Location"])


def sign_in_with_hwb(
    client: FlaskClient, sub: str, lang: str = "en", path: str = ""
) -> TestResponse:
    back = authorize(to_provider(client, lang, path), sub)
    return client.get(local_path(back))


def linked_user(directory: Directory, issuer: str, sub: str, **kwargs: Any) -> User:
    user = directory.user(**kwargs)
    user.external_issuer, user.external_subject = issuer, sub
    db.session.commit()
    return user


def users() -> int:
    return int(db.session.scalar(select(func.count()).select_from(User)) or 0)


def refusal_reasons() -> list[str]:
    """Why Hwb sign-ins were refused, from the audit trail."""
    return [
        event.detail.get("reason")
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sign-in-failed")
        )
    ]


def refused(response: TestResponse) -> str:
    assert response.status_code in (400, 409), response.status_code
    heading = response.soup.find("h1").get_text(strip=True)  # type: ignore[attr-defined]
    return str(heading)


def signed_in(client: FlaskClient) -> bool:
    return client.get("/en/account/").status_code == 200


# --- A full sign-in ---------------------------------------------------------------------------


def test_a_linked_person_signs_in_with_hwb_and_no_password(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    sub = person(provider)
    school = directory.school()
    lead = linked_user(directory, provider, sub, school=school, lead=True)
    client = app_hwb.test_client()

    page = client.get("/en/sign-in")
    button = page.soup.find("button", string=lambda s: s and "Sign in with Hwb" in s)  # type: ignore[attr-defined]
    assert button is not None
    location = to_provider(client)
    assert location.startswith(f"{provider}/oauth2/authorize?")
    for part in (
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
        "ui_locales=en",
    ):
        assert part in location

    response = client.get(local_path(authorize(location, sub)))
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/plan/"
    assert signed_in(client)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signed-in", AuditEvent.user_id == lead.id)
    ).one()
    assert event.detail["method"] == "hwb"


def test_the_welsh_sign_in_page_says_mewngofnodi_gyda_hwb(app_hwb: Flask) -> None:
    page = app_hwb.test_client().get("/cy/sign-in")
    assert page.soup.find("button", string=lambda s: s and "Mewngofnodi gyda Hwb" in s)  # type: ignore[attr-defined]


# --- Refusals ---------------------------------------------------------------------------------


def test_a_wrong_state_is_refused(app_hwb: Flask, provider: str, directory: Directory) -> None:
    sub = person(provider)
    linked_user(directory, provider, sub)
    client = app_hwb.test_client()
    back = authorize(to_provider(client), sub)
    forged = back.replace("state=", "state=x")
    assert refused(client.get(local_path(forged))) == "You have not been signed in"
    assert not signed_in(client)
    assert refusal_reasons() == ["state"]


def test_an_answer_without_a_request_in_this_browser_is_refused(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    sub = person(provider)
    linked_user(directory, provider, sub)
    back = authorize(to_provider(app_hwb.test_client()), sub)
    other = app_hwb.test_client()
    refused(other.get(local_path(back)))
    assert not signed_in(other)


def test_a_replayed_code_is_refused(app_hwb: Flask, provider: str, directory: Directory) -> None:
    sub = person(provider)
    linked_user(directory, provider, sub)
    first = app_hwb.test_client()
    back = authorize(to_provider(first), sub)
    assert first.get(local_path(back)).status_code == 302
    # Another browser with a request of its own under way, given the used code.
    second = app_hwb.test_client()
    own = authorize(to_provider(second), sub)
    state = own.split("state=")[1].split("&")[0]
    code = back.split("code=")[1].split("&")[0]
    replay = f"/hwb/callback?code={code}&state={state}"
    refused(second.get(replay))
    assert not signed_in(second)
    assert refusal_reasons() == ["provider"]


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        pytest.param({"nonce": "not-the-one-sent"}, "nonce", id="wrong nonce"),
        pytest.param({"aud": "someone-else"}, "audience", id="wrong aud"),
        pytest.param({"aud": ["someone-else", "another"]}, "audience", id="aud list without us"),
        pytest.param(
            {"iss": "https://login.microsoftonline.com/common/v2.0"}, "issuer", id="wrong iss"
        ),
        pytest.param(
            {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
            "expired",
            id="expired",
        ),
        pytest.param({"iat": int(time.time()) + 3600}, "issued-at", id="issued in the future"),
    ],
)
def test_tokens_the_provider_signs_with_wrong_claims_are_refused(
    app_hwb: Flask, provider: str, directory: Directory, claims: dict[str, Any], reason: str
) -> None:
    sub = person(provider, **claims)
    linked_user(directory, provider, sub)
    client = app_hwb.test_client()
    assert refused(sign_in_with_hwb(client, sub)) == "You have not been signed in"
    assert not signed_in(client)
    assert refusal_reasons() == [reason]


def test_tokens_signed_again_with_a_published_key_work_and_a_rotated_key_is_fetched(
    make_app: Any, tamperer: Tamperer, provider: str, directory: Directory
) -> None:
    sub = person(provider)
    linked_user(directory, tamperer.issuer, sub)
    app = hwb_app(make_app, tamperer.issuer)
    tamperer.mode = "resign"
    client = app.test_client()
    assert sign_in_with_hwb(client, sub).status_code == 302
    # The provider rotates its keys: the new key id is not in the cached set, which is fetched
    # again once.
    tamperer.mode = "rotated"
    again = app.test_client()
    assert sign_in_with_hwb(again, sub).status_code == 302
    assert signed_in(again)


@pytest.mark.parametrize(
    ("lang", "heading", "says"),
    [
        ("en", "You have not been signed in", "could not be reached"),
        ("cy", "Nid ydych wedi cael eich mewngofnodi", "nid oedd modd ei gyrraedd"),
    ],
)
def test_a_key_set_that_cannot_be_fetched_is_a_refusal_not_an_error(
    app_hwb: Flask, provider: str, directory: Directory, lang: str, heading: str, says: str
) -> None:
    sub = person(provider)
    linked_user(directory, provider, sub)
    client = app_hwb.test_client()
    back = authorize(to_provider(client, lang), sub)
    # The provider's key set moves somewhere nothing answers (port 9, discard).
    key = f"meta:{provider}"
    at, meta = identity._cache[key]
    identity._cache[key] = (at, {**meta, "jwks_uri": "http://127.0.0.1:9/jwks"})
    response = client.get(local_path(back))
    assert refused(response) == heading
    assert says in response.get_data(as_text=True)
    assert not signed_in(client)
    assert refusal_reasons() == ["provider"]


@pytest.mark.parametrize(
    ("mode", "reason"), [("none", "signature"), ("hs256", "signature"), ("no-nonce", "nonce")]
)
def test_unsigned_hs256_and_nonceless_tokens_are_refused(
    make_app: Any, tamperer: Tamperer, provider: str, directory: Directory, mode: str, reason: str
) -> None:
    sub = person(provider)
    linked_user(directory, tamperer.issuer, sub)
    app = hwb_app(make_app, tamperer.issuer)
    tamperer.mode = mode
    client = app.test_client()
    try:
        assert refused(sign_in_with_hwb(client, sub)) == "You have not been signed in"
    finally:
        tamperer.mode = "resign"
    assert not signed_in(client)
    assert refusal_reasons() == [reason]


def test_a_tenant_not_in_the_list_is_refused_and_one_in_it_signs_in(
    make_app: Any, provider: str, directory: Directory
) -> None:
    app = hwb_app(make_app, provider, OIDC_TENANTS=["tenant-hwb"])
    outsider = person(provider, tid="tenant-elsewhere")
    linked_user(directory, provider, outsider, email="out@school.example")
    client = app.test_client()
    response = sign_in_with_hwb(client, outsider)
    assert refused(response) == "You have not been signed in"
    assert refusal_reasons() == ["tenant"]
    assert "organisation that cannot use this service" in response.get_data(as_text=True)
    insider = person(provider, tid="tenant-hwb")
    linked_user(directory, provider, insider, email="in@school.example")
    assert sign_in_with_hwb(app.test_client(), insider).status_code == 302


def test_a_token_without_tid_is_checked_by_its_issuer_alone(
    make_app: Any, provider: str, directory: Directory
) -> None:
    """docs/hwb.md: the tenant is checked where the token carries a `tid`; the issuer (the
    tenant's own) is checked always."""
    app = hwb_app(make_app, provider, OIDC_TENANTS=["tenant-hwb"])
    sub = person(provider)
    linked_user(directory, provider, sub)
    client = app.test_client()
    assert sign_in_with_hwb(client, sub).status_code == 302
    assert signed_in(client)


def test_refused_answers_are_rate_limited_and_listed_as_a_get_that_writes(
    make_app: Any, provider: str, directory: Directory
) -> None:
    from wizard.web.gets import PROTOCOL_ANSWERS

    assert "sign-in-failed" in PROTOCOL_ANSWERS["hwb_callback.callback"]
    app = hwb_app(make_app, provider, HWB_REFUSED_CALLBACKS_PER_ADDRESS="2 per hour")
    client = app.test_client()
    codes = [client.get("/hwb/callback?state=junk").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert refusal_reasons() == ["state", "state"]


def test_only_pages_with_a_hwb_form_let_forms_reach_the_provider(
    app_hwb: Flask, provider: str
) -> None:
    client = app_hwb.test_client()
    sign_in_page = client.get("/en/sign-in").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider}" in sign_in_page
    start = client.get("/en/").headers["Content-Security-Policy"]
    assert "form-action 'self';" in start and provider not in start


def test_an_unknown_identity_is_asked_to_join_and_no_account_is_made(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    directory.school()
    before = users()
    client = app_hwb.test_client()
    response = sign_in_with_hwb(client, person(provider))
    assert response.headers["Location"] == "/en/join"
    assert users() == before
    assert not signed_in(client)
    page = client.get("/en/join")
    assert page.soup.find("h1").get_text(strip=True) == "Ask to join your school"  # type: ignore[attr-defined]


def test_an_email_claim_matching_an_account_without_a_link_does_not_sign_in(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    directory.user(email="catrin@hwbcymru.net", school=directory.school(), lead=True)
    sub = person(provider, email="catrin@hwbcymru.net", preferred_username="catrin@hwbcymru.net")
    client = app_hwb.test_client()
    response = sign_in_with_hwb(client, sub)
    assert response.headers["Location"] == "/en/join"
    assert not signed_in(client)


# --- Getting in without email -----------------------------------------------------------------


def test_an_invitation_accepted_with_hwb_makes_a_linked_account_without_a_password(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    from wizard.data.accounts import invite_colleague

    school = directory.school()
    lead = directory.user(school=school, lead=True)
    token = invite_colleague(lead, "newcomer@school.example", "Dafydd Lewis", "en")
    sub = person(provider, name="Dafydd Lewis")
    client = app_hwb.test_client()
    page = client.get(f"/en/invitation/{token}")
    assert page.soup.find("button", string=lambda s: s and "Create your account with Hwb" in s)  # type: ignore[attr-defined]
    response = sign_in_with_hwb(client, sub, path=f"/en/invitation/{token}/hwb")
    assert response.status_code == 302
    made = db.session.scalars(select(User).where(User.email == "newcomer@school.example")).one()
    assert (made.external_issuer, made.external_subject) == (provider, sub)
    assert made.password_hash is None and made.school_id == school.id
    # The link is used up; and next time Hwb alone signs them in.
    assert app_hwb.test_client().get(f"/en/invitation/{token}").status_code == 404
    assert sign_in_with_hwb(app_hwb.test_client(), sub).headers["Location"] == "/en/plan/"


def ask_to_join(app: Flask, issuer: str, school_name: str) -> tuple[str, FlaskClient]:
    sub = person(issuer, name="Elin Davies", email="elin.davies@hwbcymru.net")
    client = app.test_client()
    assert sign_in_with_hwb(client, sub).headers["Location"] == "/en/join"
    found = client.get("/en/join", query_string={"q": school_name[:8]})
    radio = found.soup.find("input", attrs={"name": "school"})  # type: ignore[attr-defined]
    response = client.post("/en/join", data={"school": radio["value"]})
    assert response.status_code == 302
    return sub, client


def test_a_request_to_join_approved_by_the_lead_lets_the_person_in(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    school = directory.school(name_en="Penrhos Primary")
    lead = directory.user(school=school, lead=True)
    before = users()
    sub, _ = ask_to_join(app_hwb, provider, "Penrhos Primary")
    assert users() == before
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "join-requested"))

    lead_client = app_hwb.test_client()
    from tests.conftest import sign_in

    sign_in(lead_client, lead.email)
    hub = lead_client.get("/en/plan/", follow_redirects=True)
    assert "Requests to join your school waiting for your decision: 1." in hub.get_data(
        as_text=True
    )
    team = lead_client.get("/en/account/team")
    assert "Elin Davies" in team.get_data(as_text=True)
    request_id = db.session.scalar(select(func.max(AuditEvent.id)))  # any: looked up below
    del request_id
    from wizard.data.models import JoinRequest

    join = db.session.scalars(select(JoinRequest)).one()
    assert (
        lead_client.post(
            f"/en/account/team/requests/{join.id}", data={"decision": "approve"}
        ).status_code
        == 302
    )

    # Told on their next sign-in, which now signs them in.
    again = app_hwb.test_client()
    response = sign_in_with_hwb(again, sub)
    assert response.headers["Location"] == "/en/plan/"
    page = again.get("/en/plan/", follow_redirects=True)
    assert "Your request to join Penrhos Primary was approved." in page.get_data(as_text=True)
    made = db.session.scalars(select(User).where(User.external_subject == sub)).one()
    assert made.school_id == school.id and made.password_hash is None


def choose_school(client: FlaskClient, school_name: str) -> None:
    found = client.get("/en/join", query_string={"q": school_name[:8]})
    radio = found.soup.find("input", attrs={"name": "school"})  # type: ignore[attr-defined]
    assert client.post("/en/join", data={"school": radio["value"]}).status_code == 302


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "Hwb did not give an email address for Owain Rees"),
        ("cy", "Ni roddodd Hwb gyfeiriad e-bost ar gyfer Owain Rees"),
    ],
)
def test_a_request_without_an_email_address_is_not_approved_and_the_lead_is_told_why(
    app_hwb: Flask, provider: str, directory: Directory, lang: str, says: str
) -> None:
    from tests.conftest import sign_in
    from wizard.data.models import JoinRequest

    school = directory.school(name_en="Ysgol Bryn Teg")
    lead = directory.user(school=school, lead=True)
    sub = person(provider, name="Owain Rees", email=None, preferred_username="owain")
    client = app_hwb.test_client()
    assert sign_in_with_hwb(client, sub).headers["Location"] == "/en/join"
    choose_school(client, "Ysgol Bryn Teg")
    join = db.session.scalars(select(JoinRequest)).one()
    assert join.email == ""
    before = users()
    lead_client = app_hwb.test_client()
    sign_in(lead_client, lead.email)
    page = lead_client.post(
        f"/{lang}/account/team/requests/{join.id}",
        data={"decision": "approve"},
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert says in text
    assert "already has an account" not in text and "gyfrif eisoes" not in text
    assert users() == before
    db.session.refresh(join)
    assert join.outcome is None


def test_a_removed_colleague_asks_to_join_again_and_the_lead_lets_them_back_in(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    from tests.conftest import sign_in
    from wizard.data.models import JoinRequest

    school = directory.school(name_en="Ysgol Glan Môr")
    lead = directory.user(school=school, lead=True)
    sub = person(provider, name="Siân Pugh")
    colleague = linked_user(directory, provider, sub, email="sian@school.example", school=school)
    ours = app_hwb.test_client()
    sign_in(ours, lead.email)
    ours.post(f"/en/account/team/members/{colleague.id}/remove", data={"confirm": "yes"})
    db.session.refresh(colleague)
    assert colleague.school_id is None

    theirs = app_hwb.test_client()
    assert sign_in_with_hwb(theirs, sub).headers["Location"] == "/en/join"
    page = theirs.get("/en/join").get_data(as_text=True)
    assert "your account is not at a school any more" in page
    choose_school(theirs, "Ysgol Glan Môr")
    join = db.session.scalars(select(JoinRequest)).one()
    before = users()
    assert (
        ours.post(f"/en/account/team/requests/{join.id}", data={"decision": "approve"}).status_code
        == 302
    )
    assert users() == before
    db.session.refresh(colleague)
    assert colleague.school_id == school.id and not colleague.is_school_lead
    # Still signed in, now at the school: its plan opens.
    plan = theirs.get("/en/plan/", follow_redirects=True)
    assert plan.status_code == 200 and plan.request.path.startswith("/en/plan")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "join-approved")).one()
    assert event.detail["account"] == colleague.id and event.detail["rejoined"] is True


def test_a_coordinator_without_a_school_is_not_offered_to_join_one(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    sub = person(provider)
    admin = linked_user(directory, provider, sub, admin=True)
    client = app_hwb.test_client()
    response = sign_in_with_hwb(client, sub)
    assert response.headers["Location"] != "/en/join"
    assert client.get("/en/join").headers["Location"].startswith("/en/sign-in")
    assert admin.school_id is None


def test_a_request_to_join_declined_is_told_and_makes_no_account(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    school = directory.school(name_en="Ysgol y Gader")
    lead = directory.user(school=school, lead=True)
    sub, _ = ask_to_join(app_hwb, provider, "Ysgol y Gader")
    from tests.conftest import sign_in
    from wizard.data.models import JoinRequest

    lead_client = app_hwb.test_client()
    sign_in(lead_client, lead.email)
    join = db.session.scalars(select(JoinRequest)).one()
    lead_client.post(f"/en/account/team/requests/{join.id}", data={"decision": "decline"})
    before = users()
    again = app_hwb.test_client()
    assert sign_in_with_hwb(again, sub).headers["Location"] == "/en/join"
    page = again.get("/en/join")
    assert "Your request to join Ysgol y Gader was declined." in page.get_data(as_text=True)
    assert users() == before
    # Told once.
    assert "declined" not in again.get("/en/join").get_data(as_text=True)


def test_requests_to_join_are_rate_limited(
    make_app: Any, provider: str, directory: Directory
) -> None:
    app = hwb_app(make_app, provider, JOIN_REQUESTS_PER_ADDRESS="2 per hour")
    school = directory.school(name_en="Ysgol Bro Eryri")
    sub = person(provider)
    client = app.test_client()
    sign_in_with_hwb(client, sub)
    codes = [client.post("/en/join", data={"school": str(school.id)}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_a_password_account_links_hwb_then_removes_its_password(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    from tests.conftest import sign_in

    user = directory.user(school=directory.school())
    client = app_hwb.test_client()
    sign_in(client, user.email)
    sub = person(provider)
    response = sign_in_with_hwb(client, sub, path="/en/account/hwb")
    assert response.headers["Location"] == "/en/account/"
    db.session.refresh(user)
    assert (user.external_issuer, user.external_subject) == (provider, sub)
    assert client.post("/en/account/password/remove").status_code == 302
    db.session.refresh(user)
    assert user.password_hash is None
    assert signed_in(client)
    assert sign_in_with_hwb(app_hwb.test_client(), sub).status_code == 302


def test_password_sign_in_off_hides_passwords_resets_and_password_invitations(
    make_app: Any, provider: str, directory: Directory
) -> None:
    from wizard.data.accounts import invite_colleague

    app = hwb_app(make_app, provider, PASSWORD_SIGN_IN=False)
    lead = directory.user(school=directory.school(), lead=True)
    token = invite_colleague(lead, "new@school.example", "New", "en")
    client = app.test_client()
    page = client.get("/en/sign-in")
    assert page.soup.find("input", attrs={"type": "password"}) is None  # type: ignore[attr-defined]
    assert page.soup.find("button", string=lambda s: s and "Sign in with Hwb" in s)  # type: ignore[attr-defined]
    assert (
        client.post("/en/sign-in", data={"email": lead.email, "password": "x"}).status_code == 404
    )
    assert client.get("/en/reset-password").status_code == 404
    lead.external_issuer, lead.external_subject = provider, person(provider)
    db.session.commit()
    sign_in_with_hwb(client, str(lead.external_subject))
    assert client.get("/en/account/password").status_code == 404
    invitation = client.get(f"/en/invitation/{token}")
    assert invitation.soup.find("input", attrs={"type": "password"}) is None  # type: ignore[attr-defined]


# --- The lead's team --------------------------------------------------------------------------


def test_removing_a_colleague_ends_their_session_at_once(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    from tests.conftest import sign_in

    school = directory.school()
    lead = directory.user(school=school, lead=True)
    sub = person(provider)
    colleague = linked_user(directory, provider, sub, email="c@school.example", school=school)
    theirs = app_hwb.test_client()
    sign_in_with_hwb(theirs, sub)
    assert signed_in(theirs)
    ours = app_hwb.test_client()
    sign_in(ours, lead.email)
    assert ours.get(f"/en/account/team/members/{colleague.id}/remove").status_code == 200
    assert (
        ours.post(
            f"/en/account/team/members/{colleague.id}/remove", data={"confirm": "yes"}
        ).status_code
        == 302
    )
    assert not signed_in(theirs)
    db.session.refresh(colleague)
    assert colleague.school_id is None


def test_handing_over_the_lead_role_keeps_only_the_share_links_chosen(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    from tests.conftest import sign_in
    from wizard.data.models import Plan, ShareLink
    from wizard.data.sharing import create_share_link

    school = directory.school()
    lead = directory.user(school=school, lead=True)
    colleague = directory.user(email="c@school.example", school=school)
    plan = Plan(school_id=school.id, academic_year=2026)
    db.session.add(plan)
    db.session.commit()
    kept_token = create_share_link(plan, lead, False, None)
    dropped_token = create_share_link(plan, lead, False, None)
    db.session.commit()
    kept, dropped = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
    client = app_hwb.test_client()
    sign_in(client, lead.email)
    page = client.get(f"/en/account/team/members/{colleague.id}/lead")
    assert page.status_code == 200
    response = client.post(
        f"/en/account/team/members/{colleague.id}/lead",
        data={"keep": [str(kept.id)], "confirm": "yes"},
    )
    assert response.status_code == 302
    db.session.refresh(lead)
    db.session.refresh(colleague)
    assert not lead.is_school_lead and colleague.is_school_lead
    assert client.get("/en/account/team").status_code == 403
    anonymous = app_hwb.test_client()
    assert anonymous.get(f"/en/shared/{kept_token}").status_code == 200
    assert anonymous.get(f"/en/shared/{dropped_token}").status_code == 404
    del dropped


def test_an_invitation_is_cancelled_or_sent_again_with_a_link_to_copy(
    app_hwb: Flask, directory: Directory
) -> None:
    from tests.conftest import sign_in
    from wizard.data.accounts import invite_colleague
    from wizard.data.models import Invitation

    lead = directory.user(school=directory.school(), lead=True)
    old = invite_colleague(lead, "new@school.example", "New", "en")
    invitation = db.session.scalars(select(Invitation)).one()
    client = app_hwb.test_client()
    sign_in(client, lead.email)
    page = client.post(f"/en/account/team/invitations/{invitation.id}/resend")
    assert page.status_code == 200
    link = page.soup.find("p", class_="govuk-!-font-weight-bold").get_text(strip=True)  # type: ignore[attr-defined]
    assert "/en/invitation/" in link
    anonymous = app_hwb.test_client()
    assert anonymous.get(f"/en/invitation/{old}").status_code == 404
    assert anonymous.get(local_path(link)).status_code == 200
    client.post(f"/en/account/team/invitations/{invitation.id}/cancel")
    assert anonymous.get(local_path(link)).status_code == 404


def test_signing_out_after_hwb_offers_to_sign_out_of_hwb_too(
    app_hwb: Flask, provider: str, directory: Directory
) -> None:
    sub = person(provider)
    linked_user(directory, provider, sub)
    client = app_hwb.test_client()
    sign_in_with_hwb(client, sub)
    response = client.post("/en/sign-out")
    assert response.headers["Location"] == "/en/signed-out"
    page = client.get("/en/signed-out")
    link = page.soup.find("a", string="Sign out of Hwb")  # type: ignore[attr-defined]
    assert link["href"].startswith(f"{provider}/oauth2/end_session?")
    assert not signed_in(client)


def test_one_open_invitation_per_address(app_hwb: Flask, directory: Directory) -> None:
    from tests.conftest import sign_in

    lead = directory.user(school=directory.school(), lead=True)
    client = app_hwb.test_client()
    sign_in(client, lead.email)
    form = {"name": "Dafydd", "email": "dafydd@school.example", "language": "en"}
    assert client.post("/en/account/invite", data=form).status_code == 302
    again = client.post("/en/account/invite", data=form)
    assert again.status_code == 200
    assert "You have already invited dafydd@school.example" in again.get_data(as_text=True)


def test_production_refuses_to_start_with_the_development_stand_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from wizard.config import ConfigError, load_config

    monkeypatch.setenv("WIZARD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("WIZARD_BASE_URL", "https://planner.example")
    monkeypatch.setenv("WIZARD_OIDC_ISSUER", "http://127.0.0.1:9400")
    monkeypatch.setenv("WIZARD_OIDC_DEV_PROVIDER", "1")
    with pytest.raises(ConfigError, match="development stand-in"):
        load_config(tmp_path)
    monkeypatch.delenv("WIZARD_OIDC_DEV_PROVIDER")
    with pytest.raises(ConfigError, match="https"):
        load_config(tmp_path)
    monkeypatch.setenv("WIZARD_OIDC_ISSUER", "https://login.microsoftonline.com/tenant-id/v2.0")
    monkeypatch.setenv("WIZARD_OIDC_TENANTS", "tenant-id, other")
    config = load_config(tmp_path)
    assert config["OIDC_TENANTS"] == ["tenant-id", "other"]


@pytest.mark.parametrize(
    ("role", "home"), [("coordinator", "/en/clusters/"), ("admin", "/en/account/")]
)
def test_coordinators_and_administrators_sign_in_with_hwb_the_same_way(
    app_hwb: Flask, provider: str, directory: Directory, role: str, home: str
) -> None:
    sub = person(provider)
    if role == "coordinator":
        linked_user(directory, provider, sub, coordinator_of=[directory.cluster()])
    else:
        linked_user(directory, provider, sub, admin=True)
    client = app_hwb.test_client()
    assert sign_in_with_hwb(client, sub).headers["Location"] == home
    assert signed_in(client)
