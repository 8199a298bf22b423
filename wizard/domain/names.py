"""People's names as the service repeats them to others (in an invitation email, say): plain
words, never a link or an address a sender could slip in, and never long enough to be a
message of its own."""

from __future__ import annotations

import re
import unicodedata

from wizard.domain.inputs import without_unsafe_characters

# How much of a name an email repeats.
NAME_IN_EMAIL_LENGTH = 70

# What a mail program would turn into a link or an address: a scheme (https://, mailto:), a
# www. address, an email address, a host name ending in a top-level domain (evil.example,
# evil.example/claim), or an address by number (203.0.113.7/claim). Matched after NFKC
# normalisation, so that full-width or other look-alike dots and slashes count too.
_LINK = re.compile(
    r"""
    (?:\b[a-z][a-z0-9+.\-]*://\S*)
    | (?:\b(?:mailto|javascript|data|tel|sms|file):\S*)
    | (?:\bwww\.\S*)
    | (?:\S+@\S+)
    | (?:\b[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,63}\b(?:[/:?\#]\S*)?)
    | (?:\b\d{1,3}(?:\.\d{1,3}){3}\b(?:[/:?\#]\S*)?)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _normalised(name: str) -> str:
    """NFKC, with the ideographic full stop (which browsers read as a dot in an address, and to
    which NFKC takes the half-width one) as a dot, and spaces made single."""
    text = unicodedata.normalize("NFKC", name).replace("\u3002", ".")
    return " ".join(text.split())


def has_link(name: str) -> bool:
    """Whether the name holds anything a mail program could show as a link or an address."""
    return _LINK.search(_normalised(name)) is not None


def plain_name(name: str | None, limit: int = NAME_IN_EMAIL_LENGTH) -> str:
    """The name as an email repeats it: on one line, without control characters, links or
    addresses, and at most `limit` characters (cut at a word, with an ellipsis)."""
    text = _normalised(without_unsafe_characters(name or "", multi_line=False))
    text = " ".join(_LINK.sub(" ", text).split())
    if len(text) > limit:
        cut = text[: limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:-") + "…"
    return text
