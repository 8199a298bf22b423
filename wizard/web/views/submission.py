"""Check and submit: the whole plan checked, frozen as a numbered version, the confirmation
page, and reopening a submitted plan as a new draft."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.data.plans import answer_data, plan_and_answers
from wizard.data.versions import CannotSubmit, incomplete_tasks, reopen, submit
from wizard.domain.values import PlanStatus
from wizard.services.notifications import submitted_mail
from wizard.services.outbox import dispatch
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user
from wizard.web.views.documents import plan_or_404, version_or_404

bp = Blueprint("submission", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


@bp.get("/versions/<int:number>/submitted")
@allow(Access.SCHOOL_MEMBER, plan=True)
def confirmation(year: str, number: int) -> ResponseReturnValue:
    """The confirmation page, which people can come back to as a receipt."""
    plan, frozen = version_or_404(number)
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
    academic_year = plan_scope().academic_year
    user = signed_in_user()
    plan, answers = plan_and_answers(plan_scope().school_id, academic_year)
    if plan is None:
        return redirect(url_for("plan.hub", year=year))
    if plan.status != PlanStatus.DRAFT:
        return redirect(url_for("submission.confirmation", year=year, number=plan.version))
    data = answer_data(answers)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ConfirmForm()  # only the CSRF token
        if not form.validate_on_submit():
            abort(400)
        if not user.is_school_lead:
            abort(403)
        try:
            assert user.school is not None
            frozen = submit(plan, user.school, user, mail=submitted_mail(plan, user.school))
        except CannotSubmit as refused:
            problems = _problems(refused.incomplete, refused.over, year, data)
            if not problems:
                flash(
                    _(
                        "Someone else submitted or changed this plan at the same moment. Check it, then submit again."
                    ),
                    "important",
                )
                return redirect(url_for("submission.check_and_submit", year=year))
        else:
            # After the commit: the cluster's coordinators hear of it in their own language
            # (their emails were written to the outbox with the version).
            dispatch()
            return redirect(url_for("submission.confirmation", year=year, number=frozen.number))

    return render_template(
        "plan/submit.html",
        plan=plan,
        data=data,
        problems=problems,
        incomplete=incomplete_tasks(data),
        year_slug=year,
        academic_year=academic_year,
        school=user.school,
    )


def _problems(
    incomplete: list[Any], over: int, year: str, data: dict[str, Any]
) -> list[tuple[str, str]]:
    """What stops the plan being submitted, each linked to where to put it right."""
    from wizard.domain.funding import summarise
    from wizard.domain.journey import JOURNEY
    from wizard.web.labels import TASK_TITLES
    from wizard.web.over_allocation import over_warning
    from wizard.web.presenters import location_url

    problems = []
    for task in incomplete:
        entry = JOURNEY.task_entry(task, data)
        href = (
            location_url(entry, plan_scope().academic_year)
            if entry
            else url_for("plan.hub", year=year)
        )
        problems.append((_("Complete the task: %(task)s", task=str(TASK_TITLES[task.key])), href))
    if over:
        problems.append((over_warning(summarise(data).totals), url_for("funding.lines", year=year)))
    return problems


@bp.get("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def confirm_reopen(year: str) -> ResponseReturnValue:
    """Ask before reopening: the submitted version stays as it is and a new draft starts."""
    plan = plan_or_404()
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
    plan = plan_or_404()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if reopen(plan, signed_in_user()):
        flash(
            _(
                "You have reopened the plan. This is now version %(number)d, a draft.",
                number=plan.version,
            ),
            "success",
        )
    return redirect(url_for("plan.hub", year=year))
