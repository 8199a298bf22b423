"""Secrets in text: the tokens of the links that carry one, found and blanked out (for logs,
and for emails kept once they are sent)."""

from __future__ import annotations

import re

# Paths that carry a secret token (a password reset, an invitation, a share link, a staff
# voice round), also inside a query string or a Referer, raw or with its slashes
# percent-encoded: the token never reaches a log.
_SLASH = r"(?:/|%2[Ff])"
_TOKEN_IN_PATH = re.compile(
    rf"({_SLASH}(?:en|cy){_SLASH}(?:reset-password|invitation|shared|staff-voice){_SLASH})"
    r"[A-Za-z0-9_\-]+"
)


def without_link_tokens(text: str) -> str:
    """The text with the token of every such link replaced by "[token]"."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)
