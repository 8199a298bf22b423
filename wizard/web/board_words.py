"""The Diamond 9 board's words, in the page's language: what a move did, why it could not be made,
who changed the board. The school's board and a staff voice responder's board say the same."""

from __future__ import annotations

from collections.abc import Mapping

from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import Move, MoveError, RowProblem, Step, slot_of
from wizard.render.locale import format_time
from wizard.services.board import BoardChange, BoardState, MoveResult, Outcome
from wizard.web.text import gettext as _
from wizard.web.text import ngettext


def move_error(reason: MoveError) -> str:
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


def row_problem(problem: RowProblem) -> str:
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


def moved(done: Move, catalogue: CardCatalogue, before: Mapping[int, str]) -> str:
    """What a move did ("Curriculum design moved to row 2")."""
    card = catalogue[done.card].title
    if done.slot is None:
        return _("%(card)s returned to the card bank", card=card)
    if done.swapped and slot_of(before, done.card) is not None:
        return _(
            "%(card)s moved to row %(row)d, swapping places with %(other)s",
            card=card,
            row=done.row,
            other=catalogue[done.swapped].title,
        )
    if done.swapped:
        return _(
            "%(card)s placed in row %(row)d; %(other)s returned to the card bank",
            card=card,
            row=done.row,
            other=catalogue[done.swapped].title,
        )
    if slot_of(before, done.card) is None:
        return _("%(card)s placed in row %(row)d", card=card, row=done.row)
    return _("%(card)s moved to row %(row)d", card=card, row=done.row)


def described(step: Step, catalogue: CardCatalogue) -> str:
    """A move that can be undone, in words."""
    done = step.move
    if done is None:
        return _("the board was arranged by row")
    return moved(done, catalogue, step.before)


def undo_label(state: BoardState) -> str | None:
    """The words of the undo button ("Undo: Curriculum design moved to row 2"), if any."""
    if not state.history:
        return None
    return _("Undo: %(move)s", move=described(state.history[-1], state.catalogue))


def changed_by(change: BoardChange, catalogue: CardCatalogue) -> str:
    """Who changed the board, what they moved and when, as the step pages say it."""
    when = format_time(change.at) if change.at else ""
    what = described(change.last, catalogue) if change.last else None
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


def stale_message(change: BoardChange, catalogue: CardCatalogue) -> str:
    return " ".join(
        [
            changed_by(change, catalogue),
            _(
                "Your move has not been made. This is the board as it is now: check it, then make your change again."
            ),
        ]
    )


def announcement(result: MoveResult) -> str:
    """What the live region says after a move (empty: nothing to say)."""
    catalogue = result.state.catalogue
    if result.outcome == Outcome.MOVED and result.done is not None:
        return moved(result.done, catalogue, result.before)
    if result.outcome == Outcome.UNDONE and result.undone is not None:
        return _("Undone: %(move)s", move=described(result.undone, catalogue))
    if result.outcome == Outcome.REFUSED and result.error is not None:
        return move_error(result.error)
    if result.outcome == Outcome.STALE and result.change is not None:
        return stale_message(result.change, catalogue)
    return ""
