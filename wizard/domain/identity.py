"""Who someone is when they sign in with Hwb: the rules an ID token's claims must meet, and the
stable identity they give. Plain Python: the signature is checked before (services/identity.py).

An account is linked to (issuer, subject), never to an email address: Microsoft documents that
the email and username claims can change and must not decide who someone is."""

from __future__ import annotations

import enum
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Asymmetric signatures only: `none` and the HMAC (HS*) algorithms are refused whatever the
# provider advertises (with HS*, anyone holding the client secret could make a token).
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")


class Refusal(enum.StrEnum):
    """Why a sign-in with Hwb was refused (each has its own message on the sign-in page)."""

    STATE = "state"  # the answer was not to the request this browser made (or came twice)
    PROVIDER = "provider"  # the provider said no, or could not be reached, or refused the code
    SIGNATURE = "signature"  # unsigned, a refused algorithm, or not signed by the provider's keys
    ISSUER = "issuer"
    AUDIENCE = "audience"
    EXPIRED = "expired"
    ISSUED_AT = "issued-at"
    NONCE = "nonce"
    TENANT = "tenant"
    SUBJECT = "subject"


class IdentityRefused(Exception):
    def __init__(self, refusal: Refusal, detail: str = "") -> None:
        super().__init__(f"{refusal.value}: {detail}" if detail else refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Identity:
    """A person as the provider knows them: (issuer, subject) is who they are; the name and
    email are only shown (to them, and to a lead deciding on their request to join)."""

    issuer: str
    subject: str
    name: str = ""
    email: str = ""
    tenant: str = ""


def _string(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_claims(
    claims: Mapping[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    tenants: Sequence[str],
    now: float,
    leeway: float,
) -> Identity:
    """The identity of a signature-checked ID token, or IdentityRefused: `iss` is the
    configured issuer exactly; `aud` names our client (and `azp` too when there are several);
    `exp` has not passed and `iat` is not in the future (both with `leeway` seconds of clock
    difference); `nonce` is the one this browser's request sent; `tid`, where the provider
    sends one, is an allowed tenant (any, when none is configured)."""
    if _string(claims, "iss") != issuer:
        raise IdentityRefused(Refusal.ISSUER)
    _check_audience(claims, client_id)
    _check_times(claims, now, leeway)
    _check_nonce(claims, nonce)
    tenant = _tenant(claims, tenants)
    # Entra's object id (`oid`) is the person in the tenant across applications; `sub` is
    # per application. Either is stable; the object id is preferred where there is one.
    subject = _string(claims, "oid") or _string(claims, "sub")
    if not subject or len(subject) > 255:
        raise IdentityRefused(Refusal.SUBJECT)
    email = _string(claims, "email") or _string(claims, "preferred_username")
    return Identity(
        issuer=issuer,
        subject=subject,
        name=_string(claims, "name")[:200],
        email=email[:254] if "@" in email else "",
        tenant=tenant,
    )


def _check_audience(claims: Mapping[str, Any], client_id: str) -> None:
    """`aud` names our client, and `azp` is our client when `aud` names several."""
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or client_id not in audiences:
        raise IdentityRefused(Refusal.AUDIENCE)
    if len(audiences) > 1 and _string(claims, "azp") != client_id:
        raise IdentityRefused(Refusal.AUDIENCE)


def _check_times(claims: Mapping[str, Any], now: float, leeway: float) -> None:
    """`exp` has not passed and `iat` is not in the future, with `leeway` seconds each way."""
    expires = _number(claims, "exp")
    if expires is None or expires + leeway <= now:
        raise IdentityRefused(Refusal.EXPIRED)
    issued = _number(claims, "iat")
    if issued is None or issued - leeway > now:
        raise IdentityRefused(Refusal.ISSUED_AT)


def _check_nonce(claims: Mapping[str, Any], nonce: str) -> None:
    """`nonce` is the one this browser's request sent (compared in constant time)."""
    sent = _string(claims, "nonce")
    if not nonce or not sent or not hmac.compare_digest(sent, nonce):
        raise IdentityRefused(Refusal.NONCE)


def _tenant(claims: Mapping[str, Any], tenants: Sequence[str]) -> str:
    """The token's tenant ("" without `tid`): where sent, it must be an allowed one (any, when
    none is configured)."""
    tenant = _string(claims, "tid")
    if "tid" in claims and (not tenant or (tenants and tenant not in tenants)):
        raise IdentityRefused(Refusal.TENANT)
    return tenant
