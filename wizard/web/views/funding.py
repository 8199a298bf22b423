"""The funding plan: lines of spending added one at a time (GOV.UK add-another), with the
total planned and what remains of the allocation, live with htmx and on every save.

The rules (the allocation, the 50-line cap, saving with compare-and-set) live in
wizard/services/funding.py; this module reads the request and turns results into pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from wizard.domain.funding import MAX_LINES
from wizard.domain.inputs import parse_whole_number
from wizard.domain.money import InvalidMoney, parse_pence
from wizard.services import funding
from wizard.services.funding import (
    Editing,
    FundingState,
    LineInput,
    LineOutcome,
    LineRefused,
    RemoveOutcome,
)
from wizard.web.access import Access, allow
from wizard.web.forms import FundingLineForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.over_allocation import over_field_error
from wizard.web.presenters import answers_view
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user
from wizard.web.written import written_language

bp = Blueprint("funding", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/funding-plan")


def _editing() -> FundingState | None:
    """The funding plan to change (None: the task cannot start yet; a submitted plan stops
    the request, see errors.py)."""
    scope = plan_scope()
    return funding.open_for_editing(
        scope.school_id, scope.academic_year, signed_in_user(), select_locale()
    )


def _to_hub(year: str) -> ResponseReturnValue:
    return redirect(url_for("plan.hub", year=year))


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def lines(year: str) -> ResponseReturnValue:
    """The funding plan so far: each line, the totals, and a way to add another."""
    if (state := _editing()) is None:
        return _to_hub(year)
    return render_template(
        "plan/funding/lines.html",
        state=state,
        plan_view=answers_view(state.data, state.languages),
        totals=state.totals,
        year_slug=year,
        academic_year=state.academic_year,
        school=state.user.school,
        max_lines=MAX_LINES,
    )


def _priority_choices(state: FundingState) -> list[Any]:
    choices = [SelectChoice("", _("Not linked to a Diamond 9 priority"))]
    return choices + [SelectChoice(key, state.cards[key].title) for key in state.priorities]


def _line_to_form(line: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "purpose": line.get("purpose"),
        "purpose_other": line.get("purpose_other"),
        "priority": line.get("priority") or "",
        "beneficiaries": line.get("beneficiaries") or [],
        "term": line.get("term"),
        "description": line.get("description"),
        "amount": line.get("amount_pence"),
    }


def _line_form(state: FundingState, editing: Editing) -> FundingLineForm:
    existing = _line_to_form(editing.existing) if editing.existing else {}
    form = FundingLineForm(data={**existing, "revision": str(state.revision)})
    form.priority.choices = _priority_choices(state)
    return form


def _line_input(form: FundingLineForm) -> LineInput:
    chosen = form.beneficiaries.data or []
    return LineInput(
        purpose=form.purpose.data,
        purpose_other=form.purpose_other.data or "",
        priority=form.priority.data or "",
        beneficiaries=[v for v in form.beneficiaries.choice_values() if v in chosen],
        term=form.term.data,
        description=form.description.data or "",
        amount_pence=form.amount.pence or 0,
    )


def _line_page(
    state: FundingState,
    form: FundingLineForm,
    line_id: str | None,
    year: str,
    *,
    conflict: bool = False,
) -> ResponseReturnValue:
    amount = form.amount.pence
    return (
        render_template(
            "plan/funding/line.html",
            form=form,
            state=state,
            line_id=line_id,
            totals=state.totals if amount is None else state.totals_with(line_id, amount),
            conflict=conflict,
            year_slug=year,
            academic_year=state.academic_year,
            back_url=url_for("funding.lines", year=year),
        ),
        409 if conflict else 200,
    )


@bp.route("/lines/new", methods=["GET", "POST"])
@bp.route("/lines/<line_id>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def line(year: str, line_id: str | None = None) -> ResponseReturnValue:
    """Add a line of spending, or change one."""
    if (state := _editing()) is None:
        return _to_hub(year)
    editing = funding.edit_line(state, line_id)
    if editing is LineRefused.NOT_FOUND:
        abort(404)
    if editing is LineRefused.FULL:
        flash(_("A funding plan can have up to 50 lines."), "important")
        return redirect(url_for("funding.lines", year=year))
    assert isinstance(editing, Editing)
    form = _line_form(state, editing)
    if not form.validate_on_submit():
        return _line_page(state, form, line_id, year)
    result = funding.save_line(
        state, line_id, _line_input(form), form.based_on_revision(), written_language()
    )
    if result.outcome is LineOutcome.SAVED:
        flash(_("Your funding plan has been saved."), "success")
        return redirect(url_for("funding.lines", year=year))
    if result.outcome is LineOutcome.OVER_ALLOCATION:
        form.amount.errors = [over_field_error(result.totals)]
        return _line_page(state, form, line_id, year)
    # Someone else saved the funding plan since the user opened it: keep what the user typed
    # and base the next save on their version.
    form.revision.data = str(result.revision)
    return _line_page(state, form, line_id, year, conflict=True)


@bp.route("/lines/<line_id>/remove", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def remove_line(year: str, line_id: str) -> ResponseReturnValue:
    """Remove a line of spending, after confirming."""
    if (state := _editing()) is None:
        return _to_hub(year)
    existing = state.line(line_id)
    if existing is None or state.plan is None:
        abort(404)
    if request.method == "POST":
        revision = parse_whole_number(request.form.get("revision", ""))
        outcome = funding.remove_line(state, line_id, -1 if revision is None else revision)
        if outcome is RemoveOutcome.REMOVED:
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
        academic_year=state.academic_year,
    )


@bp.get("/total")
@allow(Access.SCHOOL_MEMBER, plan=True)
def total(year: str) -> ResponseReturnValue:
    """The running total while an amount is typed (an htmx partial)."""
    scope = plan_scope()
    try:
        amount = parse_pence(request.args.get("amount"))
    except InvalidMoney:
        amount = 0
    line = request.args.get("line") or None
    check = funding.running_totals(scope.school_id, scope.academic_year, line, amount)
    html = render_template("plan/funding/total.html", totals=check, oob=True)
    response = Response(html)
    response.headers["Vary"] = "HX-Request"
    return response
