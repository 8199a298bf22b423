"""The plan as a document, for the summary and versions pages: the plan of the request's
scope, a snapshot of its draft, one of its versions, and the PDF response."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response, abort, render_template

from wizard.data.boards import own_cards
from wizard.data.plans import answer_data, get_plan, plan_and_answers
from wizard.data.versions import get_version
from wizard.domain.summary import build_snapshot
from wizard.render.pdf import render_pdf
from wizard.web.scope import plan_scope
from wizard.web.views import attachment

if TYPE_CHECKING:
    from wizard.data.models import Plan, PlanVersion


def plan_or_404() -> Plan:
    """The plan of this request's scope."""
    scope = plan_scope()
    plan = get_plan(scope.school_id, scope.academic_year)
    if plan is None:
        abort(404)
    return plan


def draft_snapshot() -> tuple[Plan, dict[str, Any]]:
    """The plan and a snapshot of it as it stands, from one load of the plan and its answers."""
    scope = plan_scope()
    plan, answers = plan_and_answers(scope.school_id, scope.academic_year)
    if plan is None:
        abort(404)
    return plan, build_snapshot(plan, answer_data(answers), own_cards(plan), plan.school)


def version_or_404(number: int) -> tuple[Plan, PlanVersion]:
    plan = plan_or_404()
    version = get_version(plan, number)
    if version is None:
        abort(404)
    return plan, version


def pdf_response(context: dict[str, Any], *name: str | int) -> Response:
    html = render_template("pdf/summary.html", **context)
    return Response(render_pdf(html), mimetype="application/pdf", headers=attachment(*name, "pdf"))
