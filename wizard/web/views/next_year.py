"""Next year's plan: started empty or from the school's last plan."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import year_label
from wizard.domain.journey import ABOUT_STEP
from wizard.services import plans
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
    scope = plan_scope()
    started = plans.start(
        scope.school_id,
        scope.academic_year,
        request.form.get("start"),
        signed_in_user(),
        confirmed=ConfirmForm().validate_on_submit(),
        opens=current_app.config["NEXT_YEAR_FROM"],
    )
    if isinstance(started, plans.StartRefused):
        if started.reason == "unconfirmed":
            abort(400)
        if started.reason == "unchosen":
            flash(_("Choose how to start your plan"), "important")
    elif started.copied_from is not None:
        flash(
            _(
                "Your plan starts from your %(year)s plan. Enter this year's funding allocation,"
                " then check and update each task.",
                year=year_label(started.copied_from),
            ),
            "success",
        )
        # The allocation is not copied: "About your school" asks for it first.
        return redirect(url_for("plan.step", year=year, step=ABOUT_STEP))
    return redirect(url_for("plan.hub", year=year))
