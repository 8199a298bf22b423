"""The cards a school can place on its Diamond 9: designed cards, suggestions from its
self-review, and its own cards, each titled in the page's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import LazyString

from wizard.domain import framework

if TYPE_CHECKING:
    from wizard.data.models import OwnCard

DESIGNED = "card"
ELEMENT = "element"
HALLMARK = "hallmark"
OWN = "own"

# Every framework card, by key: (kind, title). Titles are lazy: translated when shown.
_FRAMEWORK: dict[str, tuple[str, LazyString]] = {
    **{f"{ELEMENT}:{e.key}": (ELEMENT, e.title) for e in framework.ELEMENTS},
    **{f"{HALLMARK}:{h.number}": (HALLMARK, h.title) for h in framework.HALLMARKS},
    **{f"{DESIGNED}:{c.key}": (DESIGNED, c.title) for c in framework.CARDS},
}
_DESIGNED_ORDER = [f"{DESIGNED}:{c.key}" for c in framework.CARDS]


@dataclass(frozen=True)
class CardInfo:
    key: str
    title: str
    kind: str
    suggested: bool = False
    lang: str | None = None
    """Set when the title is in the other language than the page (an own card written in
    one language only)."""


def _own(card: OwnCard, locale: str) -> CardInfo:
    preferred, other = (
        (card.title_cy, card.title_en) if locale == "cy" else (card.title_en, card.title_cy)
    )
    if preferred:
        return CardInfo(card.key, preferred, OWN)
    return CardInfo(card.key, other or "", OWN, lang="en" if locale == "cy" else "cy")


def suggested_keys(answers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Elements the school chose to prioritise, then hallmarks it rated low, in framework order."""
    chosen = {
        key
        for context in framework.CONTEXTS
        for key in (answers.get(f"context-{context.key}") or {}).get("priorities") or []
    }
    low = {rating.key for rating in framework.RATINGS if rating.low}
    keys = [f"{ELEMENT}:{e.key}" for e in framework.ELEMENTS if e.key in chosen]
    keys += [
        f"{HALLMARK}:{h.number}"
        for h in framework.HALLMARKS
        if (answers.get(f"hallmark-{h.number}") or {}).get("rating") in low
    ]
    return keys


# The designed cards' titles by (locale, key), worked out once per process: turning a lazy
# title into text looks up the catalogue each time, and the board shows every card on every
# move. The titles are constants of the framework, so they never go stale.
_TITLES: dict[tuple[str, str], str] = {}


def _title(locale: str, key: str, title: object) -> str:
    text = _TITLES.get((locale, key))
    if text is None:
        text = _TITLES[(locale, key)] = str(title)
    return text


class CardCatalogue:
    """Every card this plan may use, looked up by key; titles are worked out when needed."""

    def __init__(
        self, answers: Mapping[str, Mapping[str, Any]], own_cards: list[OwnCard], locale: str
    ) -> None:
        self.locale = locale
        self.suggested = suggested_keys(answers)
        self._suggested = set(self.suggested)
        self.own = [_own(card, locale) for card in own_cards]
        self._own = {info.key: info for info in self.own}
        self._made: dict[str, CardInfo] = {}

    def __contains__(self, key: object) -> bool:
        return key in _FRAMEWORK or key in self._own

    def get(self, key: str) -> CardInfo | None:
        if key in self._own:
            return self._own[key]
        if key not in _FRAMEWORK:
            return None
        if key not in self._made:
            kind, title = _FRAMEWORK[key]
            self._made[key] = CardInfo(
                key, _title(self.locale, key, title), kind, key in self._suggested
            )
        return self._made[key]

    def __getitem__(self, key: str) -> CardInfo:
        return self.get(key) or CardInfo(key, key, "missing")

    def bank(self, placed: set[str]) -> list[CardInfo]:
        """Cards not on the board: suggestions first, then the school's own, then designed."""
        order = self.suggested + list(self._own) + _DESIGNED_ORDER
        return [self[key] for key in order if key not in placed]
