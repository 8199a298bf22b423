"""Check and submit, the frozen versions, the plan summary (page, print and PDF), reopening,
next year's plan and the year-on-year comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.data.boards import own_cards
from wizard.data.plans import answer_data, get_plan, plan_and_answers
from wizard.data.versions import (
    CannotSubmit,
    get_version,
    incomplete_tasks,
    latest_plan_before,
    reopen,
    start_plan,
    submit,
    versions_of,
)
from wizard.domain import compare
from wizard.domain.academic_year import parse_year_slug, year_label, year_slug
from wizard.domain.cards import CardCatalogue
from wizard.domain.summary import build_snapshot, view
from wizard.domain.values import PlanStatus
from wizard.render.pdf import render_pdf
from wizard.render.svg import board_svg
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX, in_language, select_locale
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import attachment, signed_in_user

if TYPE_CHECKING:
    from wizard.data.models import OwnCard, Plan, PlanVersion

bp = Blueprint("submission", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


def _plan(academic_year: int) -> Plan:
    plan = get_plan(plan_scope().school_id, academic_year)
    if plan is None:
        abort(404)
    return plan


def _draft(academic_year: int) -> tuple[Plan, dict[str, Any]]:
    """The plan and a snapshot of it as it stands, from one load of the plan and its answers."""
    user = signed_in_user()
    assert user.school is not None
    plan, answers = plan_and_answers(plan_scope().school_id, academic_year)
    if plan is None:
        abort(404)
    return plan, build_snapshot(plan, answer_data(answers), own_cards(plan), user.school)


def _version(academic_year: int, number: int) -> tuple[Plan, PlanVersion]:
    plan = _plan(academic_year)
    version = get_version(plan, number)
    if version is None:
        abort(404)
    return plan, version


def _summary_context(snapshot: dict[str, Any], status: str, number: int | None) -> dict[str, Any]:
    lang = select_locale()
    summary = view(snapshot, lang)
    school_name = in_language(summary.school["name_en"], summary.school["name_cy"], lang)
    svg = board_svg(summary.board, summary.cards, school_name, snapshot["academic_year"])
    return {
        "summary": summary,
        "school_name": school_name,
        "academic_year": snapshot["academic_year"],
        "status": status,
        "version_number": number,
        "diamond_svg": svg,
    }


def _pdf_response(context: dict[str, Any], *name: str | int) -> Response:
    html = render_template("pdf/summary.html", **context)
    return Response(render_pdf(html), mimetype="application/pdf", headers=attachment(*name, "pdf"))


@bp.get("/summary")
@allow(Access.SCHOOL_MEMBER, plan=True)
def summary(year: str) -> ResponseReturnValue:
    """The plan as it stands: readable in one sitting, printable on A4."""
    plan, snapshot = _draft(plan_scope().academic_year)
    context = _summary_context(
        snapshot,
        plan.status,
        None if plan.status == PlanStatus.DRAFT else plan.version,
    )
    return render_template("plan/summary.html", plan=plan, year_slug=year, **context)


@bp.get("/summary.pdf")
@allow(Access.SCHOOL_MEMBER, plan=True)
def summary_pdf(year: str) -> ResponseReturnValue:
    """The plan as it stands, as a PDF in the page's language."""
    academic_year = plan_scope().academic_year
    _, snapshot = _draft(academic_year)
    context = _summary_context(snapshot, PlanStatus.DRAFT, None)
    return _pdf_response(
        context, "professional-learning-plan", year_slug(academic_year), "draft", select_locale()
    )


@bp.get("/versions")
@allow(Access.SCHOOL_MEMBER, plan=True)
def versions(year: str) -> ResponseReturnValue:
    """Every submitted version of the plan."""
    plan = _plan(plan_scope().academic_year)
    return render_template(
        "plan/versions.html",
        plan=plan,
        versions=versions_of(plan),
        year_slug=year,
        academic_year=plan.academic_year,
    )


@bp.get("/versions/<int:number>")
@allow(Access.SCHOOL_MEMBER, plan=True)
def version(year: str, number: int) -> ResponseReturnValue:
    """A submitted version, exactly as it was submitted."""
    plan, frozen = _version(plan_scope().academic_year, number)
    context = _summary_context(frozen.snapshot, PlanStatus.SUBMITTED, number)
    return render_template(
        "plan/summary.html", plan=plan, version=frozen, year_slug=year, **context
    )


@bp.get("/versions/<int:number>.pdf")
@allow(Access.SCHOOL_MEMBER, plan=True)
def version_pdf(year: str, number: int) -> ResponseReturnValue:
    """A submitted version as a PDF in the page's language."""
    academic_year = plan_scope().academic_year
    _, frozen = _version(academic_year, number)
    context = _summary_context(frozen.snapshot, PlanStatus.SUBMITTED, number)
    return _pdf_response(
        context,
        "professional-learning-plan",
        year_slug(academic_year),
        "version",
        number,
        select_locale(),
    )


@bp.get("/versions/<int:number>/diamond-9.svg")
@allow(Access.SCHOOL_MEMBER, plan=True)
def version_svg(year: str, number: int) -> ResponseReturnValue:
    """A submitted version's Diamond 9 as an image."""
    academic_year = plan_scope().academic_year
    _, frozen = _version(academic_year, number)
    context = _summary_context(frozen.snapshot, PlanStatus.SUBMITTED, number)
    name = ("diamond-9", year_slug(academic_year), "version", number, select_locale(), "svg")
    return Response(context["diamond_svg"], mimetype="image/svg+xml", headers=attachment(*name))


@bp.get("/versions/<int:number>/submitted")
@allow(Access.SCHOOL_MEMBER, plan=True)
def confirmation(year: str, number: int) -> ResponseReturnValue:
    """The confirmation page, which people can come back to as a receipt."""
    plan, frozen = _version(plan_scope().academic_year, number)
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
            frozen = submit(plan, user.school, user)
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


def _own_card_identity(cards: list[OwnCard]) -> Any:
    """Own cards are matched across years by their titles; other cards by their keys."""
    titles = {card.key: f"own|{card.title_en or ''}|{card.title_cy or ''}" for card in cards}
    return lambda key: titles.get(key, key)


def _problems(
    incomplete: list[Any], over: int, year: str, data: dict[str, Any]
) -> list[tuple[str, str]]:
    """What stops the plan being submitted, each linked to where to put it right."""
    from wizard.domain.journey import JOURNEY
    from wizard.web.filters import format_money
    from wizard.web.labels import TASK_TITLES
    from wizard.web.views.plan import location_url

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
        problems.append(
            (
                _(
                    "Your funding plan is %(amount)s over your allocation",
                    amount=format_money(over),
                ),
                url_for("funding.lines", year=year),
            )
        )
    return problems


@bp.post("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def reopen_plan(year: str) -> ResponseReturnValue:
    """Reopen a submitted plan as a new draft version; earlier versions stay as they were."""
    plan = _plan(plan_scope().academic_year)
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


@bp.post("/start")
@allow(Access.SCHOOL_MEMBER, plan=True)
def start(year: str) -> ResponseReturnValue:
    """Start this year's plan, empty or from the last one."""
    academic_year = plan_scope().academic_year
    user = signed_in_user()
    if get_plan(plan_scope().school_id, academic_year) is not None:
        return redirect(url_for("plan.hub", year=year))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    how = request.form.get("start")
    previous = latest_plan_before(plan_scope().school_id, academic_year)
    if how not in ("empty", "copy") or (how == "copy" and previous is None):
        flash(_("Choose how to start your plan"), "important")
        return redirect(url_for("plan.hub", year=year))
    start_plan(plan_scope().school_id, academic_year, previous if how == "copy" else None, user)
    if how == "copy" and previous is not None:
        flash(
            _(
                "Your plan starts from your %(year)s plan. Check and update each task.",
                year=year_label(previous.academic_year),
            ),
            "success",
        )
    return redirect(url_for("plan.hub", year=year))


@bp.get("/compare")
@allow(Access.SCHOOL_MEMBER, plan=True)
def compare_years(year: str) -> ResponseReturnValue:
    """This year's plan beside another year's: Diamond 9 moves, ratings and funding."""
    academic_year = plan_scope().academic_year
    user = signed_in_user()
    other_year = parse_year_slug(request.args.get("with", "")) or academic_year - 1
    this_plan, this_answers = plan_and_answers(plan_scope().school_id, academic_year)
    that_plan, that_answers = plan_and_answers(plan_scope().school_id, other_year)
    if this_plan is None or that_plan is None:
        abort(404)
    before, after = answer_data(that_answers), answer_data(this_answers)
    that_cards, this_cards = own_cards(that_plan), own_cards(this_plan)
    locale = select_locale()
    return render_template(
        "plan/compare.html",
        year_slug=year,
        academic_year=academic_year,
        other_year=other_year,
        moves=compare.board_moves(
            before, after, _own_card_identity(that_cards), _own_card_identity(this_cards)
        ),
        ratings=compare.rating_changes(before, after),
        funding=compare.funding_by_purpose(before, after),
        cards_before=CardCatalogue(before, that_cards, locale),
        cards_after=CardCatalogue(after, this_cards, locale),
        school=user.school,
    )
