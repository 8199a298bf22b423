"""Staff voice: every member of staff rates the hallmarks and ranks their own Diamond 9, and the
results show where they agree (plain Python, no Flask).

Anonymous by design, by these disclosure rules (`disclose` applies them all):

- Nothing but the number of responses is shown while the round is open: otherwise anyone who
  sees the results before and after one known person responds could subtract the two and read
  that person's answers.
- Once it has closed, nothing is shown below THRESHOLD responses.
- Every figure follows the threshold of the data it is built from: a hallmark's spread only from
  THRESHOLD ratings of that hallmark; the heat map and the consensus board only from THRESHOLD
  complete boards (nine cards), and built from those boards alone; the leaders-against-others
  gap only where both groups have THRESHOLD scored ratings.
- A role's count only where that role has THRESHOLD and what remains (every response less that
  role) has THRESHOLD or none; and if the hidden roles together would then be derivable by
  subtraction (between 1 and THRESHOLD - 1 of them), the smallest shown role is hidden too
  (secondary suppression, as statistical agencies do).

The heat map and its weighted score are the cluster dashboard's (aggregates.heat_map: 5 points
for row 1 down to 1 for row 5); the consensus board is the nine highest scores laid out
1-2-3-2-1 (diamond.SLOTS, in order).
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
ROLES_ORDER: tuple[str, ...] = (*ROLES, NO_ROLE)

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


def expected_staff(about: Mapping[str, object] | None) -> int | None:
    """How many staff the school said it has in "About your school" (teaching and support
    staff together), or None when it has not said."""
    total, found = 0, False
    for key in ("teaching_staff", "support_staff"):
        value = (about or {}).get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            total += int(value)
            found = True
    return total if found else None


def more_than_expected(responses: int, expected: int | None) -> bool:
    """More responses than the school has staff: someone may have responded more than once."""
    return expected is not None and responses > expected


def role_counts(answers: Sequence[StaffAnswer]) -> dict[str, int]:
    """How many responded in each role (every role listed, NO_ROLE last)."""
    found = Counter(answer.role if answer.role in ROLES else NO_ROLE for answer in answers)
    return {role: found[role] for role in ROLES_ORDER}


def _group_safe(count: int, total: int) -> bool:
    """A group's figures may be shown: it has THRESHOLD, and so has the rest (or there is none),
    so that neither can be read by subtracting the other from the total."""
    rest = total - count
    return enough(count) and (rest == 0 or enough(rest))


def shown_role_counts(answers: Sequence[StaffAnswer]) -> dict[str, int | None]:
    """Role counts as they may be shown; a hidden role is None. A role is shown where it has
    THRESHOLD and the rest has THRESHOLD or none; then, while the hidden roles together come to
    between 1 and THRESHOLD - 1 (so the total less the shown roles would give them away), the
    smallest shown role is hidden as well."""
    counts = role_counts(answers)
    total = sum(counts.values())
    shown = {role: count for role, count in counts.items() if _group_safe(count, total)}
    while shown and 0 < total - sum(shown.values()) < THRESHOLD:
        smallest = min(shown, key=lambda role: (shown[role], ROLES_ORDER.index(role)))
        del shown[smallest]
    return {role: shown.get(role) for role in counts}


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


def is_complete(board: Board) -> bool:
    """All nine places of the board hold a card."""
    return len(normalise(board)) == len(SLOTS)


def complete_boards(answers: Sequence[StaffAnswer]) -> list[StaffAnswer]:
    """The responses whose board is complete: the only ones the heat map is built from."""
    return [answer for answer in answers if is_complete(answer.board)]


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


# What may be shown -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosure:
    """What the results may show of a round (see the module's rules). While the round is open,
    or below THRESHOLD responses, only `responses` is set."""

    responses: int
    closed: bool
    shown: bool
    """The round has closed with THRESHOLD responses or more: results may be shown."""
    roles: dict[str, int | None]
    """Each role's count, None where hidden (empty when nothing is shown)."""
    spreads: list[Spread | None]
    """For each hallmark, in the order asked, its spread or None (fewer than THRESHOLD ratings)."""
    gaps: list[Gap]
    complete_boards: int
    """How many responses have a complete board (only counted when results are shown)."""
    heat_rows: list[HeatRow] | None
    """The heat map of the complete boards, or None below THRESHOLD complete boards."""
    consensus: dict[int, str]
    """The consensus board from that heat map (empty when it is not shown)."""


def disclose(
    answers: Sequence[StaffAnswer],
    closed: bool,
    hallmarks: Sequence[int],
    rating_keys: Sequence[str],
    known_cards: Container[str] | None = None,
) -> Disclosure:
    """Everything the results may show of the round's answers, and nothing more."""
    count = len(answers)
    if not closed or not enough(count):
        return Disclosure(count, closed, False, {}, [], [], 0, None, {})
    shown_spreads: list[Spread | None] = [
        spread if enough(spread.total) else None
        for spread in spreads(answers, hallmarks, rating_keys)
    ]
    boards = complete_boards(answers)
    heat_rows = staff_heat_map(boards) if enough(len(boards)) else None
    consensus = consensus_board(heat_rows, known_cards) if heat_rows is not None else {}
    return Disclosure(
        count,
        closed,
        True,
        shown_role_counts(answers),
        shown_spreads,
        gaps(answers, hallmarks),
        len(boards),
        heat_rows,
        consensus,
    )
