"""Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a browser
that has signed in to an account gets a signed, long-lived cookie naming the account in a way
that cannot be read back (an HMAC of the email under SECRET_KEY) and a random nonce. Sign-in
attempts from such a browser are counted for that browser alone (accounts.py of the data layer), so
failures from anywhere else, a whole school's address included, never hold it back.

The cookie keeps the last few accounts signed in on the browser (a staff room's computer may
serve several teachers). It carries no email, name or id, and is HttpOnly, SameSite=Lax and,
in production, Secure.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from flask import Response, after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from wizard.domain.inputs import normalise_email

COOKIE_NAME = "device"
_SALT = "trusted-device"
# Accounts remembered by one browser; the oldest is dropped.
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _max_age() -> int:
    return int(current_app.config["SIGN_IN_DEVICE_COOKIE_DAYS"]) * 24 * 60 * 60


def account_tag(email: str) -> str:
    """How the cookie names an account: an HMAC of the normalised email (32 hex digits)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = b"device-cookie-account\0" + normalise_email(email)[:254].encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def _entries() -> list[list[str]]:
    """The (account tag, nonce) pairs of this request's device cookie, if its signature and
    age are good; none otherwise."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or len(raw) > 2000:
        return []
    try:
        value: Any = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [
        [entry[0], entry[1]]
        for entry in value[:MAX_ACCOUNTS]
        if isinstance(entry, list)
        and len(entry) == 2
        and all(isinstance(part, str) and 0 < len(part) <= 64 for part in entry)
    ]


def trusted_device(email: str) -> str | None:
    """The id of this browser for sign-in throttling (the SHA-256 of its nonce) when it has
    a valid device cookie for this account; None otherwise."""
    tag = account_tag(email)
    for entry_tag, nonce in _entries():
        if hmac.compare_digest(entry_tag, tag):
            return hashlib.sha256(nonce.encode()).hexdigest()
    return None


def remember_device(email: str) -> None:
    """After a successful sign-in: the response gives (or renews) this browser's device
    cookie for the account, keeping its nonce if it had one."""
    tag = account_tag(email)
    entries = _entries()
    nonce = next((n for t, n in entries if hmac.compare_digest(t, tag)), None)
    kept = [entry for entry in entries if entry[0] != tag]
    value = [[tag, nonce or secrets.token_urlsafe(24)], *kept][:MAX_ACCOUNTS]
    cookie = _serializer().dumps(value)

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            COOKIE_NAME,
            cookie,
            max_age=_max_age(),
            httponly=True,
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
            samesite="Lax",
            path="/",
        )
        return response
