"""The funding plan: lines of spending added one at a time (GOV.UK add-another), with the
total planned and what remains of the allocation, live with htmx and on every save."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from wizard.data.boards import own_cards
from wizard.data.plans import (
    answer_data,
    get_or_create_plan,
    is_draft,
    plan_and_answers,
    require_draft,
    save_step,
)
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import normalise, ranked
from wizard.domain.funding import (
    MAX_LINES,
    find_line,
    lines_of,
    new_line_id,
    replace_line,
    totals,
    totals_with,
)
from wizard.domain.inputs import parse_whole_number
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.money import InvalidMoney, parse_pence
from wizard.web.access import Access, allow
from wizard.web.forms import FundingLineForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.over_allocation import over_field_error
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanAnswer

bp = Blueprint("funding", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/funding-plan")


class FundingState:
    """What every funding page needs: the plan, its lines, the allocation and the priorities."""

    def __init__(self, academic_year: int) -> None:
        self.user = signed_in_user()
        self.plan: Plan | None
        self.plan, self.answers = plan_and_answers(plan_scope().school_id, academic_year)
        self.data = answer_data(self.answers)
        self.row: PlanAnswer | None = self.answers.get(FUNDING_STEP)
        self.lines = lines_of(self.row.data if self.row else None)
        self.revision = self.row.revision if self.row else 0
        self.allocation: int | None = (self.data.get(ABOUT_STEP) or {}).get(
            "funding_allocation_pence"
        )
        board = normalise((self.data.get(BOARD_STEP) or {}).get("slots"))
        self.priorities = [key for row in ranked(board) for key in row]

    @cached_property
    def cards(self) -> CardCatalogue:
        """The cards, for the priorities' titles: loaded (with the school's own cards) only by a
        page that names them, not by the live total."""
        return CardCatalogue(self.data, own_cards(self.plan), select_locale())

    @property
    def editable(self) -> bool:
        return is_draft(self.plan)

    def priority_choices(self) -> list[Any]:
        choices = [SelectChoice("", _("Not linked to a Diamond 9 priority"))]
        return choices + [SelectChoice(key, self.cards[key].title) for key in self.priorities]


def _guard(state: FundingState, year: str) -> ResponseReturnValue | None:
    """Send people back to the task list if the task cannot start or the plan is submitted."""
    task = JOURNEY.task(FUNDING_STEP)
    assert task is not None
    if not JOURNEY.can_access(FUNDING_STEP, state.data):
        return redirect(url_for("plan.hub", year=year))
    require_draft(state.plan)
    return None


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def lines(year: str) -> ResponseReturnValue:
    """The funding plan so far: each line, the totals, and a way to add another."""
    academic_year = plan_scope().academic_year
    state = FundingState(academic_year)
    if (stop := _guard(state, year)) is not None:
        return stop
    return render_template(
        "plan/funding/lines.html",
        state=state,
        totals=totals(state.lines, state.allocation),
        year_slug=year,
        academic_year=academic_year,
        school=state.user.school,
        max_lines=MAX_LINES,
    )


def _line_to_form(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "purpose": line.get("purpose"),
        "purpose_other": line.get("purpose_other"),
        "priority": line.get("priority") or "",
        "beneficiaries": line.get("beneficiaries") or [],
        "term": line.get("term"),
        "description": line.get("description"),
        "amount": line.get("amount_pence"),
    }


def _line_from_form(line_id: str, form: FundingLineForm) -> dict[str, Any]:
    return {
        "id": line_id,
        "purpose": form.purpose.data,
        "purpose_other": form.purpose_other.data if form.purpose.data == "other" else "",
        "priority": form.priority.data or "",
        "beneficiaries": [
            v for v in form.beneficiaries.choice_values() if v in (form.beneficiaries.data or [])
        ],
        "term": form.term.data,
        "description": form.description.data,
        "amount_pence": form.amount.pence,
    }


@bp.route("/lines/new", methods=["GET", "POST"])
@bp.route("/lines/<line_id>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def line(year: str, line_id: str | None = None) -> ResponseReturnValue:
    """Add a line of spending, or change one."""
    academic_year = plan_scope().academic_year
    state = FundingState(academic_year)
    if (stop := _guard(state, year)) is not None:
        return stop
    existing = find_line(state.lines, line_id) if line_id else None
    if line_id and existing is None:
        abort(404)
    if existing is None and len(state.lines) >= MAX_LINES:
        flash(_("A funding plan can have up to 50 lines."), "important")
        return redirect(url_for("funding.lines", year=year))
    form = FundingLineForm(
        data={
            **(_line_to_form(dict(existing)) if existing else {}),
            "revision": str(state.revision),
        }
    )
    form.priority.choices = state.priority_choices()
    status = 200
    conflict = False
    if form.validate_on_submit():
        amount = form.amount.pence or 0
        check = totals_with(state.lines, line_id, amount, state.allocation)
        if state.allocation is not None and check.over:
            form.amount.errors = [over_field_error(check)]
        else:
            new_line = _line_from_form(line_id or new_line_id(), form)
            plan = state.plan or get_or_create_plan(plan_scope().school_id, academic_year)
            result = save_step(
                plan,
                FUNDING_STEP,
                {"lines": replace_line(state.lines, new_line)},
                form.based_on_revision(),
                state.user,
            )
            if result.saved:
                flash(_("Your funding plan has been saved."), "success")
                return redirect(url_for("funding.lines", year=year))
            conflict = True
            status = 409
            form.revision.data = str(result.current.revision if result.current else 0)
    return (
        render_template(
            "plan/funding/line.html",
            form=form,
            state=state,
            line_id=line_id,
            totals=totals_with(state.lines, line_id, form.amount.pence or 0, state.allocation)
            if form.amount.pence is not None
            else totals(state.lines, state.allocation),
            conflict=conflict,
            year_slug=year,
            academic_year=academic_year,
            back_url=url_for("funding.lines", year=year),
        ),
        status,
    )


@bp.route("/lines/<line_id>/remove", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def remove_line(year: str, line_id: str) -> ResponseReturnValue:
    """Remove a line of spending, after confirming."""
    academic_year = plan_scope().academic_year
    state = FundingState(academic_year)
    if (stop := _guard(state, year)) is not None:
        return stop
    existing = find_line(state.lines, line_id)
    if existing is None or state.plan is None:
        abort(404)
    if request.method == "POST":
        revision = parse_whole_number(request.form.get("revision", ""))
        based_on = -1 if revision is None else revision
        remaining = [line for line in state.lines if line["id"] != line_id]
        result = save_step(state.plan, FUNDING_STEP, {"lines": remaining}, based_on, state.user)
        if result.saved:
            flash(_("The line has been removed."), "success")
        else:
            flash(
                _(
                    "Someone else changed the funding plan at the same time. Check the lines, then remove it again."
                ),
                "important",
            )
        return redirect(url_for("funding.lines", year=year))
    return render_template(
        "plan/funding/remove.html",
        line=existing,
        state=state,
        year_slug=year,
        academic_year=academic_year,
    )


@bp.get("/total")
@allow(Access.SCHOOL_MEMBER, plan=True)
def total(year: str) -> ResponseReturnValue:
    """The running total while an amount is typed (an htmx partial)."""
    academic_year = plan_scope().academic_year
    state = FundingState(academic_year)
    line_id = request.args.get("line") or None
    try:
        amount = parse_pence(request.args.get("amount"))
    except InvalidMoney:
        amount = 0
    check = totals_with(state.lines, line_id, amount, state.allocation)
    html = render_template("plan/funding/total.html", totals=check, oob=True)
    response = Response(html)
    response.headers["Vary"] = "HX-Request"
    return response
