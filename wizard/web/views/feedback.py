"""The school's side of feedback: the lead replies to a coordinator's comment.

A reply is feedback, not a change to the plan, so it is allowed on a submitted plan
(`feedback=True`); the plan itself never changes here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from wizard.services import feedback
from wizard.web.access import Access, allow
from wizard.web.feedback import ReplyForm, comments_cap_message
from wizard.web.i18n import LANG_PREFIX
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user
from wizard.web.views.documents import plan_or_404
from wizard.web.written import written_language

bp = Blueprint("feedback", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/feedback")


@bp.route("/<int:comment_id>/reply", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD, plan=True, feedback=True)
def reply(year: str, comment_id: int) -> ResponseReturnValue:
    """Reply to a comment on one of the school's versions."""
    plan = plan_or_404()
    comment = feedback.find_comment(plan, comment_id)
    if comment is None or comment.reply_to_id is not None:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            feedback.reply(
                plan, comment, signed_in_user(), form.body.data or "", written_language()
            )
        except feedback.CapReached as reached:
            form.body.errors = [comments_cap_message(reached.cap)]
        else:
            flash(_("Your reply has been added."), "success")
            return redirect(url_for("plan.hub", year=year) + "#feedback")
    if "csrf_token" in form.errors:
        abort(400)
    return render_template(
        "feedback/reply.html", form=form, comment=comment, year_slug=year, plan=plan
    )
