"""The Diamond 9 board: one page, one move endpoint for every way of moving, own cards,
and the board as an SVG image."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from wizard.data.boards import (
    BoardState,
    board_change,
    board_version,
    delete_own_card,
    find_own_card,
    load_board,
    save_board,
    save_own_card,
)
from wizard.data.caps import CapReached
from wizard.data.plans import get_or_create_plan, require_draft
from wizard.domain.academic_year import year_slug
from wizard.domain.diamond import (
    ROW_COUNT,
    ROW_OF,
    SLOTS,
    ChooseCard,
    InvalidMove,
    Move,
    MoveError,
    RowProblem,
    Step,
    arrange,
    is_complete,
    move,
    read_move,
    remember,
    slot_of,
    swap_choices,
    undo,
)
from wizard.domain.inputs import parse_whole_number
from wizard.render.locale import format_time, in_language
from wizard.render.svg import board_svg
from wizard.web.access import Access, allow
from wizard.web.extensions import htmx
from wizard.web.forms import OwnCardForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import about_cards, board_context
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.text import ngettext
from wizard.web.views import attachment, compact_html, file_word, signed_in_user

if TYPE_CHECKING:
    from wizard.data.models import OwnCard

bp = Blueprint("diamond", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/diamond-9")


def _state(academic_year: int) -> BoardState:
    return load_board(plan_scope().school_id, academic_year, select_locale())


def _board_url(year: str, **anchor: Any) -> str:
    return url_for("diamond.board", year=year, **anchor)


def _move_error(reason: MoveError) -> str:
    return {
        MoveError.UNKNOWN_CARD: _("Choose a card from your board or your card bank"),
        MoveError.UNKNOWN_TARGET: _("Choose a row or a place on the board"),
        MoveError.NOT_ON_BOARD: _("Add the card to the board before moving it up or down"),
        MoveError.BOARD_FULL: _(
            "The board is full. Return a card to the bank first, or choose a place to swap with"
        ),
        MoveError.NO_ROW_THERE: _("The card cannot move any further that way"),
        MoveError.NOTHING_TO_UNDO: _("There is no move to undo"),
    }[reason]


def _row_problem(problem: RowProblem) -> str:
    if problem.count > problem.capacity:
        return ngettext(
            "Row %(row)d has %(num)d card but can only hold %(capacity)d",
            "Row %(row)d has %(num)d cards but can only hold %(capacity)d",
            problem.count,
            row=problem.row,
            capacity=problem.capacity,
        )
    return ngettext(
        "Row %(row)d has %(num)d card but needs %(capacity)d",
        "Row %(row)d has %(num)d cards but needs %(capacity)d",
        problem.count,
        row=problem.row,
        capacity=problem.capacity,
    )


def _announcement(done: Move, state: BoardState, before: dict[int, str]) -> str:
    """What a move did, in the page's language ("Curriculum design moved to row 2")."""
    card = state.catalogue[done.card].title
    if done.slot is None:
        return _("%(card)s returned to the card bank", card=card)
    if done.swapped and slot_of(before, done.card) is not None:
        return _(
            "%(card)s moved to row %(row)d, swapping places with %(other)s",
            card=card,
            row=done.row,
            other=state.catalogue[done.swapped].title,
        )
    if done.swapped:
        return _(
            "%(card)s placed in row %(row)d; %(other)s returned to the card bank",
            card=card,
            row=done.row,
            other=state.catalogue[done.swapped].title,
        )
    if slot_of(before, done.card) is None:
        return _("%(card)s placed in row %(row)d", card=card, row=done.row)
    return _("%(card)s moved to row %(row)d", card=card, row=done.row)


def _described(step: Step, state: BoardState) -> str:
    """A move that can be undone, in words."""
    done = step.move
    if done is None:
        return _("the board was arranged by row")
    return _announcement(done, state, step.before)


def _undo_label(state: BoardState) -> str | None:
    """The words of the undo button ("Undo: Curriculum design moved to row 2"), if any."""
    if not state.history:
        return None
    return _("Undo: %(move)s", move=_described(state.history[-1], state))


def wants_partial() -> bool:
    """Only a move made through htmx gets the board partial: a page load, a boosted link and a
    history restore (back button) always get the whole page."""
    return (
        request.method == "POST"
        and bool(htmx)
        and not htmx.boosted
        and not htmx.history_restore_request
    )


def _respond(
    year: str,
    academic_year: int,
    state: BoardState,
    *,
    status: int = 200,
    announcement: str = "",
    moved: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    rows: dict[str, str] | None = None,
    changes: Changes | None = None,
    chooser: Chooser | None = None,
    open_card: str | None = None,
) -> ResponseReturnValue:
    """The board: for htmx only what changed, out of band; else the full page."""
    context = board_context(
        year,
        academic_year,
        state,
        announcement=announcement,
        moved=moved,
        errors=errors or [],
        rows_chosen=rows,
        chooser=chooser,
        undo_label=_undo_label(state),
        open_card=open_card,
        poll_url=url_for("diamond.board_version_notice", year=year),
    )
    if wants_partial():
        html = render_template("plan/diamond/move_response.html", changes=changes, **context)
        response = Response(compact_html(html), status=status)
        response.headers["HX-Reswap"] = "none"
    else:
        page = render_template(
            "plan/diamond/board_page.html", school=signed_in_user().school, **context
        )
        response = Response(compact_html(page), status=status)
    response.headers["Vary"] = "HX-Request"
    return response


@dataclass(frozen=True)
class Changes:
    """What a move changed, so that only that is sent back: the places whose card changed, the
    rows whose count changed, and how the card bank changed."""

    slots: list[int]
    rows: list[int]
    left_bank: list[str]
    """Cards that were in the bank and are now on the board: removed from the bank."""
    returned: list[tuple[str, str | None]]
    """Cards back in the bank, each with the bank card it goes before (None: at the end)."""
    full_changed: bool
    whole_bank: bool = False
    """The bank changed more than by the moved cards (a merged card shown or hidden again):
    it is sent whole."""


def _changes(before: dict[int, str], after: dict[int, str], state: BoardState) -> Changes:
    slots = [slot for slot in SLOTS if before.get(slot) != after.get(slot)]
    rows = sorted({ROW_OF[slot] for slot in slots})
    was, now = set(before.values()), set(after.values())
    bank = [card.key for card in state.catalogue.bank(now)]
    bank_before = {card.key for card in state.catalogue.bank(was)}
    whole_bank = set(bank) != (bank_before - now) | (was - now)
    returned = []
    for key in was - now:
        position = bank.index(key) if key in bank else len(bank)
        following = next((k for k in bank[position + 1 :] if k not in was - now), None)
        returned.append((key, following))
    return Changes(
        slots=slots,
        rows=rows,
        left_bank=sorted(now - was),
        returned=returned,
        full_changed=is_complete(before) != is_complete(after),
        whole_bank=whole_bank,
    )


_NOTHING = Changes([], [], [], [], False)


@dataclass(frozen=True)
class Chooser:
    """A question before a move: which card to swap with."""

    card: str
    row: int | None
    candidates: list[str]
    swap_any: bool = False
    """True for "Swap with...": any card on the board."""
    pick_row: bool = False
    """True for "Move to row...": which row (`row` is then the card's own row)."""


def question_before(state: BoardState, card: str, target: str) -> Chooser | None:
    """The question "Move to row" and "Swap with..." ask before anything moves (which row,
    which card), or None for a move made at once. Any board (the school's, a responder's)."""
    if card not in state.catalogue:
        return None
    if target == "rows":
        current = slot_of(state.board, card)
        return Chooser(card, ROW_OF[current] if current else None, [], pick_row=True)
    if target == "swap":
        return Chooser(card, None, swap_choices(state.board, card), swap_any=True)
    return None


def chooser_of(asked: ChooseCard) -> Chooser:
    """The "which card?" question a move into a full row (or a full board) raised."""
    return Chooser(asked.card, asked.row, asked.candidates)


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def board(year: str) -> ResponseReturnValue:
    """Show the Diamond 9: the board, the ranked summary and the card bank."""
    academic_year = plan_scope().academic_year
    return _respond(year, academic_year, _state(academic_year))


@bp.get("/cards")
@allow(Access.SCHOOL_MEMBER, plan=True)
def about_the_cards(year: str) -> ResponseReturnValue:
    """What each card means: its description (and the full hallmark), why it is suggested and
    where it is. The board's card bank leaves this out to stay small; with JavaScript its
    "About" disclosures read their text from this page, without it the bank links here."""
    scope = plan_scope()
    state = _state(scope.academic_year)
    return render_template(
        "plan/diamond/about_cards.html",
        year_slug=year,
        academic_year=scope.academic_year,
        school=signed_in_user().school,
        entries=about_cards(state),
        row_count=ROW_COUNT,
    )


@bp.get("/version")
@allow(Access.SCHOOL_MEMBER, plan=True)
def board_version_notice(year: str) -> ResponseReturnValue:
    """What an open board polls: nothing while the board is the one it shows, else a notice
    that someone changed it, with a button to load the new board. The notice carries the
    version it told of ("notified"): while that is still the latest, the poll gets a 204 and
    the notice stays as it is, so a screen reader does not hear it again every 15 seconds."""
    scope = plan_scope()
    seen = parse_whole_number((request.args.get("version") or "").strip())
    notified = parse_whole_number((request.args.get("notified") or "").strip())
    version, _by = board_version(scope.school_id, scope.academic_year)
    if seen is None or seen == version:
        response = Response("", status=200, mimetype="text/html")
    elif notified == version:
        response = Response(status=204)
    else:
        state = _state(scope.academic_year)
        html = render_template(
            "plan/diamond/change_notice.html",
            year_slug=year,
            message=_changed_by(state),
            version=version,
        )
        response = Response(html, status=200)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/arrange")
@allow(Access.SCHOOL_MEMBER, plan=True)
def arrange_form(year: str) -> ResponseReturnValue:
    """Arrange every card with a row choice each: the way to build the board without JavaScript."""
    academic_year = plan_scope().academic_year
    state = _state(academic_year)
    pending = session.pop(_PENDING, None)
    if isinstance(pending, dict) and pending.get("year") == academic_year:
        rows = {str(k): str(v) for k, v in (pending.get("rows") or {}).items()}
        errors = [(str(m), str(h)) for m, h in pending.get("errors") or []]
        row_errors = {int(k): str(v) for k, v in (pending.get("row_errors") or {}).items()}
        context = board_context(year, academic_year, state, errors=errors, rows_chosen=rows)
        return render_template("plan/diamond/arrange.html", row_errors=row_errors, **context)
    return render_template(
        "plan/diamond/arrange.html",
        errors=[],
        rows_chosen=None,
        row_errors={},
        **board_context(year, academic_year, state),
    )


# The arrangement form's rows and errors, kept for one redirect back to the arrangement page
# (so that the address bar stays on it); sessions are server-side.
_PENDING = "diamond-arrangement"


def _parse_version() -> int:
    number = parse_whole_number((request.form.get("version") or "").strip())
    return -1 if number is None else number


def _arrangement(state: BoardState) -> tuple[dict[str, int | None], list[tuple[str, str]]]:
    """Read the row chosen for each card; report cards sent twice or rows that do not exist."""
    rows: dict[str, int | None] = {}
    errors: list[tuple[str, str]] = []
    for name in request.form:
        if not name.startswith("row-"):
            continue
        key = name[len("row-") :]
        values = request.form.getlist(name)
        anchor = "#" + _field_id(key)
        if len(values) > 1:
            errors.append((_("Each card can only be placed once"), anchor))
            continue
        value = values[0].strip()
        if value == "":
            rows[key] = None
        elif (row := parse_whole_number(value, maximum=ROW_COUNT)) is not None and row >= 1:
            rows[key] = row
        else:
            errors.append((_("Choose a row from the list"), anchor))
    unknown = [key for key in rows if key not in state.catalogue]
    if unknown:
        errors.append((_move_error(MoveError.UNKNOWN_CARD), "#" + _field_id(unknown[0])))
    return rows, errors


def _first_field_in_row(chosen: dict[str, int | None], row: int) -> str:
    first = next((key for key, chosen_row in chosen.items() if chosen_row == row), None)
    return _field_id(first) if first else "diamond-board"


def _field_id(key: str) -> str:
    return "row-" + key.replace(":", "-")


def _changed_by(state: BoardState) -> str:
    """Who changed the board, what they moved and when, as the step pages say it."""
    change = board_change(state)
    when = format_time(change.at) if change.at else ""
    what = _described(change.last, state) if change.last else None
    if change.by and what:
        return _(
            "%(name)s changed the board at %(time)s: %(move)s.",
            name=change.by,
            time=when,
            move=what,
        )
    if change.by:
        return _("%(name)s changed the board at %(time)s.", name=change.by, time=when)
    return _("A colleague changed the board at %(time)s.", time=when)


def _stale_message(state: BoardState) -> str:
    return " ".join(
        [
            _changed_by(state),
            _(
                "Your move has not been made. This is the board as it is now: check it, then make your change again."
            ),
        ]
    )


def _stale_board(year: str, academic_year: int, state: BoardState) -> ResponseReturnValue:
    """409 with the board as it is now, and who changed it."""
    stale = _stale_message(state)
    return _respond(
        year,
        academic_year,
        state,
        status=409,
        announcement=stale,
        errors=[(stale, "#diamond-board")],
    )


def _arrange_page(
    year: str,
    academic_year: int,
    chosen: dict[str, int | None],
    errors: list[tuple[str, str]],
    row_errors: dict[int, str] | None = None,
) -> ResponseReturnValue:
    """Back to the whole-board form, with the rows the user chose and what is wrong: a redirect,
    so that the address bar stays on the arrangement page."""
    session[_PENDING] = {
        "year": academic_year,
        "rows": {k: str(v or "") for k, v in chosen.items()},
        "errors": [list(error) for error in errors],
        "row_errors": {str(k): v for k, v in (row_errors or {}).items()},
    }
    return redirect(url_for("diamond.arrange_form", year=year), 303)


@bp.post("/move")
@allow(Access.SCHOOL_MEMBER, plan=True)
def move_card(year: str) -> ResponseReturnValue:
    """Every way of moving reaches here: a button, "Move to row", a swap, an undo, a drag, or
    the whole-board form."""
    academic_year = plan_scope().academic_year
    state = _state(academic_year)
    require_draft(state.plan)  # htmx gets HX-Redirect to the task list (errors.py)
    if request.form.get("arrangement"):
        return _arrange_board(year, academic_year, state)
    return _move_one_card(year, academic_year, state)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _arrange_board(year: str, academic_year: int, state: BoardState) -> ResponseReturnValue:
    """The no-JavaScript form: a row for every card at once."""
    based_on = _parse_version()
    chosen, errors = _arrangement(state)
    if based_on != state.version:
        # Keep the rows the user chose, and show them the board as it is now.
        stale = _stale_message(state)
        return _arrange_page(year, academic_year, chosen, [(stale, "#diamond-board")])
    new_board: dict[int, str] = {}
    row_errors: dict[int, str] = {}
    if not errors:
        new_board, problems = arrange(chosen, state.catalogue)
        for problem in problems:
            row_errors[problem.row] = _row_problem(problem)
            errors.append((_row_problem(problem), "#" + _first_field_in_row(chosen, problem.row)))
    if errors:
        return _arrange_page(year, academic_year, chosen, errors, row_errors)
    user = signed_in_user()
    history = state.history
    if new_board != state.board:
        history = remember(history, Step(dict(state.board), None, None, None, user.id, _now()))
    if not save_board(
        state,
        plan_scope().school_id,
        academic_year,
        new_board,
        based_on,
        user,
        history=history,
    ).saved:
        stale = _stale_message(_state(academic_year))
        return _arrange_page(year, academic_year, chosen, [(stale, "#diamond-board")])
    flash(_("Your board has been arranged"), "success")
    return redirect(_board_url(year))


def _move_one_card(year: str, academic_year: int, state: BoardState) -> ResponseReturnValue:
    """One card moves: placed, moved up or down, moved to a row or a place, swapped with a
    chosen card, or returned to the bank; or the last move is undone."""
    based_on = _parse_version()
    if based_on != state.version:
        return _stale_board(year, academic_year, state)
    before = dict(state.board)
    card, target = read_move(request.form)
    if target == "undo":
        return _undo(year, academic_year, state, based_on)
    if target == "cancel":
        return _cancel(year, academic_year, state, card)
    question = question_before(state, card, target)
    if question is not None:
        return _respond(year, academic_year, state, chooser=question, changes=_NOTHING)
    try:
        new_board, done = move(state.board, card, target, state.catalogue)
    except ChooseCard as asked:
        return _respond(year, academic_year, state, chooser=chooser_of(asked), changes=_NOTHING)
    except InvalidMove as problem:
        message = _move_error(problem.reason)
        return _respond(
            year, academic_year, state, announcement=message, errors=[(message, "#diamond-board")]
        )
    announcement = _announcement(done, state, before)
    user = signed_in_user()
    history = state.history
    if new_board != before:
        step = Step(before, done.card, done.slot, done.swapped, user.id, _now())
        history = remember(history, step)
        if not save_board(
            state,
            plan_scope().school_id,
            academic_year,
            new_board,
            based_on,
            user,
            history=history,
        ).saved:
            return _stale_board(year, academic_year, _state(academic_year))
        state.version = based_on + 1
    state.board = new_board
    state.history = history
    return _moved(year, academic_year, state, before, announcement, done.card)


def _moved(
    year: str,
    academic_year: int,
    state: BoardState,
    before: dict[int, str],
    announcement: str,
    card: str,
) -> ResponseReturnValue:
    """After a move or an undo: a redirect to the board without JavaScript, else what changed."""
    if not wants_partial():
        flash(announcement, "success")
        return redirect(_board_url(year, _anchor="card-" + card.replace(":", "-")))
    return _respond(
        year,
        academic_year,
        state,
        announcement=announcement,
        moved=card,
        # A card moved from its own disclosure of moves keeps it open (the keyboard user goes
        # on from the same button); a card just added from the bank arrives closed, so that
        # adding nine cards leaves a compact board.
        open_card=card if request.form.get("m") and card in before.values() else None,
        changes=_changes(before, state.board, state),
    )


def _undo(year: str, academic_year: int, state: BoardState, based_on: int) -> ResponseReturnValue:
    """Undo the last move: itself a move, made only on the board the person is looking at."""
    try:
        new_board, remaining = undo(state.history)
    except InvalidMove as problem:
        message = _move_error(problem.reason)
        return _respond(
            year, academic_year, state, announcement=message, errors=[(message, "#diamond-board")]
        )
    last = state.history[-1]
    announcement = _("Undone: %(move)s", move=_described(last, state))
    before = dict(state.board)
    user = signed_in_user()
    if not save_board(
        state,
        plan_scope().school_id,
        academic_year,
        new_board,
        based_on,
        user,
        history=remaining,
    ).saved:
        return _stale_board(year, academic_year, _state(academic_year))
    state.version = based_on + 1
    state.board = new_board
    state.history = remaining
    focus = last.card if last.card else next(iter(new_board.values()), "")
    return _moved(year, academic_year, state, before, announcement, focus)


def _cancel(year: str, academic_year: int, state: BoardState, card: str) -> ResponseReturnValue:
    """Close the "which card?" question without moving anything."""
    if not wants_partial():
        anchor = "card-" + card.replace(":", "-") if card in state.catalogue else "diamond-board"
        return redirect(_board_url(year, _anchor=anchor))
    return _respond(
        year,
        academic_year,
        state,
        moved=card if card in state.catalogue else None,
        changes=_NOTHING,
    )


def _own_card(state: BoardState, card_id: int) -> OwnCard:
    """One of this school's own cards for the year; another school's card is simply not found."""
    card = find_own_card(state.plan, card_id)
    if card is None:
        abort(404)
    return card


def _editable_state(academic_year: int, year: str) -> BoardState | ResponseReturnValue:
    """The board, or a redirect to the task list if the plan has been submitted."""
    state = _state(academic_year)
    require_draft(state.plan)
    return state


@bp.route("/cards/new", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def new_card(year: str) -> ResponseReturnValue:
    """Write one of the school's own cards."""
    return _card_form(year, None)


@bp.route("/cards/<int:card_id>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def edit_card(year: str, card_id: int) -> ResponseReturnValue:
    """Change the title of one of the school's own cards."""
    return _card_form(year, card_id)


def _card_form(year: str, card_id: int | None) -> ResponseReturnValue:
    """Add a card (no card_id) or change one: a title in English, Welsh or both."""
    academic_year = plan_scope().academic_year
    state = _editable_state(academic_year, year)
    if not isinstance(state, BoardState):
        return state
    card = _own_card(state, card_id) if card_id is not None else None
    form = OwnCardForm(
        data={"title_en": card.title_en, "title_cy": card.title_cy} if card else None
    )
    if form.validate_on_submit():
        user = signed_in_user()
        plan = state.plan or get_or_create_plan(plan_scope().school_id, academic_year)
        try:
            card = save_own_card(plan, card, form.title_en.data, form.title_cy.data, user)
        except CapReached as reached:
            form.title_en.errors = [
                _(
                    "Your school can have up to %(count)s cards of its own on this plan. Delete one you no longer need to add another.",
                    count=reached.cap,
                )
            ]
            return render_template(
                "plan/diamond/card_form.html",
                form=form,
                year_slug=year,
                academic_year=academic_year,
                card=None,
            )
        if card_id:
            flash(_("Your card has been changed."), "success")
        else:
            flash(_("Your card has been added to the card bank."), "success")
        return redirect(_board_url(year, _anchor="card-" + card.key.replace(":", "-")))
    return render_template(
        "plan/diamond/card_form.html",
        form=form,
        year_slug=year,
        academic_year=academic_year,
        card=card,
    )


@bp.route("/cards/<int:card_id>/delete", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def delete_card(year: str, card_id: int) -> ResponseReturnValue:
    """Delete one of the school's own cards; a card on the board needs confirming first."""
    academic_year = plan_scope().academic_year
    state = _editable_state(academic_year, year)
    if not isinstance(state, BoardState):
        return state
    card = _own_card(state, card_id)
    slot = slot_of(state.board, card.key)
    title = state.catalogue[card.key]
    if request.method == "GET" or (slot is not None and request.form.get("confirm") != "yes"):
        return render_template(
            "plan/diamond/delete_card.html",
            card=card,
            title=title,
            row=ROW_OF.get(slot or 0),
            year_slug=year,
            academic_year=academic_year,
            version=state.version,
        )
    if not delete_own_card(state, card, signed_in_user(), _parse_version()):
        flash(
            _(
                "Someone else changed the board at the same time. Check the board, then delete the card again."
            ),
            "important",
        )
        return redirect(_board_url(year))
    flash(_("%(card)s has been deleted.", card=title.title), "success")
    return redirect(_board_url(year))


@bp.get("/image.svg")
@allow(Access.SCHOOL_MEMBER, plan=True)
def download_svg(year: str) -> ResponseReturnValue:
    """The board as an SVG image, with the card titles in the page's language."""
    academic_year = plan_scope().academic_year
    state = _state(academic_year)
    school = signed_in_user().school
    assert school is not None  # school members always have one
    school_name = in_language(school.name_en, school.name_cy, select_locale())
    svg = board_svg(state.board, state.catalogue, school_name, academic_year)
    name = (file_word("diamond-9"), year_slug(academic_year), select_locale(), "svg")
    return Response(svg, mimetype="image/svg+xml", headers=attachment(*name))
