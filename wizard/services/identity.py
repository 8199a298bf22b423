"""Sign in with Hwb: the OpenID Connect client (Authlib) against the one configured provider,
and what a Hwb identity may do here: sign in to its linked account, be linked to an account
(by an invitation, or from the account page), ask to join a school; and the lead's team.

The flow is the authorization code flow with PKCE, `state` and `nonce`. The ID token is checked
here, not by Authlib's defaults: its signature against the provider's published keys (fetched
again once when a token names a key not seen yet, so that the provider can rotate them), with
asymmetric algorithms only (`none` and HS* refused whatever the discovery document says); then
its claims by `wizard.domain.identity.check_claims` (iss, aud, exp, iat, nonce, tid)."""

from __future__ import annotations

import enum
import hmac
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from wizard.data import accounts, identity
from wizard.data.identity import EmailTaken, IdentityTaken, NoEmail
from wizard.domain.identity import (
    ALLOWED_ALGORITHMS,
    Identity,
    IdentityRefused,
    Refusal,
    check_claims,
)
from wizard.services import notifications
from wizard.services.outbox import dispatch

if TYPE_CHECKING:
    from wizard.data.models import Invitation, JoinRequest, School, ShareLink, User

__all__ = [
    "EmailTaken",
    "Identity",
    "IdentityRefused",
    "IdentityTaken",
    "NoEmail",
    "Refusal",
]

SCOPE = "openid profile email"

# Discovery documents and key sets, per issuer / address, for OIDC_METADATA_SECONDS.
_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


def enabled() -> bool:
    """Whether Hwb sign-in is configured."""
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def password_sign_in() -> bool:
    """Whether passwords are offered (WIZARD_PASSWORD_SIGN_IN=off: a Hwb-only service)."""
    return bool(current_app.config.get("PASSWORD_SIGN_IN", True))


def _get_json(url: str) -> dict[str, Any]:
    response = requests.get(url, timeout=current_app.config["OIDC_TIMEOUT_SECONDS"])
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError(url)
    return data


def _cached(key: str, url: str, force: bool = False) -> dict[str, Any]:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and not force and now - hit[0] < current_app.config["OIDC_METADATA_SECONDS"]:
        return hit[1]
    data = _get_json(url)
    with _cache_lock:
        _cache[key] = (now, data)
    return data


def forget_cache() -> None:
    with _cache_lock:
        _cache.clear()


def metadata() -> dict[str, Any]:
    """The provider's discovery document; its `issuer` must be the configured issuer."""
    issuer = current_app.config["OIDC_ISSUER"]
    data = _cached(f"meta:{issuer}", f"{issuer}/.well-known/openid-configuration")
    if data.get("issuer", "").rstrip("/") != issuer:
        raise IdentityRefused(Refusal.ISSUER, "discovery document names another issuer")
    return data


def _key_set(force: bool = False) -> KeySet:
    uri = metadata()["jwks_uri"]
    return KeySet.import_key_set(_cached(f"jwks:{uri}", uri, force))  # type: ignore[arg-type]


def _session(redirect_uri: str) -> OAuth2Session:
    config = current_app.config
    return OAuth2Session(
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"] or None,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the request to the provider and its answer."""

    state: str
    nonce: str
    verifier: str

    def to_session(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier}

    @classmethod
    def from_session(cls, value: object) -> Pending | None:
        if not isinstance(value, dict):
            return None
        parts = [value.get(k) for k in ("state", "nonce", "verifier")]
        if not all(isinstance(p, str) and p for p in parts):
            return None
        return cls(*parts)  # type: ignore[arg-type]


def authorization_url(redirect_uri: str, lang: str) -> tuple[str, Pending]:
    """Where to send the browser, and what to keep until it comes back."""
    pending = Pending(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64)[:96],
    )
    url, _ = _session(redirect_uri).create_authorization_url(
        metadata()["authorization_endpoint"],
        state=pending.state,
        nonce=pending.nonce,
        code_verifier=pending.verifier,
        ui_locales=lang,
    )
    return str(url), pending


def _keys(force: bool = False) -> KeySet:
    """The provider's key set; one that cannot be fetched or read is the provider being
    unavailable (a refusal, never a 500)."""
    try:
        return _key_set(force)
    except (requests.RequestException, KeyError, ValueError, TypeError, JoseError) as error:
        raise IdentityRefused(Refusal.PROVIDER, f"key set: {type(error).__name__}") from error


def _verified_claims(id_token: str) -> dict[str, Any]:
    try:
        try:
            token = jwt.decode(id_token, _keys(), algorithms=list(ALLOWED_ALGORITHMS))
        except InvalidKeyIdError:
            # A key not seen yet: the provider may have rotated its keys.
            token = jwt.decode(id_token, _keys(force=True), algorithms=list(ALLOWED_ALGORITHMS))
    except (JoseError, ValueError) as error:
        raise IdentityRefused(Refusal.SIGNATURE, type(error).__name__) from error
    if token.header.get("alg") not in ALLOWED_ALGORITHMS:
        raise IdentityRefused(Refusal.SIGNATURE, "algorithm")
    return dict(token.claims)


def identity_of_answer(
    pending: Pending | None, answer: Mapping[str, str], redirect_uri: str, address: str
) -> Identity:
    """The provider's answer (the callback's query) checked: state, the code exchanged (once:
    a replayed code is refused by the provider), the ID token verified. Raises
    IdentityRefused, audited."""
    try:
        return _identity_of_answer(pending, answer, redirect_uri)
    except IdentityRefused as refused:
        identity.hwb_sign_in_refused(refused.refusal.value, address)
        raise


def _identity_of_answer(
    pending: Pending | None, answer: Mapping[str, str], redirect_uri: str
) -> Identity:
    state = answer.get("state", "")
    if pending is None or not state or not hmac.compare_digest(state, pending.state):
        raise IdentityRefused(Refusal.STATE)
    code = answer.get("code", "")
    if answer.get("error") or not code or len(code) > 2000:
        raise IdentityRefused(Refusal.PROVIDER, answer.get("error", "no code")[:60])
    try:
        meta = metadata()
        token = _session(redirect_uri).fetch_token(
            meta["token_endpoint"],
            code=code,
            code_verifier=pending.verifier,
            timeout=current_app.config["OIDC_TIMEOUT_SECONDS"],
        )
    except (OAuthError, requests.RequestException, ValueError, KeyError) as error:
        raise IdentityRefused(Refusal.PROVIDER, type(error).__name__) from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise IdentityRefused(Refusal.SIGNATURE, "no id_token")
    config = current_app.config
    return check_claims(
        _verified_claims(id_token),
        issuer=config["OIDC_ISSUER"],
        client_id=config["OIDC_CLIENT_ID"],
        nonce=pending.nonce,
        tenants=config["OIDC_TENANTS"],
        now=time.time(),
        leeway=config["OIDC_LEEWAY_SECONDS"],
    )


def provider_metadata_or_none() -> dict[str, Any] | None:
    try:
        return metadata()
    except (requests.RequestException, ValueError, IdentityRefused):
        return None


def logout_url(post_logout_redirect_uri: str) -> str | None:
    """The provider's sign-out address (RP-initiated logout), where it offers one."""
    meta = provider_metadata_or_none()
    endpoint = (meta or {}).get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return None
    query = urlencode(
        {
            "client_id": current_app.config["OIDC_CLIENT_ID"],
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


# --- What an identity does --------------------------------------------------------------------


class Outcome(enum.Enum):
    SIGNED_IN = "signed-in"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HwbSignIn:
    outcome: Outcome
    user: User | None = None
    token: str = ""
    # The latest decision on the person's request to join that they have not been told about.
    decision: JoinRequest | None = None


def sign_in(found: Identity, address: str) -> HwbSignIn:
    """Sign in the account linked to the identity; an unknown identity makes nothing (it may
    ask to join). An email claim never finds an account."""
    decision = identity.untold_decision_of(found.issuer, found.subject)
    if decision is not None:
        identity.mark_told(decision.id)
    user = identity.user_of_identity(found.issuer, found.subject)
    if user is None:
        return HwbSignIn(Outcome.UNKNOWN, decision=decision)
    token = identity.signed_in_with_hwb(user, address)
    return HwbSignIn(Outcome.SIGNED_IN, user=user, token=token, decision=decision)


def link(user: User, found: Identity, address: str) -> None:
    """Link the identity to the signed-in account (IdentityTaken: another has it)."""
    identity.link_identity(user, found, address)


def remove_password(user: User, current_token: str) -> bool:
    return identity.remove_password(user, current_token)


def accept_invitation(
    token: str, found: Identity, locale: str, address: str
) -> tuple[User, str] | None:
    """Accept an open invitation with Hwb: the account is made, linked, signed in (None: the
    invitation is not open). Raises IdentityTaken, or accounts.AccountExists."""
    invitation = accounts.find_invitation(token)
    if invitation is None:
        return None
    if accounts.find_user_by_email(invitation.email) is not None:
        raise accounts.AccountExists(invitation.email)
    return identity.create_account_for_invitation(invitation, found, locale, address)


def find_schools(query: str) -> list[School]:
    return identity.find_schools(query)


def school(school_id: int) -> School | None:
    return identity.school(school_id)


def pending_request(found: Identity) -> JoinRequest | None:
    return identity.pending_request_of(found.issuer, found.subject)


def may_ask_to_join(user: User) -> bool:
    """Whether a signed-in account may ask to join a school (one removed from theirs)."""
    return bool(user.external_issuer and user.external_subject) and identity.without_school(user)


def identity_of_account(user: User) -> Identity:
    """The Hwb identity linked to the account (may_ask_to_join said there is one)."""
    return Identity(
        issuer=user.external_issuer or "",
        subject=user.external_subject or "",
        name=user.name,
        email=user.email,
    )


def ask_to_join(found: Identity, school_id: int, address: str) -> JoinRequest | None:
    """Ask to join the school (None: no such school, or the identity's account is at a school
    already; an account without a school, a colleague removed from theirs, may ask)."""
    if identity.school(school_id) is None:
        return None
    user = identity.user_of_identity(found.issuer, found.subject)
    if user is not None and not identity.without_school(user):
        return None
    return identity.ask_to_join(found, school_id, address)


# --- The lead's team --------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    members: list[User]
    invitations: list[Invitation]
    requests: list[JoinRequest]


def team_of(lead: User) -> Team:
    school_id = lead.school_id or 0
    return Team(
        members=accounts.colleagues_of(school_id),
        invitations=accounts.pending_invitations(school_id),
        requests=identity.requests_to(school_id),
    )


def open_request(lead: User, request_id: int) -> JoinRequest | None:
    return identity.open_request(lead.school_id or 0, request_id)


def approve(lead: User, join: JoinRequest) -> User:
    return identity.approve(lead, join)


def decline(lead: User, join: JoinRequest) -> None:
    identity.decline(lead, join)


def colleague(lead: User, user_id: int) -> User | None:
    return identity.colleague(lead, user_id)


def remove_colleague(lead: User, user: User) -> None:
    identity.remove_colleague(lead, user)


def share_links_made_by(user: User) -> list[ShareLink]:
    return identity.share_links_made_by(user)


def hand_over_lead(lead: User, new_lead: User, keep_links: Sequence[int]) -> None:
    identity.hand_over_lead(lead, new_lead, keep_links)


def open_invitation(lead: User, invitation_id: int) -> Invitation | None:
    return identity.open_invitation_of(lead, invitation_id)


def open_invitation_to(lead: User, email: str) -> Invitation | None:
    return identity.open_invitation_to(lead.school_id or 0, email)


def cancel_invitation(lead: User, invitation: Invitation) -> None:
    identity.cancel_invitation(lead, invitation)


def resend_invitation(lead: User, invitation: Invitation) -> str:
    """A new link (the old one stops working), a new expiry, and the email again; return the
    token (the lead may copy the link and pass it on by Teams or on paper)."""
    token = identity.renew_invitation(
        lead,
        invitation,
        notifications.invitation_mail(invitation.email, invitation.name, lead, invitation.locale),
    )
    dispatch()
    return token
