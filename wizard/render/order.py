"""Alphabetical order in templates: `{% for cluster in clusters | alphabetical %}` lists things
with an English and a Welsh name (name_en, name_cy) in the order of the language being
rendered (Welsh order on a Welsh page, wizard/domain/collation.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wizard.domain.collation import in_order
from wizard.render.locale import current_locale


def alphabetical(
    items: Iterable[Any], english: str = "name_en", welsh: str = "name_cy"
) -> list[Any]:
    """The items by their name in the page's language (the English name where there is no
    Welsh one)."""
    locale = current_locale()

    def name(item: Any) -> str:
        if locale == "cy":
            return str(getattr(item, welsh, None) or getattr(item, english, ""))
        return str(getattr(item, english, ""))

    return in_order(items, name, locale)
