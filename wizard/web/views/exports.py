"""Exports of a cluster's plans for its coordinators: CSV files (one row per school, or per
funding line of each school's latest submitted version), a ZIP of every school's latest
submitted plan and one of every school's latest submitted year-end review (PDF or Word files),
which national administrators may download too."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, request, stream_with_context
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import parse_year_slug, year_slug
from wizard.render import csv_export
from wizard.render.archive import safe_file_name, stream_zip, unique_names
from wizard.services import reporting, year_end
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.text import gettext as _
from wizard.web.views import attachment, file_word, signed_in_user
from wizard.web.views.documents import cluster_documents, limit_pdfs_per_user, patiently
from wizard.web.views.year_end import review_docx, review_pdf

if TYPE_CHECKING:
    from wizard.services.reporting import SchoolPlanRow
    from wizard.services.year_end import FrozenReview, SchoolReview

bp = Blueprint("exports", __name__, url_prefix=LANG_PREFIX + "/clusters/<int:cluster_id>/<year>")


def _export(
    cluster_id: int,
    year: str,
    build: Callable[[Iterable[SchoolPlanRow], str], bytes],
    name: str,
) -> Response:
    academic_year = parse_year_slug(year)
    if academic_year is None:
        abort(404)
    locale = select_locale()
    rows = reporting.cluster_rows(signed_in_user().id, cluster_id, academic_year, locale)
    if rows is None:
        abort(404)
    body = build(rows, locale)
    headers = attachment(name, cluster_id, year_slug(academic_year), "csv")
    return Response(body, mimetype="text/csv", headers=headers)


def _zip_request(year: str) -> tuple[int, str]:
    """The academic year and the kind of file (?format=, PDF unless "docx") a cluster's ZIP
    asks for; 404 for anything else."""
    academic_year = parse_year_slug(year)
    kind = request.args.get("format", "pdf")
    if academic_year is None or kind not in ("pdf", "docx"):
        abort(404)
    return academic_year, kind


@bp.get("/schools.csv")
@allow(Access.COORDINATOR)
def schools_csv(cluster_id: int, year: str) -> ResponseReturnValue:
    """One row per school of the cluster: status, latest version and its nine priorities."""
    # TRANSLATORS: part of a file name: lower case letters only, no spaces or accents.
    return _export(cluster_id, year, csv_export.schools_csv, _("schools"))


@bp.get("/funding.csv")
@allow(Access.COORDINATOR)
def funding_csv(cluster_id: int, year: str) -> ResponseReturnValue:
    """One row per funding line of each school's latest submitted version."""
    # TRANSLATORS: part of a file name: lower case letters only, no spaces or accents.
    return _export(cluster_id, year, csv_export.funding_csv, _("funding"))


@bp.get("/plans.zip")
@allow(Access.COORDINATOR_OR_ADMINISTRATOR)
@limit_pdfs_per_user
def plans_zip(cluster_id: int, year: str) -> ResponseReturnValue:
    """Every school's latest submitted plan for the year, as PDFs (or, with ?format=docx, Word
    files) in the page's language, in one ZIP sent as each file is made (each from the cache
    when it has been made before)."""
    academic_year, kind = _zip_request(year)
    user = signed_in_user()
    found = reporting.cluster_submitted(
        user.id, bool(user.is_admin), cluster_id, academic_year, select_locale()
    )
    if found is None:
        abort(404)
    files = cluster_documents(found, "pdf" if kind == "pdf" else "docx", academic_year)
    name = attachment(
        file_word("plans"), cluster_id, year_slug(academic_year), kind, select_locale(), "zip"
    )
    return Response(
        stream_with_context(stream_zip(files)), mimetype="application/zip", headers=name
    )


def _review_files(
    reviews: list[SchoolReview], kind: str, academic_year: int
) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Each school's latest submitted year-end review as a file of a ZIP: its name (the
    school's name as the file system can take it, then what the file is), and what makes it
    (the school's own kept copy when it has been made before)."""
    year, lang = year_slug(academic_year), select_locale()
    # TRANSLATORS: part of a file name: lower case letters and hyphens only, no spaces or accents.
    word = _("year-end-review")
    names = unique_names(
        f"{safe_file_name(found.school_name, f'school-{found.school_id}')} "
        f"{word}-{year}-{file_word('version')}-{found.review.version.number}-{lang}.{kind}"
        for found in reviews
    )
    made = review_pdf if kind == "pdf" else review_docx
    for name, found in zip(names, reviews, strict=True):

        def make(review: FrozenReview = found.review) -> bytes:
            return patiently(lambda: made(review))

        yield name, make


@bp.get("/reviews.zip")
@allow(Access.COORDINATOR_OR_ADMINISTRATOR)
@limit_pdfs_per_user
def reviews_zip(cluster_id: int, year: str) -> ResponseReturnValue:
    """Every school's latest submitted year-end review of its plan for the year, as PDFs (or,
    with ?format=docx, Word files) in the page's language, in one ZIP sent as each file is
    made (each from the cache when it has been made before)."""
    academic_year, kind = _zip_request(year)
    user = signed_in_user()
    found = year_end.cluster_reviews(
        user.id, bool(user.is_admin), cluster_id, academic_year, select_locale()
    )
    if found is None:
        abort(404)
    files = _review_files(found, kind, academic_year)
    # TRANSLATORS: part of a file name (a ZIP of a cluster's year-end reviews): lower case
    # letters and hyphens only, no spaces or accents.
    name = attachment(
        _("year-end-reviews"), cluster_id, year_slug(academic_year), kind, select_locale(), "zip"
    )
    return Response(
        stream_with_context(stream_zip(files)), mimetype="application/zip", headers=name
    )
