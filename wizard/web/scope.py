"""The plan a request is about, resolved once per request by the access declaration.

Every route under /<lang>/plan/<year>/ declares `allow(..., plan=True)`: the decorator reads
the school and academic year the URL names (a school member's own school when the URL names
none), checks the signed-in user's right to that school's plan, and keeps the answer in `g`.
Views and the data layer take the school and year from here, never from "the signed-in user's
school", so that coordinators, administrators and share links can read plans through the same
pages.

- a school member reads and writes their own school's plan;
- a coordinator reads the plans of the schools in their clusters;
- an administrator reads every plan;
- anyone with a live share link reads the plan it was made for (resolve_shared_scope).

Writing (any request that is not GET or HEAD) needs the right to write: refused here, in one
place, with 403. A plan the user may not read is 404, as if it did not exist.

A URL that names a cluster (/clusters/<cluster_id>/schools/<school_id>/...) is a coordinator's
view: the school must be in that cluster and the user must coordinate it, or 404. One that
names a local authority too (/national/authorities/<code>/clusters/<cluster_id>/schools/...) is
the national drill-down: the school must be in that cluster of that authority, and the user
must be one who may see the authority (services.access.may_see_authority), or 404. Routes that
write feedback (comments, verdicts, replies), not the plan, declare `feedback=True`: anyone who
may read the plan may then post to them (the view still checks who may say what). The plan
itself stays read-only for them (`can_write` is unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, g, request

from wizard.domain.academic_year import academic_year_of, parse_year_slug, year_slug
from wizard.services.access import coordinates_school, coordinates_school_in, sees_school_in
from wizard.services.sharing import find_shared

# A school may look back at earlier years and plan one year ahead.
YEARS_BACK = 10
READ_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class PlanScope:
    school_id: int
    academic_year: int
    can_write: bool

    @property
    def year_slug(self) -> str:
        return year_slug(self.academic_year)


def academic_year_or_404(slug: str) -> int:
    """The academic year a URL names, if it is one a school may open."""
    year = parse_year_slug(slug)
    current = academic_year_of(date.today())
    if year is None or not current - YEARS_BACK <= year <= current + 1:
        abort(404)
    return year


def resolve_plan_scope(
    user: Any, view_args: dict[str, Any], *, feedback: bool = False
) -> PlanScope:
    """Find the plan the URL names and the user's right to it, or stop with 404 or 403."""
    academic_year = academic_year_or_404(str(view_args.get("year", "")))
    named = view_args.get("school_id")
    school_id = int(named) if isinstance(named, int) else user.school_id
    if school_id is None:
        abort(404)
    cluster_id = view_args.get("cluster_id")
    authority = view_args.get("code")
    if cluster_id is not None and authority is not None:
        # The national drill-down (/national/authorities/<code>/clusters/<cluster_id>/...).
        if not isinstance(cluster_id, int) or not sees_school_in(
            user, school_id, cluster_id, str(authority)
        ):
            abort(404)
        can_read, can_write = True, False
    elif cluster_id is not None:
        if not isinstance(cluster_id, int) or not coordinates_school_in(
            user.id, school_id, cluster_id
        ):
            abort(404)
        can_read, can_write = True, False
    elif user.school_id == school_id:
        can_read, can_write = True, True
    elif user.is_admin:
        can_read, can_write = True, False
    else:
        can_read, can_write = coordinates_school(user.id, school_id), False
    if not can_read:
        abort(404)
    if request.method not in READ_METHODS and not (can_write or feedback):
        abort(403)
    return PlanScope(school_id=school_id, academic_year=academic_year, can_write=can_write)


@dataclass(frozen=True)
class SharedScope:
    """What a share link opens: its plan, read-only, and whether it shows the draft."""

    plan: PlanScope
    link_id: int
    shows_draft: bool


def resolve_shared_scope(token: str) -> SharedScope:
    """The plan a share link opens, read-only, or 404 (the same for an unknown, revoked or
    expired token). It becomes this request's plan scope."""
    found = find_shared(token)
    if found is None or request.method not in READ_METHODS:
        abort(404)
    link, plan = found
    scope = PlanScope(school_id=plan.school_id, academic_year=plan.academic_year, can_write=False)
    g.plan_scope = scope
    return SharedScope(plan=scope, link_id=link.id, shows_draft=link.shows_draft)


def plan_scope() -> PlanScope:
    """This request's plan scope (set by `allow(..., plan=True)`)."""
    scope = g.get("plan_scope")
    if not isinstance(scope, PlanScope):
        raise RuntimeError("This view did not declare plan=True in its access declaration.")
    return scope
