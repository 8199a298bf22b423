"""The CSV helpers: the formula-injection escape, money as plain pounds, and the BOM."""

from __future__ import annotations

import csv
import io

import pytest

from wizard.render.csv_export import pounds, safe_cell, to_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("\nLine", "'\nLine"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20cmd", "'\uff20cmd"),
        ('  =HYPERLINK("http://x")', '\'  =HYPERLINK("http://x")'),
        (" @cmd", "' @cmd"),
        ("\u00a0+1", "'\u00a0+1"),
        ("\u3000\uff1d1", "'\u3000\uff1d1"),
        # Any other space, line or page break, or invisible character in front.
        ("\u2003=1", "'\u2003=1"),
        ("\x0b=1", "'\x0b=1"),
        ("\x0c+1", "'\x0c+1"),
        ("\u2028@cmd", "'\u2028@cmd"),
        ("\u200b=1", "'\u200b=1"),
        ("\ufeff=1", "'\ufeff=1"),
        ("\u2060 \u200d-1", "'\u2060 \u200d-1"),
        ("   ", "   "),
        ("Ysgol Tŷ Gwyn", "Ysgol Tŷ Gwyn"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_start_a_formula_are_escaped(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("pence", "expected"),
    [(0, "0.00"), (5, "0.05"), (125_000, "1250.00"), (123_456, "1234.56"), (None, "")],
)
def test_money_is_plain_pounds_with_two_decimals(pence: int | None, expected: str) -> None:
    assert pounds(pence) == expected


def test_every_cell_is_quoted() -> None:
    body = to_csv(["Ysgol", "Swm"], [["Glan Ŵy", 12], ["", None]]).decode("utf-8-sig")
    assert body.splitlines() == ['"Ysgol","Swm"', '"Glan Ŵy","12"', '"",""']


def test_the_file_is_utf8_with_a_byte_order_mark() -> None:
    body = to_csv(["Ysgol", "Swm (£)"], [["Glan Ŵy", "=1+1"]])
    assert body.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["Ysgol", "Swm (£)"],
        ["Glan Ŵy", "'=1+1"],
    ]
