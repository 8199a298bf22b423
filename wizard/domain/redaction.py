"""Secrets in text: the tokens of the links that carry one, found and blanked out (for logs,
and for emails kept once they are sent)."""

from __future__ import annotations

import re
from urllib.parse import unquote


def _spelt(word: str) -> str:
    """A pattern for the word as a server would still route it: each character raw or
    percent-encoded (once or more, hexadecimal in either case); letters in either case (the
    pattern is compiled ignoring case)."""
    return "".join(f"(?:{re.escape(char)}|%(?:25)*{ord(char):02x})" for char in word)


# Paths that carry a secret token (a password reset, an invitation, a share link, a staff
# voice round, an administrator's upload waiting for its preview to be applied), also inside a
# query string or a Referer, raw or with any of its characters percent-encoded (Werkzeug
# decodes "/en/%73taff-voice/%41bc" to a working link), with repeated slashes or "." segments
# (answered by a redirect to the link): the token never reaches a log.
_SLASH = _spelt("/")
_SEPARATOR = rf"{_SLASH}(?:(?:{_spelt('.')})?{_SLASH})*"
TOKEN_ROUTES = (
    ("reset-password",),
    ("invitation",),
    ("shared",),
    ("staff-voice",),
    ("admin", "import"),
    ("admin", "clusters", "import"),
)
_ROUTES = "|".join(_SEPARATOR.join(_spelt(segment) for segment in route) for route in TOKEN_ROUTES)
_TOKEN_IN_PATH = re.compile(
    rf"({_SEPARATOR}(?:{_spelt('en')}|{_spelt('cy')}){_SEPARATOR}(?:{_ROUTES}){_SEPARATOR})"
    r"(?:[A-Za-z0-9_\-]|%(?:25)*[0-9a-f]{2})+",
    re.IGNORECASE,
)


def without_link_tokens(text: str) -> str:
    """The text with the token of every such link replaced by "[token]"."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


# A staff voice round's response pages (the responder's, not the lead's under /plan/), as a
# path or a full address (a Referer), raw or percent-encoded.
_STAFF_VOICE_RESPONSE = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*://[^/]*)?/+(?:\./+)*(?:en|cy)/+(?:\./+)*staff-voice/",
    re.IGNORECASE,
)


def is_staff_voice_response(path_or_address: str) -> bool:
    """Whether a path, or an address such as a Referer, is one of a staff voice round's response
    pages: a request for one (or from one) is logged without the client's address, as those
    pages promise (gunicorn.conf.py)."""
    return _STAFF_VOICE_RESPONSE.match(unquote(unquote(path_or_address))) is not None
