"""Academic years, which in Wales run from 1 August to 31 July."""

from __future__ import annotations

import re
from datetime import date

_SLUG = re.compile(r"([0-9]{4})-([0-9]{2})")


def academic_year_of(day: date) -> int:
    """Return the calendar year in which the academic year containing `day` starts."""
    return day.year if day.month >= 8 else day.year - 1


def year_label(year: int) -> str:
    """2026 -> "2026/27", the usual way to write an academic year."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_slug(year: int) -> str:
    """2026 -> "2026-27", the form used in URLs."""
    return f"{year}-{(year + 1) % 100:02d}"


def parse_year_slug(slug: str) -> int | None:
    """Return the start year for a slug such as "2026-27", or None if it is not one."""
    match = _SLUG.fullmatch(slug)
    if not match:
        return None
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)) or not 2000 <= start <= 2100:
        return None
    return start
