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


TERMS = ("autumn", "spring", "summer")
"""The three terms of a school year in Wales, in order."""


def term_of(day: date) -> tuple[int, str]:
    """The academic year and term `day` falls in: autumn from 1 August to 31 December (the
    summer holiday before it counts with it), spring from 1 January to 31 March, summer from
    1 April to 31 July. Easter moves the real break between spring and summer by a week or
    two; a fixed rule keeps "this term" the same for everyone, whatever their school's dates."""
    if day.month >= 8:
        term = "autumn"
    elif day.month <= 3:
        term = "spring"
    else:
        term = "summer"
    return academic_year_of(day), term


def current_term(academic_year: int, day: date) -> str | None:
    """The term of `academic_year` that `day` falls in; None when `day` is outside that year
    (before it starts or after it ends)."""
    year, term = term_of(day)
    return term if year == academic_year else None
