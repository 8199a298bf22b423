"""Amounts of money: parsed from what people type, stored as integer pence."""

from __future__ import annotations

import enum
import re
from decimal import Decimal

# No school's professional learning allocation comes near this; anything above is a typo.
MAX_PENCE = 10_000_000 * 100


class MoneyError(enum.Enum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not-a-number"
    NEGATIVE = "negative"
    TOO_PRECISE = "too-precise"
    TOO_LARGE = "too-large"


class InvalidMoney(ValueError):
    def __init__(self, reason: MoneyError) -> None:
        super().__init__(reason.value)
        self.reason = reason


# Pounds in ASCII digits, optionally grouped in thousands by commas or spaces ("12,500",
# "1 250"), then optionally pence. Nothing else: no "1,2,3", no "١٢٣٤", no exponents.
_AMOUNT = re.compile(
    r"(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:\.(?P<pence>[0-9]+))?"
)
# Longer than anything a person types for an amount: refused before any parsing.
MAX_TYPED_LENGTH = 40


def parse_pence(text: str | None, maximum: int = MAX_PENCE) -> int:
    """Turn "£1,250.50" (or "1250.5", "1 250") into pence, or raise InvalidMoney."""
    cleaned = (text or "").strip().replace("\u00a0", " ")
    if not cleaned:
        raise InvalidMoney(MoneyError.EMPTY)
    if len(cleaned) > MAX_TYPED_LENGTH:
        digits_only = cleaned.lstrip("£").replace(",", "").replace(" ", "").replace(".", "")
        raise InvalidMoney(
            MoneyError.TOO_LARGE
            if digits_only.isascii() and digits_only.isdigit()
            else MoneyError.NOT_A_NUMBER
        )
    negative = False
    for prefix in ("-£", "£-", "-", "£"):
        if cleaned.startswith(prefix):
            negative = "-" in prefix
            cleaned = cleaned[len(prefix) :]
            break
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidMoney(MoneyError.NOT_A_NUMBER)
    pounds_text = match.group("pounds").replace(",", "").replace(" ", "")
    pence_text = match.group("pence") or ""
    pounds = int(pounds_text)  # at most 40 digits: cheap
    if negative and (pounds or pence_text.strip("0")):
        raise InvalidMoney(MoneyError.NEGATIVE)
    if len(pence_text.rstrip("0")) > 2:
        raise InvalidMoney(MoneyError.TOO_PRECISE)
    pence = pounds * 100 + int((pence_text.rstrip("0") or "0").ljust(2, "0"))
    if pence > maximum:
        raise InvalidMoney(MoneyError.TOO_LARGE)
    return pence


def pence_to_pounds_text(pence: int) -> str:
    """Return the plain number a form field shows back, for example "1250.50" or "1250"."""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}" if rest == 0 else f"{pounds}.{rest:02d}"


def pence_to_decimal(pence: int) -> Decimal:
    return Decimal(pence) / 100
