"""Real-browser tests of the Diamond 9: the whole board built with the keyboard alone, dragging
with the mouse (and a finger), the whole-board form without JavaScript, two colleagues moving
cards at once, and axe-core on every kind of board page, in Welsh and in English.

As in test_browser.py, the browser finds things by role, label and text in the page's language,
and Welsh comes from the `cy` translator, so that a missing translation fails. The board is read
through its accessible structure: the "Diamond 9 board" list, a list item per row (with its row
heading), and in each row a list of places, each holding a card (its title a heading) or
"Empty place".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, Response, expect
from sqlalchemy import select

from wizard.data.database import db
from wizard.data.models import OwnCard, User
from wizard.domain import framework
from wizard.domain.diamond import ROW_COUNT, ROW_OF, ROWS
from wizard.domain.journey import BOARD_STEP

from .support import (
    DIAMOND_TASK,
    LANGUAGES,
    AccessibilityAudit,
    ContextFactory,
    Translator,
    error_summary,
    expect_errors,
    expect_focus_within,
    field,
    heading,
    msgid,
    plan_path,
    plural,
    save_answer,
    sign_in,
    task_item,
)

# The designed cards, in the card bank's order (a school with no self-review has no
# suggestions, and no cards of its own).
CARDS = [card.key for card in framework.CARDS]
STALE_BOARD = (
    "Someone else changed the board while you were working on it. This is the board as it is "
    "now: check it, then make your change again."
)
# A board as a test sees it: place number (1 to 9) -> a designed card's key ("pedagogy"). Only
# `save_board_for` also takes another card's whole key ("own:3").
Board = dict[int, str]


def title(t: Translator, card: str) -> str:
    """A designed card's title in the translator's language ("pedagogy" or "card:pedagogy")."""
    key = card.removeprefix("card:")
    found = next(c for c in framework.CARDS if c.key == key)
    return t(msgid(found.title))


def row_name(t: Translator, row: int) -> str:
    if row == 1:
        return t("Row 1 (most important)")
    if row == ROW_COUNT:
        return t("Row %(row)d (least important)", row=row)
    return t("Row %(row)d", row=row)


def card_control(action: str, card_title: str) -> re.Pattern[str]:
    """A card's control is named by its action and, in visually hidden text, the card: "Move up
    a row: Well-being" (GOV.UK's visually hidden class adds a space either side)."""
    return re.compile("^" + re.escape(action) + r"\s*: " + re.escape(card_title) + "$")


# What is announced after a move ----------------------------------------------------------------


def placed(t: Translator, card: str, row: int) -> str:
    """The announcement of a card placed on the board, in the row."""
    return t("%(card)s placed in row %(row)d", card=title(t, card), row=row)


def swapped(t: Translator, card: str, row: int, other: str) -> str:
    """The announcement of a card moved to the row, swapping places with the other card."""
    return t(
        "%(card)s moved to row %(row)d, swapping places with %(other)s",
        card=title(t, card),
        row=row,
        other=title(t, other),
    )


def returned(t: Translator, card: str) -> str:
    """The announcement of a card returned to the card bank."""
    return t("%(card)s returned to the card bank", card=title(t, card))


# Saving a board as if the school had made it --------------------------------------------------


def save_board_for(user: User, board: Board) -> None:
    """Save the board for the user's school (based on the board's current version)."""
    slots = {str(slot): card_key(board[slot]) for slot in sorted(board)}
    save_answer(user, BOARD_STEP, {"slots": slots})


def card_key(card: str) -> str:
    """A card's whole key: "card:pedagogy" for a designed card, else as it is ("own:3")."""
    return card if ":" in card else f"card:{card}"


def full_board() -> Board:
    return {slot: CARDS[slot - 1] for slot in range(1, 10)}


# Where things are ----------------------------------------------------------------------------


def board_path(lang: str, year: str, path: str = "") -> str:
    return plan_path(lang, year, f"diamond-9{path}")


def the_board(page: Page, t: Translator) -> Locator:
    return page.get_by_role("list", name=t("Diamond 9 board"), exact=True)


def board_rows(page: Page, t: Translator) -> Locator:
    """The board's rows: the list items with a row heading (the places are list items too)."""
    return (
        the_board(page, t).get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    )


def place(page: Page, t: Translator, slot: int) -> Locator:
    """A place on the board: the list item in its row's list of places."""
    row = ROW_OF[slot]
    places = board_rows(page, t).nth(row - 1).get_by_role("list").get_by_role("listitem")
    return places.nth(ROWS[row - 1].index(slot))


def card_on_board(page: Page, t: Translator, card: str) -> Locator:
    """A card's title on the board."""
    return the_board(page, t).get_by_role("heading", level=4, name=title(t, card), exact=True)


def card_bank(page: Page, t: Translator) -> Locator:
    return page.get_by_role("region", name=t("Card bank"), exact=True)


def card_in_bank(page: Page, t: Translator, card: str) -> Locator:
    """A card's title in the card bank."""
    return card_bank(page, t).get_by_role("heading", level=3, name=title(t, card), exact=True)


def button(page: Page, t: Translator, action: str, card: str) -> Locator:
    return page.get_by_role("button", name=card_control(t(action), title(t, card)))


def announcement(page: Page) -> Locator:
    """The polite live region that announces each move."""
    return page.get_by_role("status")


def ranked_summary(page: Page, t: Translator) -> Locator:
    return page.get_by_role("region", name=t("Your priorities, in order"), exact=True)


def board_status(page: Page, t: Translator) -> Locator:
    return page.get_by_role("paragraph").filter(has_text=t("Status:"))


def link_text(html: str) -> str:
    """The text of the one link in a translated message that holds HTML."""
    found = re.search(r"<a [^>]*>(.*?)</a>", html)
    assert found, html
    return found.group(1)


def arrange_link(page: Page, t: Translator) -> Locator:
    message = t(
        'You can also <a class="govuk-link" href="%(url)s">arrange all the cards by row on one page</a>.',
        url="#",
    )
    return page.get_by_role("link", name=link_text(message), exact=True)


# What the board shows -------------------------------------------------------------------------


def expect_board(page: Page, t: Translator, board: Board) -> None:
    """Each row's heading (name and "n of m") and each place: its card's title, or empty."""
    rows = board_rows(page, t)
    expect(rows).to_have_count(ROW_COUNT)
    for number, slots in enumerate(ROWS, start=1):
        filled = sum(1 for slot in slots if slot in board)
        count = t("%(count)d of %(capacity)d", count=filled, capacity=len(slots))
        expect(rows.nth(number - 1).get_by_role("heading", level=3)).to_have_text(
            f"{row_name(t, number)} {count}"
        )
        for slot in slots:
            if slot in board:
                expect(place(page, t, slot).get_by_role("heading", level=4)).to_have_text(
                    title(t, board[slot])
                )
            else:
                expect(place(page, t, slot)).to_have_text(t("Empty place"))


def expect_summary(page: Page, t: Translator, board: Board) -> None:
    """The ranked summary: a line per row, its cards in order, or "no cards yet"."""
    lines = []
    for number, slots in enumerate(ROWS, start=1):
        titles = [title(t, board[slot]) for slot in slots if slot in board]
        lines.append(f"{row_name(t, number)}: " + ("; ".join(titles) or t("no cards yet")))
    expect(ranked_summary(page, t).get_by_role("listitem")).to_have_text(lines)


def expect_status(page: Page, t: Translator, status: str) -> None:
    expect(board_status(page, t)).to_have_text(f"{t('Status:')} {t(status)}")


def expect_focus_on_card(title_heading: Locator, timeout: float | None = None) -> None:
    """Keyboard focus is on the card itself: an element around its title, in the same list
    item (the place, or the bank's item), and not the page."""
    expect_focus_within(title_heading, timeout, same="li")


def press_until_focused(page: Page, target: Locator, key: str = "Tab", limit: int = 120) -> int:
    """Press Tab (or Shift+Tab) until the target has focus, as a keyboard user would."""
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if handle.evaluate("element => element === document.activeElement"):
            return presses
    active = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{key} never reached the element; focus is on: {active}")


def wait_until_draggable(page: Page) -> None:
    """Wait until diamond.mjs has loaded SortableJS and made the cards draggable (it marks
    <body>; the grip on each card appears then)."""
    page.wait_for_function("() => document.body.classList.contains('app-diamond-draggable')")


def expect_move(page: Page, t: Translator, board: Board, said: str) -> None:
    """After a move: the announcement, the board and the ranked summary."""
    expect(announcement(page)).to_have_text(said)
    expect_board(page, t, board)
    expect_summary(page, t, board)




# 1. One screen: the whole diamond at 1280 x 800, and no sideways scrolling at 375 -------------


def card_box(page: Page, t: Translator, card: str) -> dict[str, float]:
    box = card_on_board(page, t, card).locator("xpath=ancestor::li[1]").bounding_box()
    assert box is not None
    return box


@pytest.mark.e2e
def test_a_full_board_fits_one_screen_as_a_diamond(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    save_board_for(school_lead, full_board())
    sign_in(page, school_lead.email, cy)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    page.screenshot(path="/tmp/h13-1280.png")
    heading_box = heading(page).bounding_box()
    assert heading_box is not None
    boxes = {slot: card_box(page, cy, card) for slot, card in full_board().items()}
    for slot, box in boxes.items():
        # Inside the viewport, below the page heading, without scrolling.
        assert box["y"] >= heading_box["y"] + heading_box["height"], slot
        assert box["y"] + box["height"] <= 800, (slot, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= 1280, (slot, box)
    # 1-2-3-2-1: the rows go down the page, and each row's places are centred on one line.
    centre = boxes[1]["x"] + boxes[1]["width"] / 2
    for slots in ROWS:
        tops = {round(boxes[slot]["y"]) for slot in slots}
        assert len(tops) == 1, slots
        middle = (boxes[slots[0]]["x"] + boxes[slots[-1]]["x"] + boxes[slots[-1]]["width"]) / 2
        assert abs(middle - centre) < 4, slots
    assert [round(boxes[slots[0]]["y"]) for slots in ROWS] == sorted(
        round(boxes[slots[0]]["y"]) for slots in ROWS
    )
    # The bank is beside the board.
    bank = card_bank(page, cy).bounding_box()
    assert bank is not None and bank["x"] > boxes[6]["x"] + boxes[6]["width"]
    assert bank["y"] < 800
    # Targets: each card's one control is at least 24 by 24 CSS pixels.
    summary = place(page, cy, 5).locator("summary")
    size = summary.bounding_box()
    assert size is not None and size["width"] >= 24 and size["height"] >= 24

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.screenshot(path="/tmp/h13-375.png", full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"The board page is {width}px wide at 375px"
    # Still a diamond: row 3's three places side by side, row 1's one in the middle.
    boxes = {slot: card_box(page, cy, card) for slot, card in full_board().items()}
    assert len({round(boxes[slot]["y"]) for slot in (4, 5, 6)}) == 1
    assert boxes[4]["x"] < boxes[1]["x"] < boxes[6]["x"]
