"""The cards a school can place on its Diamond 9: designed cards, suggestions from its
self-review, and its own cards, each titled in the page's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import framework
from .models import OwnCard

DESIGNED = "card"
ELEMENT = "element"
HALLMARK = "hallmark"
OWN = "own"


@dataclass(frozen=True)
class CardInfo:
    key: str
    title: str
    kind: str
    suggested: bool = False
    lang: str | None = None
    """Set when the title is in the other language than the page (an own card written in
    one language only)."""
    summary: str = ""


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


class CardCatalogue:
    """Every card this plan may use, looked up by key."""

    def __init__(
        self, answers: Mapping[str, Mapping[str, Any]], own_cards: list[OwnCard], locale: str
    ) -> None:
        self.locale = locale
        self.suggested = suggested_keys(answers)
        self.own = [_own(card, locale) for card in own_cards]
        self._cards: dict[str, CardInfo] = {}
        suggested = set(self.suggested)
        for element in framework.ELEMENTS:
            key = f"{ELEMENT}:{element.key}"
            self._cards[key] = CardInfo(
                key, str(element.title), ELEMENT, key in suggested, summary=str(element.summary)
            )
        for hallmark in framework.HALLMARKS:
            key = f"{HALLMARK}:{hallmark.number}"
            self._cards[key] = CardInfo(
                key, str(hallmark.title), HALLMARK, key in suggested, summary=str(hallmark.summary)
            )
        for card in framework.CARDS:
            key = f"{DESIGNED}:{card.key}"
            self._cards[key] = CardInfo(key, str(card.title), DESIGNED, summary=str(card.summary))
        for info in self.own:
            self._cards[info.key] = info

    @property
    def keys(self) -> set[str]:
        return set(self._cards)

    def get(self, key: str) -> CardInfo | None:
        return self._cards.get(key)

    def __getitem__(self, key: str) -> CardInfo:
        return self._cards.get(key) or CardInfo(key, key, "missing")

    def bank(self, placed: set[str]) -> list[CardInfo]:
        """Cards not on the board: suggestions first, then the school's own, then designed."""
        order = (
            self.suggested
            + [c.key for c in self.own]
            + [f"{DESIGNED}:{c.key}" for c in framework.CARDS]
        )
        return [self._cards[key] for key in order if key not in placed]
