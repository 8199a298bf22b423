from __future__ import annotations

from datetime import date

import pytest

from wizard.domain.academic_year import academic_year_of, parse_year_slug, year_label, year_slug


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 11, 23), 2026),
        (date(2026, 8, 1), 2026),
        (date(2026, 7, 31), 2025),
        (date(2027, 1, 1), 2026),
    ],
)
def test_the_academic_year_starts_on_1_august(day: date, year: int) -> None:
    assert academic_year_of(day) == year


def test_labels_and_slugs() -> None:
    assert year_label(2026) == "2026/27"
    assert year_slug(2026) == "2026-27"
    assert year_slug(2099) == "2099-00"
    assert parse_year_slug("2026-27") == 2026
    assert parse_year_slug("2099-00") == 2099


@pytest.mark.parametrize("slug", ["2026-28", "2026", "26-27", "2026-27x", "1999-00", "abcd-ef"])
def test_nonsense_years_are_refused(slug: str) -> None:
    assert parse_year_slug(slug) is None
