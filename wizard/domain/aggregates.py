"""Shaping the counts of the reporting facts for the dashboard and the national view (plain
Python): weighted scores, ordering and percentages.

Schools' own cards are counted together as one card, OWN_CARDS: each is written by one school
in its own words, so listed by title they would make the heat map grow with every school (and,
on the national view, show one school's wording to everyone) while telling nobody what schools
have in common. Counted together, they show how much schools go beyond the framework's cards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wizard.domain.diamond import ROW_COUNT

OWN_CARDS = "own"


def points(row: int) -> int:
    """Row 1 (the top of the diamond) is worth 5 points, down to row 5, worth 1."""
    return ROW_COUNT + 1 - row


def percent(part: int, whole: int) -> int:
    """A whole percentage, rounded half up; 0 of nothing is 0%."""
    return (200 * part + whole) // (2 * whole) if whole else 0


@dataclass(frozen=True)
class HeatRow:
    card: str
    counts: tuple[int, ...]
    """The number of schools that put the card in each row, row 1 first."""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def score(self) -> int:
        return sum(count * points(row) for row, count in enumerate(self.counts, start=1))


def heat_map(placements: Iterable[tuple[str, int, int]]) -> list[HeatRow]:
    """One row per card from (card, row, count), highest weighted score first (then most
    schools, then the card key, so the order is stable); own cards last."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * ROW_COUNT)
    for card, row, count in placements:
        if 1 <= row <= ROW_COUNT:
            counts[card][row - 1] += count
    rows = [HeatRow(card, tuple(values)) for card, values in counts.items()]
    return sorted(rows, key=lambda r: (r.card == OWN_CARDS, -r.score, -r.total, r.card))


def heat_max(rows: Sequence[HeatRow]) -> int:
    return max((count for row in rows for count in row.counts), default=0)


@dataclass(frozen=True)
class Spread:
    hallmark: int
    counts: tuple[int, ...]
    """Schools per rating, in the order of the ratings given."""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def percentages(self) -> tuple[int, ...]:
        return tuple(percent(count, self.total) for count in self.counts)


def rating_spread(
    ratings: Iterable[tuple[int, str, int]], hallmarks: Sequence[int], rating_keys: Sequence[str]
) -> list[Spread]:
    """The spread of ratings for every hallmark, in framework order, from (hallmark, rating,
    count); unknown hallmarks and ratings are left out."""
    found: dict[tuple[int, str], int] = defaultdict(int)
    for hallmark, rating, count in ratings:
        found[(hallmark, rating)] += count
    return [
        Spread(hallmark, tuple(found[(hallmark, key)] for key in rating_keys))
        for hallmark in hallmarks
    ]


@dataclass(frozen=True)
class Share:
    key: str
    pence: int
    percent: int


def shares(amounts: Iterable[tuple[str, int]]) -> list[Share]:
    """Amounts with their share of the total, largest first (then by key)."""
    totals: dict[str, int] = defaultdict(int)
    for key, pence in amounts:
        totals[key] += pence
    whole = sum(totals.values())
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [Share(key, pence, percent(pence, whole)) for key, pence in ordered]
