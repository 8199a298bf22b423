"""PLACEHOLDER, to be replaced by the CSV exports built on another branch: it only gives the
dashboard's download links their endpoints (the year comes as ?year=). Both are always Not
found."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX

bp = Blueprint("exports", __name__, url_prefix=LANG_PREFIX + "/clusters")


@bp.get("/<int:cluster_id>/schools.csv")
@allow(Access.COORDINATOR)
def schools_csv(cluster_id: int) -> ResponseReturnValue:
    abort(404)


@bp.get("/<int:cluster_id>/funding.csv")
@allow(Access.COORDINATOR)
def funding_csv(cluster_id: int) -> ResponseReturnValue:
    abort(404)
