"""The rules a signature-checked ID token's claims must meet, each refusal on its own (the
integration tests in test_hwb.py reach some of them through a whole sign-in)."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.domain.identity import Identity, IdentityRefused, Refusal, check_claims

ISSUER = "https://login.example/tenant/v2.0"
CLIENT = "our-client"
NOW = 1_800_000_000.0
LEEWAY = 60.0


def _claims(**changed: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": CLIENT,
        "exp": NOW + 600,
        "iat": NOW - 10,
        "nonce": "n-1",
        "sub": "per-app-subject",
    }
    claims.update(changed)
    return {key: value for key, value in claims.items() if value is not None}


def _check(claims: dict[str, Any], tenants: tuple[str, ...] = ()) -> Identity:
    return check_claims(
        claims,
        issuer=ISSUER,
        client_id=CLIENT,
        nonce="n-1",
        tenants=tenants,
        now=NOW,
        leeway=LEEWAY,
    )


def _refusal(claims: dict[str, Any], tenants: tuple[str, ...] = ()) -> Refusal:
    with pytest.raises(IdentityRefused) as refused:
        _check(claims, tenants)
    return refused.value.refusal


def test_good_claims_give_the_identity_preferring_the_object_id() -> None:
    identity = _check(_claims(oid="object-id", name="Eleri", email="eleri@school.example"))
    assert identity == Identity(ISSUER, "object-id", "Eleri", "eleri@school.example", "")
    # Without an object id, the subject; a username that is no address is not kept as email.
    assert _check(_claims(preferred_username="eleri")) == Identity(ISSUER, "per-app-subject")


@pytest.mark.parametrize(
    ("changed", "refusal"),
    [
        pytest.param({"iss": ISSUER + "/"}, Refusal.ISSUER, id="issuer not exactly ours"),
        pytest.param({"aud": None}, Refusal.AUDIENCE, id="no audience"),
        pytest.param({"aud": 7}, Refusal.AUDIENCE, id="audience not a string or list"),
        pytest.param({"aud": [CLIENT, "other"]}, Refusal.AUDIENCE, id="several, no azp"),
        pytest.param(
            {"aud": [CLIENT, "other"], "azp": "other"}, Refusal.AUDIENCE, id="several, other azp"
        ),
        pytest.param({"exp": NOW - LEEWAY}, Refusal.EXPIRED, id="expired beyond the leeway"),
        pytest.param({"exp": True}, Refusal.EXPIRED, id="exp a boolean"),
        pytest.param({"iat": None}, Refusal.ISSUED_AT, id="no iat"),
        pytest.param({"iat": NOW + LEEWAY + 1}, Refusal.ISSUED_AT, id="issued in the future"),
        pytest.param({"nonce": "n-2"}, Refusal.NONCE, id="another nonce"),
        pytest.param({"nonce": None}, Refusal.NONCE, id="no nonce"),
        pytest.param({"tid": ""}, Refusal.TENANT, id="empty tenant"),
        pytest.param({"sub": None}, Refusal.SUBJECT, id="no subject"),
        pytest.param({"sub": "s" * 256}, Refusal.SUBJECT, id="subject too long"),
    ],
)
def test_each_rule_refuses_on_its_own(changed: dict[str, Any], refusal: Refusal) -> None:
    assert _refusal(_claims(**changed)) == refusal


def test_several_audiences_are_accepted_when_azp_is_ours() -> None:
    assert _check(_claims(aud=[CLIENT, "other"], azp=CLIENT)).subject == "per-app-subject"


def test_the_times_allow_the_leeway() -> None:
    assert _check(_claims(exp=NOW - LEEWAY + 1, iat=NOW + LEEWAY)).subject


def test_a_tenant_must_be_an_allowed_one_when_some_are_configured() -> None:
    assert _check(_claims(tid="any-tenant")).tenant == "any-tenant"
    assert _check(_claims(tid="ours"), tenants=("ours",)).tenant == "ours"
    assert _refusal(_claims(tid="theirs"), tenants=("ours",)) == Refusal.TENANT
    # No tid at all: no tenant to check.
    assert _check(_claims(), tenants=("ours",)).tenant == ""
