"""Passwords people should not choose (OWASP ASVS 2.1.7), checked against a bundled list.

A password is refused when it, or what is left of it without the digits and symbols people add
at either end ("Password2024!"), is one of the 10,000 most common passwords of leaked
collections; when it is one character or a short block repeated ("aaaaaaaaaaaa",
"abcabcabcabc", "letmein!letmein!"); when it is a run along the keyboard or the alphabet ("qwertyuiopas",
"123456789012"); or when it has fewer than five different characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from wizard.domain.inputs import normalise_email

_LIST = Path(__file__).parent / "common-passwords.txt"
_RUNS = (
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "01234567890123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """Whether the text is made of runs along the keyboard or the alphabet, either way."""
    sources = [*_RUNS, *(run[::-1] for run in _RUNS)]
    remaining = text
    shortest = 4
    while remaining:
        longest = 0
        for source in sources:
            size = len(remaining)
            while size >= shortest and remaining[:size] not in source:
                size -= 1
            longest = max(longest, size if size >= shortest else 0)
        if longest == 0:
            return False
        remaining = remaining[longest:]
        shortest = 2
    return True


def is_too_common(password: str) -> bool:
    """Whether the password is one that attackers try first (see the module's docstring)."""
    lowered = password.lower()
    compact = re.sub(r"\s+", "", lowered)
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", compact)
    listed = common_passwords()
    if compact in listed or (len(core) >= 4 and core in listed):
        return True
    if len(set(compact)) < 5:
        return True
    if re.fullmatch(r"(.+?)\1+", compact):
        return True
    return _is_run(compact)


# A local part shorter than this ("jo@...") is too common a string to refuse in passwords.
_SHORTEST_LOCAL_PART = 3


def contains_email(password: str, email: str) -> bool:
    """Whether the password holds the account's email address, or the part before the @
    (compared as emails are: NFKC and case folding), which anyone who knows the address
    would try first."""
    folded = unicodedata.normalize("NFKC", password).casefold()
    address = normalise_email(email)
    if not address:
        return False
    local = address.rpartition("@")[0] or address
    return address in folded or (len(local) >= _SHORTEST_LOCAL_PART and local in folded)
