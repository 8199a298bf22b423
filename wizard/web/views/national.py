"""The national view for administrators, and the drill-down from Wales to a school: all of
Wales with each local authority's schools by status; an authority, with its clusters (their
status counts and deadlines); a cluster's dashboard; a school's plan, read-only. Each level has
its aggregates and a CSV, and two authorities can be compared side by side.

Who may see an authority is one rule (services.access.may_administer_authority): a national
administrator every one, a local authority administrator their own; all of Wales, its CSV and
the comparison of two authorities are national administrators' only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.domain.academic_year import year_slug
from wizard.domain.inputs import parse_whole_number
from wizard.domain.values import DashboardStatus, PlanStatus
from wizard.render import csv_export
from wizard.services import feedback, reporting
from wizard.services.access import administered_authority
from wizard.web.access import Access, allow
from wizard.web.feedback import field_change_groups
from wizard.web.figures import figures_html
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import summary_context
from wizard.web.reporting import STATUS_LABELS, STATUS_TAGS, build_report
from wizard.web.scope import plan_scope
from wizard.web.text import gettext as _
from wizard.web.views import attachment
from wizard.web.views.clusters import chosen_year, year_choices
from wizard.web.views.documents import draft_snapshot
from wizard.web.year_end import year_end_csv_labels

bp = Blueprint("national", __name__, url_prefix=LANG_PREFIX + "/national")

AUTHORITY = "/authorities/<code>"
CLUSTER = AUTHORITY + "/clusters/<int:cluster_id>"


def _common(year: int) -> dict[str, Any]:
    return {
        "year": year,
        "slug": year_slug(year),
        "years": year_choices(),
        "statuses": list(DashboardStatus),
        "status_labels": STATUS_LABELS,
        "status_tags": STATUS_TAGS,
    }


@bp.get("")
@allow(Access.AUTHORITY_ADMINISTRATOR)
def index() -> ResponseReturnValue:
    """All of Wales (or one authority, ?authority=) for a national administrator, a local
    authority administrator's own authority only: schools by status, each authority's counts
    with a link to it, and the aggregates."""
    year = chosen_year()
    found = reporting.national(
        year,
        request.args.get("authority", ""),
        select_locale(),
        only_authority_id=administered_authority(current_user),
    )
    if found is None:
        abort(400)
    chosen: dict[str, Any] = {"authority": found.authority.code} if found.authority else {}
    return render_template(
        "national/index.html",
        authorities=found.authorities,
        authority=found.authority,
        counts=found.counts,
        summaries=reporting.authorities_with_counts(
            year,
            select_locale(),
            only_authority_id=administered_authority(current_user),
            authorities=found.authorities,
            counts=found.by_authority,
        ),
        figures=figures_html(
            found.facts,
            found.year_end,
            [
                (
                    url_for(
                        "year_end_reports.national_csv",
                        kind=kind,
                        year=year_slug(year),
                        **chosen,
                    ),
                    label,
                )
                for kind, label in year_end_csv_labels()
            ],
        ),
        **_common(year),
    )


@bp.get("/authorities.csv")
@allow(Access.ADMINISTRATOR)
def authorities_csv() -> ResponseReturnValue:
    """One row per local authority: its schools by plan status."""
    year = chosen_year()
    rows = reporting.authorities_with_counts(year, select_locale())
    body = csv_export.authorities_csv(rows, select_locale())
    # TRANSLATORS: part of a file name: lower case letters only, no spaces or accents.
    headers = attachment(_("authorities"), year_slug(year), "csv")
    return Response(body, mimetype="text/csv", headers=headers)


@bp.get(AUTHORITY)
@allow(Access.AUTHORITY_ADMINISTRATOR)
def authority(code: str) -> ResponseReturnValue:
    """A local authority: schools by status, its clusters with their counts and deadlines,
    and its aggregates."""
    year = chosen_year()
    found = reporting.authority_view(current_user, year, code, select_locale())
    if found is None:
        abort(404)
    return render_template(
        "national/authority.html",
        view=found,
        authority=found.authority,
        report=build_report(found.facts),
        **_common(year),
    )


@bp.get(AUTHORITY + "/clusters.csv")
@allow(Access.AUTHORITY_ADMINISTRATOR)
def authority_csv(code: str) -> ResponseReturnValue:
    """One row per cluster of the authority: its schools by status and its deadline."""
    year = chosen_year()
    found = reporting.authority_view(current_user, year, code, select_locale())
    if found is None:
        abort(404)
    body = csv_export.clusters_csv(found.clusters, select_locale())
    # TRANSLATORS: part of a file name: lower case letters only, no spaces or accents.
    headers = attachment(_("clusters"), code, year_slug(year), "csv")
    return Response(body, mimetype="text/csv", headers=headers)


@bp.get(CLUSTER)
@allow(Access.AUTHORITY_ADMINISTRATOR)
def cluster(code: str, cluster_id: int) -> ResponseReturnValue:
    """A cluster's dashboard, as its coordinators see it (read-only)."""
    year = chosen_year()
    status = request.args.get("status", "")
    if status and status not in set(DashboardStatus):
        abort(400)
    found = reporting.authority_cluster(
        current_user, year, code, cluster_id, status, select_locale()
    )
    if found is None:
        abort(404)
    return render_template(
        "national/cluster.html",
        cluster=found.cluster,
        code=code,
        rows=found.rows,
        all_count=found.all_count,
        status=status,
        report=build_report(found.facts),
        deadline=found.deadline,
        overdue=found.overdue,
        review_deadline=found.review_deadline,
        **_common(year),
    )


@bp.get(CLUSTER + "/schools.csv")
@allow(Access.AUTHORITY_ADMINISTRATOR)
def cluster_csv(code: str, cluster_id: int) -> ResponseReturnValue:
    """One row per school of the cluster (as its coordinators' CSV)."""
    year = chosen_year()
    rows = reporting.authority_cluster_rows(current_user, year, code, cluster_id, select_locale())
    if rows is None:
        abort(404)
    body = csv_export.schools_csv(rows, select_locale())
    # TRANSLATORS: part of a file name: lower case letters only, no spaces or accents.
    headers = attachment(_("schools"), cluster_id, year_slug(year), "csv")
    return Response(body, mimetype="text/csv", headers=headers)


@bp.get(CLUSTER + "/schools/<int:school_id>/<year>")
@allow(Access.AUTHORITY_ADMINISTRATOR, plan=True)
def plan(code: str, cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    """A school's plan, read-only: its latest submitted version (or ?version=N), with what
    changed since the one before, or its draft if none yet."""
    scope = plan_scope()
    found, versions = feedback.plan_and_versions(scope.school_id, scope.academic_year)
    version = versions[-1] if versions else None
    raw = request.args.get("version")
    if raw is not None:
        number = parse_whole_number(raw, maximum=100000)
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            abort(404)
    context: dict[str, Any] = {}
    changes = None
    if version is not None:
        context = summary_context(version.snapshot, PlanStatus.SUBMITTED, version.number)
        index = versions.index(version)
        if index:
            changes = field_change_groups(versions[index - 1].snapshot, version.snapshot)
    elif found is not None:
        _, snapshot = draft_snapshot()
        context = summary_context(snapshot, PlanStatus.DRAFT, None)
    return render_template(
        "national/plan.html",
        plan=found,
        versions=versions,
        version=version,
        changes=changes,
        code=code,
        cluster_id=cluster_id,
        school_id=school_id,
        year_slug=year,
        place=reporting.place_of(code, cluster_id),
        **{"academic_year": scope.academic_year, **context},
    )


@bp.get("/compare")
@allow(Access.ADMINISTRATOR)
def compare() -> ResponseReturnValue:
    """Two local authorities side by side (?authority=a&authority=b)."""
    year = chosen_year()
    codes = [code for code in request.args.getlist("authority") if code][:2]
    authorities = reporting.national(year, "", select_locale())
    chosen = reporting.compare_authorities(current_user, year, codes) if len(codes) == 2 else []
    if chosen is None:
        abort(400)
    return render_template(
        "national/compare.html",
        authorities=authorities.authorities if authorities else [],
        codes=codes,
        sides=[
            {"authority": a, "counts": counts, "report": build_report(facts)}
            for a, counts, facts in chosen
        ],
        **_common(year),
    )
