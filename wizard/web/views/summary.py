"""The plan summary as it stands: a page that prints on A4, and its PDF."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import year_slug
from wizard.domain.values import PlanStatus
from wizard.domain.year_end import CRITERIA_TITLES
from wizard.render.development_plan import development_plan
from wizard.web import labels
from wizard.web.access import Access, allow
from wizard.web.feedback import school_feedback
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import summary_context
from wizard.web.scope import plan_scope
from wizard.web.views import file_word
from wizard.web.views.documents import (
    docx_response,
    draft_snapshot,
    last_year_rows,
    limit_pdfs_per_user,
    pdf_response,
    submitted_version,
    version_docx_response,
    version_pdf_response,
)

bp = Blueprint("summary", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


@bp.get("/summary")
@allow(Access.SCHOOL_MEMBER, plan=True)
def page(year: str) -> ResponseReturnValue:
    """The plan as it stands: readable in one sitting, printable on A4."""
    plan, snapshot = draft_snapshot()
    context = summary_context(
        snapshot,
        plan.status,
        None if plan.status == PlanStatus.DRAFT else plan.version,
    )
    return render_template(
        "plan/summary.html", plan=plan, year_slug=year, feedback=school_feedback(plan), **context
    )


@bp.get("/summary.pdf")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def pdf(year: str) -> ResponseReturnValue:
    """The plan as it stands, as a PDF in the page's language: titled and named as a draft
    while it is one; once submitted, the plan as it stands is the version submitted, so the
    PDF is that version's (its title, its name, its cached file)."""
    plan, snapshot = draft_snapshot()
    year = year_slug(plan_scope().academic_year)
    frozen = submitted_version(plan)
    if frozen is None:
        context = summary_context(snapshot, PlanStatus.DRAFT, None)
        return pdf_response(context, file_word("plan"), year, file_word("draft"), select_locale())
    return version_pdf_response(
        frozen, file_word("plan"), year, file_word("version"), frozen.number, select_locale()
    )


@bp.get("/summary.docx")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def docx(year: str) -> ResponseReturnValue:
    """The plan as it stands, as a Word file in the page's language: the draft's while it is
    one, else the version submitted (named as the PDF is)."""
    plan, snapshot = draft_snapshot()
    year = year_slug(plan_scope().academic_year)
    frozen = submitted_version(plan)
    if frozen is None:
        context = summary_context(snapshot, PlanStatus.DRAFT, None)
        return docx_response(context, file_word("plan"), year, file_word("draft"), select_locale())
    return version_docx_response(
        frozen, file_word("plan"), year, file_word("version"), frozen.number, select_locale()
    )


@bp.get("/summary/development-plan")
@allow(Access.SCHOOL_MEMBER, plan=True)
def development_plan_page(year: str) -> ResponseReturnValue:
    """The plan as it stands, as a short section to copy into the School Development Plan."""
    plan, snapshot = draft_snapshot()
    context = summary_context(
        snapshot, plan.status, None if plan.status == PlanStatus.DRAFT else plan.version
    )
    rows = development_plan(context["summary"], labels.TERM_LABELS)
    return render_template(
        "plan/development_plan.html",
        year_slug=year,
        rows=rows,
        last_year=last_year_rows(),
        criteria_titles=CRITERIA_TITLES,
        **context,
    )
