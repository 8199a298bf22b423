"""Who may read a school's plan beyond its own staff (a cluster's coordinators), and who may
administer a local authority. The plan scope (web/scope.py) and the access declarations
(web/access.py) ask these; each is one query or none."""

from __future__ import annotations

from typing import Any

from wizard.data import directory

__all__ = [
    "administered_authority",
    "coordinates_school",
    "coordinates_school_in",
    "is_administrator",
    "may_administer_authority",
    "sees_school_in",
]


def coordinates_school(user_id: int, school_id: int) -> bool:
    """Whether the user coordinates the cluster the school belongs to."""
    return directory.coordinates_school(user_id, school_id)


def coordinates_school_in(user_id: int, school_id: int, cluster_id: int) -> bool:
    """Whether the school belongs to that cluster and the user coordinates it."""
    return directory.coordinates_school_in(user_id, school_id, cluster_id)


def is_administrator(user: Any) -> bool:
    """A national administrator, or a local authority's administrator (no query)."""
    return bool(getattr(user, "is_admin", False)) or (
        getattr(user, "admin_authority_id", None) is not None
    )


def may_administer_authority(user: Any, authority_id: int | None) -> bool:
    """THE rule for "may administer authority X" (its schools, clusters, coordinators, leads
    and its figures): a national administrator may administer every authority, a local
    authority administrator their own only, anyone else none. No query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_admin", False):
        return True
    own = getattr(user, "admin_authority_id", None)
    return authority_id is not None and own is not None and own == authority_id


def administered_authority(user: Any) -> int | None:
    """The one authority a local authority administrator administers; None for a national
    administrator (all of them) and for anyone else (see is_administrator)."""
    if getattr(user, "is_admin", False):
        return None
    own = getattr(user, "admin_authority_id", None)
    return int(own) if own is not None else None


def sees_school_in(user: Any, school_id: int, cluster_id: int, code: str) -> bool:
    """Whether the school belongs to that cluster of that local authority (by its code), and
    the user may administer (and so see) the authority: the national drill-down's plan scope."""
    authority_id = directory.authority_of_school_in(school_id, cluster_id, code)
    return authority_id is not None and may_administer_authority(user, authority_id)
