"""What coordinators and administrators see across schools: a coordinator's clusters, a
cluster's dashboard (its schools' plans and the aggregates of their latest submitted versions),
the national view by local authority, and the rows of a cluster's CSV exports. The views call
these and never the data layer; web/reporting.py turns the facts into charts and tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wizard.data import aggregates, deadlines
from wizard.data import year_end as year_end_facts
from wizard.data.aggregates import Scope
from wizard.data.clusters import (
    SchoolPlanRow,
    cluster_by_id,
    cluster_of_coordinator,
    school_name,
    school_plan_rows,
)
from wizard.data.directory import clusters_coordinated_by
from wizard.data.feedback import unread_count
from wizard.data.figures import figures
from wizard.data.models import Cluster, ClusterDeadline, DeadlineReminder, LocalAuthority
from wizard.data.year_end import ImpactCount
from wizard.domain.deadlines import DeadlineKind, is_overdue
from wizard.domain.values import DashboardStatus, PlanStatus
from wizard.services import deadlines as clock
from wizard.services.access import administered_authority, may_administer_authority

__all__ = [
    "Cluster",
    "ClusterDashboard",
    "Facts",
    "LocalAuthority",
    "National",
    "ImpactCount",
    "SchoolPlanRow",
    "YearEndFigures",
    "Scope",
    "SubmittedPlan",
    "cluster_dashboard",
    "cluster_year_end",
    "national_year_end",
    "cluster_rows",
    "cluster_submitted",
    "clusters_of",
    "facts",
    "national",
]


@dataclass(frozen=True)
class Facts:
    """The reporting facts of a scope's latest submitted versions, counted (four queries,
    whatever the number of schools)."""

    placements: list[tuple[str, int, int]]
    """(card, row, schools)"""
    ratings: list[tuple[int, str, int]]
    """(hallmark, rating, schools)"""
    by_purpose: list[tuple[str, int]]
    """(funding purpose, pence)"""
    by_school: list[tuple[str, str | None, int]]
    """(English name, Welsh name, pence)"""


def facts(scope: Scope) -> Facts:
    """Every aggregate of the scope."""
    return Facts(
        aggregates.placement_counts(scope),
        aggregates.rating_counts(scope),
        aggregates.funding_by_purpose(scope),
        aggregates.funding_by_school(scope),
    )


@dataclass(frozen=True)
class YearEndFigures:
    """The scope's latest submitted year-end reviews, counted (three queries, whatever the
    number of schools)."""

    schools: int
    """Schools with a submitted year-end review."""
    planned: int
    actual: int
    by_purpose: list[tuple[str, int, int]]
    """(funding purpose, pence planned, pence spent)"""
    impact: list[ImpactCount]


def facts_and_year_end(scope: Scope) -> tuple[Facts, YearEndFigures]:
    """facts(scope) and year_end_figures(scope), the same figures in one statement instead of
    seven (data.figures)."""
    found = figures(scope)
    schools, planned, actual = found.year_end_totals
    return (
        Facts(found.placements, found.ratings, found.by_purpose, found.by_school),
        YearEndFigures(schools, planned, actual, found.year_end_by_purpose, found.year_end_impact),
    )


def year_end_figures(scope: Scope) -> YearEndFigures:
    schools, planned, actual = year_end_facts.year_end_totals(scope)
    return YearEndFigures(
        schools,
        planned,
        actual,
        year_end_facts.year_end_spend_by_purpose(scope),
        year_end_facts.year_end_impact(scope),
    )


def clusters_of(user_id: int, locale: str) -> list[Cluster]:
    """The coordinator's clusters, in the alphabetical order of their names in `locale`."""
    return clusters_coordinated_by(user_id, locale)


@dataclass(frozen=True)
class ClusterDashboard:
    cluster: Cluster
    rows: list[SchoolPlanRow]
    """The schools shown: those with the status asked for, or all."""
    all_count: int
    """How many schools the cluster has."""
    facts: Facts
    year_end: YearEndFigures | None = None
    year_end_status: dict[int, tuple[str, int]] | None = None
    """school id -> its year-end review's status ("draft" or "submitted") and version."""
    deadline: ClusterDeadline | None = None
    """The cluster's deadline for the year's plans, if set."""
    overdue: set[int] = field(default_factory=set)
    """The schools (ids) past the deadline without a submitted plan: listed first."""
    reminders: dict[int, list[DeadlineReminder]] = field(default_factory=dict)
    """School id -> the reminders of the deadline it was sent, oldest first."""
    unread: int = 0
    """How many comments and replies on the cluster's plans the coordinator has not read."""
    review_deadline: ClusterDeadline | None = None
    """The cluster's deadline for the year's year-end reviews, if set."""
    overdue_reviews: set[int] = field(default_factory=set)
    """The schools (ids) past the reviews' deadline with a submitted plan and no submitted
    review: listed first too."""
    review_reminders: dict[int, list[DeadlineReminder]] = field(default_factory=dict)
    """School id -> the reminders of the reviews' deadline it was sent, oldest first."""


def _submitted(row: SchoolPlanRow) -> bool:
    return row.plan is not None and row.plan.status == PlanStatus.SUBMITTED


def cluster_dashboard(
    user_id: int,
    cluster_id: int,
    academic_year: int,
    status: str,
    locale: str,
    today: date | None = None,
) -> ClusterDashboard | None:
    """Every school of the cluster with its plan's status for the year (only those of `status`
    when one is given), those past the deadline first, with the reminders they were sent, and
    the aggregates; None when the user does not coordinate it."""
    # The dashboard names the cluster's local authority: read with the cluster.
    cluster = cluster_of_coordinator(user_id, cluster_id, with_authority=True)
    if cluster is None:
        return None
    unread = unread_count(user_id, cluster.id, academic_year)
    return _dashboard(cluster, academic_year, status, locale, today, unread)


def _dashboard(
    cluster: Cluster,
    academic_year: int,
    status: str,
    locale: str,
    today: date | None,
    unread: int,
) -> ClusterDashboard:
    rows = school_plan_rows(cluster.id, academic_year, locale, snapshots=False)
    scope = Scope(academic_year, cluster_id=cluster.id)
    review_status = _review_status(rows)
    found_deadlines = deadlines.deadlines_of_cluster(cluster.id, academic_year)
    deadline = found_deadlines.get(DeadlineKind.PLAN)
    review_deadline = found_deadlines.get(DeadlineKind.YEAR_END)
    day = today or clock.today()
    # A closed school is never late (nor reminded).
    open_rows = [row for row in rows if row.school.closed_on is None]
    overdue = _overdue_plans(open_rows, deadline, day)
    overdue_reviews = _overdue_reviews(open_rows, review_status, review_deadline, day)
    shown = _late_first(rows, status, overdue | overdue_reviews)
    reminders = deadlines.reminders_of(
        [found.id for found in (deadline, review_deadline) if found is not None]
    )
    return ClusterDashboard(
        cluster,
        shown,
        len(rows),
        *facts_and_year_end(scope),
        review_status,
        deadline,
        overdue,
        _of_deadline(reminders, deadline),
        unread,
        review_deadline,
        overdue_reviews,
        _of_deadline(reminders, review_deadline),
    )


def _review_status(rows: list[SchoolPlanRow]) -> dict[int, tuple[str, int]]:
    """The year-end review's status (and version) of each school whose plan has one,
    by school id (one query)."""
    reviews = year_end_facts.statuses_of([row.plan.id for row in rows if row.plan])
    return {
        row.school.id: (PlanStatus(found[0]).value, found[1])
        for row in rows
        if row.plan and (found := reviews.get(row.plan.id))
    }


def _overdue_plans(
    open_rows: list[SchoolPlanRow], deadline: ClusterDeadline | None, day: date
) -> set[int]:
    """The open schools whose plan is not submitted past the plan deadline."""
    return {
        row.school.id
        for row in open_rows
        if is_overdue(deadline.due_on if deadline else None, day, submitted=_submitted(row))
    }


def _overdue_reviews(
    open_rows: list[SchoolPlanRow],
    review_status: dict[int, tuple[str, int]],
    review_deadline: ClusterDeadline | None,
    day: date,
) -> set[int]:
    """The open schools with a submitted version whose year-end review is not submitted past the
    year-end deadline."""
    return {
        row.school.id
        for row in open_rows
        if row.latest_version is not None
        and is_overdue(
            review_deadline.due_on if review_deadline else None,
            day,
            submitted=review_status.get(row.school.id, ("",))[0] == PlanStatus.SUBMITTED.value,
        )
    }


def _late_first(rows: list[SchoolPlanRow], status: str, late: set[int]) -> list[SchoolPlanRow]:
    """The rows of `status` (all when it is empty), the late schools' first (a stable sort:
    otherwise in the rows' order)."""
    return sorted(
        (row for row in rows if not status or row.status == status),
        key=lambda row: row.school.id not in late,
    )


def _of_deadline(
    reminders: dict[int, list[DeadlineReminder]], deadline: ClusterDeadline | None
) -> dict[int, list[DeadlineReminder]]:
    """The reminders (by school id) of this one deadline."""
    if deadline is None:
        return {}
    found: dict[int, list[DeadlineReminder]] = {}
    for school_id, sent in reminders.items():
        mine = [reminder for reminder in sent if reminder.deadline_id == deadline.id]
        if mine:
            found[school_id] = mine
    return found


def cluster_rows(
    user_id: int, cluster_id: int, academic_year: int, locale: str
) -> list[SchoolPlanRow] | None:
    """The cluster's schools with their plans, for its CSV exports; None when the user does
    not coordinate it."""
    if cluster_of_coordinator(user_id, cluster_id) is None:
        return None
    return school_plan_rows(cluster_id, academic_year, locale)


@dataclass(frozen=True)
class SubmittedPlan:
    """A school's latest submitted version, for the cluster's ZIP of plans."""

    school_id: int
    school_name: str
    """In the language asked for (its English name where it has no Welsh one)."""
    version_id: int
    number: int
    snapshot: dict[str, Any]
    """The version as it was submitted (plain values: the ZIP is made after the request's
    database session has ended)."""


def cluster_for_documents(user_id: int, is_admin: bool, cluster_id: int) -> Cluster | None:
    """The cluster, for one of its coordinators or a national administrator (who may download
    every cluster's documents); None for anyone else (or no such cluster)."""
    cluster = cluster_by_id(cluster_id) if is_admin else None
    return cluster if cluster is not None else cluster_of_coordinator(user_id, cluster_id)


def cluster_submitted(
    user_id: int, is_admin: bool, cluster_id: int, academic_year: int, locale: str
) -> list[SubmittedPlan] | None:
    """Each school of the cluster that has submitted its plan for the year, with its latest
    submitted version, in the alphabetical order of the names in `locale`. For the cluster's
    coordinators and national administrators; None for anyone else (or no such cluster)."""
    cluster = cluster_for_documents(user_id, is_admin, cluster_id)
    if cluster is None:
        return None
    return [
        SubmittedPlan(
            row.school.id,
            school_name(row.school, locale),
            row.latest_version.id,
            row.latest_version.number,
            dict(row.latest_version.snapshot),
        )
        for row in school_plan_rows(cluster.id, academic_year, locale)
        if row.latest_version is not None
    ]


@dataclass(frozen=True)
class National:
    authorities: list[LocalAuthority]
    authority: LocalAuthority | None
    """The local authority chosen (None: all of Wales)."""
    counts: dict[str, int]
    """The number of schools by dashboard status."""
    facts: Facts
    year_end: YearEndFigures | None = None
    by_authority: dict[int, dict[str, int]] = field(default_factory=dict)
    """Each local authority's schools by dashboard status (authority id -> counts)."""


def national(
    academic_year: int, authority_code: str, locale: str, only_authority_id: int | None = None
) -> National | None:
    """The aggregates of all Wales or of one local authority (by its code); None when the code
    is not one of them. `only_authority_id`: a local authority administrator's, who sees their
    own authority's figures and no other's (any other code is None)."""
    authorities = aggregates.local_authorities(locale)
    if only_authority_id is not None:
        authorities = [a for a in authorities if a.id == only_authority_id]
        authority_code = authority_code or (authorities[0].code if authorities else "")
    authority = next((a for a in authorities if a.code == authority_code), None)
    if (authority_code or only_authority_id is not None) and authority is None:
        return None
    authority_id = authority.id if authority else None
    # Every school has a local authority, so the counts of Wales (or of the authority chosen)
    # are those of each authority's, added up (or picked): one GROUP BY query over all schools
    # for the view's two tables.
    by_authority = aggregates.status_counts_by(academic_year, "authority")
    empty = {status.value: 0 for status in DashboardStatus}
    if authority_id is not None:
        counts = dict(by_authority.get(authority_id, empty))
    else:
        counts = {status: sum(found[status] for found in by_authority.values()) for status in empty}
    return National(
        authorities,
        authority,
        counts,
        *facts_and_year_end(Scope(academic_year, local_authority_id=authority_id)),
        by_authority=by_authority,
    )


def cluster_year_end(user_id: int, cluster_id: int, academic_year: int) -> YearEndFigures | None:
    """The year-end figures of a cluster its coordinator asks for (None: not theirs)."""
    if cluster_of_coordinator(user_id, cluster_id) is None:
        return None
    return year_end_figures(Scope(academic_year, cluster_id=cluster_id))


def national_year_end(
    user: object, academic_year: int, authority_code: str, locale: str
) -> tuple[YearEndFigures, str] | None:
    """The year-end figures of a local authority (by its code) or of all Wales, with the code
    ("" for Wales); None when the code is not one of them or the user may not see it. A local
    authority administrator sees their own authority's (without a code too), never Wales's
    or another authority's."""
    own = administered_authority(user)
    if not authority_code and own is None:
        if not may_administer_authority(user, None):  # a national administrator's only
            return None
        return year_end_figures(Scope(academic_year)), ""
    authority = next(
        (
            a
            for a in aggregates.local_authorities(locale)
            if (a.code == authority_code if authority_code else a.id == own)
        ),
        None,
    )
    if authority is None or not may_administer_authority(user, authority.id):
        return None
    return year_end_figures(Scope(academic_year, local_authority_id=authority.id)), authority.code


# From Wales to a school: the national drill-down ----------------------------------------------


@dataclass(frozen=True)
class AuthoritySummary:
    """A local authority on the national view: its schools by plan status."""

    authority: LocalAuthority
    counts: dict[str, int]


def authorities_with_counts(
    academic_year: int,
    locale: str,
    only_authority_id: int | None = None,
    authorities: list[LocalAuthority] | None = None,
    counts: dict[int, dict[str, int]] | None = None,
) -> list[AuthoritySummary]:
    """Every local authority (in the alphabetical order of `locale`; only one, for its local
    authority administrator) with its schools by status (two queries; none when `authorities`
    and `counts` are given: national()'s, read for the same locale, year and administrator)."""
    if counts is None:
        counts = aggregates.status_counts_by(academic_year, "authority")
    empty = {status.value: 0 for status in DashboardStatus}
    if authorities is None:
        authorities = aggregates.local_authorities(locale)
    return [
        AuthoritySummary(authority, counts.get(authority.id, dict(empty)))
        for authority in authorities
        if only_authority_id is None or authority.id == only_authority_id
    ]


@dataclass(frozen=True)
class ClusterSummary:
    """A cluster of an authority: its schools by status and its deadlines for the plans and
    for the year-end reviews."""

    cluster: Cluster
    counts: dict[str, int]
    deadline: ClusterDeadline | None
    review_deadline: ClusterDeadline | None = None

    @property
    def schools(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class AuthorityView:
    authority: LocalAuthority
    counts: dict[str, int]
    clusters: list[ClusterSummary]
    facts: Facts


def authority_view(
    user: object, academic_year: int, code: str, locale: str
) -> AuthorityView | None:
    """A local authority: its schools by status, its clusters (each with its counts and
    deadline) and its aggregates, in a number of queries that does not grow with its schools;
    None when there is no such authority or the user may not see it."""
    authority = aggregates.authority_by_code(code)
    if authority is None or not may_administer_authority(user, authority.id):
        return None
    clusters = aggregates.clusters_of_authority(authority.id, locale)
    by_cluster = aggregates.status_counts_by(academic_year, "cluster", authority.id)
    ids = [cluster.id for cluster in clusters]
    due = deadlines.deadlines_of_clusters(ids, academic_year, DeadlineKind.PLAN)
    reviews_due = deadlines.deadlines_of_clusters(ids, academic_year, DeadlineKind.YEAR_END)
    empty = {status.value: 0 for status in DashboardStatus}
    return AuthorityView(
        authority,
        aggregates.status_counts(academic_year, authority.id),
        [
            ClusterSummary(
                cluster,
                by_cluster.get(cluster.id, dict(empty)),
                due.get(cluster.id),
                reviews_due.get(cluster.id),
            )
            for cluster in clusters
        ],
        facts(Scope(academic_year, local_authority_id=authority.id)),
    )


def authority_cluster(
    user: object,
    academic_year: int,
    code: str,
    cluster_id: int,
    status: str,
    locale: str,
    today: date | None = None,
) -> ClusterDashboard | None:
    """A cluster's dashboard as someone who may see its authority reads it (the same as its
    coordinators', without their unread count); None when the cluster is not the
    authority's or the user may not see it."""
    cluster = aggregates.cluster_of_authority(code, cluster_id)
    if cluster is None or not may_administer_authority(user, cluster.local_authority_id):
        return None
    return _dashboard(cluster, academic_year, status, locale, today, unread=0)


def authority_cluster_rows(
    user: object, academic_year: int, code: str, cluster_id: int, locale: str
) -> list[SchoolPlanRow] | None:
    """The cluster's schools with their plans, for its CSV export; None as above."""
    cluster = aggregates.cluster_of_authority(code, cluster_id)
    if cluster is None or not may_administer_authority(user, cluster.local_authority_id):
        return None
    return school_plan_rows(cluster.id, academic_year, locale)


def compare_authorities(
    user: object, academic_year: int, codes: list[str]
) -> list[tuple[LocalAuthority, dict[str, int], Facts]] | None:
    """Two (or more) local authorities side by side: each one's schools by status and
    aggregates; None when one is unknown or the user may not see it."""
    found = []
    for code in codes:
        authority = aggregates.authority_by_code(code)
        if authority is None or not may_administer_authority(user, authority.id):
            return None
        found.append(
            (
                authority,
                aggregates.status_counts(academic_year, authority.id),
                facts(Scope(academic_year, local_authority_id=authority.id)),
            )
        )
    return found


def place_of(code: str, cluster_id: int) -> Cluster | None:
    """The cluster (with its authority), for the headings and the way back of a school's
    plan in the drill-down (the plan scope has checked who may see it)."""
    return aggregates.cluster_of_authority(code, cluster_id)


@dataclass(frozen=True)
class ClusterSpread:
    """What a cluster's schools chose, from their latest submitted versions: for a school's
    plan beside its cluster (two queries)."""

    placements: list[tuple[str, int, int]]
    """(card, row, schools); schools' own cards are not compared."""
    ratings: list[tuple[int, str, int]]
    """(hallmark, rating, schools)"""


def cluster_spread(cluster_id: int, academic_year: int) -> ClusterSpread:
    scope = Scope(academic_year, cluster_id=cluster_id)
    return ClusterSpread(aggregates.placement_counts(scope), aggregates.rating_counts(scope))
