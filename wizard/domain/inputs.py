"""What the service accepts from people and browsers, in one place (plain Python, no Flask).

- Whole numbers are ASCII digits only, of bounded length, parsed after the length is checked
  (so that a 400,000-digit "number" costs nothing and "²" or "١٢٣" is not a number).
- Text never holds C0 control characters (tab, line feed and carriage return are allowed in
  multi-line answers), DEL, or the Unicode characters that reorder or hide text (bidi
  overrides and isolates, zero-width characters), which make titles misleading, XML invalid,
  emails injectable and PostgreSQL refuse the row.
- A `next` address after signing in is a path on this site and nothing a browser could read
  as another origin.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Ids, revisions and versions: PostgreSQL's INTEGER holds up to 2**31 - 1.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_whole_number(text: str | None, maximum: int = MAX_ID) -> int | None:
    """Return the number `text` spells in ASCII digits, if it is one from 0 to `maximum`."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


# C0 and C1 controls and DEL; the bidi embeddings, overrides and isolates; zero-width
# characters and the byte-order mark; the line and paragraph separators; noncharacters.
_ALWAYS_UNSAFE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029"
)
_UNSAFE_MULTI_LINE = re.compile(f"[{_ALWAYS_UNSAFE}]")
_UNSAFE_SINGLE_LINE = re.compile(f"[{_ALWAYS_UNSAFE}\t\n\r]")


def has_unsafe_characters(text: str, *, multi_line: bool = False) -> bool:
    """Whether the text holds a character we never store (see the module's docstring)."""
    pattern = _UNSAFE_MULTI_LINE if multi_line else _UNSAFE_SINGLE_LINE
    return pattern.search(text) is not None


def without_unsafe_characters(text: str, *, multi_line: bool = True) -> str:
    """The text with every unsafe character removed (new lines and tabs become spaces unless
    the text may have several lines)."""
    if not multi_line:
        text = re.sub(r"[\t\n\r]+", " ", text)
    return _UNSAFE_MULTI_LINE.sub("", text)


_PATH_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+")


def safe_next_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Only printable ASCII path characters; no scheme or host; no backslash; it starts with a
    single "/" (not "//", which browsers read as another host, nor "/\\" or "/%09/", which
    some browsers clean into "//"). Percent-escapes of control characters, slashes and
    backslashes are refused too.
    """
    if not target or len(target) > 2000 or not _PATH_CHARACTERS.fullmatch(target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if re.search(r"%(0[0-9a-f]|1[0-9a-f]|7f|20)", target, re.IGNORECASE):
        return None
    if re.search(r"%(2f|5c)", parts.path, re.IGNORECASE):
        return None
    if parts.scheme or parts.netloc:
        return None
    return target


def normalise_email(email: str) -> str:
    """An email address as it is stored and compared everywhere (signing in, resets,
    invitations, the one account per address): without surrounding spaces, in Unicode's
    compatibility form and case-folded (NFKC, then case folding, then NFKC again: the
    "NFKC_Casefold" of identifiers), so that "ＪＯ@Ysgol.Cymru" and "jo@ysgol.cymru" are one
    address."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded).strip()
