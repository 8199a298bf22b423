"""Progress through the year: the rules of a termly update on a priority of a submitted plan.

An update says, for one Diamond 9 priority (a card, by its stable key) and one term, how it is
going (a status), a short note, and links to evidence. Plain Python: no Flask, no database.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

NOTE_MAX = 1000
"""The longest note, in characters."""
LINK_MAX = 500
"""The longest evidence link, in characters."""
LINKS_MAX = 5
"""The most evidence links an update may hold."""


class ProgressStatus(enum.StrEnum):
    ON_TRACK = "on-track"
    SOME_CONCERNS = "some-concerns"
    OFF_TRACK = "off-track"
    DONE = "done"


class LinkProblem(enum.StrEnum):
    """Why an evidence link is refused."""

    SCHEME = "scheme"
    """Not http:// or https:// (javascript:, data:, file:, mailto:, a bare word...)."""
    HOST = "host"
    """No address after the scheme ("https://")."""
    TOO_LONG = "too-long"
    SPACES = "spaces"
    TOO_MANY = "too-many"


@dataclass(frozen=True)
class LinkError:
    problem: LinkProblem
    line: int
    """The line (from 1) of the refused link; 0 for too many links."""


def check_link(link: str) -> LinkProblem | None:
    """Whether one link may be kept and shown as a link: http or https only, with a host,
    no spaces or control characters, at most LINK_MAX characters."""
    if len(link) > LINK_MAX:
        return LinkProblem.TOO_LONG
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link):
        return LinkProblem.SPACES
    try:
        parts = urlsplit(link)
    except ValueError:
        return LinkProblem.HOST
    if parts.scheme.lower() not in ("http", "https") or not link.lower().startswith(
        ("http://", "https://")
    ):
        return LinkProblem.SCHEME
    if not parts.netloc or not parts.hostname:
        return LinkProblem.HOST
    return None


def parse_links(text: str | None) -> tuple[str, ...] | LinkError:
    """The links written one per line (blank lines ignored), or the first problem."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, link in enumerate(links, start=1):
        problem = check_link(link)
        if problem is not None:
            return LinkError(problem, number)
    if len(links) > LINKS_MAX:
        return LinkError(LinkProblem.TOO_MANY, 0)
    return tuple(links)


def safe_links(stored: object) -> tuple[str, ...]:
    """The links of a stored update that may be shown as links (every one, unless the stored
    data was changed by other means: those are left out)."""
    if not isinstance(stored, Sequence) or isinstance(stored, str):
        return ()
    return tuple(link for link in stored if isinstance(link, str) and check_link(link) is None)
