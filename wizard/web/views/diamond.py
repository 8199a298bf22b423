"""The Diamond 9 board: one page, one move endpoint for every way of moving, own cards,
and the board as an SVG image. The board's rules are services.board's; these views read the
request, call it once, and show what it returns."""

from __future__ import annotations

from typing import Any

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

from wizard.domain.academic_year import year_slug
from wizard.domain.diamond import ROW_COUNT, ROW_OF, read_move
from wizard.domain.inputs import parse_whole_number
from wizard.render.locale import in_language
from wizard.render.svg import board_svg
from wizard.services import board as boards
from wizard.services.board import (
    ArrangeError,
    ArrangeResult,
    BoardState,
    Changes,
    Chooser,
    Deletion,
    MoveError,
    MoveResult,
    Outcome,
)
from wizard.web.access import Access, allow
from wizard.web.board_words import (
    announcement,
    changed_by,
    move_error,
    row_problem,
    stale_message,
    undo_label,
)
from wizard.web.forms import OwnCardForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import about_cards, board_context
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import (
    attachment,
    compact_html,
    file_word,
    posted_version,
    signed_in_user,
    wants_partial,
)

bp = Blueprint("diamond", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/diamond-9")


def _store(*, signed_in: bool = False) -> boards.SchoolBoard:
    """The school's board for this request's plan (with who is changing it, for a change)."""
    scope = plan_scope()
    user = signed_in_user() if signed_in else None
    return boards.SchoolBoard(scope.school_id, scope.academic_year, select_locale(), user)


def _board_url(year: str, **anchor: Any) -> str:
    return url_for("diamond.board", year=year, **anchor)


def _respond(
    year: str,
    state: BoardState,
    *,
    status: int = 200,
    announcement: str = "",
    moved: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    changes: Changes | None = None,
    chooser: Chooser | None = None,
    open_card: str | None = None,
) -> ResponseReturnValue:
    """The board: for htmx only what changed, out of band; else the full page."""
    context = board_context(
        year,
        plan_scope().academic_year,
        state,
        announcement=announcement,
        moved=moved,
        errors=errors or [],
        rows_chosen=None,
        chooser=chooser,
        undo_label=undo_label(state),
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


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def board(year: str) -> ResponseReturnValue:
    """Show the Diamond 9: the board, the ranked summary and the card bank."""
    return _respond(year, _store().read())


@bp.get("/cards")
@allow(Access.SCHOOL_MEMBER, plan=True)
def about_the_cards(year: str) -> ResponseReturnValue:
    """What each card means: its description (and the full hallmark), why it is suggested and
    where it is. The board's card bank leaves this out to stay small; with JavaScript its
    "About" disclosures read their text from this page, without it the bank links here."""
    return render_template(
        "plan/diamond/about_cards.html",
        year_slug=year,
        academic_year=plan_scope().academic_year,
        school=signed_in_user().school,
        entries=about_cards(_store().read()),
        row_count=ROW_COUNT,
    )


@bp.get("/version")
@allow(Access.SCHOOL_MEMBER, plan=True)
def board_version_notice(year: str) -> ResponseReturnValue:
    """What an open board polls: nothing while the board is the one it shows, else a notice
    that someone changed it, with a button to load the new board. The notice carries the
    version it told of ("notified"): while that is still the latest, the poll gets a 204 and
    the notice stays as it is, so a screen reader does not hear it again every 15 seconds."""
    seen = posted_version(request.args)
    notified = parse_whole_number((request.args.get("notified") or "").strip())
    notice = boards.version_notice(_store(), seen, notified)
    if notice.state is not None and notice.change is not None:
        html = render_template(
            "plan/diamond/change_notice.html",
            year_slug=year,
            message=changed_by(notice.change, notice.state.catalogue),
            version=notice.version,
        )
        response = Response(html, status=200)
    elif seen is not None and seen != notice.version:
        response = Response(status=204)
    else:
        response = Response("", status=200, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/arrange")
@allow(Access.SCHOOL_MEMBER, plan=True)
def arrange_form(year: str) -> ResponseReturnValue:
    """Arrange every card with a row choice each: the way to build the board without JavaScript."""
    academic_year = plan_scope().academic_year
    state = _store().read()
    pending = session.pop(_PENDING, None)
    if isinstance(pending, dict) and pending.get("year") == academic_year:
        rows = {str(k): str(v) for k, v in (pending.get("rows") or {}).items()}
        errors = [(str(m), str(h)) for m, h in pending.get("errors") or []]
        row_errors = {int(k): str(v) for k, v in (pending.get("row_errors") or {}).items()}
        card_errors = {
            str(k): [str(m) for m in v] for k, v in (pending.get("card_errors") or {}).items()
        }
        context = board_context(year, academic_year, state, errors=errors, rows_chosen=rows)
        return render_template(
            "plan/diamond/arrange.html", row_errors=row_errors, card_errors=card_errors, **context
        )
    return render_template(
        "plan/diamond/arrange.html",
        errors=[],
        rows_chosen=None,
        row_errors={},
        card_errors={},
        **board_context(year, academic_year, state),
    )


# The arrangement form's rows and errors, kept for one redirect back to the arrangement page
# (so that the address bar stays on it); sessions are server-side.
_PENDING = "diamond-arrangement"


@bp.post("/move")
@allow(Access.SCHOOL_MEMBER, plan=True)
def move_card(year: str) -> ResponseReturnValue:
    """Every way of moving reaches here: a button, "Move to row", a swap, an undo, a drag, or
    the whole-board form."""
    store = _store(signed_in=True)
    if request.form.get("arrangement"):
        rows = {
            name[len("row-") :]: request.form.getlist(name)
            for name in request.form
            if name.startswith("row-")
        }
        return _arranged(year, boards.arrange_board(store, rows, posted_version(request.form)))
    card, target = read_move(request.form)
    return _moved(year, boards.move(store, card, target, posted_version(request.form)))


def _moved(year: str, result: MoveResult) -> ResponseReturnValue:
    """After a move: a redirect to the board without JavaScript, else what changed; a question
    (which row, which card); or the board as it is, with why nothing moved."""
    said = announcement(result)
    if result.outcome in (Outcome.STALE, Outcome.REFUSED):
        status = 409 if result.outcome == Outcome.STALE else 200
        errors = [(said, "#diamond-board")]
        return _respond(year, result.state, status=status, announcement=said, errors=errors)
    if result.outcome == Outcome.ASKED:
        return _respond(year, result.state, chooser=result.question, changes=result.changes)
    card = result.card or ""
    if not wants_partial():
        if result.outcome == Outcome.CANCELLED and not card:
            return redirect(_board_url(year, _anchor="diamond-board"))
        if result.outcome != Outcome.CANCELLED:
            flash(said, "success")
        return redirect(_board_url(year, _anchor="card-" + card.replace(":", "-")))
    return _respond(
        year,
        result.state,
        announcement=said,
        moved=result.card,
        # A card moved from its own disclosure of moves keeps it open (the keyboard user goes
        # on from the same button); a card just added from the bank arrives closed, so that
        # adding nine cards leaves a compact board.
        open_card=card
        if result.outcome != Outcome.CANCELLED
        and request.form.get("m")
        and card in result.before.values()
        else None,
        changes=result.changes,
    )


def _field_id(key: str) -> str:
    return "row-" + key.replace(":", "-")


def _arranged(year: str, result: ArrangeResult) -> ResponseReturnValue:
    """The whole-board form's answer: to the board, or back to the form with the rows the user
    chose and what is wrong (a redirect, so that the address bar stays on the form)."""
    if result.outcome == Outcome.MOVED:
        flash(_("Your board has been arranged"), "success")
        return redirect(_board_url(year))
    errors, row_errors, card_errors = _arrangement_errors(result)
    session[_PENDING] = {
        "year": plan_scope().academic_year,
        "rows": {k: str(v or "") for k, v in result.chosen.items()},
        "errors": [list(error) for error in errors],
        "row_errors": {str(k): v for k, v in row_errors.items()},
        "card_errors": card_errors,
    }
    return redirect(url_for("diamond.arrange_form", year=year), 303)


def _arrangement_errors(
    result: ArrangeResult,
) -> tuple[list[tuple[str, str]], dict[int, str], dict[str, list[str]]]:
    """What is wrong with an arrangement: the error summary's (message, anchor) pairs, each
    row's message, and the messages on each card's row choice."""
    errors: list[tuple[str, str]] = []
    row_errors: dict[int, str] = {}
    card_errors: dict[str, list[str]] = {}
    if result.change is not None:  # stale: keep the rows chosen, show the board as it is now
        errors.append((stale_message(result.change, result.state.catalogue), "#diamond-board"))
    for problem in result.problems:
        message = _card_problem(problem.error)
        if message is not None:
            errors.append((message, "#" + _field_id(problem.card or "")))
        if message is not None or problem.row is None:
            continue
        row = problem.row.row
        row_errors[row] = row_problem(problem.row)
        marked = _cards_to_mark(result, row)
        for key in marked:
            card_errors.setdefault(key, []).append(row_errors[row])
        where = "#" + (_field_id(marked[0]) if marked else "diamond-board")
        errors.append((row_errors[row], where))
    return errors, row_errors, card_errors


def _card_problem(error: ArrangeError) -> str | None:
    """The message of a problem with one card's row choice (None: not a card's problem)."""
    if error == ArrangeError.TWICE:
        return _("Each card can only be placed once")
    if error == ArrangeError.NOT_A_ROW:
        return _("Choose a row from the list")
    if error == ArrangeError.UNKNOWN_CARD:
        return move_error(MoveError.UNKNOWN_CARD)
    return None


def _cards_to_mark(result: ArrangeResult, row: int) -> list[str]:
    """The cards a row's error goes on: those the user moved into or out of the row (all of the
    row's cards only if none was moved)."""
    placed_in = {card: ROW_OF[slot] for slot, card in result.state.board.items()}
    in_row = [k for k, r in result.chosen.items() if r == row]
    moved = [k for k, r in result.chosen.items() if (r == row) != (placed_in.get(k) == row)]
    return moved or in_row


@bp.route("/cards/new", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def new_card(year: str) -> ResponseReturnValue:
    """Write one of the school's own cards."""
    return _card_form(year, None)


@bp.route("/cards/<int:card_id>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def edit_card(year: str, card_id: int) -> ResponseReturnValue:
    """Change the title or description of one of the school's own cards."""
    return _card_form(year, card_id)


def _card_form(year: str, card_id: int | None) -> ResponseReturnValue:
    """Add a card (no card_id) or change one: a title in English, Welsh or both, and an
    optional description."""
    store = _store(signed_in=True)
    if card_id is None:
        state, card = store.load(), None
    else:
        state, card = boards.own_card(store, card_id)
        if card is None:
            abort(404)
    form = OwnCardForm(
        data={
            "title_en": card.title_en,
            "title_cy": card.title_cy,
            "description_en": card.description_en,
            "description_cy": card.description_cy,
            # Only as the form opens: a save that sends no revision is not trusted (a 409).
            **({"revision": str(card.revision)} if request.method == "GET" else {}),
        }
        if card
        else None
    )
    conflict = None
    if form.validate_on_submit():
        saved = boards.save_card(
            store,
            state,
            card,
            form.title_en.data,
            form.title_cy.data,
            description_en=form.description_en.data,
            description_cy=form.description_cy.data,
            based_on_revision=form.based_on_revision(),
        )
        if saved.conflict is not None:
            if saved.conflict.current is None:  # deleted meanwhile: nothing to save over
                flash(_("Someone else deleted this card while you were changing it."), "important")
                return redirect(_board_url(year))
            # Someone else changed the card since the form was opened: keep what the user
            # typed, show what the other person saved, and base the next save on their version.
            conflict = saved.conflict
            form.revision.data = str(conflict.revision)
        elif saved.card is None:
            form.title_en.errors = [
                _(
                    "Your school can have up to %(count)s cards of its own on this plan. Delete one you no longer need to add another.",
                    count=saved.cap,
                )
            ]
            card = None
        else:
            if card_id:
                flash(_("Your card has been changed."), "success")
            else:
                flash(_("Your card has been added to the card bank."), "success")
            anchor = "card-" + saved.card.key.replace(":", "-")
            return redirect(_board_url(year, _anchor=anchor))
    return (
        render_template(
            "plan/diamond/card_form.html",
            form=form,
            year_slug=year,
            academic_year=store.academic_year,
            card=card,
            conflict=conflict.current if conflict else None,
            conflict_author=conflict.author if conflict else None,
        ),
        409 if conflict else 200,
    )


@bp.route("/cards/<int:card_id>/delete", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def delete_card(year: str, card_id: int) -> ResponseReturnValue:
    """Delete one of the school's own cards; a card on the board needs confirming first. The
    version the confirmation page showed must still be the board's, wherever the card is."""
    store = _store(signed_in=True)
    state, card = boards.own_card(store, card_id)
    if card is None:
        abort(404)
    if request.method == "GET":
        result = boards.confirm_deletion(state, card)
    else:
        result = boards.delete_card(
            store,
            state,
            card,
            based_on=posted_version(request.form),
            confirmed=request.form.get("confirm") == "yes",
        )
    if result.outcome == Deletion.DELETED:
        flash(_("%(card)s has been deleted.", card=result.title.title), "success")
        return redirect(_board_url(year))
    if result.outcome == Deletion.STALE:
        # Nothing deleted: the board, with who changed it, as for a stale move without JavaScript.
        flash(
            _(
                "Someone else changed the board at the same time. Check the board, then delete the card again."
            ),
            "important",
        )
        return redirect(_board_url(year))
    return render_template(
        "plan/diamond/delete_card.html",
        card=result.card,
        title=result.title,
        row=result.row,
        year_slug=year,
        academic_year=store.academic_year,
        version=result.state.version,
    )


@bp.get("/image.svg")
@allow(Access.SCHOOL_MEMBER, plan=True)
def download_svg(year: str) -> ResponseReturnValue:
    """The board as an SVG image, with the card titles in the page's language."""
    store = _store()
    state = store.read()
    school = signed_in_user().school
    assert school is not None  # school members always have one
    school_name = in_language(school.name_en, school.name_cy, select_locale())
    svg = board_svg(state.board, state.catalogue, school_name, store.academic_year)
    name = (file_word("diamond-9"), year_slug(store.academic_year), select_locale(), "svg")
    return Response(svg, mimetype="image/svg+xml", headers=attachment(*name))
