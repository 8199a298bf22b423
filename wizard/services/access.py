"""Who may read a school's plan beyond its own staff: a cluster's coordinators. The plan scope
(web/scope.py) asks these; each is one query."""

from __future__ import annotations

from wizard.data import directory

__all__ = ["coordinates_school", "coordinates_school_in"]


def coordinates_school(user_id: int, school_id: int) -> bool:
    """Whether the user coordinates the cluster the school belongs to."""
    return directory.coordinates_school(user_id, school_id)


def coordinates_school_in(user_id: int, school_id: int, cluster_id: int) -> bool:
    """Whether the school belongs to that cluster and the user coordinates it."""
    return directory.coordinates_school_in(user_id, school_id, cluster_id)
