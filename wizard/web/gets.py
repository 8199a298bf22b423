"""The GETs that change anything, each with why: the whole list.

A link, a prefetch, a crawler or the browser's history makes GETs, so a GET must never change
what anyone chose or wrote; only a form's POST may. Every GET of every route, by every kind of
person, in both languages, is held to this list by tests/integration/test_get_changes_nothing.py:
a write that is not listed here fails it, and so does an entry here that no GET makes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DatabaseWrite:
    """A write a GET may make: the endpoints that make it, the statement (how it begins), and
    why it is a record of use rather than a change."""

    endpoints: frozenset[str]
    statement: str
    why: str


DATABASE_WRITES: tuple[DatabaseWrite, ...] = (
    DatabaseWrite(
        endpoints=frozenset({"shared.page", "shared.pdf", "shared.docx", "shared.svg"}),
        statement="UPDATE share_link SET last_used_at=",
        why="When a share link was last opened, as an access log would keep it: shown to the "
        "lead beside each link, so that they can tell a link still in use from one to revoke.",
    ),
)

# What a GET may change in the browser's own cookie session (never in the database): the
# session key, or the beginning of it, and why.
COOKIE_WRITES: dict[str, str] = {
    "lang": "The language of the page read last, so that this browser goes on in it "
    "(wizard.web.i18n.remember_language). The account's preferred language, which emails "
    "follow, changes only by the account page's form (a POST).",
    "seen": "When the signed-in session was last used, for the idle timeout (load_user).",
    "csrf_token": "Flask-WTF's secret behind the CSRF tokens of a page's forms, made the "
    "first time this browser reads a page with a form.",
    "_fresh": "Flask-Login's note of whether the sign-in is fresh (set on a visitor's "
    "first request).",
    "staff-voice-sitting-": "A staff voice responder at work on their answers: their pages "
    "show their answers until they stop for a while.",
}


# GETs that are another service's answer rather than a page, and write by design: endpoint, and
# why. The walk of tests/integration/test_get_changes_nothing.py never reaches them (no provider
# is configured there); tests/integration/test_hwb.py holds them to what is said here.
PROTOCOL_ANSWERS: dict[str, str] = {
    "hwb_callback.callback": 'Hwb\'s answer to "Sign in with Hwb": OpenID Connect sends the '
    "browser back with a GET (the protocol's redirect, not our choice). It acts only on the "
    "request this browser's own POST started (its state): a sign-in starts a session and is "
    "audited, the person is marked as told of a decision on their request to join, an "
    "invitation is accepted or Hwb linked as that POST asked; any other answer is refused "
    "and audited (sign-in-failed), rate limited per address "
    "(HWB_REFUSED_CALLBACKS_PER_ADDRESS).",
}


def allowed_database_write(endpoint: str | None, statement: str) -> bool:
    """Whether a GET of `endpoint` may run this writing statement."""
    return any(
        endpoint in write.endpoints and statement.startswith(write.statement)
        for write in DATABASE_WRITES
    )


def allowed_cookie_write(key: str) -> bool:
    """Whether a GET may change this key of the cookie session."""
    return any(
        key == allowed or (allowed.endswith("-") and key.startswith(allowed))
        for allowed in COOKIE_WRITES
    )
