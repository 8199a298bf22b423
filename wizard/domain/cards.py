"""The cards a school can place on its Diamond 9: designed cards, suggestions from its
self-review, and its own cards, each titled in the page's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import LazyString

from wizard.domain import framework
from wizard.domain.collation import in_order
from wizard.domain.plan_document import PlanDocument
from wizard.domain.year_end import carried_cards

DESIGNED = "card"
ELEMENT = "element"
HALLMARK = "hallmark"
OWN = "own"


@dataclass(frozen=True)
class _Content:
    kind: str
    title: LazyString
    description: LazyString
    full_title: LazyString | None = None
    """A hallmark's full title, when the card shows a short one."""
    hallmark: int | None = None
    """A hallmark card's stable id (its number shown is looked up when the card is shown)."""


# Every framework card, by key, with its description (framework.py, with its source). Texts are
# lazy: translated when shown.
_FRAMEWORK: dict[str, _Content] = {
    **{f"{ELEMENT}:{e.key}": _Content(ELEMENT, e.title, e.summary) for e in framework.ELEMENTS},
    **{
        framework.hallmark_card(h): _Content(
            HALLMARK, framework.HALLMARK_SHORT_TITLES[h.id], h.summary, h.title, h.id
        )
        for h in framework.HALLMARKS
    },
    **{f"{DESIGNED}:{c.key}": _Content(DESIGNED, c.title, c.summary) for c in framework.CARDS},
}
_DESIGNED_ORDER = [f"{DESIGNED}:{c.key}" for c in framework.CARDS]
_MERGED = {f"{DESIGNED}:{c}": f"{ELEMENT}:{e}" for c, e in framework.MERGED_CARDS.items()}


@dataclass(frozen=True)
class Reason:
    """Why a card is suggested: an element chosen in a context, or a hallmark rated low."""

    context: str | None = None
    hallmark: int | None = None
    """The hallmark's stable id."""
    rating: str | None = None
    review: str | None = None
    """Carried over by last year's year-end review: how far the priority's success criteria
    were met ("met", "partly", "not-met", or "" when not said)."""


@dataclass(frozen=True)
class CardInfo:
    key: str
    title: str
    kind: str
    suggested: bool = False
    lang: str | None = None
    """Set when the title is in the other language than the page (an own card written in
    one language only)."""
    description: str = ""
    description_lang: str | None = None
    """Set when the description is in the other language than the page (an own card's)."""
    full_title: str = ""
    reason: Reason | None = None
    number: int | None = None
    """A hallmark card's display number."""


class OwnCardText(Protocol):
    """An own card's key, titles and descriptions: the data layer's OwnCard, or a snapshot's
    OwnCardTitles."""

    @property
    def key(self) -> str: ...

    @property
    def title_en(self) -> str | None: ...

    @property
    def title_cy(self) -> str | None: ...

    @property
    def description_en(self) -> str | None: ...

    @property
    def description_cy(self) -> str | None: ...


def _own(card: OwnCardText, locale: str) -> CardInfo:
    """An own card in the page's language where the school wrote it in that language, else
    in the other (marked with its language); title and description each on its own."""
    other_lang = "en" if locale == "cy" else "cy"
    title, other_title = (
        (card.title_cy, card.title_en) if locale == "cy" else (card.title_en, card.title_cy)
    )
    description, other_description = (
        (card.description_cy, card.description_en)
        if locale == "cy"
        else (card.description_en, card.description_cy)
    )
    return CardInfo(
        card.key,
        title or other_title or "",
        OWN,
        lang=None if title else other_lang,
        description=description or other_description or "",
        description_lang=None if description or not other_description else other_lang,
    )


def _title_of(card: CardInfo) -> str:
    return card.title


def _document(plan: PlanDocument | Mapping[str, Any]) -> PlanDocument:
    return plan if isinstance(plan, PlanDocument) else PlanDocument.from_answers(plan)


def suggestions(plan: PlanDocument | Mapping[str, Any]) -> dict[str, Reason]:
    """Elements the school chose to prioritise, then hallmarks it rated low, in framework order,
    each with why it is suggested. `plan`: its document, or its saved answers."""
    document = _document(plan)
    chosen: dict[str, str] = {}
    for context in framework.CONTEXTS:
        answer = document.context(context.key)
        for key in answer.priorities if answer else ():
            chosen.setdefault(key, context.key)
    low = {rating.key for rating in framework.RATINGS if rating.low}
    found = {
        f"{ELEMENT}:{e.key}": Reason(context=chosen[e.key])
        for e in framework.ELEMENTS
        if e.key in chosen
    }
    for h in framework.HALLMARKS:
        rating = document.rating(h.id)
        if rating in low:
            found[framework.hallmark_card(h)] = Reason(hallmark=h.id, rating=rating)
    # Last year's year-end review's priorities first: why they come back says most.
    carried = {
        key: Reason(review=how) for key, how in carried_cards(document.other_answers).items()
    }
    return {**carried, **{key: reason for key, reason in found.items() if key not in carried}}


# The designed cards' titles by (locale, key), worked out once per process: turning a lazy
# title into text looks up the catalogue each time, and the board shows every card on every
# move. The titles are constants of the framework, so they never go stale.
_TITLES: dict[tuple[str, str, str], str] = {}


def _title(locale: str, key: str, title: object, part: str = "title") -> str:
    """A framework card's text (its title, description or full title) in the language: each
    lazy string is translated once per process and language, not on every request."""
    text = _TITLES.get((locale, key, part))
    if text is None:
        text = _TITLES[(locale, key, part)] = str(title)
    return text


class CardCatalogue:
    """Every card this plan may use, looked up by key; titles are worked out when needed.

    `neutral`: no sign of the school's self-review, for staff voice responders, whom the school's
    own ratings would steer: the bank holds the designed cards and the school's own, and no card
    is marked as suggested or says why (a card for a hallmark the school rated low would tell
    its rating)."""

    def __init__(
        self,
        plan: PlanDocument | Mapping[str, Any],
        own_cards: Sequence[OwnCardText],
        locale: str,
        *,
        neutral: bool = False,
    ) -> None:
        self.locale = locale
        self.neutral = neutral
        self._reasons = suggestions(plan)
        self.suggested = list(self._reasons)
        self._suggested = set(self.suggested)
        # The school's own cards in the alphabetical order of their titles in the page's
        # language (Welsh order on a Welsh page).
        self.own = in_order((_own(card, locale) for card in own_cards), _title_of, locale)
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
            content = _FRAMEWORK[key]
            self._made[key] = CardInfo(
                key,
                _title(self.locale, key, content.title),
                content.kind,
                key in self._suggested and not self.neutral,
                description=_title(self.locale, key, content.description, "description"),
                full_title=_title(self.locale, key, content.full_title or "", "full title"),
                reason=None if self.neutral else self._reasons.get(key),
                number=_number(content.hallmark),
            )
        return self._made[key]

    def __getitem__(self, key: str) -> CardInfo:
        return self.get(key) or CardInfo(key, key, "missing")

    def bank(self, placed: set[str]) -> list[CardInfo]:
        """Cards not on the board: suggestions first, then the school's own, then designed.
        A designed card that nearly repeats an element on offer is merged into it (left out)."""
        offered = self._suggested | placed
        order = self.suggested + list(self._own) + _DESIGNED_ORDER
        if self.neutral:  # the designed cards, then the school's own: no suggestions at all
            order = _DESIGNED_ORDER + list(self._own)
            offered = placed
        return [
            self[key]
            for key in order
            if key not in placed
            and _MERGED.get(key) not in offered
            and not (key in self._suggested and _designed_twin(key) in placed)
        ]


def _number(hallmark_id: int | None) -> int | None:
    """A hallmark's display number, from its stable id."""
    hallmark = framework.hallmark(hallmark_id) if hallmark_id is not None else None
    return hallmark.number if hallmark else None


def _designed_twin(element_key: str) -> str | None:
    return next((card for card, element in _MERGED.items() if element == element_key), None)
