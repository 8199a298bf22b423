"""Staff voice: the lead opens a round and passes on its one link; every member of staff, without
an account, rates the hallmarks and builds their own Diamond 9; the lead and colleagues see the
results once five have responded, and the lead can apply the staff's consensus board.

The responder's pages (/staff-voice/<token>) are public, rate limited per address, and say
no-referrer and noindex, like shared plans. A response is found again only through the random
token in the responder's cookie, whose hash alone is stored.
"""

from __future__ import annotations

import time as clock
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address

from wizard.domain import framework
from wizard.domain.diamond import normalise, ranked, read_move
from wizard.domain.staff_voice import is_complete, more_than_expected
from wizard.render.mail import link
from wizard.render.staff_voice import ROLE_LABELS
from wizard.services import board as boards
from wizard.services import staff_voice as voice
from wizard.services.board import BoardState, Chooser, Outcome
from wizard.web.access import Access, allow
from wizard.web.board_words import announcement
from wizard.web.extensions import htmx, limiter
from wizard.web.forms import ConfirmForm, date_errors, today
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import board_context
from wizard.web.scope import plan_scope
from wizard.web.staff_voice import (
    RATHER_NOT_SAY,
    OpenRoundForm,
    ResponseForm,
    gap_text,
    mean_text,
)
from wizard.web.text import gettext as _
from wizard.web.views import posted_version, signed_in_user, wants_partial

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

    from wizard.services.staff_voice import Plan, StaffVoiceResponse, StaffVoiceRound

bp = Blueprint("staff_voice", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/staff-voice")
respond = Blueprint("staff_voice_response", __name__, url_prefix=LANG_PREFIX + "/staff-voice")

COOKIE_PREFIX = "staff-voice-"


# The lead's pages -----------------------------------------------------------------------------


def _plan() -> Plan:
    scope = plan_scope()
    plan = voice.plan_of(scope.school_id, scope.academic_year)
    if plan is None:
        abort(404)
    return plan


def _round(plan: Plan, round_id: int) -> StaffVoiceRound:
    found = voice.round_of(plan, round_id)
    if found is None:
        abort(404)
    return found


@bp.route("", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def index(year: str) -> ResponseReturnValue:
    """The plan's rounds; the lead opens one (its link shown once, in full), closes or deletes it."""
    return _index(year)


def _index(year: str, new_link: str | None = None, reissued: bool = False) -> ResponseReturnValue:
    scope = plan_scope()
    plan = voice.plan_of(scope.school_id, scope.academic_year)
    user = signed_in_user()
    form = OpenRoundForm(formdata=None) if reissued else OpenRoundForm()
    listed = voice.rounds(plan, today())
    rounds, has_open = listed.rows, listed.has_open
    if request.method == "POST" and not reissued:
        if not user.is_school_lead or plan is None:
            abort(403)
        if has_open:
            flash(_("Close the open round before you open another."), "important")
            return redirect(url_for("staff_voice.index", year=year))
        if form.validate_on_submit() and form.closes_on is not None:
            token = voice.open_round(plan, user, form.closes_on)
            new_link = link("staff_voice_response.start", token=token)
            form = OpenRoundForm(formdata=None)
            rounds = voice.rounds(plan, today()).rows
            has_open = True
    return render_template(
        "staff_voice/index.html",
        form=form,
        errors=date_errors(form, "closes"),
        new_link=new_link,
        reissued=reissued,
        expected=voice.expected_staff_of(plan),
        more_than_expected=more_than_expected,
        rounds=rounds,
        has_open=has_open,
        today=today(),
        is_open=voice.is_open,
        can_manage=user.is_school_lead and scope.can_write,
        plan=plan,
        year_slug=year,
        academic_year=scope.academic_year,
    )


@bp.post("/<int:round_id>/close")
@allow(Access.SCHOOL_LEAD, plan=True)
def close(year: str, round_id: int) -> ResponseReturnValue:
    """Stop the round taking responses; its results stay."""
    plan = _plan()
    round_ = _round(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    voice.close_round(plan, round_, signed_in_user())
    flash(
        _("You have closed the round. Staff can no longer respond or change their answers."),
        "success",
    )
    return redirect(url_for("staff_voice.index", year=year))


@bp.post("/<int:round_id>/new-link")
@allow(Access.SCHOOL_LEAD, plan=True)
def new_link(year: str, round_id: int) -> ResponseReturnValue:
    """A lost link: the round gets a new one (shown once, in full) and the old one stops
    working; the responses stay."""
    plan = _plan()
    round_ = _round(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not voice.is_open(round_, today()):
        flash(_("This round has closed, so it needs no new link."), "important")
        return redirect(url_for("staff_voice.index", year=year))
    token = voice.reissue_link(plan, round_, signed_in_user())
    return _index(year, link("staff_voice_response.start", token=token), reissued=True)


@bp.route("/<int:round_id>/delete", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD, plan=True)
def delete(year: str, round_id: int) -> ResponseReturnValue:
    """Delete a round and every response to it, after confirming."""
    plan = _plan()
    round_ = _round(plan, round_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        voice.delete_round(plan, round_, signed_in_user())
        flash(
            _("You have deleted the round and its responses. Its link no longer works."), "success"
        )
        return redirect(url_for("staff_voice.index", year=year))
    return render_template(
        "staff_voice/delete.html",
        round=round_,
        responses=len(voice.answers_of(round_)),
        year_slug=year,
        academic_year=plan.academic_year,
    )


def _school_board(*, signed_in: bool = False) -> boards.SchoolBoard:
    scope = plan_scope()
    user = signed_in_user() if signed_in else None
    return boards.SchoolBoard(scope.school_id, scope.academic_year, select_locale(), user)


@bp.get("/<int:round_id>/results")
@allow(Access.SCHOOL_MEMBER, plan=True)
def results(year: str, round_id: int) -> ResponseReturnValue:
    """Where staff agree and disagree, once five have responded; the consensus board beside the
    school's, to apply in one step."""
    plan = _plan()
    round_ = _round(plan, round_id)
    scope = plan_scope()
    state = _school_board().read()
    report = voice.results(round_, state.catalogue, voice.school_ratings(state), today())
    expected = voice.expected_staff_of(plan)
    lead = voice.lead_choices(signed_in_user().is_school_lead, state, report.consensus, plan)
    return render_template(
        "staff_voice/results.html",
        round=round_,
        report=report,
        cards=state.catalogue,
        school_ranked=ranked(state.board),
        board_version=state.version,
        rating_titles=framework.RATING_TITLES,
        gap_text=gap_text,
        mean_text=mean_text,
        can_apply=lead.can_apply,
        same_board=report.consensus == state.board,
        can_undo=lead.can_undo,
        submitted=lead.submitted,
        is_open=not report.closed,
        expected=expected,
        too_many=more_than_expected(report.responses, expected),
        year_slug=year,
        academic_year=scope.academic_year,
    )


@bp.post("/<int:round_id>/apply")
@allow(Access.SCHOOL_LEAD, plan=True)
def apply(year: str, round_id: int) -> ResponseReturnValue:
    """Replace the school's board with the consensus board, as one change that can be undone."""
    plan = _plan()
    round_ = _round(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    store = _school_board(signed_in=True)
    state = store.load()
    report = voice.results(round_, state.catalogue, {}, today())
    results_url = url_for("staff_voice.results", year=year, round_id=round_id)
    if not report.shown or not report.consensus:
        abort(404)
    based_on = posted_version(request.form)
    if not boards.apply_consensus(store, state, report.consensus, based_on, round_.id):
        flash(
            _(
                "Someone changed the school's board while you were looking at the results. Compare the boards again, then apply the consensus board."
            ),
            "important",
        )
        return redirect(results_url + "#consensus")
    flash(
        _(
            "The school's Diamond 9 is now the staff's consensus board. You can undo this, or adjust the board."
        ),
        "success",
    )
    return redirect(results_url + "#consensus")


@bp.post("/<int:round_id>/undo")
@allow(Access.SCHOOL_LEAD, plan=True)
def undo(year: str, round_id: int) -> ResponseReturnValue:
    """Put the school's board back as it was before the consensus board was applied."""
    plan = _plan()
    _round(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    store = _school_board(signed_in=True)
    state = store.load()
    results_url = url_for("staff_voice.results", year=year, round_id=round_id) + "#consensus"
    if not boards.undo_consensus(store, state, plan):
        flash(
            _(
                "The board has changed since the consensus board was applied, so it cannot be undone."
            ),
            "important",
        )
        return redirect(results_url)
    flash(_("The school's board is back as it was before."), "success")
    return redirect(results_url)


# The responder's pages ------------------------------------------------------------------------


def _response_limit() -> str:
    return str(current_app.config["STAFF_VOICE_REQUESTS_PER_ADDRESS"])


limiter.limit(_response_limit)(respond)


@respond.after_request
def _private(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


def _found(token: str) -> tuple[StaffVoiceRound, Plan]:
    found = voice.find_round(token)
    if found is None:
        abort(404)
    return found


def _cookie_name(round_: StaffVoiceRound) -> str:
    return f"{COOKIE_PREFIX}{round_.id}"


def _my_response(round_: StaffVoiceRound) -> StaffVoiceResponse | None:
    return voice.find_response(round_, request.cookies.get(_cookie_name(round_)))


def _sitting_key(round_: StaffVoiceRound) -> str:
    return f"staff-voice-sitting-{round_.id}"


def _continue_sitting(round_: StaffVoiceRound) -> None:
    """This browser's responder is at work on their answers now (they have just answered, or
    said it is them): their pages show their answers until they stop for a while."""
    session[_sitting_key(round_)] = int(clock.time())


def _in_sitting(round_: StaffVoiceRound) -> bool:
    """Whether this browser's responder has been at work on their answers lately. A shared
    browser opened later (the board's address from its history, say) is asked first whether it
    is the same person, as the start page asks, and shows nothing of the earlier answers."""
    seen = session.get(_sitting_key(round_))
    limit = int(current_app.config["STAFF_VOICE_SITTING_SECONDS"])
    now = int(clock.time())
    if not isinstance(seen, int) or now - seen > limit:
        return False
    if now - seen >= 60:  # the session cookie is written again once a minute at most
        _continue_sitting(round_)
    return True


def _whole_page_to(url: str) -> Response:
    """An htmx move that cannot be made here: the whole page goes to `url` instead."""
    return Response(status=204, headers={"HX-Redirect": url})


def _set_cookie(response: BaseResponse, round_: StaffVoiceRound, token: str | None) -> BaseResponse:
    """Give a new responder's browser its token, kept until the day after the round closes."""
    if token:
        expires = datetime.combine(round_.closes_on + timedelta(days=1), time())
        response.set_cookie(
            _cookie_name(round_),
            token,
            expires=expires,
            path="/",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    return response


def _closed_page(token: str, round_: StaffVoiceRound, plan: Plan) -> ResponseReturnValue:
    return (
        render_template("staff_voice/closed.html", token=token, round=round_, school=plan.school),
        403 if request.method == "POST" else 200,
    )


def _new_response_limit() -> str:
    return str(current_app.config["STAFF_VOICE_NEW_RESPONSES_PER_ADDRESS"])


def _new_response_key() -> str:
    """New responses are counted per address and round: schools may share an address (a local
    authority's network), and one school's round must not use up another's allowance."""
    found = voice.find_round(str((request.view_args or {}).get("token", "")))
    address = get_remote_address()
    return f"{address}/round-{found[0].id}" if found is not None else address


def _not_a_new_response() -> bool:
    """Only a POST that would make a new response counts towards the limit on new responses
    per address: not a page view, nor a change to this browser's own response."""
    if request.method != "POST":
        return True
    found = voice.find_round(str((request.view_args or {}).get("token", "")))
    return found is None or _my_response(found[0]) is not None


def _full_page(round_: StaffVoiceRound, plan: Plan) -> ResponseReturnValue:
    return (
        render_template(
            "staff_voice/full.html",
            round=round_,
            school=plan.school,
            most=current_app.config["STAFF_VOICE_RESPONSES_PER_ROUND"],
        ),
        403,
    )


def _forget_cookie(response: BaseResponse, round_: StaffVoiceRound) -> BaseResponse:
    response.delete_cookie(
        _cookie_name(round_),
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


@respond.route("/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(
    _new_response_limit,
    key_func=_new_response_key,
    scope="staff-voice-new-response",
    exempt_when=_not_a_new_response,
    override_defaults=False,
)
def start(token: str) -> ResponseReturnValue:
    """Your role (optional) and a rating for each of the eight hallmarks.

    A staff room's browser may be shared: when it has responded already, the page asks first
    whether this is the same person changing their answers or someone new, and shows the
    earlier answers only to the one who says they are changing theirs (?change)."""
    round_, plan = _found(token)
    if not voice.is_open(round_, today()):
        return _closed_page(token, round_, plan)
    mine = _my_response(round_)
    if mine is not None and request.method == "GET" and "change" not in request.args:
        return render_template(
            "staff_voice/already.html",
            token=token,
            round=round_,
            school=plan.school,
            form=ConfirmForm(),
        )
    initial: dict[str, Any] = {}
    if mine is not None:
        _continue_sitting(round_)
        initial["role"] = mine.role or RATHER_NOT_SAY
        for hallmark_id, key in (mine.ratings or {}).items():
            initial[f"hallmark_{hallmark_id}"] = key
    form = ResponseForm.build(data=initial or None)
    if form.validate_on_submit():
        try:
            new_token = voice.save_response(
                round_,
                mine,
                today(),
                role=form.chosen_role(),
                ratings=form.ratings(),
                most=current_app.config["STAFF_VOICE_RESPONSES_PER_ROUND"],
            )
        except voice.RoundClosed:
            return _closed_page(token, round_, plan)
        except voice.RoundFull:
            return _full_page(round_, plan)
        _continue_sitting(round_)
        response = redirect(url_for("staff_voice_response.board", token=token))
        return _set_cookie(response, round_, new_token)
    errors = [
        {"text": str(field.errors[0]), "href": f"#{field.id}"}
        for field in form
        if field.errors and field.name != "csrf_token"
    ]
    return render_template(
        "staff_voice/respond.html",
        form=form,
        errors=errors,
        token=token,
        round=round_,
        school=plan.school,
        hallmarks=framework.HALLMARKS,
        ratings=framework.RATINGS,
        editing=mine is not None,
    ), (400 if errors else 200)


def _responder_board(
    round_: StaffVoiceRound, plan: Plan, mine: StaffVoiceResponse | None
) -> boards.ResponderBoard:
    """This responder's board, from the school's cards (see services.board.ResponderBoard)."""
    return boards.ResponderBoard(plan, round_, mine, today(), select_locale())


def _board_response(
    token: str,
    round_: StaffVoiceRound,
    plan: Plan,
    state: BoardState,
    *,
    status: int = 200,
    announcement: str = "",
    moved: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    chooser: Chooser | None = None,
    open_card: str | None = None,
) -> ResponseReturnValue:
    """The responder's board (the school's compact board, posting to this response's move URL):
    the page, or for htmx the whole board and bank out of band."""
    context = board_context(
        "",
        plan.academic_year,
        state,
        announcement=announcement,
        moved=moved,
        errors=errors or [],
        chooser=chooser,
        open_card=open_card,
        undo_label=None,
        editable=voice.is_open(round_, today()),
        move_url=url_for("staff_voice_response.move", token=token),
        token=token,
        round=round_,
        school=plan.school,
    )
    # The card bank is the school's: its own cards are the school's, not the responder's.
    context["texts"] = {**context["texts"], "own": _("School's card")}
    context["reasons"] = {}
    partial = wants_partial()
    template = "staff_voice/move_response.html" if partial else "staff_voice/board_page.html"
    response = Response(render_template(template, **context), status=status)
    if partial:
        response.headers["HX-Reswap"] = "none"
    response.headers["Vary"] = "HX-Request"
    return response


@respond.get("/<token>/board")
@allow(Access.PUBLIC)
def board(token: str) -> ResponseReturnValue:
    """Your own Diamond 9 from the school's card bank: by buttons, drag or without JavaScript."""
    round_, plan = _found(token)
    mine = _my_response(round_)
    if not voice.is_open(round_, today()):
        return _closed_page(token, round_, plan)
    if mine is None or not _in_sitting(round_):
        return redirect(url_for("staff_voice_response.start", token=token))
    return _board_response(token, round_, plan, _responder_board(round_, plan, mine).load())


@respond.post("/<token>/board")
@allow(Access.PUBLIC)
def move(token: str) -> ResponseReturnValue:
    """One card moves on your board: a button in its moves (name "m", as on the school's board),
    an answer to "which card?" or "which row?", or a drag (card and to). No undo for responders."""
    round_, plan = _found(token)
    mine = _my_response(round_)
    if not voice.is_open(round_, today()):
        if htmx:
            return _whole_page_to(url_for("staff_voice_response.board", token=token))
        return _closed_page(token, round_, plan)
    if mine is None or not _in_sitting(round_):
        start_url = url_for("staff_voice_response.start", token=token)
        return _whole_page_to(start_url) if htmx else redirect(start_url)
    card, target = read_move(request.form)
    result = boards.move(_responder_board(round_, plan, mine), card, target)
    board_url = url_for("staff_voice_response.board", token=token)
    said = announcement(result)
    if result.outcome == Outcome.CLOSED:
        return _closed_page(token, round_, plan)
    if result.outcome == Outcome.ASKED:
        return _board_response(token, round_, plan, result.state, chooser=result.question)
    if result.outcome in (Outcome.REFUSED, Outcome.STALE):
        errors = [(said, "#diamond-board")]
        return _board_response(token, round_, plan, result.state, announcement=said, errors=errors)
    card = result.card or ""
    if not wants_partial():
        if result.outcome == Outcome.CANCELLED:
            anchor = "card-" + card.replace(":", "-") if card else "diamond-board"
            return redirect(board_url + "#" + anchor)
        flash(said, "success")
        return redirect(board_url + "#card-" + card.replace(":", "-"))
    if result.outcome == Outcome.CANCELLED:
        return _board_response(token, round_, plan, result.state, moved=result.card)
    return _board_response(
        token,
        round_,
        plan,
        result.state,
        announcement=said,
        moved=result.card,
        open_card=result.card if request.form.get("m") else None,
    )


@respond.post("/<token>/forget")
@allow(Access.PUBLIC)
def forget(token: str) -> ResponseReturnValue:
    """This browser forgets the response it made (its cookie goes): the next person to use it
    starts afresh and cannot see or change those answers. The response itself is kept. From
    the shared browser's choice ("Start a new response", then=start) the newcomer goes straight
    to a blank response, not to a page telling the previous person their response is forgotten."""
    round_, plan = _found(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("then") == "start" and voice.is_open(round_, today()):
        return _forget_cookie(
            redirect(url_for("staff_voice_response.start", token=token), code=303), round_
        )
    page = Response(
        render_template(
            "staff_voice/forgotten.html",
            token=token,
            round=round_,
            school=plan.school,
            is_open=voice.is_open(round_, today()),
        )
    )
    return _forget_cookie(page, round_)


@respond.get("/<token>/done")
@allow(Access.PUBLIC)
def done(token: str) -> ResponseReturnValue:
    """Thank you: what happens next, and how to change your answers. A board of fewer than nine
    cards is warned about first, with the choice to finish anyway (?anyway=1)."""
    round_, plan = _found(token)
    mine = _my_response(round_)
    if mine is None or not _in_sitting(round_):
        return redirect(url_for("staff_voice_response.start", token=token))
    board_cards = len(normalise(mine.board))
    if not is_complete(normalise(mine.board)) and request.args.get("anyway") != "1":
        # Only complete boards count towards the results: say so before finishing.
        return render_template(
            "staff_voice/few_cards.html",
            token=token,
            round=round_,
            school=plan.school,
            board_cards=board_cards,
        )
    return render_template(
        "staff_voice/done.html",
        token=token,
        round=round_,
        school=plan.school,
        form=ConfirmForm(),
        board_cards=board_cards,
        role=ROLE_LABELS.get(mine.role or "", ""),
        is_open=voice.is_open(round_, today()),
    )
