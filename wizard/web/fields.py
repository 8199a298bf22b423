"""Form fields that parse what people type and explain problems in the page's language."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString
from wtforms import SelectMultipleField, StringField
from wtforms.validators import StopValidation

from wizard.domain.inputs import parse_whole_number
from wizard.domain.money import InvalidMoney, MoneyError, parse_pence, pence_to_pounds_text
from wizard.web.widgets import TextInput

_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


class WholeNumberField(StringField):
    """A whole number typed into a text input (GOV.UK asks for inputmode, not type=number)."""

    widget = TextInput()

    def __init__(
        self,
        label: LazyString,
        *,
        minimum: int,
        maximum: int,
        messages: dict[str, LazyString],
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.messages = messages
        self.number: int | None = None

    def process_data(self, value: Any) -> None:
        self.data = "" if value is None else str(value)

    def pre_validate(self, form: Any) -> None:
        text = (self.data or "").strip()
        self.number = None
        if not text:
            raise StopValidation(str(self.messages["required"]))
        # ASCII digits, optionally grouped in thousands ("1,000"); a minus sign only to say
        # that the number is below the range. Length is checked before any parsing.
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if _GROUPED.fullmatch(digits):
            digits = digits.replace(",", "")
        number = parse_whole_number(digits, maximum=10**9)
        if number is None:
            raise StopValidation(str(self.messages["whole"]))
        if negative:
            number = -number
        if number < self.minimum or number > self.maximum:
            raise StopValidation(str(self.messages["range"]))
        self.number = number


class MoneyField(StringField):
    """An amount in pounds, parsed to integer pence in `pence`."""

    widget = TextInput()

    def __init__(
        self,
        label: LazyString,
        *,
        messages: dict[MoneyError, LazyString],
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.messages = messages
        self.pence: int | None = None

    def process_data(self, value: Any) -> None:
        # Stored values arrive as pence; show them as pounds.
        self.data = pence_to_pounds_text(value) if isinstance(value, int) else (value or "")

    def pre_validate(self, form: Any) -> None:
        self.pence = None
        try:
            self.pence = parse_pence(self.data)
        except InvalidMoney as problem:
            raise StopValidation(str(self.messages[problem.reason])) from problem


class ChoicesField(SelectMultipleField):
    """Several choices (checkboxes); anything not on the list gets our message, not WTForms'."""

    def __init__(self, label: LazyString, *, invalid: LazyString, **kwargs: Any) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.invalid = invalid

    def choice_values(self) -> list[str]:
        """The values of the choices, in their order."""
        choices: Any = self.choices or []
        return [c[0] if isinstance(c, tuple) else c.value for c in choices]

    def pre_validate(self, form: Any) -> None:
        allowed = set(self.choice_values())
        if any(value not in allowed for value in self.data or []):
            raise StopValidation(str(self.invalid))


def stripped(value: Any) -> Any:
    """Filter for text fields: trim surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


__all__ = ["ChoicesField", "MoneyField", "WholeNumberField", "stripped"]
