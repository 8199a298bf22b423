"""Amounts of money: parsed from what people type, stored as integer pence."""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation

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


_ALLOWED = re.compile(r"^-?\d+(\.\d+)?$")


def parse_pence(text: str | None, maximum: int = MAX_PENCE) -> int:
    """Turn "£1,250.50" (or "1250.5", "1 250") into pence, or raise InvalidMoney."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidMoney(MoneyError.EMPTY)
    cleaned = cleaned.replace(",", "").replace(" ", "").replace("\u00a0", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("-")
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    if cleaned.startswith("-"):
        negative, cleaned = True, cleaned[1:]
    if not _ALLOWED.match(cleaned):
        raise InvalidMoney(MoneyError.NOT_A_NUMBER)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern already checked
        raise InvalidMoney(MoneyError.NOT_A_NUMBER) from error
    if negative and amount != 0:
        raise InvalidMoney(MoneyError.NEGATIVE)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidMoney(MoneyError.TOO_PRECISE)
    pence = int(amount * 100)
    if pence > maximum:
        raise InvalidMoney(MoneyError.TOO_LARGE)
    return pence


def pence_to_pounds_text(pence: int) -> str:
    """Return the plain number a form field shows back, for example "1250.50" or "1250"."""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}" if rest == 0 else f"{pounds}.{rest:02d}"


def pence_to_decimal(pence: int) -> Decimal:
    return Decimal(pence) / 100
