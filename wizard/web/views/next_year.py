"""Next year's plan: started empty or from the school's last plan."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from wizard.data.plans import get_plan
from wizard.data.versions import latest_plan_before, start_plan
from wizard.domain.academic_year import year_label
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user

bp = Blueprint("next_year", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


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
