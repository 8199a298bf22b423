"""Progress through the year: the page of a submitted plan's priorities with their updates by
term, this term's update of one priority (written by the school's members), and the same page
read-only for the cluster's coordinators. Updates never reopen the plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from wizard.services import progress as service
from wizard.web.access import Access, allow
from wizard.web.clock import today
from wizard.web.forms import ProgressUpdateForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import signed_in_user
from wizard.web.written import written_language

bp = Blueprint("progress", __name__, url_prefix=LANG_PREFIX)


def _progress() -> service.Progress | None:
    scope = plan_scope()
    return service.progress_of(scope.school_id, scope.academic_year, select_locale(), today())


@bp.get("/plan/<year>/progress")
@allow(Access.SCHOOL_MEMBER, plan=True)
def page(year: str) -> ResponseReturnValue:
    """Every priority of the submitted plan, with its updates by term."""
    progress = _progress()
    return render_template(
        "progress/page.html",
        progress=progress,
        academic_year=plan_scope().academic_year,
        editable=plan_scope().can_write,
        back_url=url_for("plan.hub", year=year),
        history_url=url_for("history.plan", year=year),
    )


@bp.get("/clusters/<int:cluster_id>/schools/<int:school_id>/<year>/progress")
@allow(Access.COORDINATOR, plan=True)
def coordinator(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """The same page, read-only, for a coordinator of the school's cluster."""
    here: dict[str, Any] = {"cluster_id": cluster_id, "school_id": school_id, "year": year}
    return render_template(
        "progress/page.html",
        progress=_progress(),
        academic_year=plan_scope().academic_year,
        editable=False,
        back_url=url_for("coordinator.plan", **here),
        history_url=url_for("history.coordinator", **here),
    )


@bp.route("/plan/<year>/progress/<card>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def update(year: str, card: str) -> ResponseReturnValue:
    """This term's update of one priority: add it, or change it (post-redirect-get)."""
    progress = _progress()
    priority = progress.priority(card) if progress else None
    if progress is None or priority is None:
        abort(404)
    page_url = url_for("progress.page", year=year)
    if progress.term is None:
        # The plan's year has not started or is over: there is no term to write for.
        return redirect(page_url)
    saved = priority.update(progress.term)
    initial = (
        {"status": saved.status, "note": saved.note, "links": "\n".join(saved.links)}
        if saved
        else {}
    )
    form = ProgressUpdateForm(data={**initial, "revision": str(saved.revision if saved else 0)})
    stale = False
    if form.validate_on_submit():
        done = service.save_update(
            progress,
            card,
            status=str(form.status.data),
            note=form.note.data or "",
            links=form.links.links,
            lang=written_language(),
            based_on_revision=form.based_on_revision(),
            user=signed_in_user(),
        )
        if done:
            return redirect(f"{page_url}#priority-{_anchor(card)}")
        stale = True
        progress = _progress()
        assert progress is not None
        fresh = (progress.priority(card) or priority).update(progress.term)
        form.revision.data = str(fresh.revision if fresh else 0)
        form.form_errors.append(
            _(
                "Someone else saved this update while you were writing. Their update is "
                "shown below: check it, then save yours again to replace it."
            )
        )
        priority = progress.priority(card) or priority
    return (
        render_template(
            "progress/update.html",
            form=form,
            progress=progress,
            priority=priority,
            saved=priority.update(progress.term),
            # What the other person saved (None: no conflict), shown above the user's own.
            conflict=priority.update(progress.term) if stale else None,
            academic_year=plan_scope().academic_year,
            back_url=page_url,
            saved_lang=saved.lang if saved else None,
        ),
        409 if stale else 200,
    )


def _anchor(card: str) -> str:
    return card.replace(":", "-")
