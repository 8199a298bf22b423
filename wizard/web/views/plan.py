"""The plan: its task list (the hub), the generic step route and check-your-answers pages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.data.accounts import name_of
from wizard.data.boards import DiamondSummary, summarise
from wizard.data.plans import (
    answer_data,
    get_or_create_plan,
    is_draft,
    plan_and_answers,
    require_draft,
    save_step,
)
from wizard.data.versions import confirmed_revisions, latest_plan_before
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.funding import summarise as summarise_funding
from wizard.domain.journey import (
    ABOUT_STEP,
    BOARD_STEP,
    FUNDING_STEP,
    JOURNEY,
    RETURN_TO,
    Task,
    is_marked_complete,
)
from wizard.web.access import Access, allow
from wizard.web.feedback import school_feedback
from wizard.web.forms import CompletionForm, ConfirmForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.over_allocation import over_warning
from wizard.web.presenters import hub_tasks, location_url
from wizard.web.scope import plan_scope
from wizard.web.step_pages import CHECK_TEMPLATES, STEP_PAGES
from wizard.web.views import signed_in_user

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanAnswer, User

bp = Blueprint("plan", __name__, url_prefix=LANG_PREFIX + "/plan")


def _author_name(user_id: int | None) -> str | None:
    return name_of(user_id)


def _load(academic_year: int) -> tuple[User, Plan | None, dict[str, PlanAnswer]]:
    user = signed_in_user()
    plan, answers = plan_and_answers(plan_scope().school_id, academic_year)
    return user, plan, answers


@bp.get("/")
@allow(Access.SCHOOL_MEMBER)
def index() -> ResponseReturnValue:
    """Go to this academic year's plan."""
    return redirect(url_for("plan.hub", year=year_slug(academic_year_of(date.today()))))


@bp.get("/<year>/")
@allow(Access.SCHOOL_MEMBER, plan=True)
def hub(year: str) -> ResponseReturnValue:
    """Show the plan's task list."""
    academic_year = plan_scope().academic_year
    user, plan, answers = _load(academic_year)
    data = answer_data(answers)
    tasks = hub_tasks(data, academic_year)
    previous = latest_plan_before(plan_scope().school_id, academic_year)
    current = academic_year_of(date.today())
    return render_template(
        "plan/hub.html",
        plan=plan,
        school=user.school,
        academic_year=academic_year,
        tasks=tasks,
        completed=sum(1 for t in tasks if t["status"] == "completed"),
        all_complete=all(t["status"] == "completed" for t in tasks),
        previous=previous,
        # The latest submitted version's feedback (None: nothing submitted yet).
        feedback=(feedback := school_feedback(plan)),
        has_versions=feedback is not None,
        next_year=academic_year + 1 if academic_year + 1 <= current + 1 else None,
        funding_totals=summarise_funding(data).totals,
        start_form=ConfirmForm(),
    )


@bp.route("/<year>/<step>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def step(year: str, step: str) -> ResponseReturnValue:
    """Show one step of the plan, and save it when the user continues (post-redirect-get)."""
    academic_year = plan_scope().academic_year
    found = JOURNEY.find_step(step)
    page = STEP_PAGES.get(step)
    if found is None or page is None:
        abort(404)
    user, plan, answers = _load(academic_year)
    data = answer_data(answers)
    hub_url = url_for("plan.hub", year=year_slug(academic_year))
    if not JOURNEY.can_access(step, data):
        return redirect(hub_url)
    require_draft(plan)

    requested = request.args.get("return_to")
    return_to = requested if requested in RETURN_TO else None
    saved = answers.get(step)
    initial = page.to_form(saved.data) if saved else {}
    form = page.form(data={**initial, "revision": str(saved.revision if saved else 0)})
    page.setup(form)
    conflict = None
    status = 200
    if form.validate_on_submit():
        plan = plan or get_or_create_plan(plan_scope().school_id, academic_year)
        new_data = page.from_form(form)
        result = save_step(plan, step, new_data, form.based_on_revision(), user)
        if result.saved:
            data[step] = new_data
            if step == ABOUT_STEP and (funding := summarise_funding(data).totals).over:
                # A lower allocation than is already planned is saved, and said at once.
                flash(over_warning(funding), "important")
            next_location = JOURNEY.next_location(step, data, return_to)
            return redirect(location_url(next_location, academic_year))
        # Someone else saved this page since the user opened it: keep what the user typed,
        # show what the other person saved, and base the next save on their version.
        conflict = result.current
        form.revision.data = str(conflict.revision if conflict else 0)
        status = 409
    task, step_ = found
    return (
        render_template(
            page.template,
            form=form,
            step=step_,
            task=task,
            school=user.school,
            academic_year=academic_year,
            back_url=location_url(JOURNEY.previous_location(step, return_to), academic_year),
            conflict=conflict,
            conflict_author=_author_name(conflict.updated_by_id if conflict else None),
            conflict_template=CHECK_TEMPLATES.get(task.key),
            funding_totals=summarise_funding(data).totals,
            **page.extra,
        ),
        status,
    )


def _diamond(plan: Plan | None, data: dict[str, Any]) -> DiamondSummary:
    return summarise(plan, data, select_locale())


def _check_context(task: Task, data: dict[str, Any]) -> dict[str, Any]:
    incomplete = [s for s in task.steps if not s.complete(data.get(s.slug))]
    return {
        "task": task,
        "status": JOURNEY.task_status(task, data),
        "check_template": CHECK_TEMPLATES[task.key],
        "first_incomplete": incomplete[0] if incomplete else None,
    }


@bp.route("/<year>/<task>/check", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def check(year: str, task: str) -> ResponseReturnValue:
    """Show a task's answers with Change links, and ask whether the section is complete."""
    academic_year = plan_scope().academic_year
    found = JOURNEY.task(task)
    if found is None or task not in CHECK_TEMPLATES:
        abort(404)
    user, plan, answers = _load(academic_year)
    data = answer_data(answers)
    hub_url = url_for("plan.hub", year=year_slug(academic_year))
    if JOURNEY.task_entry(found, data) is None:
        return redirect(hub_url)
    marked = answers.get(found.completion_key)
    form = CompletionForm(
        data={
            "completed": ("yes" if is_marked_complete(found, data) else "no") if marked else None,
            "revision": str(marked.revision if marked else 0),
        }
    )
    status = 200
    conflict = None
    if request.method == "POST":
        if not found.confirm_completion:
            abort(405)
        require_draft(plan)
        if any(not s.complete(data.get(s.slug)) for s in found.steps):
            # The question is only asked once every step is answered.
            return redirect(url_for("plan.check", year=year_slug(academic_year), task=task))
        if form.validate_on_submit():
            plan = plan or get_or_create_plan(plan_scope().school_id, academic_year)
            result = save_step(
                plan,
                found.completion_key,
                {
                    "completed": form.completed.data == "yes",
                    "revisions": confirmed_revisions(found, answers),
                },
                form.based_on_revision(),
                user,
            )
            if result.saved:
                return redirect(hub_url)
            conflict = result.current
            form.revision.data = str(conflict.revision if conflict else 0)
            status = 409
    return (
        render_template(
            "plan/check.html",
            plan=plan,
            data=data,
            school=user.school,
            academic_year=academic_year,
            editable=is_draft(plan),
            return_to="check",
            form=form,
            diamond=_diamond(plan, data) if task in (BOARD_STEP, FUNDING_STEP) else None,
            completion_conflict=conflict,
            conflict_author=_author_name(conflict.updated_by_id if conflict else None),
            **_check_context(found, data),
        ),
        status,
    )


@bp.get("/<year>/check-your-answers")
@allow(Access.SCHOOL_MEMBER, plan=True)
def check_plan(year: str) -> ResponseReturnValue:
    """Show every answer of the plan so far, each with a Change link that returns here."""
    academic_year = plan_scope().academic_year
    user, plan, answers = _load(academic_year)
    data = answer_data(answers)
    sections = [_check_context(task, data) for task in JOURNEY.tasks]
    return render_template(
        "plan/check_plan.html",
        plan=plan,
        data=data,
        school=user.school,
        academic_year=academic_year,
        editable=is_draft(plan),
        return_to="plan",
        sections=sections,
        diamond=_diamond(plan, data),
    )
