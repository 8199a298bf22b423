"""Cluster coordinators: the schools of their clusters and the state of each plan."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..academic_year import academic_year_of
from ..access import Access, allow
from ..extensions import db
from ..i18n import LANG_PREFIX
from ..models import Cluster, Plan, coordinator_cluster

bp = Blueprint("clusters", __name__, url_prefix=LANG_PREFIX + "/clusters")


@bp.get("/")
@allow(Access.COORDINATOR)
def index() -> ResponseReturnValue:
    """List the coordinator's clusters, each school, and its plan for this academic year."""
    academic_year = academic_year_of(date.today())
    clusters = list(
        db.session.scalars(
            select(Cluster)
            .join(coordinator_cluster, coordinator_cluster.c.cluster_id == Cluster.id)
            .where(coordinator_cluster.c.user_id == current_user.id)
            .options(selectinload(Cluster.schools), selectinload(Cluster.local_authority))
            .order_by(Cluster.name_en)
        )
    )
    school_ids = [school.id for cluster in clusters for school in cluster.schools]
    plans = {
        plan.school_id: plan
        for plan in db.session.scalars(
            select(Plan).where(Plan.school_id.in_(school_ids), Plan.academic_year == academic_year)
        )
    }
    return render_template(
        "clusters/index.html", clusters=clusters, plans=plans, academic_year=academic_year
    )
