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


# 1. The keyboard alone, in Welsh ----------------------------------------------------------------


def add_with_keyboard(page: Page, t: Translator, board: Board, card: str, key: str) -> None:
    """Tab to the card's "Add to the board" button, press it, and check what follows."""
    add = button(page, t, "Add to the board", card)
    press_until_focused(page, add)
    page.keyboard.press(key)
    slot = next(slot for slot in range(1, 10) if slot not in board)
    board[slot] = card
    said = placed(t, card, ROW_OF[slot])
    expect_move(page, t, board, said)
    # The card has no "Add" button on the board: focus is on the card itself.
    expect_focus_on_card(card_on_board(page, t, card))


@pytest.mark.e2e
def test_welsh_board_built_with_the_keyboard_alone(
    page: Page, school_lead: User, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    expect(heading(page)).to_have_text(cy(DIAMOND_TASK))
    expect_status(page, cy, "Not yet started")
    expect(announcement(page)).to_have_attribute("aria-live", "polite")
    board: Board = {}
    expect_board(page, cy, board)
    expect_summary(page, cy, board)

    # Nine cards from the bank, each with its "Ychwanegu at y bwrdd" button (Enter or Space).
    for number, card in enumerate(CARDS[:9]):
        add_with_keyboard(page, cy, board, card, "Enter" if number % 2 == 0 else "Space")
        if number == 0:
            expect_status(page, cy, "In progress")
    expect_status(page, cy, "Completed")
    expect(card_bank(page, cy)).to_contain_text(
        cy(
            'Your board is full. To use a card from the bank, first return a card on the board to the bank, or <a class="govuk-link" href="%(url)s">arrange all the cards by row</a>.',
            url="#",
        ).split("<a")[0]
    )

    # Move a card in row 3 up: row 2 is full, so it swaps with that row's first card. Back to
    # it with Shift+Tab; focus stays on its button, which it still has in row 2.
    up = button(page, cy, "Move up a row", CARDS[3])
    press_until_focused(page, up, "Shift+Tab")
    page.keyboard.press("Space")
    board[2], board[4] = CARDS[3], CARDS[1]
    expect_move(page, cy, board, swapped(cy, CARDS[3], 2, CARDS[1]))
    expect(up).to_be_focused()

    # The card in row 1 down a row, swapping with the card just moved up.
    down = button(page, cy, "Move down a row", CARDS[0])
    press_until_focused(page, down, "Shift+Tab")
    page.keyboard.press("Enter")
    board[1], board[2] = CARDS[3], CARDS[0]
    expect_move(page, cy, board, swapped(cy, CARDS[0], 2, CARDS[3]))
    expect(down).to_be_focused()

    # "Symud i": the card in row 5 to row 3, chosen with the arrow keys. Row 3 is full, so the
    # card swaps with the first card of that row.
    moving = CARDS[8]
    choices = page.get_by_label(card_control(cy("Move to"), title(cy, moving)))
    press_until_focused(page, choices)
    rows = [1, 2, 3, 4]  # every row but the card's own
    expect(choices.get_by_role("option")).to_have_text([row_name(cy, row) for row in rows])
    for _ in range(rows.index(3)):
        page.keyboard.press("ArrowDown")
    expect(choices).to_have_value("row-3")
    press_until_focused(page, button(page, cy, "Move", moving))
    page.keyboard.press("Enter")
    displaced = board[4]
    board[4], board[9] = moving, displaced
    expect_move(page, cy, board, swapped(cy, moving, 3, displaced))
    expect(button(page, cy, "Move", moving)).to_be_focused()

    # "Dychwelyd i'r banc", once: the card goes back to the bank, where focus follows it.
    returning = board[7]
    back = button(page, cy, "Return to the bank", returning)
    press_until_focused(page, back)
    page.keyboard.press("Enter")
    del board[7]
    expect_move(page, cy, board, returned(cy, returning))
    expect_focus_on_card(card_in_bank(page, cy, returning))
    expect(card_on_board(page, cy, returning)).to_have_count(0)
    expect_status(page, cy, "In progress")

    # Another card from the bank fills the gap.
    add_with_keyboard(page, cy, board, CARDS[9], "Enter")
    expect_status(page, cy, "Completed")

    # Back to the task list with the keyboard: the task is complete there too.
    press_until_focused(
        page, page.get_by_role("button", name=cy("Return to your plan"), exact=True)
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/cy/plan/{plan_year}/")
    expect(task_item(page, cy, DIAMOND_TASK)).to_contain_text(cy("Completed"))


# 2. Dragging with the mouse and with a finger ---------------------------------------------------


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not visible"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_with_mouse(page: Page, source: Locator, target: Locator) -> Response:
    """Press on the card, move in small steps (SortableJS's fallback drag needs real pointer
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
def test_welsh_cards_dragged_with_the_mouse(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    # Tall enough for the board and the whole card bank to be on screen at once.
    page = new_context(viewport={"width": 1280, "height": 2600}).new_page()
    board: Board = {1: CARDS[0], 2: CARDS[1]}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)
    expect_board(page, cy, board)

    # From the bank to an empty place.
    response = drag_with_mouse(page, card_in_bank(page, cy, CARDS[2]), place(page, cy, 5))
    assert response.status == 200
    board[5] = CARDS[2]
    said = placed(cy, CARDS[2], 3)
    expect_move(page, cy, board, said)
    expect(card_in_bank(page, cy, CARDS[2])).to_have_count(0)

    # A placed card onto another: they swap.
    response = drag_with_mouse(page, card_on_board(page, cy, CARDS[0]), place(page, cy, 5))
    assert response.status == 200
    board[1], board[5] = CARDS[2], CARDS[0]
    said = swapped(cy, CARDS[0], 3, CARDS[2])
    expect_move(page, cy, board, said)

    # A placed card back to the bank.
    bank_list = card_bank(page, cy).get_by_role("list")
    response = drag_with_mouse(page, card_on_board(page, cy, CARDS[1]), bank_list)
    assert response.status == 200
    del board[2]
    expect_move(page, cy, board, returned(cy, CARDS[1]))
    expect(card_in_bank(page, cy, CARDS[1])).to_be_visible()


def drag_with_finger(page: Page, source: Locator, target: Locator) -> Response:
    """Touch the card, hold it (a short press picks a card up, so that a swipe still scrolls),
    move the finger in small steps, and lift it over the target."""
    start, end = centre(source), centre(target)
    touch = page.context.new_cdp_session(page)

    def send(kind: str, point: tuple[float, float] | None) -> None:
        points = [{"x": point[0], "y": point[1]}] if point else []
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    steps = 12
    with page.expect_response(lambda r: r.url.endswith("/move")) as moved:
        send("touchStart", start)
        page.wait_for_timeout(300)
        for step in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * step / steps
            y = start[1] + (end[1] - start[1]) * step / steps
            send("touchMove", (x, y))
        send("touchEnd", None)
    touch.detach()
    return moved.value


@pytest.mark.e2e
def test_welsh_cards_dragged_with_a_finger(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(viewport={"width": 1280, "height": 2600}, has_touch=True).new_page()
    board: Board = {1: CARDS[0], 2: CARDS[1]}
    save_board_for(school_lead, board)
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))
    wait_until_draggable(page)

    response = drag_with_finger(page, card_in_bank(page, cy, CARDS[2]), place(page, cy, 5))
    assert response.status == 200
    board[5] = CARDS[2]
    said = placed(cy, CARDS[2], 3)
    expect_move(page, cy, board, said)

    response = drag_with_finger(page, card_on_board(page, cy, CARDS[0]), place(page, cy, 5))
    assert response.status == 200
    board[1], board[5] = CARDS[2], CARDS[0]
    expect_board(page, cy, board)

    bank_list = card_bank(page, cy).get_by_role("list")
    response = drag_with_finger(page, card_on_board(page, cy, CARDS[1]), bank_list)
    assert response.status == 200
    del board[2]
    expect_move(page, cy, board, returned(cy, CARDS[1]))


# 3. Without JavaScript: the buttons, then the whole board on one page ---------------------------


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
def test_welsh_board_arranged_by_row_without_javascript(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, school_lead.email, cy)
    page.goto(board_path("cy", plan_year))

    # The plain buttons: each a form that reloads the page, with the move in a banner.
    board: Board = {}
    for slot, card in enumerate(CARDS[:9], start=1):
        button(page, cy, "Add to the board", card).click()
        board[slot] = card
        expect(page).to_have_url(board_path("cy", plan_year, f"#card-card-{card}"))
        said = placed(cy, card, ROW_OF[slot])
        expect(page.get_by_role("alert")).to_contain_text(said)
    expect_board(page, cy, board)
    expect_summary(page, cy, board)
    expect_status(page, cy, "Completed")

    # The whole board on one page: each card's row is already chosen.
    arrange_link(page, cy).click()
    expect(page).to_have_url(board_path("cy", plan_year, "/arrange"))
    expect(heading(page)).to_have_text(cy("Arrange your Diamond 9 by row"))
    for slot, card in board.items():
        expect(row_choice(page, cy, card)).to_have_value(str(ROW_OF[slot]))
    expect(row_choice(page, cy, CARDS[9])).to_have_value("")

    # Three cards in row 2 (and so none in row 5): the summary says which rows are wrong.
    row_choice(page, cy, board[9]).select_option(label=row_name(cy, 2))
    page.get_by_role("button", name=cy("Save the board"), exact=True).click()
    expect_errors(page, cy, [row_problem(cy, 2, 3, 2), row_problem(cy, 5, 0, 1)], translate=False)
    expect(row_choice(page, cy, board[9])).to_have_value("2")  # what was chosen is kept

    # Fix it: a card from row 2 to row 5. Within a row, cards keep the page's order.
    row_choice(page, cy, board[2]).select_option(label=row_name(cy, 5))
    page.get_by_role("button", name=cy("Save the board"), exact=True).click()
    expect(page).to_have_url(board_path("cy", plan_year))
    expect(page.get_by_role("alert")).to_contain_text(cy("Your board has been arranged"))
    board[2], board[3], board[9] = board[3], board[9], board[2]
    expect_board(page, cy, board)
    expect_summary(page, cy, board)
    expect_status(page, cy, "Completed")


# 4. Two colleagues moving cards at once ---------------------------------------------------------


@pytest.mark.e2e
def test_a_stale_move_shows_the_fresh_board_in_welsh(
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

    # The colleague adds a card; the lead's page does not know.
    button(theirs, en, "Add to the board", CARDS[4]).click()
    expect(announcement(theirs)).to_have_text(placed(en, CARDS[4], 1))
    expect_board(mine, cy, {})

    # The lead's move is refused (409): the fresh board, with the colleague's card, and why.
    with mine.expect_response(lambda r: r.url.endswith("/move")) as refused:
        button(mine, cy, "Add to the board", CARDS[0]).click()
    assert refused.value.status == 409
    board: Board = {1: CARDS[4]}
    stale = cy(STALE_BOARD)
    expect_move(mine, cy, board, stale)
    expect(error_summary(mine).get_by_role("heading", level=2)).to_have_text(
        cy("There is a problem")
    )
    expect(error_summary(mine).get_by_role("link")).to_have_text([stale])
    expect(card_in_bank(mine, cy, CARDS[4])).to_have_count(0)
    expect(card_in_bank(mine, cy, CARDS[0])).to_be_visible()
    # Focus is on the error summary (an element around its alert).
    expect_focus_within(error_summary(mine))

    # The lead's next move is based on the fresh board, and succeeds.
    with mine.expect_response(lambda r: r.url.endswith("/move")) as accepted:
        button(mine, cy, "Add to the board", CARDS[0]).click()
    assert accepted.value.status == 200
    board[2] = CARDS[0]
    expect_move(mine, cy, board, placed(cy, CARDS[0], 2))
    expect(error_summary(mine)).to_have_count(0)
    expect_focus_on_card(card_on_board(mine, cy, CARDS[0]))

    theirs.reload()
    expect_board(theirs, en, board)


# 5. axe-core on every kind of board page, in both languages -----------------------------------


def latest_own_card() -> OwnCard:
    db.session.rollback()
    card = db.session.scalars(select(OwnCard).order_by(OwnCard.id.desc())).first()
    assert card is not None
    return card


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_board_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t)
    sign_in(page, school_lead.email, t)
    board_title = t(DIAMOND_TASK)

    # The board empty, half full and full.
    audit.visit(board_path(lang, plan_year), board_title)
    half = {slot: CARDS[slot - 1] for slot in (1, 2, 4, 5, 7)}
    save_board_for(school_lead, half)
    audit.visit(board_path(lang, plan_year), board_title)
    expect_board(page, t, half)
    save_board_for(school_lead, full_board())
    audit.visit(board_path(lang, plan_year), board_title)
    expect_status(page, t, "Completed")

    # The whole-board form, with rows that are wrong.
    arrange_title = t("Arrange your Diamond 9 by row")
    audit.visit(board_path(lang, plan_year, "/arrange"), arrange_title)
    row_choice(page, t, CARDS[9]).select_option(label=row_name(t, 1))
    page.get_by_role("button", name=t("Save the board"), exact=True).click()
    expect(error_summary(page).get_by_role("link")).to_have_text([row_problem(t, 1, 2, 1)])
    audit.audit(arrange_title)

    # The own-card form, empty, then with an error; then a card of our own.
    new_card = t("Write your own card")
    audit.visit(board_path(lang, plan_year, "/cards/new"), new_card)
    page.get_by_role("button", name=t("Save card"), exact=True).click()
    expect(error_summary(page).get_by_role("link")).to_have_text(
        [t("Enter a title in English, in Welsh, or both")]
    )
    audit.audit(new_card)
    field(page, t, "Title in Welsh").fill("Cydweithio gyda rhieni")
    page.get_by_role("button", name=t("Save card"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        t("Your card has been added to the card bank.")
    )

    # Deleting it: from the bank, then (by its address) while it is on the board.
    delete_title = t("Are you sure you want to delete this card?")
    card_bank(page, t).get_by_role(
        "link", name=card_control(t("Delete"), "Cydweithio gyda rhieni")
    ).click()
    audit.audit(delete_title)
    card = latest_own_card()
    save_board_for(school_lead, {**full_board(), 9: card.key})
    audit.visit(board_path(lang, plan_year, f"/cards/{card.id}/delete"), delete_title)
    warning = t(
        "This card is on your board, in row %(row)d. Deleting it takes it off the board.", row=5
    )
    expect(page.get_by_text(warning)).to_be_visible()

    # The full board, with our own card on it, at 320 CSS pixels wide (WCAG 1.4.10: nothing
    # needs scrolling sideways).
    page.set_viewport_size({"width": 320, "height": 640})
    audit.visit(board_path(lang, plan_year), board_title)
    expect(
        the_board(page, t).get_by_role("heading", level=4, name="Cydweithio gyda rhieni")
    ).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The board page is {width}px wide at a 320px viewport"
    audit.assert_clean()
