"""Staff voice: every member of staff rates the hallmarks and ranks their own Diamond 9, and the
results show where they agree (plain Python, no Flask).

Anonymous by design: results are shown only once THRESHOLD people have responded, by role only
where that role has THRESHOLD or more, and the leaders-against-others gap only where both
groups have THRESHOLD ratings or more. The heat map and its weighted score are the cluster
dashboard's (aggregates.heat_map: 5 points for row 1 down to 1 for row 5); the consensus board
is the nine highest scores laid out 1-2-3-2-1 (diamond.SLOTS, in order).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from wizard.domain.aggregates import OWN_CARDS, HeatRow, Spread, heat_map, rating_spread
from wizard.domain.diamond import ROW_OF, SLOTS, Board, normalise

THRESHOLD = 5
"""Fewer responses than this could identify someone: nothing is shown."""

TEACHER = "teacher"
SUPPORT = "support"
LEADER = "leader"
ROLES: tuple[str, ...] = (TEACHER, SUPPORT, LEADER)
NO_ROLE = ""
"""A responder may leave their role out."""

# The rating scale as points for the mean: "not sure" is left out of it.
SCORED: dict[str, int] = {"not-yet-started": 1, "developing": 2, "established": 3, "embedded": 4}


@dataclass(frozen=True)
class StaffAnswer:
    """One response: a role (NO_ROLE when not given), a rating key per hallmark number and a
    board (slot to card key)."""

    role: str
    ratings: Mapping[int, str]
    board: Board


def enough(count: int) -> bool:
    return count >= THRESHOLD


def role_counts(answers: Sequence[StaffAnswer]) -> dict[str, int]:
    """How many responded in each role (every role listed, NO_ROLE last)."""
    found = Counter(answer.role if answer.role in ROLES else NO_ROLE for answer in answers)
    return {role: found[role] for role in (*ROLES, NO_ROLE)}


def shown_role_counts(answers: Sequence[StaffAnswer]) -> dict[str, int | None]:
    """Role counts as they may be shown: a role with fewer than THRESHOLD is None (hidden).
    Nothing at all is shown below THRESHOLD responses overall."""
    return {role: count if enough(count) else None for role, count in role_counts(answers).items()}


def spreads(
    answers: Sequence[StaffAnswer], hallmarks: Sequence[int], rating_keys: Sequence[str]
) -> list[Spread]:
    """For every hallmark, how many staff gave each rating (aggregates.rating_spread)."""
    return rating_spread(
        ((number, rating, 1) for answer in answers for number, rating in answer.ratings.items()),
        hallmarks,
        rating_keys,
    )


def mean_rating(ratings: Iterable[str]) -> tuple[Fraction | None, int]:
    """The mean of the scored ratings (1 not yet started to 4 embedded; "not sure" left out)
    and how many were scored."""
    scores = [SCORED[rating] for rating in ratings if rating in SCORED]
    return (Fraction(sum(scores), len(scores)) if scores else None), len(scores)


@dataclass(frozen=True)
class Gap:
    hallmark: int
    leaders: Fraction | None
    others: Fraction | None
    leader_count: int
    other_count: int

    @property
    def shown(self) -> bool:
        """Both groups have THRESHOLD or more scored ratings."""
        return enough(self.leader_count) and enough(self.other_count)

    @property
    def difference(self) -> Fraction | None:
        """Leaders' mean minus other staff's mean (positive: leaders rate it higher)."""
        if not self.shown or self.leaders is None or self.others is None:
            return None
        return self.leaders - self.others


def gaps(answers: Sequence[StaffAnswer], hallmarks: Sequence[int]) -> list[Gap]:
    """The mean rating of leaders and of every other member of staff (a role left out counts
    as other staff), for every hallmark."""
    result = []
    for number in hallmarks:
        leaders, leader_count = mean_rating(
            a.ratings.get(number, "") for a in answers if a.role == LEADER
        )
        others, other_count = mean_rating(
            a.ratings.get(number, "") for a in answers if a.role != LEADER
        )
        result.append(Gap(number, leaders, others, leader_count, other_count))
    return result


def staff_heat_map(answers: Sequence[StaffAnswer]) -> list[HeatRow]:
    """The number of staff who put each card in each row, highest weighted score first."""
    return heat_map(
        (card, ROW_OF[slot], 1)
        for answer in answers
        for slot, card in normalise(answer.board).items()
    )


def consensus_board(
    rows: Sequence[HeatRow], known_cards: Container[str] | None = None
) -> dict[int, str]:
    """The nine highest weighted scores laid out 1-2-3-2-1: the highest in row 1, the next two
    in row 2 and so on. Rows come in heat-map order (score, then how many placed the card, then
    the card key), so ties are broken the same way everywhere. Cards the school no longer has
    (`known_cards`) are left out."""
    chosen = [
        row.card
        for row in rows
        if row.card != OWN_CARDS
        and row.score > 0
        and (known_cards is None or row.card in known_cards)
    ][: len(SLOTS)]
    return dict(zip(SLOTS, chosen, strict=False))
