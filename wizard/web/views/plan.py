"""The plan: its task list (the hub), the generic step route and check-your-answers pages.

Saving a step and the "completed?" answer live in wizard/services/steps.py; this module reads
the request and turns the results into pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import (
    BOARD_STEP,
    CRITERIA_STEP,
    FUNDING_STEP,
    JOURNEY,
    RETURN_TO,
    Task,
)
from wizard.domain.values import PlanStatus
from wizard.services import deadlines, plans, steps, year_end
from wizard.services.progress import progress_of
from wizard.services.steps import Conflict, PlanAnswers
from wizard.web.access import Access, allow
from wizard.web.clock import today
from wizard.web.feedback import school_feedback
from wizard.web.forms import CompletionForm, ConfirmForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.over_allocation import over_warning
from wizard.web.presenters import (
    answers_view,
    check_section,
    hub_links,
    hub_tasks,
    location_url,
)
from wizard.web.scope import plan_scope
from wizard.web.step_pages import CHECK_TEMPLATES, STEP_PAGES
from wizard.web.views import signed_in_user
from wizard.web.written import written_language

bp = Blueprint("plan", __name__, url_prefix=LANG_PREFIX + "/plan")


def _hub_url() -> str:
    return url_for("plan.hub", year=year_slug(plan_scope().academic_year))


def _return_to() -> str | None:
    """Where a change was asked from (a check page), if the link said so."""
    requested = request.args.get("return_to")
    return requested if requested in RETURN_TO else None


def _conflict(conflict: Conflict | None, key: str = "conflict") -> dict[str, Any]:
    """The page's account of someone else's save: their answer, and their name."""
    return {
        key: conflict.current if conflict else None,
        "conflict_author": conflict.author if conflict else None,
    }


@bp.get("/")
@allow(Access.SCHOOL_MEMBER)
def index() -> ResponseReturnValue:
    """Go to this academic year's plan."""
    return redirect(url_for("plan.hub", year=year_slug(academic_year_of(date.today()))))


@bp.get("/years")
@allow(Access.SCHOOL_MEMBER)
def years() -> ResponseReturnValue:
    """The school's plans, year by year, each with its status."""
    user = signed_in_user()
    assert user.school_id is not None
    return render_template(
        "plan/years.html",
        school=user.school,
        years=plans.school_years(user.school_id, current_app.config["NEXT_YEAR_FROM"]),
    )


@bp.get("/<year>/")
@allow(Access.SCHOOL_MEMBER, plan=True)
def hub(year: str) -> ResponseReturnValue:
    """Show the plan's task list."""
    scope = plan_scope()
    academic_year = scope.academic_year
    state = steps.load_plan(scope.school_id, academic_year)
    tasks = hub_tasks(state.data, academic_year)
    # Optional tasks (success criteria) are not counted: they are never needed to submit.
    required = [t for t in tasks if not t["task"].optional]
    current = academic_year_of(date.today())
    previous = steps.previous_plan(scope.school_id, academic_year)
    # The latest submitted version's feedback (None: nothing submitted yet).
    feedback = school_feedback(state.plan)
    # Progress through the year, once a version has been submitted.
    progress = (
        progress_of(scope.school_id, academic_year, select_locale(), today())
        if feedback is not None
        else None
    )
    opens = current_app.config["NEXT_YEAR_FROM"]
    # Next year's plan: offered once this year's is submitted, or from the configured day.
    next_year = (
        academic_year + 1
        if academic_year + 1 <= current + 1
        and plans.next_year_offered(
            scope.school_id, academic_year + 1, opens, year_before=state.plan
        )
        else None
    )
    year_end_entry = year_end.hub_entry(state.plan)
    return render_template(
        "plan/hub.html",
        plan=state.plan,
        school=signed_in_user().school,
        academic_year=academic_year,
        tasks=tasks,
        required_count=len(required),
        completed=sum(1 for t in required if t["status"] == "completed"),
        all_complete=all(t["status"] == "completed" for t in required),
        previous=previous,
        feedback=feedback,
        progress=progress,
        more=hub_links(
            academic_year,
            state.plan,
            signed_in_user(),
            scope.school_id,
            previous=previous,
            has_versions=feedback is not None,
            next_year=next_year,
        ),
        funding_totals=state.funding_totals,
        # Who submitted the version the plan stands as (None while it is a draft).
        submitted=plans.submitted_version(state.plan) if state.plan else None,
        can_start=state.plan is not None
        or plans.next_year_offered(scope.school_id, academic_year, opens),
        year_end=year_end_entry,
        # Not started, or made with nothing in it yet (a staff voice round opened first).
        unstarted=state.plan is None
        or (state.plan.status == "draft" and state.plan.version == 1 and not state.data),
        deadline=deadlines.deadline_for_school(
            signed_in_user().school,
            academic_year,
            submitted=state.plan is not None and state.plan.status == PlanStatus.SUBMITTED,
        ),
        # The deadline for the year-end review, on its task ("After the year").
        year_end_deadline=deadlines.deadline_for_school(
            signed_in_user().school,
            academic_year,
            submitted=year_end_entry is not None and year_end_entry.status == "submitted",
            kind=deadlines.DeadlineKind.YEAR_END,
        )
        if year_end_entry is not None
        else None,
        # Starting the year's plan (from last year's, or empty): the page's one form.
        form=ConfirmForm(),
    )


@bp.route("/<year>/<step>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def step(year: str, step: str) -> ResponseReturnValue:
    """Show one step of the plan, and save it when the user continues (post-redirect-get)."""
    scope = plan_scope()
    found = JOURNEY.find_step(step)
    page = STEP_PAGES.get(step)
    if found is None or page is None:
        abort(404)
    state = steps.open_step(scope.school_id, scope.academic_year, step)
    if state is None:
        return redirect(_hub_url())
    return_to = _return_to()
    saved = state.saved(step)
    initial = page.initial(step, state.data)
    form = page.form(data={**initial, "revision": str(saved.revision if saved else 0)})
    page.setup(form)
    prepared = page.prepare(form, state) if page.prepare else {}
    conflict = None
    if form.validate_on_submit():
        user = signed_in_user()
        result = steps.save_answers(
            state,
            step,
            page.answers(form, state.data),
            form.based_on_revision(),
            user,
            return_to,
            lang=written_language(),
        )
        if not isinstance(result, Conflict):
            if result.over is not None:
                flash(over_warning(result.over), "important")
            return redirect(location_url(result.next, scope.academic_year))
        # Someone else saved this page since the user opened it: keep what the user typed,
        # show what the other person saved, and base the next save on their version.
        conflict = result
        form.revision.data = str(conflict.revision)
    task, step_ = found
    return (
        render_template(
            page.template,
            form=form,
            step=step_,
            task=task,
            school=signed_in_user().school if page.shows_school else None,
            academic_year=scope.academic_year,
            back_url=location_url(JOURNEY.previous_location(step, return_to), scope.academic_year),
            conflict_template=CHECK_TEMPLATES.get(task.key),
            conflict_view=(
                answers_view(
                    {conflict.current.step: conflict.current.data},
                    {conflict.current.step: conflict.current.lang}
                    if conflict.current.lang
                    else None,
                )
                if conflict and conflict.current
                else None
            ),
            funding_totals=state.funding_totals,
            saved_lang=saved.lang if saved else None,
            **_conflict(conflict),
            **page.extra,
            **prepared,
        ),
        409 if conflict else 200,
    )


_NAMES_CARDS = (BOARD_STEP, CRITERIA_STEP, FUNDING_STEP)
"""The tasks whose check pages name Diamond 9 cards."""


def _check_context(task: Task, data: dict[str, Any]) -> dict[str, Any]:
    return check_section(task, data, CHECK_TEMPLATES[task.key])


def _completion_form(state: PlanAnswers, task: Task) -> CompletionForm:
    completed = steps.completion(state, task)
    marked = state.saved(task.completion_key)
    return CompletionForm(
        data={
            "completed": None if completed is None else ("yes" if completed else "no"),
            "revision": str(marked.revision if marked else 0),
        }
    )


@bp.route("/<year>/<task>/check", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def check(year: str, task: str) -> ResponseReturnValue:
    """Show a task's answers with Change links, and ask whether the section is complete."""
    scope = plan_scope()
    found = JOURNEY.task(task)
    if found is None or task not in CHECK_TEMPLATES:
        abort(404)
    state = steps.open_task(scope.school_id, scope.academic_year, found)
    if state is None:
        return redirect(_hub_url())
    form = _completion_form(state, found)
    conflict = None
    if request.method == "POST":
        if not found.confirm_completion:
            abort(405)
        if not steps.ready_to_confirm(state, found):
            # The question is only asked once every step is answered.
            return redirect(url_for("plan.check", year=year_slug(scope.academic_year), task=task))
        if form.validate_on_submit():
            result = steps.confirm_completion(
                state,
                found,
                form.completed.data == "yes",
                form.based_on_revision(),
                signed_in_user(),
            )
            if not isinstance(result, Conflict):
                return redirect(_hub_url())
            conflict = result
            form.revision.data = str(conflict.revision)
    return (
        render_template(
            "plan/check.html",
            plan=state.plan,
            plan_view=answers_view(state.data, state.languages),
            school=signed_in_user().school,
            academic_year=scope.academic_year,
            editable=state.editable,
            return_to="check",
            form=form,
            diamond=state.diamond(select_locale()) if task in _NAMES_CARDS else None,
            **_conflict(conflict, "completion_conflict"),
            **_check_context(found, state.data),
        ),
        409 if conflict else 200,
    )


@bp.get("/<year>/check-your-answers")
@allow(Access.SCHOOL_MEMBER, plan=True)
def check_plan(year: str) -> ResponseReturnValue:
    """Show every answer of the plan so far, each with a Change link that returns here."""
    scope = plan_scope()
    state = steps.load_plan(scope.school_id, scope.academic_year)
    return render_template(
        "plan/check_plan.html",
        plan=state.plan,
        plan_view=answers_view(state.data, state.languages),
        school=signed_in_user().school,
        academic_year=scope.academic_year,
        editable=state.editable,
        return_to="plan",
        sections=[_check_context(task, state.data) for task in JOURNEY.tasks],
        diamond=state.diamond(select_locale()),
    )
