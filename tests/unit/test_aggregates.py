"""Shaping the reporting counts, against figures worked out by hand."""

from __future__ import annotations

from wizard.domain.aggregates import (
    OWN_CARDS,
    heat_map,
    heat_max,
    percent,
    points,
    rating_spread,
    shares,
)


def test_row_1_is_worth_five_points_down_to_one_for_row_5() -> None:
    assert [points(row) for row in range(1, 6)] == [5, 4, 3, 2, 1]


def test_the_heat_map_orders_cards_by_weighted_score_with_own_cards_last() -> None:
    rows = heat_map(
        [
            ("card:a", 1, 2),  # 2 x 5 = 10
            ("card:a", 5, 3),  # 3 x 1 = 3      -> 13
            ("card:b", 2, 3),  # 3 x 4 = 12     -> 12, 3 schools
            ("card:c", 3, 4),  # 4 x 3 = 12     -> 12, 4 schools: before b
            (OWN_CARDS, 1, 9),  # 45, but own cards come last
            ("card:x", 9, 1),  # not a row: left out
        ]
    )
    assert [(row.card, row.counts, row.total, row.score) for row in rows] == [
        ("card:a", (2, 0, 0, 0, 3), 5, 13),
        ("card:c", (0, 0, 4, 0, 0), 4, 12),
        ("card:b", (0, 3, 0, 0, 0), 3, 12),
        (OWN_CARDS, (9, 0, 0, 0, 0), 9, 45),
    ]
    assert heat_max(rows) == 9
    assert heat_max([]) == 0


def test_the_spread_of_ratings_for_each_hallmark() -> None:
    spread = rating_spread(
        [(1, "embedded", 2), (1, "developing", 1), (2, "not-sure", 3), (9, "embedded", 1)],
        [1, 2, 3],
        ["developing", "embedded", "not-sure"],
    )
    assert [(s.hallmark, s.counts, s.total) for s in spread] == [
        (1, (1, 2, 0), 3),
        (2, (0, 0, 3), 3),
        (3, (0, 0, 0), 0),
    ]
    # 1/3 = 33.3% and 2/3 = 66.7%, rounded to whole numbers.
    assert spread[0].percentages == (33, 67, 0)
    assert spread[2].percentages == (0, 0, 0)


def test_percentages_round_half_up_and_nothing_is_zero() -> None:
    assert percent(1, 8) == 13  # 12.5
    assert percent(1, 3) == 33
    assert percent(0, 0) == 0


def test_shares_of_funding_largest_first() -> None:
    result = shares([("cover", 50000), ("coach", 30000), ("cover", 30000), ("enquiry", 20000)])
    assert [(s.key, s.pence, s.percent) for s in result] == [
        ("cover", 80000, 62),  # 80 / 130 = 61.5%
        ("coach", 30000, 23),  # 23.1%
        ("enquiry", 20000, 15),  # 15.4%
    ]
    assert shares([]) == []
