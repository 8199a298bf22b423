"""The plan as a document, for the summary and versions pages: the plan of the request's
scope, a snapshot of its draft, one of its versions, and the PDF response."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user

from wizard.render.docx_export import MIME_TYPE as DOCX_TYPE
from wizard.render.docx_export import Labels, render_docx
from wizard.render.pdf import bounded_render, version_pdf
from wizard.services import plans
from wizard.web import labels
from wizard.web.extensions import limiter
from wizard.web.i18n import select_locale
from wizard.web.scope import plan_scope
from wizard.web.views import attachment

if TYPE_CHECKING:
    from wizard.services.plans import Plan, PlanVersion


def plan_or_404() -> Plan:
    """The plan of this request's scope."""
    scope = plan_scope()
    plan = plans.plan_of(scope.school_id, scope.academic_year)
    if plan is None:
        abort(404)
    return plan


def draft_snapshot() -> tuple[Plan, dict[str, Any]]:
    """The plan and a snapshot of it as it stands, from one load of the plan and its answers."""
    scope = plan_scope()
    found = plans.draft(scope.school_id, scope.academic_year)
    if found is None:
        abort(404)
    return found


def submitted_version(plan: Plan) -> PlanVersion | None:
    """The version a submitted plan stands as (None while it is a draft)."""
    return plans.submitted_version(plan)


def version_or_404(number: int) -> tuple[Plan, PlanVersion]:
    plan = plan_or_404()
    version = plans.version_of(plan, number)
    if version is None:
        abort(404)
    return plan, version


def pdf_limit_per_user() -> str:
    return str(current_app.config["PDF_REQUESTS_PER_USER"])


def pdf_limit_per_link() -> str:
    return str(current_app.config["PDF_REQUESTS_PER_SHARE_LINK"])


def _user_key() -> str:
    return f"pdf-user:{getattr(current_user, 'id', None)}"


def share_link_key() -> str:
    """A share link's PDFs are counted together, whoever asks (never by the token itself)."""
    token = str((request.view_args or {}).get("token", ""))
    return "pdf-link:" + hashlib.sha256(token.encode()).hexdigest()[:32]


# Every PDF a signed-in user asks for (summary, versions, coordinator's view), counted together.
limit_pdfs_per_user = limiter.shared_limit(pdf_limit_per_user, scope="pdf", key_func=_user_key)


def pdf_response(
    context: dict[str, Any], *name: str | int, version_id: int | None = None
) -> Response:
    """The PDF of a summary: a submitted version's (`version_id`) from the cache when it has
    been made before; every render bounded (RenderBusy when no slot is free)."""
    html = render_template("pdf/summary.html", **context)
    pdf = (
        version_pdf(html, version_id, select_locale())
        if version_id is not None
        else bounded_render(html)
    )
    return Response(pdf, mimetype="application/pdf", headers=attachment(*name, "pdf"))


def docx_response(context: dict[str, Any], *name: str | int) -> Response:
    """The Word file of a summary, in the page's language (quick to write: no render slot)."""
    words = Labels(labels.PHASES, labels.BENEFICIARY_LABELS, labels.TERM_LABELS)
    return Response(
        render_docx(context, words), mimetype=DOCX_TYPE, headers=attachment(*name, "docx")
    )
