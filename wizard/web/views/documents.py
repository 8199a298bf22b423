"""The plan as a document, for the summary and versions pages: the plan of the request's
scope, a snapshot of its draft, one of its versions, and the PDF response."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
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
from wizard.render.pdf import RenderBusy, bounded, bounded_render, pdf_made_from, version_file
from wizard.services import plans
from wizard.services import year_end as year_end_service
from wizard.web import labels
from wizard.web.extensions import limiter
from wizard.web.i18n import select_locale
from wizard.web.presenters import staff_voice_key, summary_context
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


def pdf_response(context: dict[str, Any], *name: str | int) -> Response:
    """The PDF of a draft's summary, rendered in a slot (RenderBusy when none is free)."""
    return Response(pdf_bytes(context), mimetype=PDF_TYPE, headers=attachment(*name, "pdf"))


def pdf_bytes(context: dict[str, Any]) -> bytes:
    return bounded_render(render_template("pdf/summary.html", for_pdf=True, **context))


def docx_response(context: dict[str, Any], *name: str | int) -> Response:
    """The Word file of a draft's summary, in the page's language, rendered in a slot as the
    PDF's are (RenderBusy when none is free)."""
    return Response(docx_bytes(context), mimetype=DOCX_TYPE, headers=attachment(*name, "docx"))


def version_pdf_response(version: PlanVersion, *name: str | int) -> Response:
    """A submitted version's PDF in the page's language (version_pdf_bytes)."""
    made = version_pdf_bytes(version.id, version.snapshot, version.number)
    return Response(made, mimetype=PDF_TYPE, headers=attachment(*name, "pdf"))


def version_docx_response(version: PlanVersion, *name: str | int) -> Response:
    """A submitted version's Word file in the page's language (version_docx_bytes)."""
    made = version_docx_bytes(version.id, version.snapshot, version.number)
    return Response(made, mimetype=DOCX_TYPE, headers=attachment(*name, "docx"))


def _made_from(snapshot: Mapping[str, Any], *parts: object) -> str:
    """A cache key: the version's stored snapshot (which only an erasure ever changes, and an
    erasure empties the cache) and whatever else the file is made from."""
    made = hashlib.sha256(json.dumps(snapshot, sort_keys=True, default=str).encode())
    made.update(repr(parts).encode())
    return made.hexdigest()[:32]


def version_pdf_bytes(
    version_id: int,
    snapshot: Mapping[str, Any],
    number: int,
    school: tuple[int, int] | None = None,
) -> bytes:
    """A submitted version's PDF in the page's language: the kept copy when one was made from
    the same content, else rendered in a slot (RenderBusy when none is free) and kept.

    The kept copy is looked up before anything is rendered: its key is the version's content,
    its number, the staff voice the summary shows (the request's plan's, or `school`'s) and
    what the PDF is made with (render.pdf.pdf_made_from), the language being part of its
    name. Only a miss works out the summary's context and its HTML."""
    key = _made_from(snapshot, pdf_made_from(), number, staff_voice_key(school))

    def make() -> bytes:
        context = summary_context(snapshot, PlanStatus.SUBMITTED, number, school=school)
        return pdf_bytes(context)

    return version_file(version_id, select_locale(), key, "pdf", make)


def version_docx_bytes(
    version_id: int,
    snapshot: Mapping[str, Any],
    number: int,
    school: tuple[int, int] | None = None,
) -> bytes:
    """A submitted version's Word file in the page's language, as version_pdf_bytes: its key is
    the version's content, its number, last year's latest submitted year-end review (a frozen
    version: its id) and what the file is made with. The Word file shows no staff voice."""
    if school is None:
        scope = plan_scope()
        owner = (scope.school_id, scope.academic_year)
    else:
        owner = school
    last_review = year_end_service.latest_version_id(owner[0], owner[1] - 1)
    key = _made_from(snapshot, docx_digest(), pdf_made_from(), number, last_review)

    def make() -> bytes:
        context = summary_context(snapshot, PlanStatus.SUBMITTED, number, school=school)
        context["last_year"] = last_year_rows(owner)
        return docx_bytes(context)

    return version_file(version_id, select_locale(), key, "docx", make)


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


def docx_bytes(context: dict[str, Any]) -> bytes:
    words = Labels(labels.PHASES, labels.BENEFICIARY_LABELS, labels.TERM_LABELS)
    if "last_year" not in context:
        context = {**context, "last_year": last_year_rows()}
    return bounded(lambda: render_docx(context, words))


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
            made = version_pdf_bytes if kind == "pdf" else version_docx_bytes
            school = (plan.school_id, academic_year)
            return patiently(lambda: made(plan.version_id, plan.snapshot, plan.number, school))

        yield name, make


def patiently(make: Callable[[], bytes]) -> bytes:
    for _attempt in range(SLOT_TRIES - 1):
        try:
            return make()
        except RenderBusy:
            time.sleep(SLOT_PAUSE)
    return make()
