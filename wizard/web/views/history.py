"""A plan's history: who changed which part of it and when, from the audit trail. The school's
members read it from the task list; the cluster's coordinator from their page of the plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.domain.inputs import parse_whole_number
from wizard.services import plans
from wizard.web.access import Access, allow
from wizard.web.history import describe, grouped
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import pagination
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views.documents import plan_or_404

PER_PAGE = 25

bp = Blueprint("history", __name__, url_prefix=LANG_PREFIX)


def _page_number() -> int:
    """The page ?page=N asks for (1 when it names none); 404 for anything else."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    number = parse_whole_number(raw, maximum=100000)
    if number is None or number < 1:
        abort(404)
    return number


def _render(back_url: str, page_url: Any, **context: Any) -> ResponseReturnValue:
    plan = plan_or_404()
    number = _page_number()
    found = plans.history(plan, number, PER_PAGE, select_locale())
    history = found.page
    if number > history.pages:
        abort(404)
    return render_template(
        "plan/history.html",
        plan=plan,
        rows=grouped([describe(entry, found.cards) for entry in history.entries]),
        history=history,
        back_url=back_url,
        pagination=pagination(number, history.pages, page_url, _("Pages of the history")),
        academic_year=plan_scope().academic_year,
        **context,
    )


@bp.get("/plan/<year>/history")
@allow(Access.SCHOOL_MEMBER, plan=True)
def plan(year: str) -> ResponseReturnValue:
    """The history of the school's own plan."""
    return _render(
        url_for("plan.hub", year=year),
        lambda n: url_for("history.plan", year=year, page=n),
        coordinator_view=False,
    )


@bp.get("/clusters/<int:cluster_id>/schools/<int:school_id>/<year>/history")
@allow(Access.COORDINATOR, plan=True)
def coordinator(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """The history of a school's plan, for the coordinator of its cluster."""
    here: dict[str, Any] = {"cluster_id": cluster_id, "school_id": school_id, "year": year}
    return _render(
        url_for("coordinator.plan", **here),
        lambda n: url_for("history.coordinator", page=n, **here),
        coordinator_view=True,
    )
