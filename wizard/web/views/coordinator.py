"""PLACEHOLDER, to be replaced by the coordinator's plan view built on another branch: it only
gives the dashboard's school links their endpoint. It is always Not found."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX

bp = Blueprint("coordinator", __name__, url_prefix=LANG_PREFIX + "/clusters")


@bp.get("/<int:cluster_id>/schools/<int:school_id>/<year>/")
@allow(Access.COORDINATOR, plan=True)
def plan(cluster_id: int, school_id: int, year: str) -> ResponseReturnValue:
    abort(404)
