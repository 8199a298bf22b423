"""Staff voice aggregates, thresholds and the consensus board, against figures worked out by hand."""

from __future__ import annotations

from fractions import Fraction

from wizard.domain.staff_voice import (
    LEADER,
    NO_ROLE,
    SUPPORT,
    TEACHER,
    THRESHOLD,
    StaffAnswer,
    consensus_board,
    enough,
    gaps,
    mean_rating,
    role_counts,
    shown_role_counts,
    spreads,
    staff_heat_map,
)

KEYS = ["not-yet-started", "developing", "established", "embedded", "not-sure"]


def answer(role: str, ratings: dict[int, str] | None = None, **board: str) -> StaffAnswer:
    return StaffAnswer(role, ratings or {}, {int(slot[1:]): card for slot, card in board.items()})


def test_five_is_the_threshold() -> None:
    assert THRESHOLD == 5
    assert not enough(4)
    assert enough(5)


def test_roles_are_counted_and_shown_only_with_five_or_more() -> None:
    answers = [answer(TEACHER)] * 6 + [answer(LEADER)] * 4 + [answer(NO_ROLE)] + [answer("spy")]
    assert role_counts(answers) == {TEACHER: 6, SUPPORT: 0, LEADER: 4, NO_ROLE: 2}
    assert shown_role_counts(answers) == {TEACHER: 6, SUPPORT: None, LEADER: None, NO_ROLE: None}


def test_the_spread_of_staff_ratings_for_each_hallmark() -> None:
    answers = [
        answer(TEACHER, {1: "embedded", 2: "developing"}),
        answer(TEACHER, {1: "embedded", 2: "not-sure"}),
        answer(LEADER, {1: "established"}),
    ]
    result = spreads(answers, [1, 2, 3], KEYS)
    assert [(s.hallmark, s.counts) for s in result] == [
        (1, (0, 0, 1, 2, 0)),
        (2, (0, 1, 0, 0, 1)),
        (3, (0, 0, 0, 0, 0)),
    ]
    assert result[0].percentages == (0, 0, 33, 67, 0)


def test_the_mean_rating_leaves_not_sure_out() -> None:
    # 1 + 2 + 4 = 7 over 3 scored ratings.
    assert mean_rating(["not-yet-started", "developing", "embedded", "not-sure"]) == (
        Fraction(7, 3),
        3,
    )
    assert mean_rating(["not-sure"]) == (None, 0)


def test_the_gap_between_leaders_and_others_needs_five_of_each() -> None:
    # Hallmark 1: five leaders all "embedded" (4); six others: four "developing" (2), one
    # "established" (3), one with no role "not yet started" (1): (8 + 3 + 1) / 6 = 2.
    leaders = [answer(LEADER, {1: "embedded", 2: "embedded"}) for _ in range(5)]
    others = [answer(TEACHER, {1: "developing"}) for _ in range(3)]
    others += [answer(SUPPORT, {1: "developing", 2: "developing"})]
    others += [answer(SUPPORT, {1: "established"}), answer(NO_ROLE, {1: "not-yet-started"})]
    first, second = gaps(leaders + others, [1, 2])
    assert (first.leaders, first.others) == (Fraction(4), Fraction(2))
    assert (first.leader_count, first.other_count) == (5, 6)
    assert first.shown and first.difference == Fraction(2)
    # Hallmark 2: only one other member of staff rated it: no gap is shown.
    assert (second.leader_count, second.other_count) == (5, 1)
    assert not second.shown and second.difference is None


def test_the_staff_heat_map_counts_each_card_by_row_with_the_weighted_score() -> None:
    answers = [
        answer(TEACHER, s1="card:a", s2="card:b", s4="card:c"),  # a row 1, b row 2, c row 3
        answer(TEACHER, s1="card:b", s2="card:a", s9="card:c"),  # b row 1, a row 2, c row 5
        answer(LEADER, s3="card:a", s7="own:4"),  # a row 2, own:4 row 4
    ]
    rows = staff_heat_map(answers)
    # a: 5 + 4 + 4 = 13; b: 4 + 5 = 9; c: 3 + 1 = 4; own:4: 2.
    assert [(r.card, r.counts, r.score) for r in rows] == [
        ("card:a", (1, 2, 0, 0, 0), 13),
        ("card:b", (1, 1, 0, 0, 0), 9),
        ("card:c", (0, 0, 1, 0, 1), 4),
        ("own:4", (0, 0, 0, 1, 0), 2),
    ]


def test_the_consensus_board_is_the_nine_highest_scores_laid_out_1_2_3_2_1() -> None:
    # Card k placed in row 1 by (12 - k) people scores 5 * (12 - k): card 0 60, card 1 55, ...
    answers = []
    for k in range(11):
        answers += [answer(TEACHER, s1=f"card:{k:02d}") for _ in range(12 - k)]
    rows = staff_heat_map(answers)
    board = consensus_board(rows)
    assert board == {
        1: "card:00",  # row 1: the highest score
        2: "card:01",  # row 2: the next two
        3: "card:02",
        4: "card:03",  # row 3: the next three
        5: "card:04",
        6: "card:05",
        7: "card:06",  # row 4
        8: "card:07",
        9: "card:08",  # row 5: the ninth; cards 09 and 10 are left out
    }
    # A card the school no longer has is skipped, and the next one takes its place.
    without = consensus_board(rows, known_cards=[f"card:{k:02d}" for k in range(11) if k != 0])
    assert without[1] == "card:01" and without[9] == "card:09"


def test_ties_in_the_consensus_board_go_to_more_staff_then_the_card_key() -> None:
    answers = [
        answer(TEACHER, s1="card:b"),  # b: one person, row 1 = 5
        answer(TEACHER, s9="card:c"),
        answer(TEACHER, s9="card:c"),
        answer(TEACHER, s9="card:c"),
        answer(TEACHER, s9="card:c"),
        answer(TEACHER, s9="card:c"),  # c: five people, row 5 = 5
        answer(TEACHER, s1="card:a"),  # a: one person = 5, before b by key
    ]
    assert consensus_board(staff_heat_map(answers)) == {1: "card:c", 2: "card:a", 3: "card:b"}


def test_a_consensus_of_fewer_than_nine_cards_fills_from_the_top() -> None:
    assert consensus_board(staff_heat_map([answer(TEACHER, s5="card:x")])) == {1: "card:x"}
    assert consensus_board([]) == {}
