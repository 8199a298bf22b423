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
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from wizard.data.models import User
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
    heading,
    msgid,
    plan_path,
    plural,
    save_answer,
    sign_in,
)

# The designed cards, in the card bank's order (a school with no self-review has no
# suggestions, and no cards of its own).
CARDS = [card.key for card in framework.CARDS]
STALE_BOARD = (
    "Your move has not been made. This is the board as it is now: check it, then make your "
    "change again."
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


def undo_button(page: Page) -> Locator:
    """The button beside the announcement that undoes the last move."""
    return page.locator("#board-live").get_by_role("button")


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
    """Keyboard focus is on the card: on it, or on one of its controls (its moves), in the
    same list item (the place, or the bank's item), and not the page."""
    page = title_heading.page
    handle = title_heading.element_handle()
    page.wait_for_function(
        """el => {
            const active = document.activeElement
            return active !== document.body && active.closest('li') === el.closest('li')
        }""",
        arg=handle,
        timeout=timeout,
    )


def moves_of(page: Page, t: Translator, card: str) -> Locator:
    """A card's one control: the disclosure of its moves ("Symud: Llesiant")."""
    return (
        the_board(page, t)
        .locator("summary")
        .filter(
            has_text=re.compile(
                "^" + re.escape(t("Moves")) + r"\s*: " + re.escape(title(t, card)) + "$"
            )
        )
    )


def card_menu_button(page: Page, t: Translator, card: str, action: str) -> Locator:
    """A button in a card's open disclosure of moves."""
    place_of_card = (
        the_board(page, t)
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=4, name=title(t, card), exact=True))
    )
    return place_of_card.get_by_role("button", name=t(action), exact=True)


def chooser(page: Page) -> Locator:
    """The "which card?" (or "which row?") question."""
    return page.get_by_role("group").filter(has=page.locator("#chooser-heading"))


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
    """Wait until diamond.mjs has made the cards draggable (it marks
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
    page: Page, school_lead: User, cy: Translator, plan_year: str, tmp_path: Path
) -> None:
    save_board_for(school_lead, full_board())
    sign_in(page, school_lead.email, cy)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    page.screenshot(path=tmp_path / "board-1280.png")  # kept for a failure's post-mortem
    heading_box = heading(page).bounding_box()
    assert heading_box is not None
    boxes = {slot: card_box(page, cy, card) for slot, card in full_board().items()}
    for slot, box in boxes.items():
        # Below the page heading (and the instructions, which come first: issue 29).
        assert box["y"] >= heading_box["y"] + heading_box["height"], slot
        assert 0 <= box["x"] and box["x"] + box["width"] <= 1280, (slot, box)
    # The whole board fits one screen: from its top row to its bottom row is less than 800 px.
    top = min(box["y"] for box in boxes.values())
    bottom = max(box["y"] + box["height"] for box in boxes.values())
    assert bottom - top <= 800 - heading_box["height"], (top, bottom)
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
    page.screenshot(path=tmp_path / "board-375.png", full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"The board page is {width}px wide at 375px"
    # Still a diamond: row 3's three places side by side, row 1's one in the middle.
    boxes = {slot: card_box(page, cy, card) for slot, card in full_board().items()}
    assert len({round(boxes[slot]["y"]) for slot in (4, 5, 6)}) == 1
    assert boxes[4]["x"] < boxes[1]["x"] < boxes[6]["x"]


# 2. The keyboard alone, in Welsh: build, open a card's moves, move, swap, undo --------------


def add_with_keyboard(page: Page, t: Translator, board: Board, card: str, key: str) -> None:
    """Tab to the card's "Add to the board" button, press it, and check what follows."""
    add = button(page, t, "Add to the board", card)
    press_until_focused(page, add)
    page.keyboard.press(key)
    slot = next(slot for slot in range(1, 10) if slot not in board)
    board[slot] = card
    expect_move(page, t, board, placed(t, card, ROW_OF[slot]))
    expect_focus_on_card(card_on_board(page, t, card))


@pytest.mark.e2e
def test_welsh_board_built_moved_and_undone_with_the_keyboard_alone(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    board: Board = {slot: CARDS[slot - 1] for slot in range(1, 8)}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    expect(announcement(page)).to_have_attribute("aria-live", "polite")
    expect_board(page, cy, board)

    # Two more cards from the bank, with Enter and Space: the board is full.
    add_with_keyboard(page, cy, board, CARDS[7], "Enter")
    add_with_keyboard(page, cy, board, CARDS[8], "Space")
    expect_status(page, cy, "Completed")
    expect(button(page, cy, "Swap into the board", CARDS[9])).to_be_visible()

    # Open a card's moves (its one control), and move it down a row: row 4 is full, so the
    # question comes: which card should it swap with? Focus goes to the question.
    moving = board[5]
    press_until_focused(page, moves_of(page, cy, moving), "Shift+Tab")
    page.keyboard.press("Enter")
    down = card_menu_button(page, cy, moving, "Move down a row")
    press_until_focused(page, down)
    page.keyboard.press("Enter")
    question = chooser(page)
    expect(question).to_contain_text(
        cy(
            "Row %(row)d is full. Which card should %(card)s swap with?",
            row=4,
            card=title(cy, moving),
        )
    )
    expect_focus_within(question)
    other = board[8]
    press_until_focused(page, question.get_by_role("button", name=title(cy, other), exact=True))
    page.keyboard.press("Enter")
    board[5], board[8] = other, moving
    said = swapped(cy, moving, 4, other)
    expect_move(page, cy, board, said)
    expect(question).to_have_count(0)
    # Focus stays on the moved card, its moves still open.
    expect_focus_on_card(card_on_board(page, cy, moving))

    # The move can be undone from the button beside the announcement.
    expect(undo_button(page)).to_have_text(cy("Undo: %(move)s", move=said))
    press_until_focused(page, undo_button(page), "Shift+Tab")
    page.keyboard.press("Enter")
    board[5], board[8] = moving, other
    expect_move(page, cy, board, cy("Undone: %(move)s", move=said))
    # And the one before it: the last card added.
    before = placed(cy, CARDS[8], 5)
    expect(undo_button(page)).to_have_text(cy("Undo: %(move)s", move=before))
    expect(undo_button(page)).to_be_focused()
    page.keyboard.press("Enter")
    del board[9]
    expect_move(page, cy, board, cy("Undone: %(move)s", move=before))
    expect(undo_button(page)).to_have_count(0)
    expect_status(page, cy, "In progress")
    expect(card_in_bank(page, cy, CARDS[8])).to_be_visible()

    # Return a card to the bank from its moves: focus follows it there.
    returning = board[2]
    press_until_focused(page, moves_of(page, cy, returning))
    page.keyboard.press("Enter")
    press_until_focused(page, card_menu_button(page, cy, returning, "Return to the bank"))
    page.keyboard.press("Enter")
    del board[2]
    expect_move(page, cy, board, returned(cy, returning))
    expect_focus_on_card(card_in_bank(page, cy, returning))

    # The skip link goes from the top of the page to the card bank, and back.
    page.keyboard.press("Control+Home")
    skip = page.get_by_role("link", name=cy("Skip to the card bank"), exact=True)
    press_until_focused(page, skip)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#card-bank$"))
    back = card_bank(page, cy).get_by_role("link", name=cy("Back to the board"), exact=True)
    press_until_focused(page, back)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#diamond-board$"))

    # A card in the bank says what it is about when its "About" is opened (the text comes
    # from the "About the cards" page, which the bank leaves out to stay small).
    explained = CARDS[8]
    found = next(c for c in framework.CARDS if c.key == explained)
    about = (
        card_bank(page, cy)
        .locator("summary")
        .filter(
            has_text=re.compile(
                "^" + re.escape(cy("About")) + r"\s*: " + re.escape(title(cy, explained)) + "$"
            )
        )
    )
    press_until_focused(page, about)
    page.keyboard.press("Enter")
    details = about.locator("xpath=..")
    expect(details).to_have_attribute("open", "")
    expect(details).to_contain_text(cy(msgid(found.summary)))
    expect(about).to_be_focused()


# 3. Dragging: onto a card swaps with it; a drag let go while the page scrolls drops nothing ---


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not visible"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_with_mouse(page: Page, source: Locator, target: Locator) -> Response:
    """Press on the card, move in small steps (the board's drag starts after a few pixels of real pointer
    moves), let go over the target, and return the move's response."""
    start, end = centre(source), centre(target)
    with page.expect_response(lambda r: r.url.endswith("/move")) as moved:
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + 6, start[1] + 6, steps=3)
        page.mouse.move(*end, steps=12)
        page.mouse.up()
    return moved.value


@pytest.mark.e2e
def test_welsh_cards_dragged_onto_a_card_swap_and_a_drag_mid_scroll_drops_nothing(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    board: Board = {1: CARDS[0], 2: CARDS[1], 4: CARDS[2], 5: CARDS[3]}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)

    # Onto a card: the two swap (not the first card of its row).
    response = drag_with_mouse(
        page, card_on_board(page, cy, CARDS[0]), card_on_board(page, cy, CARDS[3])
    )
    assert response.status == 200
    board[1], board[5] = CARDS[3], CARDS[0]
    expect_move(page, cy, board, swapped(cy, CARDS[0], 3, CARDS[3]))

    # From the bank onto an empty place.
    response = drag_with_mouse(page, card_in_bank(page, cy, CARDS[4]), place(page, cy, 6))
    assert response.status == 200
    board[6] = CARDS[4]
    expect_move(page, cy, board, placed(cy, CARDS[4], 3))

    # From the bank onto a card: it takes that card's place, which goes back to the bank.
    response = drag_with_mouse(
        page, card_in_bank(page, cy, CARDS[5]), card_on_board(page, cy, CARDS[1])
    )
    assert response.status == 200
    board[2] = CARDS[5]
    expect_board(page, cy, board)
    expect(card_in_bank(page, cy, CARDS[1])).to_be_visible()

    # A drag let go while the page is scrolling: nothing is posted, nothing moves.
    posted: list[str] = []
    page.on(
        "request",
        lambda request: posted.append(request.url) if request.url.endswith("/move") else None,
    )
    # The card is taken over an empty place of row 4; the page scrolls by a row, so that the
    # pointer is over row 5's place when it is let go: neither is chosen. The board's top row
    # is brought to the top of the window first (the instructions come before the board).
    place(page, cy, 1).evaluate("slot => slot.scrollIntoView({block: 'start'})")
    scrolled = page.evaluate("() => window.scrollY")
    start = centre(card_on_board(page, cy, CARDS[0]))
    # A point over row 4's second place that, 70 pixels lower down the page, is over row 5's.
    bottom = centre(place(page, cy, 9))
    over = (bottom[0] + 30, bottom[1] - 70)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 6, start[1] + 6, steps=3)
    page.mouse.move(*over, steps=8)
    page.mouse.wheel(0, 70)
    page.wait_for_function("(before) => window.scrollY > before", arg=scrolled)
    under = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('li').id", over)
    assert under == "slot-9"  # without the check, the card would be dropped there
    page.mouse.up()
    page.wait_for_timeout(1000)
    assert posted == []
    expect_board(page, cy, board)


def drag_with_finger(page: Page, source: Locator, target: Locator) -> Response:
    """Touch the card, hold it (a short press picks a card up, so that a swipe scrolls),
    slide over the target and lift the finger: real touch events, through the DevTools
    protocol (Playwright's touchscreen only taps)."""
    start, end = centre(source), centre(target)
    session = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    with page.expect_response(lambda r: r.url.endswith("/move")) as moved:
        touch("touchStart", *start)
        page.wait_for_timeout(400)  # longer than the board's 200 ms touch delay
        steps = 12
        for step in range(1, steps + 1):
            touch(
                "touchMove",
                start[0] + (end[0] - start[0]) * step / steps,
                start[1] + (end[1] - start[1]) * step / steps,
            )
            page.wait_for_timeout(16)
        touch("touchEnd", *end)
    return moved.value


@pytest.mark.e2e
def test_a_card_dragged_with_a_finger_on_a_phone_swaps(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True
    ).new_page()
    board: Board = {1: CARDS[0], 2: CARDS[1], 4: CARDS[2], 5: CARDS[3]}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    # The instructions come before the board (issue 29): the finger starts where the cards are.
    card_on_board(page, cy, CARDS[1]).evaluate("card => card.scrollIntoView({block: 'center'})")
    response = drag_with_finger(
        page, card_on_board(page, cy, CARDS[1]), card_on_board(page, cy, CARDS[2])
    )
    assert response.status == 200
    board[2], board[4] = CARDS[2], CARDS[1]
    expect_move(page, cy, board, swapped(cy, CARDS[1], 3, CARDS[2]))


# 4. Two browsers: a colleague's change is noticed, and a stale move is refused --------------


@pytest.mark.e2e
def test_an_open_board_notices_a_colleagues_change_and_loads_it_on_request(
    new_context: ContextFactory,
    school_lead: User,
    colleague: User,
    cy: Translator,
    en: Translator,
    plan_year: str,
) -> None:
    mine = new_context().new_page()
    theirs = new_context().new_page()
    sign_in(mine, school_lead.email, cy)
    sign_in(theirs, colleague.email, en)
    for page, lang in ((mine, "cy"), (theirs, "en")):
        page.goto(board_path(lang, plan_year))
        wait_until_draggable(page)

    button(theirs, en, "Add to the board", CARDS[4]).click()
    expect(announcement(theirs)).to_have_text(placed(en, CARDS[4], 1))

    # Within about 15 seconds the lead's board says so; nothing changes under their hands.
    notice = mine.get_by_role("region", name=cy("The board has changed"), exact=True)
    expect(notice).to_be_visible(timeout=20_000)
    expect(notice).to_contain_text(colleague.name)
    expect(notice).to_contain_text(placed(cy, CARDS[4], 1))
    expect_board(mine, cy, {})
    # The next poll leaves the notice as it is (a screen reader does not hear it again).
    notice.evaluate("element => { element.dataset.told = 'yes' }")
    with mine.expect_response(lambda r: "/diamond-9/version" in r.url, timeout=20_000) as poll:
        pass
    assert poll.value.status == 204
    expect(notice).to_have_attribute("data-told", "yes")
    notice.get_by_role("button", name=cy("Load the new board"), exact=True).click()
    expect_board(mine, cy, {1: CARDS[4]})
    expect(notice).to_have_count(0)


@pytest.mark.e2e
def test_a_stale_move_says_who_moved_what_in_welsh(
    new_context: ContextFactory,
    school_lead: User,
    colleague: User,
    cy: Translator,
    en: Translator,
    plan_year: str,
) -> None:
    mine = new_context().new_page()
    theirs = new_context().new_page()
    sign_in(mine, school_lead.email, cy)
    sign_in(theirs, colleague.email, en)
    for page, lang in ((mine, "cy"), (theirs, "en")):
        page.goto(board_path(lang, plan_year))
        wait_until_draggable(page)
    button(theirs, en, "Add to the board", CARDS[4]).click()
    expect(announcement(theirs)).to_have_text(placed(en, CARDS[4], 1))

    with mine.expect_response(lambda r: r.url.endswith("/move")) as refused:
        button(mine, cy, "Add to the board", CARDS[0]).click()
    assert refused.value.status == 409
    board: Board = {1: CARDS[4]}
    expect_board(mine, cy, board)
    expect(error_summary(mine)).to_contain_text(colleague.name)
    expect(error_summary(mine)).to_contain_text(placed(cy, CARDS[4], 1))
    expect(error_summary(mine)).to_contain_text(cy(STALE_BOARD))
    expect_focus_within(error_summary(mine))

    # The next move is based on the fresh board, and succeeds.
    with mine.expect_response(lambda r: r.url.endswith("/move")) as accepted:
        button(mine, cy, "Add to the board", CARDS[0]).click()
    assert accepted.value.status == 200
    board[2] = CARDS[0]
    expect_move(mine, cy, board, placed(cy, CARDS[0], 2))
    expect(error_summary(mine)).to_have_count(0)


# 5. Without JavaScript: the moves, the question, undo, and the whole board on one page ------


def row_choice(page: Page, t: Translator, card: str) -> Locator:
    """The arrange page's choice of row for a card (labelled by the card's title)."""
    return page.get_by_label(title(t, card), exact=True)


def row_problem(t: Translator, row: int, num: int, capacity: int) -> str:
    if num > capacity:
        return plural(
            t,
            "Row %(row)d has %(num)d card but can only hold %(capacity)d",
            "Row %(row)d has %(num)d cards but can only hold %(capacity)d",
            num,
            row=row,
            capacity=capacity,
        )
    return plural(
        t,
        "Row %(row)d has %(num)d card but needs %(capacity)d",
        "Row %(row)d has %(num)d cards but needs %(capacity)d",
        num,
        row=row,
        capacity=capacity,
    )


@pytest.mark.e2e
def test_welsh_board_without_javascript(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    board: Board = {slot: CARDS[slot - 1] for slot in range(1, 10)}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))

    # A card's moves open without JavaScript (a <details>), and post the one form.
    moving = board[4]
    moves_of(page, cy, moving).click()
    card_menu_button(page, cy, moving, "Move up a row").click()
    question = chooser(page)
    expect(question).to_contain_text(
        cy(
            "Row %(row)d is full. Which card should %(card)s swap with?",
            row=2,
            card=title(cy, moving),
        )
    )
    question.get_by_role("button", name=title(cy, board[3]), exact=True).click()
    said = swapped(cy, moving, 2, board[3])
    expect(page.get_by_role("alert")).to_contain_text(said)
    board[3], board[4] = board[4], board[3]
    expect_board(page, cy, board)
    undo_button(page).click()
    expect(page.get_by_role("alert")).to_contain_text(cy("Undone: %(move)s", move=said))
    board[3], board[4] = board[4], board[3]
    expect_board(page, cy, board)

    # Without JavaScript the bank's cards have no "About" of their own: the bank links to the
    # page that says what every card is about.
    expect(card_bank(page, cy).locator("summary")).to_have_count(0)
    card_bank(page, cy).get_by_role("link", name=cy("What each card is about"), exact=True).click()
    expect(heading(page)).to_have_text(cy("About the cards"))
    in_bank = next(c for c in framework.CARDS if c.key == CARDS[9])
    section = page.get_by_role("region", name=title(cy, CARDS[9]), exact=True)
    expect(section).to_contain_text(cy(msgid(in_bank.summary)))
    expect(section).to_contain_text(cy("In the card bank"))
    page.get_by_role("link", name=cy("Back to the board"), exact=True).first.click()

    # The whole board on one page; after an error the address stays on it, each row says how
    # many cards it holds, and the selects of a wrong row carry its error.
    arrange_link(page, cy).click()
    row_choice(page, cy, board[9]).select_option(label=row_name(cy, 2))
    page.get_by_role("button", name=cy("Save the board"), exact=True).click()
    expect(page).to_have_url(board_path("cy", plan_year, "/arrange"))
    expect_errors(page, cy, [row_problem(cy, 2, 3, 2), row_problem(cy, 5, 0, 1)], translate=False)
    expect(row_choice(page, cy, board[9])).to_have_value("2")
    expect(page.locator("#row-counts")).to_contain_text(
        f"{row_name(cy, 2)}: {cy('%(count)d of %(capacity)d', count=3, capacity=2)}"
    )
    # The errors go on the card that was moved (issue 29), not on the cards it joined.
    expect(row_choice(page, cy, board[9])).to_have_accessible_description(
        re.compile(re.escape(row_problem(cy, 2, 3, 2)))
    )
    for card in (board[2], board[3]):
        expect(row_choice(page, cy, card)).to_have_accessible_description("")


# 6. axe-core on every kind of board page, in both languages -----------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_board_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t)
    sign_in(page, school_lead.email, t)
    board_title = t(DIAMOND_TASK)

    audit.visit(board_path(lang, plan_year), board_title)
    save_board_for(school_lead, full_board())
    audit.visit(board_path(lang, plan_year), board_title)
    wait_until_draggable(page)
    # A card's moves open, then the "which card?" question, then a move with its undo.
    moves_of(page, t, CARDS[3]).click()
    audit.audit(board_title)
    card_menu_button(page, t, CARDS[3], "Swap with…").click()
    expect(chooser(page)).to_be_visible()
    audit.audit(board_title)
    chooser(page).get_by_role("button", name=title(t, CARDS[0]), exact=True).click()
    expect(undo_button(page)).to_be_visible()
    audit.audit(board_title)
    # A card in the bank, explained.
    card_bank(page, t).locator("summary").first.click()
    audit.audit(board_title)

    # The whole-board form, with rows that are wrong.
    arrange_title = t("Arrange your Diamond 9 by row")
    audit.visit(board_path(lang, plan_year, "/arrange"), arrange_title)
    row_choice(page, t, CARDS[9]).select_option(label=row_name(t, 1))
    page.get_by_role("button", name=t("Save the board"), exact=True).click()
    expect(error_summary(page).get_by_role("link")).to_have_text([row_problem(t, 1, 2, 1)])
    audit.audit(arrange_title)

    # At 320 CSS pixels wide nothing needs scrolling sideways (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    audit.visit(board_path(lang, plan_year), board_title)
    moves_of(page, t, CARDS[4]).click()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The board page is {width}px wide at a 320px viewport"
    audit.audit(board_title)
    audit.assert_clean()


@pytest.mark.e2e
def test_the_boards_poll_does_not_restart_the_timeout_warnings_wait(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    """The poll is the page's doing, not the user's: the server does not count it as activity,
    so neither does the timeout warning's clock (shared between tabs in localStorage)."""
    sign_in(page, school_lead.email, en)
    page.goto(board_path("en", plan_year))
    wait_until_draggable(page)
    last = "() => window.localStorage.getItem('app-session-last-request')"
    before = page.evaluate(last)
    # Resolves after every other listener of the poll's htmx:afterRequest has run.
    page.evaluate(
        """() => new Promise(resolve => document.addEventListener('htmx:afterRequest', event => {
             if (event.detail.pathInfo.requestPath.includes('/diamond-9/version')) resolve(true)
           }))"""
    )
    assert page.evaluate(last) == before


# The phone: adding from the bank keeps the page where it was; Escape closes the choosers ----


@pytest.mark.e2e
def test_adding_from_the_bank_on_a_phone_keeps_the_page_where_it_was(
    new_context: ContextFactory, school_lead: User, en: Translator, plan_year: str
) -> None:
    context = new_context(viewport={"width": 375, "height": 740}, has_touch=True)
    page = context.new_page()
    sign_in(page, school_lead.email, en)
    page.goto(board_path("en", plan_year))
    # The instructions and the link to arrange everything on one page come before the bank.
    instructions = page.get_by_text(en("Choose nine priorities"), exact=False).first
    bank_box = card_bank(page, en).bounding_box()
    words = instructions.bounding_box()
    assert bank_box is not None and words is not None and words["y"] < bank_box["y"]
    arrange = arrange_link(page, en).bounding_box()
    assert arrange is not None and arrange["y"] < bank_box["y"]
    board: Board = {}
    for card in CARDS[4:7]:
        add = button(page, en, "Add to the board", card)
        add.scroll_into_view_if_needed()
        before = add.bounding_box()
        scrolled = page.evaluate("window.scrollY")
        assert before is not None and scrolled > 0
        add.click()
        slot = next(slot for slot in range(1, 10) if slot not in board)
        board[slot] = card
        expect(announcement(page)).to_have_text(placed(en, card, ROW_OF[slot]))
        # The bank card now in the added one's place is where that was: no jump to the top.
        following = page.locator("#bank-cards > li").nth(4)
        after = following.bounding_box()
        assert after is not None and abs(after["y"] - before["y"]) < 40, (before, after)
        assert page.evaluate("window.scrollY") > scrolled / 2


@pytest.mark.e2e
def test_escape_closes_the_choosers(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    save_board_for(school_lead, full_board())
    sign_in(page, school_lead.email, en)
    page.goto(board_path("en", plan_year))
    wait_until_draggable(page)
    card = CARDS[4]
    moves_of(page, en, card).click()
    card_menu_button(page, en, card, "Move to row").click()
    expect(chooser(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(chooser(page)).to_have_count(0)
    # A card's open menu of moves closes too, and focus goes back to it.
    if not card_menu_button(page, en, card, "Move to row").is_visible():
        moves_of(page, en, card).click()
    expect(card_menu_button(page, en, card, "Move to row")).to_be_visible()
    card_menu_button(page, en, card, "Move to row").focus()
    page.keyboard.press("Escape")
    expect(card_menu_button(page, en, card, "Move to row")).to_be_hidden()
    expect(moves_of(page, en, card)).to_be_focused()
    # "Which card?" (the bank card into a full board) closes with Escape as well.
    button(page, en, "Swap into the board", CARDS[10]).click()
    expect(chooser(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(chooser(page)).to_have_count(0)
