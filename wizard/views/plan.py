"""The plan: its task list (the hub), the generic step route and check-your-answers pages."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..academic_year import academic_year_of, parse_year_slug, year_slug
from ..access import Access, allow
from ..extensions import db
from ..i18n import LANG_PREFIX
from ..journey import CHECK, JOURNEY, Location
from ..models import PlanStatus, User
from ..plans import PlanLocked, answer_data, answers_of, get_or_create_plan, get_plan, save_step
from ..step_pages import CHECK_TEMPLATES, STEP_PAGES

bp = Blueprint("plan", __name__, url_prefix=LANG_PREFIX + "/plan")

# A school may look back at earlier years and plan one year ahead.
YEARS_BACK = 10


def _academic_year(slug: str) -> int:
    year = parse_year_slug(slug)
    current = academic_year_of(date.today())
    if year is None or not current - YEARS_BACK <= year <= current + 1:
        abort(404)
    return year


def location_url(location: Location, year: int) -> str:
    slug = year_slug(year)
    if location.kind == "step":
        return url_for("plan.step", year=slug, step=location.slug, return_to=location.return_to)
    if location.kind == "check":
        return url_for("plan.check", year=slug, task=location.slug)
    return url_for("plan.hub", year=slug)


def _author_name(user_id: int | None) -> str | None:
    author = db.session.get(User, user_id) if user_id else None
    return author.name if author else None


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.get("/")
@allow(Access.SCHOOL_MEMBER)
def index() -> ResponseReturnValue:
    """Go to this academic year's plan."""
    return redirect(url_for("plan.hub", year=year_slug(academic_year_of(date.today()))))


@bp.get("/<year>/")
@allow(Access.SCHOOL_MEMBER)
def hub(year: str) -> ResponseReturnValue:
    """Show the plan's task list."""
    academic_year = _academic_year(year)
    user = _user()
    plan = get_plan(user.school_id or 0, academic_year)
    data = answer_data(answers_of(plan))
    tasks = [
        {
            "task": task,
            "status": JOURNEY.task_status(task, data),
            "href": (
                location_url(entry, academic_year)
                if (entry := JOURNEY.task_entry(task, data))
                else None
            ),
        }
        for task in JOURNEY.tasks
    ]
    return render_template(
        "plan/hub.html",
        plan=plan,
        school=user.school,
        academic_year=academic_year,
        tasks=tasks,
        completed=sum(1 for t in tasks if t["status"] == "completed"),
    )


@bp.route("/<year>/<step>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER)
def step(year: str, step: str) -> ResponseReturnValue:
    """Show one step of the plan, and save it when the user continues (post-redirect-get)."""
    academic_year = _academic_year(year)
    found = JOURNEY.find_step(step)
    page = STEP_PAGES.get(step)
    if found is None or page is None:
        abort(404)
    user = _user()
    plan = get_plan(user.school_id or 0, academic_year)
    answers = answers_of(plan)
    data = answer_data(answers)
    hub_url = url_for("plan.hub", year=year_slug(academic_year))
    if not JOURNEY.can_access(step, data):
        return redirect(hub_url)
    if plan is not None and plan.status != PlanStatus.DRAFT:
        flash(_("This plan has been submitted, so its answers cannot be changed."), "important")
        return redirect(hub_url)

    return_to = CHECK if request.args.get("return_to") == CHECK else None
    saved = answers.get(step)
    initial = page.to_form(saved.data) if saved else {}
    form = page.form(data={**initial, "revision": str(saved.revision if saved else 0)})
    conflict = None
    status = 200
    if form.validate_on_submit():
        plan = get_or_create_plan(user.school_id or 0, academic_year)
        new_data = page.from_form(form)
        try:
            result = save_step(plan, step, new_data, form.based_on_revision(), user)
        except PlanLocked:
            flash(_("This plan has been submitted, so its answers cannot be changed."), "important")
            return redirect(hub_url)
        if result.saved:
            data[step] = new_data
            return redirect(
                location_url(JOURNEY.next_location(step, data, return_to), academic_year)
            )
        # Someone else saved this page since the user opened it: keep what the user typed,
        # show what the other person saved, and base the next save on their version.
        conflict = result.current
        form.revision.data = str(conflict.revision if conflict else 0)
        status = 409
    back = location_url(JOURNEY.previous_location(step, return_to), academic_year)
    return (
        render_template(
            page.template,
            form=form,
            step=found[1],
            task=found[0],
            school=user.school,
            academic_year=academic_year,
            back_url=back,
            conflict=conflict,
            conflict_author=_author_name(conflict.updated_by_id if conflict else None),
            conflict_template=CHECK_TEMPLATES.get(found[0].key),
        ),
        status,
    )


@bp.get("/<year>/<task>/check")
@allow(Access.SCHOOL_MEMBER)
def check(year: str, task: str) -> ResponseReturnValue:
    """Show a task's answers, each with a link to change it."""
    academic_year = _academic_year(year)
    found = JOURNEY.task(task)
    if found is None or task not in CHECK_TEMPLATES:
        abort(404)
    user = _user()
    plan = get_plan(user.school_id or 0, academic_year)
    answers = answers_of(plan)
    data = answer_data(answers)
    entry = JOURNEY.task_entry(found, data)
    if entry is None:
        return redirect(url_for("plan.hub", year=year_slug(academic_year)))
    return render_template(
        "plan/check.html",
        task=found,
        status=JOURNEY.task_status(found, data),
        plan=plan,
        answers=answers,
        data=data,
        school=user.school,
        academic_year=academic_year,
        check_template=CHECK_TEMPLATES[task],
        editable=plan is None or plan.status == PlanStatus.DRAFT,
    )
