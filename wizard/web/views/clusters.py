"""Cluster coordinators: the schools of their clusters and the state of each plan."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.data.directory import clusters_coordinated_by
from wizard.data.plans import plans_of_schools
from wizard.domain.academic_year import academic_year_of
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX

bp = Blueprint("clusters", __name__, url_prefix=LANG_PREFIX + "/clusters")


@bp.get("/")
@allow(Access.COORDINATOR)
def index() -> ResponseReturnValue:
    """List the coordinator's clusters, each school, and its plan for this academic year."""
    academic_year = academic_year_of(date.today())
    clusters = clusters_coordinated_by(current_user.id)
    plans = plans_of_schools(
        [school.id for cluster in clusters for school in cluster.schools], academic_year
    )
    return render_template(
        "clusters/index.html", clusters=clusters, plans=plans, academic_year=academic_year
    )
