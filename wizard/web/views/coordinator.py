"""A coordinator's view of one school's plan: any version, read-only, with what changed since
the version before, the PDF in either language, comments and a verdict.

The scope (scope.py) checks that the school is in the cluster the URL names and that the
signed-in user coordinates it. Comments and verdicts are feedback (`feedback=True`): the plan
itself never changes through these routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.domain.inputs import parse_whole_number
from wizard.domain.plan_document import PlanDocument
from wizard.domain.values import PlanStatus, ReviewStatus
from wizard.services import feedback, plans, reporting
from wizard.services.progress import progress_of
from wizard.web.access import Access, allow
from wizard.web.clock import today
from wizard.web.feedback import (
    REVIEW_LABELS,
    CommentForm,
    ReviewForm,
    comments_cap_message,
    field_change_groups,
    version_number_of,
)
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import summary_context
from wizard.web.reporting import beside_cluster
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import file_word, signed_in_user
from wizard.web.views.documents import (
    draft_snapshot,
    limit_pdfs_per_user,
    version_docx_response,
    version_pdf_response,
)
from wizard.web.written import written_language

if TYPE_CHECKING:
    from wizard.services.plans import Plan, PlanVersion

bp = Blueprint(
    "coordinator",
    __name__,
    url_prefix=LANG_PREFIX + "/clusters/<int:cluster_id>/schools/<int:school_id>/<year>",
)


def _plan_and_versions() -> tuple[Plan | None, list[PlanVersion]]:
    scope = plan_scope()
    return feedback.plan_and_versions(scope.school_id, scope.academic_year)


def _chosen(versions: list[PlanVersion], raw: str | None) -> PlanVersion | None:
    """The version ?version=N names (404 if there is no such version), else the latest."""
    if raw is None:
        return versions[-1] if versions else None
    number = parse_whole_number(raw, maximum=100000)
    found = next((v for v in versions if v.number == number), None)
    if found is None:
        abort(404)
    return found


def _render(
    cluster_id: int,
    school_id: int,
    year: str,
    version_arg: str | None,
    comment_form: CommentForm | None = None,
    review_form: ReviewForm | None = None,
) -> ResponseReturnValue:
    posted = comment_form or review_form
    plan, versions = _plan_and_versions()
    version = _chosen(versions, version_arg)
    context: dict[str, Any]
    if version is not None:
        context = summary_context(version.snapshot, PlanStatus.SUBMITTED, version.number)
        index = versions.index(version)
        changes = (
            field_change_groups(versions[index - 1].snapshot, version.snapshot) if index else None
        )
        latest = version is versions[-1]
        # The latest version's page has the whole conversation about the plan (comments on
        # earlier versions too); an earlier version's, the comments made on it.
        if plan is None:
            comments = {}
        elif latest:
            comments = feedback.conversation(plan)
        else:
            comments = feedback.comments_on(plan, version.number)
        spread = reporting.cluster_spread(cluster_id, plan_scope().academic_year)
        context["beside"] = beside_cluster(
            PlanDocument.from_stored(version.snapshot), spread.placements, spread.ratings
        )
        comment_form = comment_form or CommentForm(formdata=None, version=version.number)
        review_form = review_form or ReviewForm(
            formdata=None, version=version.number, status=version.review_status
        )
    elif plan is not None:
        _, snapshot = draft_snapshot()
        context = summary_context(snapshot, PlanStatus.DRAFT, None)
        changes, comments = None, {}
    else:
        context, changes, comments = {}, None, {}
    scope = plan_scope()
    # The school's progress through the year (None until it has submitted a version).
    progress = (
        progress_of(scope.school_id, scope.academic_year, select_locale(), today())
        if version is not None
        else None
    )
    return render_template(
        "coordinator/plan.html",
        plan=plan,
        progress=progress,
        versions=versions,
        version=version,
        changes=changes,
        comments=comments,
        comment_form=comment_form,
        review_form=review_form,
        review_labels=REVIEW_LABELS,
        form=posted,
        cluster_id=cluster_id,
        school_id=school_id,
        year_slug=year,
        **{"academic_year": plan_scope().academic_year, **context},
    )


@bp.get("")
@allow(Access.COORDINATOR, plan=True)
def plan(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """The school's latest submitted version (or ?version=N), or its draft if none yet."""
    return _render(cluster_id, school_id, year, request.args.get("version"))


def _requested_version() -> PlanVersion:
    """The version a download asks for (?version=N, else the latest submitted); 404 without."""
    raw = request.args.get("version")
    number = None if raw is None else parse_whole_number(raw, maximum=100000)
    if raw is not None and number is None:
        abort(404)
    scope = plan_scope()
    version = plans.version_of_school(scope.school_id, scope.academic_year, number)
    if version is None:
        abort(404)
    return version


@bp.get("/plan.pdf")
@allow(Access.COORDINATOR, plan=True)
@limit_pdfs_per_user
def pdf(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """A version (?version=N, else the latest) as a PDF in the page's language."""
    version = _requested_version()
    return version_pdf_response(
        version, file_word("plan"), year, file_word("version"), version.number, select_locale()
    )


@bp.get("/plan.docx")
@allow(Access.COORDINATOR, plan=True)
@limit_pdfs_per_user
def docx(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """A version (?version=N, else the latest) as a Word file in the page's language."""
    version = _requested_version()
    return version_docx_response(
        version, file_word("plan"), year, file_word("version"), version.number, select_locale()
    )


def _version_posted(form: CommentForm | ReviewForm) -> tuple[Plan, PlanVersion]:
    plan, versions = _plan_and_versions()
    number = version_number_of(form)
    version = next((v for v in versions if v.number == number), None)
    if plan is None or version is None:
        abort(404)
    return plan, version


@bp.post("/comments")
@allow(Access.COORDINATOR, plan=True, feedback=True)
def comment(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """Comment on a version, on the whole plan or one task; the school's leads are emailed."""
    form = CommentForm()
    plan, version = _version_posted(form)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _render(cluster_id, school_id, year, str(version.number), comment_form=form)
    try:
        feedback.comment(
            plan,
            version,
            form.task_key(),
            signed_in_user(),
            form.body.data or "",
            lang=written_language(),
        )
    except feedback.CapReached as reached:
        form.body.errors = [comments_cap_message(reached.cap)]
        return _render(cluster_id, school_id, year, str(version.number), comment_form=form)
    flash(_("Your comment has been added."), "success")
    return redirect(
        url_for(
            "coordinator.plan",
            cluster_id=cluster_id,
            school_id=school_id,
            year=year,
            version=version.number,
        )
    )


@bp.post("/review")
@allow(Access.COORDINATOR, plan=True, feedback=True)
def review(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """Mark a version reviewed or changes requested; the school's leads are emailed."""
    form = ReviewForm()
    plan, version = _version_posted(form)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _render(cluster_id, school_id, year, str(version.number), review_form=form)
    status = ReviewStatus(form.status.data)
    feedback.review(plan, version, status, signed_in_user())
    flash(
        _(
            "You have marked version %(number)d as: %(status)s",
            number=version.number,
            status=str(REVIEW_LABELS[status.value]),
        ),
        "success",
    )
    return redirect(
        url_for(
            "coordinator.plan",
            cluster_id=cluster_id,
            school_id=school_id,
            year=year,
            version=version.number,
        )
    )
