"""Real-browser test of staff voice (issue 15): the lead opens a round, five anonymous browsers
respond (two in Welsh, one without JavaScript, one by keyboard alone), the lead sees the results,
applies the consensus board and undoes it; axe-core on every page in both languages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, expect

from wizard.data.models import User
from wizard.domain import framework

from .support import (
    AccessibilityAudit,
    ContextFactory,
    Translator,
    expect_errors,
    msgid,
    plan_path,
    plural,
    sign_in,
    wait_until_ready,
)
from .test_diamond_browser import card_control, centre, wait_until_draggable
from .test_submission_browser import save_whole_plan

# Every responder's board, top first: Digital competence (on no school board yet) leads. The
# first three are moved about; the other six complete the board (the heat map and consensus
# board count complete boards only).
CARDS = ("Digital competence", "Well-being", "Equity and the impact of poverty")
MORE_CARDS = (
    "Learner voice",
    "Inclusion and diversity",
    "Early career and induction",
    "Leading teams",
    "Subject and area knowledge",
    "Research and critical enquiry",
)
ROLES = ("Teacher", "Leader", "Support staff", "Teacher", "Leader")


def open_round(page: Page, t: Translator) -> str:
    """Open a round closing in two weeks; return the link's path (shown once)."""
    closes = date.today() + timedelta(days=14)
    page.get_by_role("textbox", name=t("Day"), exact=True).fill(str(closes.day))
    page.get_by_role("textbox", name=t("Month"), exact=True).fill(str(closes.month))
    page.get_by_role("textbox", name=t("Year"), exact=True).fill(str(closes.year))
    page.get_by_role("button", name=t("Open the round"), exact=True).click()
    expect(page.get_by_text(t("You have opened a staff voice round"))).to_be_visible()
    shown = page.locator("#new-staff-voice-link")
    href = shown.get_attribute("href") or ""
    expect(shown).to_have_text(href)
    # With JavaScript and the Clipboard API, a copy button is shown beside the link.
    expect(page.get_by_role("button", name=t("Copy the link"), exact=True)).to_be_visible()
    return urlparse(href).path


def press(page: Page, button: Locator, keyboard: bool) -> None:
    """Press a button: with the keyboard alone (focus, then Enter), or a click.

    By keyboard, first let the last move settle: the board puts focus back on the moved card
    when htmx has settled (`htmx:afterSettle`), which would otherwise take it from this button
    between the focus and the Enter."""
    if keyboard:
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
        button.focus()
        expect(button).to_be_focused()
        page.keyboard.press("Enter")
    else:
        button.click()


def card_move(page: Page, t: Translator, title: str, action: str, keyboard: bool) -> None:
    """On the board, open a card's moves ("Moves: Well-being", the disclosure the school's board
    has) and press one of them."""
    board = page.get_by_role("list", name=t("Diamond 9 board"), exact=True)
    place = board.locator("li[data-slot]").filter(
        has=page.get_by_role("heading", level=4, name=title, exact=True)
    )
    moves = place.locator("summary").filter(
        has_text=re.compile("^" + re.escape(t("Moves")) + r"\s*: " + re.escape(title) + "$")
    )
    if not place.locator("details").evaluate("details => details.open"):
        press(page, moves, keyboard)
    press(page, place.get_by_role("button", name=t(action), exact=True), keyboard)


def add_cards(page: Page, t: Translator, cards: tuple[str, ...], keyboard: bool) -> None:
    """Each card from the bank to the next free place on the board."""
    board = page.locator("#diamond-board")
    for card in cards:
        title = t(card)
        press(
            page,
            page.get_by_role("button", name=card_control(t("Add to the board"), title)),
            keyboard,
        )
        expect(board.get_by_role("heading", name=title, exact=True)).to_be_visible()


def respond(
    page: Page,
    t: Translator,
    path: str,
    role: str,
    *,
    audit: AccessibilityAudit | None = None,
    keyboard: bool = False,
    javascript: bool = True,
) -> None:
    """One member of staff: a role, the eight ratings, then a board of three cards, the last
    one moved up a row, completed with six more."""
    page.goto(path)
    if javascript:
        wait_until_ready(page)
    if audit:
        audit.audit(t("Staff voice: your view of professional learning"))
    # Continuing with nothing rated shows every problem, in the page's language.
    page.get_by_role("button", name=t("Save and continue to your Diamond 9")).click()
    # Each error names its hallmark (issue 29).
    expect_errors(
        page,
        t,
        [
            t(
                "Select how well the school does on “%(hallmark)s”",
                hallmark=t(msgid(hallmark.title)),
            )
            for hallmark in framework.HALLMARKS
        ],
        translate=False,
    )
    if audit:
        audit.audit(t("Staff voice: your view of professional learning"))
    page.get_by_role("radio", name=t(role), exact=True).check()
    for index, hallmark in enumerate(framework.HALLMARKS):
        group = page.get_by_role("group", name=f"{hallmark.number}. {t(msgid(hallmark.title))}")
        rating = framework.RATINGS[(index + len(role)) % 4]
        group.get_by_role("radio", name=t(msgid(rating.title)), exact=True).check()
    page.get_by_role("button", name=t("Save and continue to your Diamond 9")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your Diamond 9"))
    if javascript:
        wait_until_ready(page)
    if audit:
        audit.audit(t("Your Diamond 9"))
    board = page.locator("#diamond-board")
    add_cards(page, t, CARDS, keyboard)
    # The third card (row 2) moves up a row: it swaps with the first.
    card_move(page, t, t(CARDS[2]), "Move up a row", keyboard)
    expect(board.locator('[data-slot="1"]')).to_contain_text(t(CARDS[2]))
    if javascript:
        expect(page.locator("#board-announcement")).to_contain_text(t(CARDS[2]))
    # Back to the first order: the first card up again.
    card_move(page, t, t(CARDS[0]), "Move up a row", keyboard)
    expect(board.locator('[data-slot="1"]')).to_contain_text(t(CARDS[0]))
    add_cards(page, t, MORE_CARDS, keyboard)
    if audit:
        audit.audit(t("Your Diamond 9"))
    page.get_by_role("button", name=t("Finish"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Thank you: your answers are saved")
    )
    expect(page.locator("#board-count")).to_have_text(
        plural(t, "Your Diamond 9 has %(num)d card.", "Your Diamond 9 has %(num)d cards.", 9)
    )
    if audit:
        wait_until_ready(page)
        audit.audit(t("Thank you: your answers are saved"))
    # On a shared computer the next person sees a choice, never these answers.
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Someone has already responded from this browser")
    )
    expect(page.get_by_role("radio")).to_have_count(0)
    if audit:
        audit.audit(t("Someone has already responded from this browser"))
    page.get_by_role("button", name=t("Start a new response"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Staff voice: your view of professional learning")
    )
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)


def test_staff_respond_and_the_lead_applies_and_undoes_the_consensus(
    page: Page,
    new_context: ContextFactory,
    school_lead: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    save_whole_plan(school_lead)
    sign_in(page, school_lead.email, en)
    lead_audit = AccessibilityAudit(page, en)
    page.goto(plan_path("en", plan_year))
    page.get_by_role("link", name=en("Staff voice: ask every member of staff"), exact=True).click()
    wait_until_ready(page)
    lead_audit.audit(en("Staff voice"))
    page.get_by_role("button", name=en("Open the round"), exact=True).click()
    expect_errors(page, en, ["Enter the date the round closes"])
    lead_audit.audit(en("Staff voice"))
    path = open_round(page, en)
    lead_audit.audit(en("Staff voice"))

    # Five people, each in a fresh browser: two in Welsh, one without JavaScript, one by
    # keyboard alone. None of them has an account.
    for index, role in enumerate(ROLES):
        welsh = index in (1, 3)
        t = cy if welsh else en
        javascript = index != 2
        context = new_context(locale="cy-GB" if welsh else "en-GB", java_script_enabled=javascript)
        responder = context.new_page()
        audit = AccessibilityAudit(responder, t) if javascript and index in (0, 1) else None
        respond(
            responder,
            t,
            path.replace("/en/", "/cy/", 1) if welsh else path,
            role,
            audit=audit,
            keyboard=index == 3,
            javascript=javascript,
        )
        if audit:
            audit.assert_clean()

    # While the round is open the lead sees only the count; once closed, the results.
    page.goto(plan_path("en", plan_year, "staff-voice"))
    page.get_by_role("link", name=en("See the results"), exact=False).click()
    wait_until_ready(page)
    expect(page.locator("#response-count")).to_have_text(
        plural(
            en,
            "%(num)d member of staff has responded.",
            "%(num)d members of staff have responded.",
            5,
        )
    )
    expect(page.locator("#consensus-board")).to_have_count(0)
    lead_audit.audit(en("Staff voice results"))
    page.goto(plan_path("en", plan_year, "staff-voice"))
    page.get_by_role("button", name=re.compile("^" + re.escape(en("Close the round")))).click()
    page.get_by_role("link", name=en("See the results"), exact=False).click()
    wait_until_ready(page)
    lead_audit.audit(en("Staff voice results"))
    consensus = page.locator("#consensus-board")
    expect(consensus.get_by_role("listitem").first).to_contain_text(en(CARDS[0]))
    school = page.locator("#school-board")
    expect(school).not_to_contain_text(en(CARDS[0]))
    page.get_by_role(
        "button", name=en("Apply the consensus board to the school's plan"), exact=True
    ).click()
    expect(
        page.get_by_text(
            en(
                "The school's Diamond 9 is now the staff's consensus board. You can undo this, or adjust the board."
            )
        )
    ).to_be_visible()
    expect(school.get_by_role("listitem").first).to_contain_text(en(CARDS[0]))
    lead_audit.audit(en("Staff voice results"))
    page.get_by_role("button", name=en("Undo applying the consensus board"), exact=True).click()
    expect(page.get_by_text(en("The school's board is back as it was before."))).to_be_visible()
    expect(school).not_to_contain_text(en(CARDS[0]))
    page.goto(plan_path("en", plan_year, "diamond-9"))
    expect(page.locator('#diamond-board [data-slot="1"]')).to_contain_text(
        en("Pedagogy and teaching approaches")
    )

    # The summary shows the staff heat map beside the school's board; everything in Welsh too.
    page.goto(plan_path("en", plan_year, "summary"))
    expect(page.locator("#staff-voice-count")).to_contain_text("5")
    expect(
        page.get_by_role(
            "table", name=en("Staff heat map: the number of staff who put each card in each row")
        )
    ).to_be_visible()
    welsh_audit = AccessibilityAudit(page, cy, plan_path("cy", plan_year))
    welsh_audit.visit("staff-voice", cy("Staff voice"))
    page.get_by_role("link", name=cy("See the results"), exact=False).click()
    wait_until_ready(page)
    welsh_audit.audit(cy("Staff voice results"))
    lead_audit.assert_clean()
    welsh_audit.assert_clean()

    # On a phone, the results never scroll sideways.
    phone = new_context(
        viewport={"width": 320, "height": 640}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(page.url)
    wait_until_ready(phone)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The results are {width}px wide at a 320px viewport"


def test_a_responder_drags_a_card_onto_their_board(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    """The responder's board takes drags as the school's does (diamond.mjs posts the move to the
    board's one form's data-hx-post): a card dragged from the bank to a place on the board;
    "Swap with…" asks which card first; no sideways scrolling at 320 px."""
    save_whole_plan(school_lead)
    lead = new_context().new_page()
    sign_in(lead, school_lead.email, cy)
    lead.goto(plan_path("cy", plan_year, "staff-voice"))
    path = open_round(lead, cy)
    page = new_context(locale="cy-GB", viewport={"width": 1280, "height": 2600}).new_page()
    page.goto(path)
    for hallmark in framework.HALLMARKS:
        group = page.get_by_role("group", name=f"{hallmark.number}. {cy(msgid(hallmark.title))}")
        group.get_by_role("radio", name=cy("Not sure"), exact=True).check()
    page.get_by_role("button", name=cy("Save and continue to your Diamond 9")).click()
    wait_until_ready(page)
    wait_until_draggable(page)
    card = page.locator("#card-bank").get_by_role("heading", level=3, name=cy(CARDS[1]), exact=True)
    place = page.locator('#diamond-board [data-slot="5"]')
    start, end = centre(card), centre(place)
    with page.expect_response(lambda r: r.url.endswith("/board") and r.request.method == "POST"):
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + 6, start[1] + 6, steps=3)
        page.mouse.move(*end, steps=12)
        page.mouse.up()
    expect(page.locator('#diamond-board [data-slot="5"]')).to_contain_text(cy(CARDS[1]))
    expect(page.locator("#card-bank")).not_to_contain_text(cy(CARDS[1]))
    # "Swap with…" asks which card first, as on the school's board, and the answer swaps them.
    page.get_by_role("button", name=card_control(cy("Add to the board"), cy(CARDS[0]))).click()
    expect(page.locator('#diamond-board [data-slot="1"]')).to_contain_text(cy(CARDS[0]))
    card_move(page, cy, cy(CARDS[1]), "Swap with…", keyboard=False)
    question = page.get_by_role("group").filter(has=page.locator("#chooser-heading"))
    expect(question).to_be_focused()
    question.get_by_role("button", name=cy(CARDS[0]), exact=True).click()
    expect(page.locator('#diamond-board [data-slot="1"]')).to_contain_text(cy(CARDS[1]))
    expect(page.locator('#diamond-board [data-slot="5"]')).to_contain_text(cy(CARDS[0]))
    expect(page.locator("#board-chooser")).to_be_empty()
    # On a phone, the responder's board never scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The responder's board is {width}px wide at a 320px viewport"
