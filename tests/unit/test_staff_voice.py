"""Staff voice aggregates, thresholds and the consensus board, against figures worked out by hand."""

from __future__ import annotations

from fractions import Fraction

from wizard.domain.staff_voice import (
    LEADER,
    NO_ROLE,
    SUPPORT,
    TEACHER,
    THRESHOLD,
    Disclosure,
    StaffAnswer,
    consensus_board,
    disclose,
    enough,
    expected_staff,
    gaps,
    mean_rating,
    more_than_expected,
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


# The disclosure rules (issue 22): hand-worked examples, including subtraction attacks ----------

HALLMARKS = [1, 2]
NINE_CARDS = [f"card:{letter}" for letter in "abcdefghi"]


def full(role: str, ratings: dict[int, str] | None = None, first: str = "card:a") -> StaffAnswer:
    """A complete board: `first` in row 1, then the other cards in letter order."""
    cards = [first] + [card for card in NINE_CARDS if card != first]
    return StaffAnswer(role, ratings or {}, dict(enumerate(cards, start=1)))


def test_nothing_but_the_count_is_shown_while_the_round_is_open() -> None:
    answers = [full(TEACHER, {1: "embedded", 2: "developing"}) for _ in range(12)]
    found = disclose(answers, False, HALLMARKS, KEYS)
    assert found.responses == 12
    assert not found.shown
    assert (found.roles, found.spreads, found.gaps) == ({}, [], [])
    assert (found.heat_rows, found.consensus, found.complete_boards) == (None, {}, 0)


def test_before_and_after_one_known_person_differ_only_in_the_count() -> None:
    # Five colleagues respond; then the head watches one known teacher respond. With live results
    # the head could subtract the two and read that teacher's ratings and board.
    five = [full(TEACHER, {1: "embedded", 2: "embedded"}) for _ in range(5)]
    known = full(TEACHER, {1: "not-yet-started", 2: "not-yet-started"}, first="card:i")
    before = disclose(five, False, HALLMARKS, KEYS)
    after = disclose([*five, known], False, HALLMARKS, KEYS)
    assert (before.responses, after.responses) == (5, 6)
    assert before == Disclosure(5, False, False, {}, [], [], 0, None, {})
    assert after == Disclosure(6, False, False, {}, [], [], 0, None, {})
    # Once closed, the six are shown together, never the five alone.
    closed = disclose([*five, known], True, HALLMARKS, KEYS)
    assert closed.spreads[0] is not None and closed.spreads[0].counts == (1, 0, 0, 5, 0)


def test_nothing_is_shown_below_five_responses_even_when_closed() -> None:
    found = disclose([full(TEACHER, {1: "embedded"}) for _ in range(4)], True, HALLMARKS, KEYS)
    assert not found.shown and found.responses == 4 and found.heat_rows is None


def test_five_responses_with_one_board_do_not_show_that_board() -> None:
    # Four people rated the hallmarks and left their board empty; one built a whole board. With
    # the old rule (five responses) the heat map was that one person's board.
    answers = [StaffAnswer(TEACHER, {1: "developing"}, {}) for _ in range(4)]
    answers.append(full(TEACHER, {1: "developing"}, first="card:e"))
    found = disclose(answers, True, HALLMARKS, KEYS)
    assert found.shown and found.complete_boards == 1
    assert found.heat_rows is None and found.consensus == {}


def test_the_heat_map_counts_complete_boards_only_and_needs_five() -> None:
    # Five complete boards, three with card:a first, two with card:b first (the rest follow in
    # letter order); and two part-boards that put card:z in row 1 (left out entirely).
    answers = [full(TEACHER) for _ in range(3)] + [full(LEADER, first="card:b") for _ in range(2)]
    answers += [StaffAnswer(SUPPORT, {}, {1: "card:z", 2: "card:y"}) for _ in range(2)]
    found = disclose(answers, True, HALLMARKS, KEYS)
    assert found.complete_boards == 5
    assert found.heat_rows is not None
    by_card = {row.card: (row.counts, row.score) for row in found.heat_rows}
    assert "card:z" not in by_card and "card:y" not in by_card
    # card:a: row 1 three times (15), row 2 (slot 2) twice (8) = 23.
    # card:b: row 2 (slot 2) three times (12), row 1 twice (10) = 22.
    assert by_card["card:a"] == ((3, 2, 0, 0, 0), 23)
    assert by_card["card:b"] == ((2, 3, 0, 0, 0), 22)
    assert found.consensus[1] == "card:a" and found.consensus[2] == "card:b"
    # Only four complete boards: no heat map, no consensus board.
    fewer = disclose(answers[1:], True, HALLMARKS, KEYS)
    assert fewer.complete_boards == 4 and fewer.heat_rows is None and fewer.consensus == {}


def test_a_hallmarks_spread_needs_five_ratings_of_it() -> None:
    # Six responses; hallmark 1 rated by all six, hallmark 2 by four only.
    answers = [full(TEACHER, {1: "developing", 2: "embedded"}) for _ in range(4)]
    answers += [full(TEACHER, {1: "established"}) for _ in range(2)]
    first, second = disclose(answers, True, HALLMARKS, KEYS).spreads
    assert first is not None and first.counts == (0, 4, 2, 0, 0)
    assert second is None


def test_a_role_is_shown_only_when_the_rest_also_has_five_or_none() -> None:
    # Role against total: five teachers and one leader. Showing "teachers 5" beside "6 responses"
    # would single out the one other person (and the teachers' figures against the total would
    # give that person's answers).
    assert shown_role_counts([full(TEACHER)] * 5 + [full(LEADER)]) == dict.fromkeys(
        (TEACHER, SUPPORT, LEADER, NO_ROLE)
    )
    # Everyone is a teacher: the rest is none, so the role can be shown.
    assert shown_role_counts([full(TEACHER)] * 5)[TEACHER] == 5
    # Five teachers and five leaders: each has five, and so has the rest.
    both = shown_role_counts([full(TEACHER)] * 5 + [full(LEADER)] * 5)
    assert (both[TEACHER], both[LEADER], both[SUPPORT]) == (5, 5, None)


def test_hidden_roles_cannot_be_derived_by_subtracting_the_shown_ones() -> None:
    # Teachers 6, support 5, leaders 5 and one person with no role: 17. Each role has five and
    # its rest has 11 or 12, but showing all three would give "no role: 17 - 16 = 1". The
    # smallest shown role (support and leaders tie on five; support comes first in role order)
    # is hidden as well, so that the hidden roles come to 6.
    answers = [full(TEACHER)] * 6 + [full(SUPPORT)] * 5 + [full(LEADER)] * 5 + [full(NO_ROLE)]
    shown = shown_role_counts(answers)
    assert shown == {TEACHER: 6, SUPPORT: None, LEADER: 5, NO_ROLE: None}
    hidden = len(answers) - sum(count for count in shown.values() if count is not None)
    assert hidden == 6
    # No one left over: all three roles are shown.
    exact = [full(TEACHER)] * 6 + [full(SUPPORT)] * 5 + [full(LEADER)] * 5
    assert shown_role_counts(exact) == {TEACHER: 6, SUPPORT: 5, LEADER: 5, NO_ROLE: None}


def test_the_gap_is_not_shown_when_the_rest_is_fewer_than_five() -> None:
    # Five leaders and four others rated hallmark 1: leaders' mean and the overall spread would
    # give the four others' mean by subtraction, so no gap is shown.
    answers = [full(LEADER, {1: "embedded"}) for _ in range(5)]
    answers += [full(TEACHER, {1: "developing"}) for _ in range(4)]
    (gap,) = disclose(answers, True, [1], KEYS).gaps
    assert (gap.leader_count, gap.other_count) == (5, 4)
    assert not gap.shown and gap.difference is None


def test_the_expected_number_of_staff_comes_from_about_your_school() -> None:
    assert expected_staff({"teaching_staff": "12", "support_staff": "8"}) == 20
    assert expected_staff({"teaching_staff": 12}) == 12
    assert expected_staff({"teaching_staff": "", "support_staff": "lots"}) is None
    assert expected_staff(None) is None
    assert not more_than_expected(20, 20)
    assert more_than_expected(21, 20)
    assert not more_than_expected(500, None)
