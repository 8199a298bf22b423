"""Check and submit: the whole plan checked, frozen as a numbered version, the confirmation
page, and reopening a submitted plan as a new draft.

Who may submit, whether the plan is ready, and the coordinators' emails live in
wizard/services/submission.py; this module reads the request and turns results into pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.domain.funding import summarise
from wizard.domain.journey import JOURNEY
from wizard.domain.submission import Readiness
from wizard.domain.values import PlanStatus
from wizard.services import submission
from wizard.services.submission import NotSubmitted, Refusal, SubmissionState
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.labels import TASK_TITLES
from wizard.web.over_allocation import over_warning
from wizard.web.presenters import answers_view, check_section, location_url
from wizard.web.scope import plan_scope
from wizard.web.step_pages import CHECK_TEMPLATES
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user

bp = Blueprint("submission", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


@bp.get("/versions/<int:number>/submitted")
@allow(Access.SCHOOL_MEMBER, plan=True)
def confirmation(year: str, number: int) -> ResponseReturnValue:
    """The confirmation page, which people can come back to as a receipt."""
    scope = plan_scope()
    found = submission.submitted_version(scope.school_id, scope.academic_year, number)
    if found is None:
        abort(404)
    plan, frozen = found
    return render_template(
        "plan/confirmation.html",
        plan=plan,
        version=frozen,
        year_slug=year,
        academic_year=plan.academic_year,
    )


@bp.route("/submit", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def check_and_submit(year: str) -> ResponseReturnValue:
    """Check the whole plan and submit it (the school lead submits)."""
    scope = plan_scope()
    state = submission.open_submission(scope.school_id, scope.academic_year)
    if state is None:
        return redirect(url_for("plan.hub", year=year))
    if not isinstance(state, SubmissionState):
        return redirect(url_for("submission.confirmation", year=year, number=state.version))
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():  # only the CSRF token
            abort(400)
        result = submission.submit_plan(state.plan, signed_in_user())
        if not isinstance(result, NotSubmitted):
            return redirect(
                url_for("submission.confirmation", year=year, number=result.version.number)
            )
        if result.refusal is Refusal.NOT_LEAD:
            abort(403)
        if result.refusal is Refusal.CHANGED:
            flash(
                _(
                    "Someone else submitted or changed this plan at the same moment. Check it, then submit again."
                ),
                "important",
            )
            return redirect(url_for("submission.check_and_submit", year=year))
        problems = _problems(result.readiness, year, state.data)
    return render_template(
        "plan/submit.html",
        plan=state.plan,
        data=state.data,
        problems=problems,
        incomplete=state.readiness.incomplete,
        year_slug=year,
        academic_year=scope.academic_year,
        school=signed_in_user().school,
        # Every answer, each with a Change link that comes back here (GOV.UK "check answers").
        plan_view=answers_view(state.data, state.languages),
        sections=[
            check_section(task, state.data, CHECK_TEMPLATES[task.key]) for task in JOURNEY.tasks
        ],
        diamond=state.diamond(select_locale()),
        editable=True,
        return_to="submit",
    )


def _problems(refused: Readiness, year: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """What stops the plan being submitted, each linked to where to put it right."""
    problems = []
    for task in refused.incomplete:
        entry = JOURNEY.task_entry(task, data)
        href = (
            location_url(entry, plan_scope().academic_year)
            if entry
            else url_for("plan.hub", year=year)
        )
        problems.append((_("Complete the task: %(task)s", task=str(TASK_TITLES[task.key])), href))
    if refused.over:
        problems.append((over_warning(summarise(data).totals), url_for("funding.lines", year=year)))
    return problems


@bp.get("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def confirm_reopen(year: str) -> ResponseReturnValue:
    """Ask before reopening: the submitted version stays as it is and a new draft starts."""
    scope = plan_scope()
    if (plan := submission.open_plan(scope.school_id, scope.academic_year)) is None:
        abort(404)
    if plan.status != PlanStatus.SUBMITTED:
        return redirect(url_for("plan.hub", year=year))
    return render_template(
        "plan/reopen.html",
        plan=plan,
        form=ConfirmForm(),
        year_slug=year,
        academic_year=plan.academic_year,
        school=signed_in_user().school,
    )


@bp.post("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def reopen_plan(year: str) -> ResponseReturnValue:
    """Reopen a submitted plan as a new draft version; earlier versions stay as they were."""
    scope = plan_scope()
    if (plan := submission.open_plan(scope.school_id, scope.academic_year)) is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if submission.reopen_plan(plan, signed_in_user()):
        flash(
            _(
                "You have reopened the plan. This is now version %(number)d, a draft.",
                number=plan.version,
            ),
            "success",
        )
    return redirect(url_for("plan.hub", year=year))
