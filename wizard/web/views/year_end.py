"""The year-end review of a plan ("adolygiad diwedd blwyddyn"): its own task list, a page per
section, check and submit, its versions (page, print, PDF and Word file), and reopening.

Not a coordinator's review of a plan (views/coordinator.py). The rules are in
wizard/domain/year_end.py and the work in wizard/services/year_end.py; this module reads the
request and turns results into pages."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wizard.domain import year_end as rules
from wizard.domain.academic_year import parse_year_slug, year_slug
from wizard.domain.funding import new_line_id
from wizard.domain.plan_document import OwnCardTitles
from wizard.domain.year_end import YearEndDocument
from wizard.render import year_end_csv
from wizard.render.docx_export import MIME_TYPE as DOCX_TYPE
from wizard.render.docx_export import docx_digest
from wizard.render.pdf import bounded, version_file, version_pdf
from wizard.render.year_end_docx import render_year_end_docx
from wizard.services import reporting
from wizard.services import year_end as service
from wizard.services.year_end import Conflict, NotSubmitted, Refusal, ReviewState, Unavailable
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm, RevisionForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import attachment, signed_in_user
from wizard.web.views.clusters import chosen_year
from wizard.web.views.documents import limit_pdfs_per_user
from wizard.web.written import written_language
from wizard.web.year_end import (
    SECTION_TITLES,
    AddedLineForm,
    CarryOverForm,
    ImpactForm,
    catalogue,
    funding_form,
    funding_from_form,
    funding_initial,
    hallmarks_form,
    words,
    year_end_report,
)

bp = Blueprint("year_end", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/year-end")
coordinator_bp = Blueprint(
    "year_end_coordinator",
    __name__,
    url_prefix=LANG_PREFIX + "/clusters/<int:cluster_id>/schools/<int:school_id>/<year>/year-end",
)


def _state() -> ReviewState:
    """The review of this request's plan, or a page saying why it cannot be opened."""
    scope = plan_scope()
    state = service.load(scope.school_id, scope.academic_year)
    if isinstance(state, Unavailable):
        abort(404)
    return state


def _editable(state: ReviewState) -> None:
    """A submitted review is changed only after reopening: back to its task list."""
    if not state.editable:
        if request.method == "POST":  # a GET changes nothing, not even the flashed messages
            flash(
                _("This year-end review has been submitted. Reopen it to make changes."),
                "important",
            )
        abort(redirect(url_for("year_end.index", year=plan_scope().year_slug)))


def _index_url() -> str:
    return url_for("year_end.index", year=plan_scope().year_slug)


def _common(state: ReviewState, **extra: Any) -> dict[str, Any]:
    scope = plan_scope()
    return {
        "state": state,
        "document": state.document,
        "cards": catalogue(state.own_cards, select_locale()),
        "academic_year": scope.academic_year,
        "year_slug": scope.year_slug,
        "school": signed_in_user().school,
        **words(),
        **extra,
    }


def _conflict_notice(conflict: Conflict | None) -> None:
    if conflict is not None:
        flash(
            _(
                "%(name)s saved this section while you were working on it. Your answers have not been saved: check them, then save again.",
                name=conflict.author or _("Someone else"),
            ),
            "important",
        )


def _save(
    state: ReviewState, section: str, data: dict[str, Any], form: RevisionForm
) -> Conflict | None:
    try:
        result = service.save(
            state,
            section,
            data,
            form.based_on_revision(),
            signed_in_user(),
            lang=written_language(),
        )
    except service.Locked:
        flash(_("This year-end review has been submitted. Reopen it to make changes."), "important")
        abort(redirect(_index_url()))
    if isinstance(result, Conflict):
        form.revision.data = str(result.revision)
        _conflict_notice(result)
        return result
    return None


@bp.get("")
@allow(Access.SCHOOL_MEMBER, plan=True)
def index(year: str) -> ResponseReturnValue:
    """The year-end review's task list."""
    scope = plan_scope()
    state = service.load(scope.school_id, scope.academic_year)
    if isinstance(state, Unavailable):
        return render_template(
            "year_end/unavailable.html",
            reason=state.reason,
            opens=state.opens,
            academic_year=scope.academic_year,
            year_slug=year,
            school=signed_in_user().school,
        )
    document = state.document
    sections = [
        (name, rules.section_status(document, name), url)
        for name, url in (
            (rules.FUNDING, url_for(".funding", year=year)),
            ("impact", url_for(".impact", year=year, number=1)),
            (rules.HALLMARKS, url_for(".hallmarks", year=year)),
            (rules.CARRY_OVER, url_for(".carry_over", year=year)),
        )
    ]
    return render_template(
        "year_end/index.html",
        **_common(state, sections=sections, form=ConfirmForm()),
    )


@bp.route("/funding", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def funding(year: str) -> ResponseReturnValue:
    """What was actually spent on each planned line, and whether it happened."""
    state = _state()
    _editable(state)
    document = state.document
    lines = document.plan.lines
    initial = {**funding_initial(document), "revision": str(state.revision(rules.FUNDING))}
    form = funding_form(lines, data=initial)
    if form.validate_on_submit():
        data = funding_from_form(form, document)
        reviewed = YearEndDocument.from_sections(
            document.plan, {**document.sections(), rules.FUNDING: data}
        )
        if reviewed.totals.large and not data["explanation"].strip():
            form.explanation.errors = [
                _("Explain why what you spent is different from what you planned")
            ]
        elif _save(state, rules.FUNDING, data, form) is None:
            return redirect(url_for(".impact", year=year, number=1))
    return render_template(
        "year_end/funding.html",
        **_common(
            state,
            form=form,
            back_url=_index_url(),
            lines_full=len(document.funding.added) >= rules.MAX_ADDED_LINES,
            lines_limit=_lines_limit(),
        ),
    )


@bp.route("/funding/add", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def add_line(year: str) -> ResponseReturnValue:
    """Spending that was not in the plan."""
    state = _state()
    _editable(state)
    document = state.document
    form = AddedLineForm(data={"revision": str(state.revision(rules.FUNDING))})
    cards = catalogue(state.own_cards, select_locale())
    form.priority.choices = [("", _("None of them"))] + [
        (card, cards[card].title) for card in document.plan.priorities
    ]
    full = len(document.funding.added) >= rules.MAX_ADDED_LINES
    if form.validate_on_submit() and not full:
        if form.priority.data and form.priority.data not in document.plan.priorities:
            abort(400)
        added = rules.AddedLine(
            new_line_id(),
            form.purpose.data or "",
            form.priority.data or "",
            form.description.data or "",
            form.amount.pence or 0,
            written_language(),
        )
        stored = document.funding.to_stored()
        data = {**stored, "added": [*stored["added"], added.to_stored()]}
        if _save(state, rules.FUNDING, data, form) is None:
            return redirect(url_for(".funding", year=year))
    if full:  # said before anything is typed, and again (keeping what was typed) if sent
        form.description.errors = [*form.description.errors, _lines_limit()]
    return render_template(
        "year_end/add_line.html",
        **_common(state, form=form, back_url=url_for(".funding", year=year)),
    )


def _lines_limit() -> str:
    return _(
        "You can add up to %(count)s lines of spending that was not in your plan. Remove one you no longer need to add another.",
        count=rules.MAX_ADDED_LINES,
    )


@bp.post("/funding/added/<line_id>/remove")
@allow(Access.SCHOOL_MEMBER, plan=True)
def remove_line(year: str, line_id: str) -> ResponseReturnValue:
    """Take away a line added at the end of the year: that line, by its id, from the section
    as it is now (the page's revision is not asked for: removing one line of several from the
    same page, one after the other, is not a conflict with oneself). The save is still
    compare-and-set on the revision just read, so a save in between is never overwritten."""
    state = _state()
    _editable(state)
    form = RevisionForm()
    if not form.validate_on_submit():
        abort(400)
    stored = state.document.funding.to_stored()
    kept = [line for line in stored["added"] if line["id"] != line_id]
    if len(kept) == len(stored["added"]):  # removed already (a second click, another tab)
        flash(_("That line had already been removed."), "success")
        return redirect(url_for(".funding", year=year))
    form.revision.data = str(state.revision(rules.FUNDING))
    if _save(state, rules.FUNDING, {**stored, "added": kept}, form) is None:
        flash(_("The line has been removed."), "success")
    return redirect(url_for(".funding", year=year))


@bp.route("/impact/<int:number>", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def impact(year: str, number: int) -> ResponseReturnValue:
    """The impact on priority `number` (in the board's order, top first)."""
    state = _state()
    _editable(state)
    priorities = state.document.plan.priorities
    if not 1 <= number <= len(priorities):
        abort(404)
    card = priorities[number - 1]
    section = rules.impact_section(card)
    answer = state.document.impact(card)
    form = ImpactForm(
        data={
            "levels": list(answer.levels),
            "evidence": answer.evidence,
            "criteria": answer.criteria,
            "revision": str(state.revision(section)),
        }
    )
    if form.validate_on_submit():
        data = rules.Impact(
            card, tuple(form.levels.data or ()), form.evidence.data or "", form.criteria.data
        ).to_stored()
        if _save(state, section, data, form) is None:
            if number < len(priorities):
                return redirect(url_for(".impact", year=year, number=number + 1))
            return redirect(url_for(".hallmarks", year=year))
    back = url_for(".impact", year=year, number=number - 1) if number > 1 else None
    return render_template(
        "year_end/impact.html",
        **_common(
            state,
            form=form,
            card=card,
            number=number,
            count=len(priorities),
            criteria=state.document.plan.criteria.get(card, {}),
            back_url=back or url_for(".funding", year=year),
        ),
    )


@bp.route("/hallmarks", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def hallmarks(year: str) -> ResponseReturnValue:
    """The eight hallmarks rated again, beside the start-of-year ratings."""
    state = _state()
    _editable(state)
    document = state.document
    initial: dict[str, Any] = {f"rating_{h}": r for h, r in document.ratings.items()}
    form = hallmarks_form(data={**initial, "revision": str(state.revision(rules.HALLMARKS))})
    if form.validate_on_submit():
        ratings = {str(h.id): field.data for h, field in form.hallmark_fields()}
        if _save(state, rules.HALLMARKS, {"ratings": ratings}, form) is None:
            return redirect(url_for(".carry_over", year=year))
    count = len(document.plan.priorities)
    return render_template(
        "year_end/hallmarks.html",
        **_common(
            state,
            form=form,
            back_url=url_for(".impact", year=year, number=count) if count else _index_url(),
        ),
    )


@bp.route("/carry-over", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def carry_over(year: str) -> ResponseReturnValue:
    """What carries into next year: priorities (proposed: those not fully met) and notes."""
    state = _state()
    _editable(state)
    document = state.document
    cards = catalogue(state.own_cards, select_locale())
    form = CarryOverForm(
        data={
            "carry": list(document.carried),
            "notes": document.notes,
            "revision": str(state.revision(rules.CARRY_OVER)),
        }
    )
    form.carry.choices = [(card, cards[card].title) for card in document.plan.priorities]
    if form.validate_on_submit():
        data = {"carry": list(form.carry.data or ()), "notes": form.notes.data or ""}
        if _save(state, rules.CARRY_OVER, data, form) is None:
            return redirect(url_for(".check", year=year))
    return render_template(
        "year_end/carry_over.html",
        **_common(state, form=form, back_url=url_for(".hallmarks", year=year)),
    )


@bp.route("/check", methods=["GET", "POST"])
@allow(Access.SCHOOL_MEMBER, plan=True)
def check(year: str) -> ResponseReturnValue:
    """Check the answers and submit the review (the school lead submits)."""
    state = _state()
    if state.submitted:
        return redirect(url_for(".version", year=year, number=state.version))
    form = ConfirmForm()
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        result = service.submit(state, signed_in_user())
        if not isinstance(result, NotSubmitted):
            flash(_("You have submitted your year-end review."), "success")
            return redirect(url_for(".version", year=year, number=result.number))
        if result.refusal is Refusal.NOT_LEAD:
            abort(403)
        if result.refusal is Refusal.CHANGED:
            flash(
                _(
                    "Someone else submitted or changed this review at the same moment. Check it, then submit again."
                ),
                "important",
            )
            return redirect(url_for(".check", year=year))
        problems = _problems(result.incomplete, year)
    return render_template(
        "year_end/check.html",
        **_common(
            state,
            form=form,
            problems=problems,
            incomplete=state.document.incomplete(),
            back_url=url_for(".carry_over", year=year),
        ),
    )


def _problems(incomplete: tuple[str, ...], year: str) -> list[tuple[str, str]]:
    links = {
        rules.FUNDING: url_for(".funding", year=year),
        "impact": url_for(".impact", year=year, number=1),
        rules.HALLMARKS: url_for(".hallmarks", year=year),
        rules.CARRY_OVER: url_for(".carry_over", year=year),
    }
    return [
        (_("Complete the section: %(section)s", section=str(SECTION_TITLES[name])), links[name])
        for name in incomplete
    ]


def _frozen(number: int) -> service.FrozenReview:
    scope = plan_scope()
    found = service.version(scope.school_id, scope.academic_year, number)
    if found is None:
        abort(404)
    return found


def _summary_context(found: service.FrozenReview, **extra: Any) -> dict[str, Any]:
    """What the review's summary, PDF and Word file are made from (the request's scope plays
    no part: a cluster's ZIP makes them for each of its schools)."""
    document = found.document
    own = [
        OwnCardTitles.from_stored(int(card["id"]), card)
        for card in document.plan.own_cards
        if isinstance(card.get("id"), int)
    ]
    academic_year = found.academic_year
    return {
        "document": document,
        "version": found.version,
        "versions": found.versions,
        "cards": catalogue(own, select_locale()),
        "academic_year": academic_year,
        "year_slug": year_slug(academic_year),
        "school_name": document.school.get("name_cy" if select_locale() == "cy" else "name_en")
        or document.school.get("name_en", ""),
        **words(),
        **extra,
    }


def _links(pdf: str, docx: str, **values: Any) -> list[tuple[str, str, str]]:
    """The review's downloads (href, language, link text): the PDF and the Word file, each in
    English and in Welsh, whatever the page's language."""
    words = {
        ("pdf", "en"): _("Download the year-end review as a PDF in English"),
        ("pdf", "cy"): _("Download the year-end review as a PDF in Welsh"),
        ("docx", "en"): _("Download the year-end review as a Word document (.docx) in English"),
        ("docx", "cy"): _("Download the year-end review as a Word document (.docx) in Welsh"),
    }
    return [
        (url_for(endpoint, lang=lang, **values), lang, words[kind, lang])
        for kind, endpoint in (("pdf", pdf), ("docx", docx))
        for lang in ("en", "cy")
    ]


@bp.get("/versions/<int:number>")
@allow(Access.SCHOOL_MEMBER, plan=True)
def version(year: str, number: int) -> ResponseReturnValue:
    """A submitted version of the review: its summary, to read, print or download."""
    found = _frozen(number)
    return render_template(
        "year_end/summary.html",
        **_summary_context(
            found,
            downloads=_links(".version_pdf_view", ".version_docx", year=year, number=number),
            back_url=_index_url(),
            form=ConfirmForm(),
        ),
    )


def review_file_name(found: service.FrozenReview, extension: str) -> dict[str, str]:
    """The Content-Disposition of a version's file, in the page's language."""
    # TRANSLATORS: part of a file name: lower case letters and hyphens only, no spaces or accents.
    word = _("year-end-review")
    slug = year_slug(found.academic_year)
    return attachment(word, slug, found.version.number, select_locale(), extension)


def review_pdf(found: service.FrozenReview) -> bytes:
    """A submitted version's PDF in the page's language: from the cache when it was made from
    the same content, else rendered in a render slot (RenderBusy when none is free) and kept."""
    html = render_template("year_end/pdf.html", **_summary_context(found))
    return version_pdf(html, -found.version.id, select_locale())


def review_docx(found: service.FrozenReview) -> bytes:
    """A submitted version's Word file in the page's language: from the cache when it was made
    from the same content, else rendered in a render slot (RenderBusy when none is free) and
    kept, as the plan's are."""
    context = _summary_context(found)
    # The version as read (its frozen snapshot) and what the file is made with.
    made_from = hashlib.sha256(docx_digest().encode())
    made_from.update(repr(found.document).encode())
    made_from.update(f"{found.version.number}|{context['school_name']}".encode())
    return version_file(
        -found.version.id,
        select_locale(),
        made_from.hexdigest()[:32],
        "docx",
        lambda: bounded(lambda: render_year_end_docx(context)),
    )


def _pdf(found: service.FrozenReview) -> Response:
    return Response(
        review_pdf(found), mimetype="application/pdf", headers=review_file_name(found, "pdf")
    )


def _docx(found: service.FrozenReview) -> Response:
    return Response(review_docx(found), mimetype=DOCX_TYPE, headers=review_file_name(found, "docx"))


@bp.get("/versions/<int:number>/review.pdf")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def version_pdf_view(year: str, number: int) -> ResponseReturnValue:
    return _pdf(_frozen(number))


@bp.get("/versions/<int:number>/review.docx")
@allow(Access.SCHOOL_MEMBER, plan=True)
@limit_pdfs_per_user
def version_docx(year: str, number: int) -> ResponseReturnValue:
    return _docx(_frozen(number))


@bp.get("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def confirm_reopen(year: str) -> ResponseReturnValue:
    """Ask before reopening: the submitted version stays as it is."""
    state = _state()
    if not state.submitted:
        return redirect(_index_url())
    return render_template(
        "year_end/reopen.html", **_common(state, form=ConfirmForm(), back_url=_index_url())
    )


@bp.post("/reopen")
@allow(Access.SCHOOL_LEAD, plan=True)
def reopen(year: str) -> ResponseReturnValue:
    state = _state()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if service.reopen(state, signed_in_user()):
        flash(
            _(
                "You have reopened the year-end review. This is now version %(number)d, a draft.",
                number=state.version + 1,
            ),
            "success",
        )
    return redirect(_index_url())


# The coordinator reads a school's latest submitted review.
def _latest_frozen() -> service.FrozenReview:
    scope = plan_scope()
    found = service.latest_version(scope.school_id, scope.academic_year)
    if found is None:
        abort(404)
    return found


@coordinator_bp.get("")
@allow(Access.COORDINATOR, plan=True)
def coordinator_summary(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """A school's latest submitted year-end review, read-only."""
    found = _latest_frozen()
    here = {"cluster_id": cluster_id, "school_id": school_id, "year": year}
    return render_template(
        "year_end/summary.html",
        **_summary_context(
            found,
            downloads=_links(".coordinator_pdf", ".coordinator_docx", **here),
            back_url=url_for("clusters.dashboard", cluster_id=cluster_id, year=year),
            coordinator=True,
        ),
    )


@coordinator_bp.get("/review.pdf")
@allow(Access.COORDINATOR, plan=True)
@limit_pdfs_per_user
def coordinator_pdf(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """The latest submitted version as a PDF in the page's language (the school's own kept
    copy when one has been made)."""
    return _pdf(_latest_frozen())


@coordinator_bp.get("/review.docx")
@allow(Access.COORDINATOR, plan=True)
@limit_pdfs_per_user
def coordinator_docx(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """The latest submitted version as a Word file in the page's language."""
    return _docx(_latest_frozen())


# The year-end figures as CSV files: a coordinator's cluster, and the national view.
reports_bp = Blueprint("year_end_reports", __name__, url_prefix=LANG_PREFIX)


def _csv(figures: service.YearEndFigures | None, kind: str, *name: str | int) -> Response:
    report = year_end_report(figures)
    if report is None:
        abort(404)
    body = (
        year_end_csv.spending_csv(report.purposes)
        if kind == "spending"
        else year_end_csv.impact_csv(report.impact)
    )
    return Response(body, mimetype="text/csv", headers=attachment(*name, "csv"))


def _csv_name(kind: str) -> str:
    # TRANSLATORS: part of a file name: lower case letters and hyphens only, no spaces or accents.
    return _("year-end-spending") if kind == "spending" else _("year-end-impact")


@reports_bp.get("/clusters/<int:cluster_id>/<year>/year-end-<any(spending,impact):kind>.csv")
@allow(Access.COORDINATOR)
def cluster_csv(cluster_id: int, year: str, kind: str) -> ResponseReturnValue:
    """The cluster's planned against actual spending by purpose, or impact per priority."""
    academic_year = parse_year_slug(year)
    if academic_year is None:
        abort(404)
    figures = reporting.cluster_year_end(signed_in_user().id, cluster_id, academic_year)
    return _csv(figures, kind, _csv_name(kind), cluster_id, year_slug(academic_year))


@reports_bp.get("/national/year-end-<any(spending,impact):kind>.csv")
@allow(Access.AUTHORITY_ADMINISTRATOR)
def national_csv(kind: str) -> ResponseReturnValue:
    """The same for a local authority (?authority=) or all of Wales, for the year (?year=); a
    local authority administrator's own authority only."""
    academic_year = chosen_year()
    found = reporting.national_year_end(
        signed_in_user(), academic_year, request.args.get("authority", ""), select_locale()
    )
    if found is None:
        abort(400)
    figures, code = found
    return _csv(figures, kind, _csv_name(kind), code or _("wales"), year_slug(academic_year))
