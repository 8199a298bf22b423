"""Reading the published list of schools, row by row: each problem names its sheet, row and
column, and a row with any problem adds no school."""

from __future__ import annotations

from wizard.domain.school_list import (
    Listed,
    Problem,
    ProblemKind,
    SchoolList,
    Sheet,
    read_school_list,
)
from wizard.domain.values import LanguageCategory

HEADER = ["School Number", "School Name", "Local Authority", "Sector", "Language Category"]
NAMES = {"gwynedd": "gwynedd", "conwy": "conwy"}


def _read(*rows: list[object], header: list[str] = HEADER) -> SchoolList:
    # A title row first, as published: the header is found below it.
    return read_school_list([Sheet("Schools", [["Address list of schools"], header, *rows])], NAMES)


def test_a_good_row_is_a_school_with_its_authority_from_the_number() -> None:
    found = _read([6612001.0, "Ysgol Un", "", "Primary", "Dual Language"])
    assert found.problems == []
    assert found.schools == {
        "6612001": Listed(
            number="6612001",
            name_en="Ysgol Un",
            authority="gwynedd",
            sector="Primary",
            category=LanguageCategory.DUAL_LANGUAGE,
        )
    }


def test_blank_rows_are_passed_over() -> None:
    found = _read(["", None, "", "", ""], [6622001, "Ysgol Dau", "", "", ""])
    assert found.problems == [] and list(found.schools) == ["6622001"]


def test_every_problem_of_a_row_is_named_and_the_row_adds_no_school() -> None:
    found = _read(["12345", "", "Atlantis", "x" * 121, "Mostly Klingon"])
    assert found.schools == {}
    assert found.problems == [
        Problem(ProblemKind.NUMBER, "Schools", 3, "School Number", "12345"),
        Problem(ProblemKind.NAME_MISSING, "Schools", 3, "School Name"),
        Problem(ProblemKind.AUTHORITY, "Schools", 3, "Local Authority", "Atlantis"),
        Problem(ProblemKind.CATEGORY, "Schools", 3, "Language Category", "Mostly Klingon"),
        Problem(ProblemKind.TOO_LONG, "Schools", 3, "Sector", "x" * 40),
    ]


def test_a_number_listed_twice_and_a_name_too_long_are_refused() -> None:
    found = _read([6612001, "Ysgol Un", "", "", ""], [6612001, "Y" * 201, "", "", ""])
    assert list(found.schools) == ["6612001"]
    assert found.problems == [
        Problem(ProblemKind.DUPLICATE, "Schools", 4, "School Number", "6612001"),
        Problem(ProblemKind.TOO_LONG, "Schools", 4, "School Name", "Y" * 40),
    ]


def test_an_unknown_la_code_is_named_on_the_la_code_column() -> None:
    header = ["School Number", "School Name", "LA Code"]
    found = _read([9992001, "Ysgol Naw", ""], header=header)
    assert found.schools == {}
    # No LA Code given: the one the number begins with is shown.
    assert found.problems == [Problem(ProblemKind.AUTHORITY, "Schools", 3, "LA Code", "999")]


def test_the_authority_may_be_named_when_the_la_code_is_not_known() -> None:
    found = _read([9992001, "Ysgol Naw", "Conwy", "", ""])
    assert found.problems == [] and found.schools["9992001"].authority == "conwy"
