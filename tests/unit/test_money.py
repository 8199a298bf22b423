"""Amounts typed by people become exact integer pence, or a specific problem."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.domain.money import (
    MAX_PENCE,
    InvalidMoney,
    MoneyError,
    parse_pence,
    pence_to_pounds_text,
)


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("12500", 1_250_000),
        ("£12,500", 1_250_000),
        ("12500.5", 1_250_050),
        ("£12,500.50", 1_250_050),
        (" 1 250 ", 125_000),
        ("0", 0),
        ("0.01", 1),
        ("-0", 0),
        ("10000000", MAX_PENCE),
        ("0.1", 10),
    ],
)
def test_amounts_people_type_are_understood(typed: str, pence: int) -> None:
    assert parse_pence(typed) == pence


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", MoneyError.EMPTY),
        ("   ", MoneyError.EMPTY),
        (None, MoneyError.EMPTY),
        ("twelve", MoneyError.NOT_A_NUMBER),
        ("12.50.3", MoneyError.NOT_A_NUMBER),
        ("1e5", MoneyError.NOT_A_NUMBER),
        ("£", MoneyError.NOT_A_NUMBER),
        ("NaN", MoneyError.NOT_A_NUMBER),
        ("-5", MoneyError.NEGATIVE),
        ("£-5", MoneyError.NEGATIVE),
        ("-£5.00", MoneyError.NEGATIVE),
        ("12.505", MoneyError.TOO_PRECISE),
        ("10000000.01", MoneyError.TOO_LARGE),
        ("99999999999999999999", MoneyError.TOO_LARGE),
    ],
)
def test_bad_amounts_say_what_is_wrong(typed: str | None, reason: MoneyError) -> None:
    with pytest.raises(InvalidMoney) as problem:
        parse_pence(typed)
    assert problem.value.reason is reason


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_every_amount_shown_back_reads_as_the_same_pence(pence: int) -> None:
    assert parse_pence(pence_to_pounds_text(pence)) == pence


@given(st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=50))
def test_sums_of_pence_have_no_rounding_errors(pennies: list[int]) -> None:
    typed = [f"0.{p:02d}" for p in pennies]
    assert sum(parse_pence(t) for t in typed) == sum(pennies)
