"""Alphabetical order in the page's language, by ICU's collation rules (PyICU).

Welsh sorts ch after c, dd after d, ff after f, ng after g, ll after l, ph after p, rh after r
and th after t (Caerdydd, Caerffili, Casnewydd, Castell-nedd, Ceredigion, Conwy; Sir Benfro
before Sir Ddinbych). ICU's Welsh rules always read "ng" as one letter, but in many names it
is two: Ban-gor, Llan-gollen, Pen-gam. There the n and the g are kept apart with U+034F
COMBINING GRAPHEME JOINER, which ICU ignores in the comparison but which stops "ng" from
being read as one letter (Unicode's way to block a contraction). English uses ICU's English
rules, which order accented letters (Éire) beside the plain ones, whatever the case.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu

T = TypeVar("T")

_JOINER = "\u034f"
# Words whose "ng" is n + g: a first element Ban-, Dan-, Glan-, Llan- or Pen- before a g
# (Bangor, dangos, Glangwili, Llangollen, Llangefni, Pengam, Pengwern).
_N_THEN_G = re.compile(r"(?<![^\W\d_])(ban|dan|glan|llan|pen)(?=g)", re.IGNORECASE)
_LOCALES = {"cy": "cy", "en": "en"}
_local = threading.local()


def _collator(locale: str) -> icu.Collator:
    """One collator per thread and locale: ICU's collators are not meant to be shared
    between threads."""
    collators: dict[str, icu.Collator] = _local.__dict__.setdefault("collators", {})
    if locale not in collators:
        collator = icu.Collator.createInstance(icu.Locale(_LOCALES.get(locale, "en")))
        collator.setStrength(icu.Collator.TERTIARY)
        collators[locale] = collator
    return collators[locale]


def welsh_letters(text: str) -> str:
    """The text with "ng" split into n + g where it is two letters (Bangor, Llangollen)."""
    return _N_THEN_G.sub(lambda found: found.group(1) + _JOINER, text)


def sort_key(text: str, locale: str) -> bytes:
    """A key that orders text alphabetically in `locale` ("cy" or "en")."""
    if locale == "cy":
        text = welsh_letters(text)
    key: bytes = _collator(locale).getSortKey(text)
    return key


def in_order(items: Iterable[T], name: Callable[[T], str], locale: str) -> list[T]:
    """The items in the alphabetical order of their names in `locale`."""
    return sorted(items, key=lambda item: sort_key(name(item), locale))
