"""The rules of progress through the year: which term a day is in, and which evidence links
are kept and shown as links."""

from __future__ import annotations

from datetime import date

import pytest

from wizard.domain.academic_year import current_term, term_of
from wizard.domain.progress import (
    LINKS_MAX,
    LinkError,
    LinkProblem,
    check_link,
    parse_links,
    safe_links,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 8, 1), (2026, "autumn")),  # the holiday before the autumn term counts with it
        (date(2026, 9, 1), (2026, "autumn")),
        (date(2026, 12, 31), (2026, "autumn")),
        (date(2027, 1, 1), (2026, "spring")),
        (date(2027, 3, 31), (2026, "spring")),
        (date(2027, 4, 1), (2026, "summer")),
        (date(2027, 7, 31), (2026, "summer")),
        (date(2027, 8, 1), (2027, "autumn")),
        (date(2028, 2, 29), (2027, "spring")),
    ],
)
def test_the_term_of_a_day(day: date, expected: tuple[int, str]) -> None:
    assert term_of(day) == expected


def test_the_current_term_of_a_plans_year() -> None:
    assert current_term(2026, date(2027, 2, 1)) == "spring"
    assert current_term(2026, date(2027, 8, 1)) is None  # the year is over
    assert current_term(2027, date(2027, 7, 31)) is None  # not started yet


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/lesson-visits",
        "http://example.org",
        "HTTPS://Example.org/a?b=c#d",
        "https://sharepoint.hwb.gov.wales/sites/ysgol/Shared%20Documents/evidence.docx",
    ],
)
def test_http_and_https_links_are_kept(link: str) -> None:
    assert check_link(link) is None
    assert parse_links(link) == (link,)


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("javascript:alert(1)", LinkProblem.SCHEME),
        ("JavaScript:alert(1)", LinkProblem.SCHEME),
        ("data:text/html,<script>alert(1)</script>", LinkProblem.SCHEME),
        ("vbscript:msgbox", LinkProblem.SCHEME),
        ("file:///etc/passwd", LinkProblem.SCHEME),
        ("mailto:head@example.org", LinkProblem.SCHEME),
        ("ftp://example.org/x", LinkProblem.SCHEME),
        ("//example.org/x", LinkProblem.SCHEME),
        ("example.org", LinkProblem.SCHEME),
        ("https:example.org", LinkProblem.SCHEME),
        ("https://", LinkProblem.HOST),
        ("https:///path", LinkProblem.HOST),
        ("java\tscript:alert(1)", LinkProblem.SPACES),
        ("https://example.org/a b", LinkProblem.SPACES),
        ("https://example.org/\x00", LinkProblem.SPACES),
        ("https://example.org/" + "a" * 500, LinkProblem.TOO_LONG),
    ],
)
def test_other_links_are_refused(link: str, problem: LinkProblem) -> None:
    assert check_link(link) is problem
    assert parse_links(f"https://example.org\n{link}") == LinkError(problem, 2)
    assert safe_links(["https://example.org", link]) == ("https://example.org",)


def test_links_one_per_line_blank_lines_ignored_at_most_five() -> None:
    assert parse_links("") == ()
    assert parse_links(None) == ()
    assert parse_links("\n  https://a.example \n\nhttp://b.example\n") == (
        "https://a.example",
        "http://b.example",
    )
    many = "\n".join(f"https://example.org/{n}" for n in range(LINKS_MAX + 1))
    assert parse_links(many) == LinkError(LinkProblem.TOO_MANY, 0)


def test_stored_links_that_are_not_a_list_show_nothing() -> None:
    assert safe_links("https://example.org") == ()
    assert safe_links(None) == ()
    assert safe_links([5, "https://example.org"]) == ("https://example.org",)
