"""The submitted versions of a plan: the list, each version as a page, a PDF and an image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import year_slug
from wizard.domain.values import PlanStatus
from wizard.services import plans
from wizard.web.access import Access, allow
from wizard.web.feedback import school_feedback, version_changes
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import summary_context
from wizard.web.scope import plan_scope
from wizard.web.views import attachment, file_word
from wizard.web.views.documents import (
    limit_pdfs_per_user,
    plan_or_404,
    version_docx_response,
    version_or_404,
    version_pdf_response,
)

if TYPE_CHECKING:
    from wizard.services.plans import PlanVersion

bp = Blueprint("versions", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/versions")


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def index(year: str) -> ResponseReturnValue:
    """Every submitted version of the plan."""
    plan = plan_or_404()
    versions = plans.versions_of(plan)
    return render_template(
        "plan/versions.html",
        plan=plan,
        versions=versions,
        changes=version_changes(versions),
        year_slug=year,
        academic_year=plan.academic_year,
    )


@bp.get("/<int:number>")
@allow(Access.SCHOOL_MEMBER, plan=True)
def show(year: str, number: int) -> ResponseReturnValue:
    """A submitted version, exactly as it was submitted."""
    plan, frozen = version_or_404(number)
    context = summary_context(frozen.snapshot, PlanStatus.SUBMITTED, number)
    return render_template(
        "plan/summary.html",
        plan=plan,
        version=frozen,
        year_slug=year,
        feedback=school_feedback(plan, number),
        **context,
    )


def _version_or_404(number: int) -> PlanVersion:
    """The plan's version `number`, without the plan (one query), for its downloads."""
    scope = plan_scope()
    found = plans.version_of_school(scope.school_id, scope.academic_year, number)
    if found is None:
        abort(404)
    return found


@bp.get("/<int:number>.pdf")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def pdf(year: str, number: int) -> ResponseReturnValue:
    """A submitted version as a PDF in the page's language."""
    frozen = _version_or_404(number)
    return version_pdf_response(
        frozen,
        file_word("plan"),
        year_slug(plan_scope().academic_year),
        file_word("version"),
        number,
        select_locale(),
    )


@bp.get("/<int:number>.docx")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def docx(year: str, number: int) -> ResponseReturnValue:
    """A submitted version as a Word file in the page's language."""
    frozen = _version_or_404(number)
    return version_docx_response(
        frozen,
        file_word("plan"),
        year_slug(plan_scope().academic_year),
        file_word("version"),
        number,
        select_locale(),
    )


@bp.get("/<int:number>/diamond-9.svg")
@allow(Access.SCHOOL_MEMBER, plan=True)
def svg(year: str, number: int) -> ResponseReturnValue:
    """A submitted version's Diamond 9 as an image."""
    _, frozen = version_or_404(number)
    context = summary_context(frozen.snapshot, PlanStatus.SUBMITTED, number)
    name = (
        file_word("diamond-9"),
        year_slug(plan_scope().academic_year),
        file_word("version"),
        number,
        select_locale(),
        "svg",
    )
    return Response(context["diamond_svg"], mimetype="image/svg+xml", headers=attachment(*name))
