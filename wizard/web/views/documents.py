"""The plan as a document, for the summary and versions pages: the plan of the request's
scope, a snapshot of its draft, one of its versions, and the PDF response."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user

from wizard.domain.academic_year import year_slug
from wizard.domain.cards import CardCatalogue
from wizard.domain.plan_document import OwnCardTitles
from wizard.domain.values import PlanStatus
from wizard.render.archive import safe_file_name, unique_names
from wizard.render.development_plan import LastYearRow, last_year
from wizard.render.docx_export import MIME_TYPE as DOCX_TYPE
from wizard.render.docx_export import Labels, docx_digest, render_docx
from wizard.render.pdf import RenderBusy, bounded, bounded_render, version_file, version_pdf
from wizard.services import plans
from wizard.services import year_end as year_end_service
from wizard.web import labels
from wizard.web.extensions import limiter
from wizard.web.i18n import select_locale
from wizard.web.presenters import summary_context
from wizard.web.scope import plan_scope
from wizard.web.views import attachment, file_word

if TYPE_CHECKING:
    from wizard.services.plans import Plan, PlanVersion
    from wizard.services.reporting import SubmittedPlan

PDF_TYPE = "application/pdf"
DocumentKind = Literal["pdf", "docx"]


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
    return Response(
        pdf_bytes(context, version_id), mimetype=PDF_TYPE, headers=attachment(*name, "pdf")
    )


def pdf_bytes(context: dict[str, Any], version_id: int | None) -> bytes:
    html = render_template("pdf/summary.html", for_pdf=True, **context)
    if version_id is not None:
        return version_pdf(html, version_id, select_locale())
    return bounded_render(html)


def docx_response(
    context: dict[str, Any], *name: str | int, version_id: int | None = None
) -> Response:
    """The Word file of a summary, in the page's language: a submitted version's
    (`version_id`) from the cache when it has been made before; every render bounded as the
    PDF's are (RenderBusy when no slot is free)."""
    return Response(
        docx_bytes(context, version_id), mimetype=DOCX_TYPE, headers=attachment(*name, "docx")
    )


def last_year_rows(school: tuple[int, int] | None = None) -> list[LastYearRow]:
    """How far last year's priorities were met, from the latest submitted version of last
    year's year-end review of the school (the request's plan's, or `school`: school id and
    academic year); none without one."""
    if school is None:
        scope = plan_scope()
        school = (scope.school_id, scope.academic_year)
    found = year_end_service.latest_version(school[0], school[1] - 1)
    if found is None:
        return []
    own = [
        OwnCardTitles.from_stored(int(card["id"]), card)
        for card in found.document.plan.own_cards
        if isinstance(card.get("id"), int)
    ]
    return last_year(found.document, CardCatalogue({}, own, select_locale()))


def docx_bytes(context: dict[str, Any], version_id: int | None) -> bytes:
    words = Labels(labels.PHASES, labels.BENEFICIARY_LABELS, labels.TERM_LABELS)
    if "last_year" not in context:
        context = {**context, "last_year": last_year_rows()}

    def make() -> bytes:
        return bounded(lambda: render_docx(context, words))

    if version_id is not None:
        # The version as read (its stored snapshot, which only an erasure ever changes) and
        # what the file is made with.
        made_from = hashlib.sha256(docx_digest().encode())
        made_from.update(repr(context["summary"].document).encode())
        made_from.update(repr(context["last_year"]).encode())
        digest = made_from.hexdigest()[:32]
        return version_file(version_id, select_locale(), digest, "docx", make)
    return make()


# A document of a cluster's ZIP waits for a render slot (the ZIP has begun: it cannot be
# refused any more), up to this many times this long, before the download is cut short.
SLOT_TRIES = 240
SLOT_PAUSE = 0.5


def cluster_documents(
    plans: list[SubmittedPlan], kind: DocumentKind, academic_year: int
) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Each school's latest submitted version as a file of a ZIP: its name (the school's name
    as the file system can take it, then what the file is), and what makes it (from the cache
    when it has been made before)."""
    year = year_slug(academic_year)
    lang = select_locale()
    names = unique_names(
        f"{safe_file_name(plan.school_name, f'school-{plan.school_id}')} "
        f"{file_word('plan')}-{year}-{file_word('version')}-{plan.number}-{lang}.{kind}"
        for plan in plans
    )
    for name, plan in zip(names, plans, strict=True):

        def make(plan: SubmittedPlan = plan) -> bytes:
            context = summary_context(
                plan.snapshot,
                PlanStatus.SUBMITTED,
                plan.number,
                school=(plan.school_id, academic_year),
            )
            if kind == "docx":
                context["last_year"] = last_year_rows((plan.school_id, academic_year))
            made = pdf_bytes if kind == "pdf" else docx_bytes
            return patiently(lambda: made(context, plan.version_id))

        yield name, make


def patiently(make: Callable[[], bytes]) -> bytes:
    for _attempt in range(SLOT_TRIES - 1):
        try:
            return make()
        except RenderBusy:
            time.sleep(SLOT_PAUSE)
    return make()
