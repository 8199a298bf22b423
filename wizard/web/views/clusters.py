"""Cluster coordinators: the chooser of their clusters, and each cluster's dashboard of its
schools' plans with the aggregates of their latest submitted versions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.domain.academic_year import academic_year_of, parse_year_slug, year_slug
from wizard.domain.values import DashboardStatus
from wizard.services import reporting
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.reporting import STATUS_LABELS, STATUS_TAGS, build_report
from wizard.web.year_end import IMPACT_LEVELS, year_end_csv_labels, year_end_report

bp = Blueprint("clusters", __name__, url_prefix=LANG_PREFIX + "/clusters")

YEARS_BEFORE = 3
YEARS_AFTER = 1


def year_choices(today: date | None = None) -> list[int]:
    """This academic year, the three before it and the next, newest first."""
    this = academic_year_of(today or date.today())
    return list(range(this + YEARS_AFTER, this - YEARS_BEFORE - 1, -1))


def chosen_year() -> int:
    """The ?year= of the request (this academic year if none); 400 if it is not one offered."""
    slug = request.args.get("year", "")
    if not slug:
        return academic_year_of(date.today())
    year = parse_year_slug(slug)
    if year is None or year not in year_choices():
        abort(400)
    return year


@bp.get("/")
@allow(Access.COORDINATOR)
def index() -> ResponseReturnValue:
    """Choose one of the coordinator's clusters; with only one, go straight to its dashboard."""
    clusters = reporting.clusters_of(current_user.id, select_locale())
    if len(clusters) == 1:
        return redirect(url_for(".dashboard", cluster_id=clusters[0].id))
    return render_template("clusters/index.html", clusters=clusters)


@bp.get("/<int:cluster_id>")
@allow(Access.COORDINATOR)
def dashboard(cluster_id: int) -> ResponseReturnValue:
    """Every school of the cluster with its plan's status for the year, filtered by status,
    and the aggregates of the schools' latest submitted versions."""
    year = chosen_year()
    status = request.args.get("status", "")
    if status and status not in set(DashboardStatus):
        abort(400)
    found = reporting.cluster_dashboard(current_user.id, cluster_id, year, status, select_locale())
    if found is None:
        abort(404)
    return render_template(
        "clusters/dashboard.html",
        cluster=found.cluster,
        rows=found.rows,
        all_count=found.all_count,
        status=status,
        year=year,
        slug=year_slug(year),
        years=year_choices(),
        statuses=list(DashboardStatus),
        status_labels=STATUS_LABELS,
        status_tags=STATUS_TAGS,
        report=build_report(found.facts),
        year_end=year_end_report(found.year_end),
        year_end_status=found.year_end_status or {},
        levels=IMPACT_LEVELS,
        year_end_csv=[
            (
                url_for(
                    "year_end_reports.cluster_csv",
                    cluster_id=cluster_id,
                    year=year_slug(year),
                    kind=kind,
                ),
                label,
            )
            for kind, label in year_end_csv_labels()
        ],
    )
