"""The national view for administrators: the aggregates across all clusters, filterable by
local authority, with the number of schools by plan status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.domain.academic_year import year_slug
from wizard.domain.values import DashboardStatus
from wizard.services import reporting
from wizard.services.access import administered_authority
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.reporting import STATUS_LABELS, STATUS_TAGS, build_report
from wizard.web.views.clusters import chosen_year, year_choices
from wizard.web.year_end import IMPACT_LEVELS, year_end_csv_labels, year_end_report

bp = Blueprint("national", __name__, url_prefix=LANG_PREFIX + "/national")


@bp.get("")
@allow(Access.AUTHORITY_ADMINISTRATOR)
def index() -> ResponseReturnValue:
    """All of Wales or one authority for a national administrator; a local authority
    administrator's own authority only."""
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
        year=year,
        slug=year_slug(year),
        years=year_choices(),
        authorities=found.authorities,
        authority=found.authority,
        counts=found.counts,
        statuses=list(DashboardStatus),
        status_labels=STATUS_LABELS,
        status_tags=STATUS_TAGS,
        report=build_report(found.facts),
        year_end=year_end_report(found.year_end),
        levels=IMPACT_LEVELS,
        year_end_csv=[
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
    )
