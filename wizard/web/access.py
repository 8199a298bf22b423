"""Who may use each route: every view declares it, and a test checks that none forgets."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Response, abort, g, redirect, request, url_for
from flask_login import current_user

from wizard.domain.inputs import safe_next_path
from wizard.services.access import is_administrator, may_administer_authority
from wizard.web.scope import resolve_plan_scope

__all__ = [
    "Access",
    "allow",
    "declared_access",
    "declares_plan_scope",
    "is_allowed",
    "may_administer_authority",
]

F = TypeVar("F", bound=Callable[..., Any])


class Access(enum.StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed in"
    SCHOOL_MEMBER = "school member"
    SCHOOL_LEAD = "school lead"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"
    # A national administrator or a local authority administrator: the view (its service)
    # then checks the authority it is about with may_administer_authority.
    AUTHORITY_ADMINISTRATOR = "authority administrator"
    # A cluster's documents: its coordinators, and national administrators (the service then
    # checks which cluster).
    COORDINATOR_OR_ADMINISTRATOR = "coordinator or administrator"


def is_allowed(access: Access, user: Any) -> bool:
    """Return whether a signed-in user meets the declared access level."""
    if access in (Access.PUBLIC, Access.SIGNED_IN):
        return True
    if access is Access.SCHOOL_MEMBER:
        return user.school_id is not None
    if access is Access.SCHOOL_LEAD:
        return user.school_id is not None and bool(user.is_school_lead)
    if access is Access.COORDINATOR:
        return bool(user.is_coordinator)
    if access is Access.AUTHORITY_ADMINISTRATOR:
        return is_administrator(user)
    if access is Access.COORDINATOR_OR_ADMINISTRATOR:
        return bool(user.is_coordinator) or bool(user.is_admin)
    return bool(user.is_admin)


def _to_sign_in() -> Any:
    """Signed out (or the session is over): to the sign-in page, which comes back here. An htmx
    request (the board's poll, a move) takes the whole page there and back to the page it was
    made from, rather than putting the sign-in page inside it."""
    if request.headers.get("HX-Request") != "true":
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    page = current.path + (f"?{current.query}" if current.query else "")
    target = url_for("auth.sign_in", next=safe_next_path(page) or request.path)
    return Response(status=204, headers={"HX-Redirect": target})


def allow(access: Access, *, plan: bool = False, feedback: bool = False) -> Callable[[F], F]:
    """Declare (and enforce) who may use a view. With `plan=True`, also resolve the plan the
    URL names and the user's right to it, once (see scope.py). `feedback=True` marks a route
    that writes feedback on the plan (a comment, a verdict, a reply), never the plan itself:
    readers of the plan may post to it."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if access is not Access.PUBLIC:
                if not current_user.is_authenticated:
                    return _to_sign_in()
                if not is_allowed(access, current_user):
                    abort(403)
            if plan:
                g.plan_scope = resolve_plan_scope(current_user, kwargs, feedback=feedback)
            return view(*args, **kwargs)

        wrapped.access = access  # type: ignore[attr-defined]
        wrapped.plan_scope = plan  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorate


def declared_access(view: Callable[..., Any]) -> Access | None:
    return cast(Access | None, getattr(view, "access", None))


def declares_plan_scope(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "plan_scope", False))
