"""Administration of the directory by national and local authority administrators: schools
and their leads, clusters and their coordinators, requests to join schools that have no lead,
the history of every change, and the imports (the published list of schools; a local
authority's clusters) previewed and then applied all or nothing.

Every call takes the signed-in administrator and checks, with the one rule
`services.access.may_administer_authority`, that the thing it touches is in an authority they
administer; None (the view's 404) when it is not, as if it did not exist."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app

from wizard.data import administration as data
from wizard.data import identity
from wizard.data.administration import (
    ClusterAssignment,
    ClusterRow,
    DirectoryEvent,
    OpenState,
    PlanState,
    SchoolPeople,
    SchoolSearch,
)
from wizard.domain.inputs import normalise_email
from wizard.domain.school_list import (
    Changes,
    ClusterLine,
    Problem,
    ProblemKind,
    SchoolList,
    changes_of,
    read_cluster_file,
    read_school_list,
)
from wizard.domain.values import LanguageCategory
from wizard.services import notifications
from wizard.services.access import administered_authority, may_administer_authority
from wizard.services.outbox import dispatch
from wizard.services.spreadsheets import Unreadable, read_any, read_csv

if TYPE_CHECKING:
    from wizard.data.models import (
        Cluster,
        JoinRequest,
        LocalAuthority,
        PendingImport,
        School,
        User,
    )

__all__ = [
    "ClusterRow",
    "DirectoryEvent",
    "OpenState",
    "PlanState",
    "Problem",
    "ProblemKind",
]

SCHOOLS = "schools"
CLUSTERS = "clusters"


def authorities_of(user: User, locale: str) -> list[LocalAuthority]:
    """The authorities the administrator administers, in the page language's order."""
    return [a for a in data.authorities(locale) if may_administer_authority(user, a.id)]


def _authority_asked(user: User, code: str, locale: str) -> tuple[bool, LocalAuthority | None]:
    """The authority a page is about: a local authority administrator's own always; for a
    national administrator the one asked for by code (None: all of Wales). False: a code that
    is not one they may see."""
    own = administered_authority(user)
    everything = authorities_of(user, locale)
    if own is not None:
        found = next((a for a in everything if a.id == own), None)
        return (found is not None and (not code or code == found.code)), found
    if not code:
        return True, None
    found = next((a for a in everything if a.code == code), None)
    return found is not None, found


# --- Home -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    authority: LocalAuthority | None
    """A local authority administrator's authority (None: a national administrator)."""
    requests: int


def home(user: User, locale: str) -> Home:
    own = administered_authority(user)
    return Home(
        data.authority(own) if own is not None else None,
        len(data.requests_without_lead(own)),
    )


# --- Schools ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolsPage:
    search: SchoolSearch
    authorities: list[LocalAuthority]
    authority: LocalAuthority | None
    clusters: list[ClusterRow]


def schools(
    user: User,
    *,
    locale: str,
    academic_year: int,
    words: str,
    authority_code: str,
    cluster_id: int | None,
    state: PlanState | None,
    open_state: OpenState | None,
    page: int,
) -> SchoolsPage | None:
    allowed, authority = _authority_asked(user, authority_code, locale)
    if not allowed:
        return None
    authority_id = authority.id if authority else None
    clusters = data.clusters_in(authority_id, locale) if authority_id else []
    if cluster_id is not None and cluster_id not in {row.cluster.id for row in clusters}:
        cluster_id = None
    search = data.search_schools(
        academic_year=academic_year,
        authority_id=authority_id,
        words=words,
        cluster_id=cluster_id,
        state=state,
        open_state=open_state,
        page=page,
        locale=locale,
    )
    return SchoolsPage(search, authorities_of(user, locale), authority, clusters)


def _school(user: User, school_id: int) -> School | None:
    found = data.school(school_id)
    if found is None or not may_administer_authority(user, found.local_authority_id):
        return None
    return found


@dataclass(frozen=True)
class SchoolPage:
    school: School
    people: SchoolPeople
    clusters: list[ClusterRow]


def school_page(user: User, school_id: int, locale: str) -> SchoolPage | None:
    found = _school(user, school_id)
    if found is None:
        return None
    return SchoolPage(
        found, data.people_of(found.id), data.clusters_in(found.local_authority_id, locale)
    )


def lead_choice(user: User, school_id: int, member_id: int) -> tuple[School, User] | None:
    """The school and the member an administrator would make its lead."""
    found = _school(user, school_id)
    if found is None:
        return None
    chosen = data.member(found.id, member_id)
    return (found, chosen) if chosen is not None else None


def make_lead(user: User, school_id: int, member_id: int) -> User | None:
    chosen = lead_choice(user, school_id, member_id)
    if chosen is None:
        return None
    found, new_lead = chosen
    data.make_lead(user, found, new_lead)
    return new_lead


class LeadInvited(enum.Enum):
    SENT = "sent"
    MEMBER = "member"
    """Already a member of the school: make them its lead from the list of members."""
    ELSEWHERE = "elsewhere"
    """The address has an account at another school."""
    CONFIRM = "confirm"
    """The address has an account at no school (a coordinator, say): it may become the lead,
    once the administrator has said yes."""
    MADE_LEAD = "made-lead"
    """That account has joined the school as its lead."""
    ALREADY_INVITED = "already-invited"


@dataclass(frozen=True)
class LeadInvitation:
    outcome: LeadInvited
    school: School
    account: User | None = None
    """The existing account the address has, if any."""


def invite_lead(
    user: User,
    school_id: int,
    email: str,
    name: str,
    locale: str,
    confirmed: bool = False,
) -> LeadInvitation | None:
    """Invite the school's lead by email; an address that already has an account at no
    school becomes the lead itself, once `confirmed`."""
    found = _school(user, school_id)
    if found is None:
        return None
    existing = data.user_by_email(email)
    if existing is not None:
        if existing.school_id == found.id:
            return LeadInvitation(LeadInvited.MEMBER, found, existing)
        if existing.school_id is not None:
            return LeadInvitation(LeadInvited.ELSEWHERE, found, existing)
        if not confirmed:
            return LeadInvitation(LeadInvited.CONFIRM, found, existing)
        data.lead_by_existing_account(user, found, existing)
        return LeadInvitation(LeadInvited.MADE_LEAD, found, existing)
    if data.open_invitation_to(found.id, email) is not None:
        return LeadInvitation(LeadInvited.ALREADY_INVITED, found)
    data.invite_lead(
        user,
        found,
        email,
        name,
        locale,
        current_app.config["INVITATION_DAYS"],
        notifications.lead_invitation_mail(normalise_email(email), name, user, found, locale),
    )
    dispatch()
    return LeadInvitation(LeadInvited.SENT, found)


def move_school(user: User, school_id: int, cluster_id: int | None) -> School | None:
    """Move a school into one of its authority's clusters (or out of any)."""
    found = _school(user, school_id)
    if found is None:
        return None
    target = None
    if cluster_id is not None:
        target = data.cluster(cluster_id)
        if target is None or target.local_authority_id != found.local_authority_id:
            return None
    if found.cluster_id != (target.id if target else None):
        data.move_school(user, found, target)
    return found


def set_language_category(user: User, school_id: int, category: str) -> School | None:
    found = _school(user, school_id)
    if found is None:
        return None
    value = LanguageCategory(category).value if category else None
    if found.language_category != value:
        data.set_language_category(user, found, value)
    return found


# --- Clusters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClustersPage:
    clusters: list[ClusterRow]
    authorities: list[LocalAuthority]
    authority: LocalAuthority | None


def clusters(user: User, locale: str, authority_code: str) -> ClustersPage | None:
    allowed, authority = _authority_asked(user, authority_code, locale)
    if not allowed:
        return None
    return ClustersPage(
        data.clusters_in(authority.id if authority else None, locale),
        authorities_of(user, locale),
        authority,
    )


class ClusterMade(enum.Enum):
    MADE = "made"
    EXISTS = "exists"


def create_cluster(
    user: User, authority_code: str, name_en: str, name_cy: str, locale: str
) -> ClusterMade | None:
    allowed, authority = _authority_asked(user, authority_code, locale)
    if not allowed or authority is None:
        return None
    if data.cluster_named(authority.id, name_en) is not None:
        return ClusterMade.EXISTS
    data.create_cluster(user, authority.id, name_en, name_cy or None)
    return ClusterMade.MADE


def _cluster(user: User, cluster_id: int) -> Cluster | None:
    found = data.cluster(cluster_id)
    if found is None or not may_administer_authority(user, found.local_authority_id):
        return None
    return found


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    coordinators: list[User]
    others: list[ClusterRow]
    """The authority's other clusters (to move a school to)."""


def cluster_page(user: User, cluster_id: int, locale: str) -> ClusterPage | None:
    found = _cluster(user, cluster_id)
    if found is None:
        return None
    others = [
        row
        for row in data.clusters_in(found.local_authority_id, locale)
        if row.cluster.id != found.id
    ]
    return ClusterPage(found, data.coordinators_of(found.id), others)


def rename_cluster(user: User, cluster_id: int, name_en: str, name_cy: str) -> ClusterMade | None:
    found = _cluster(user, cluster_id)
    if found is None:
        return None
    same = data.cluster_named(found.local_authority_id, name_en)
    if same is not None and same.id != found.id:
        return ClusterMade.EXISTS
    if (found.name_en, found.name_cy) != (name_en, name_cy or None):
        data.rename_cluster(user, found, name_en, name_cy or None)
    return ClusterMade.MADE


class CoordinatorAdded(enum.Enum):
    ADDED = "added"
    CREATED = "created"
    ALREADY = "already"
    NEEDS_NAME = "needs-name"


def add_coordinator(
    user: User, cluster_id: int, email: str, name: str, locale: str
) -> CoordinatorAdded | None:
    """An existing account (by email) coordinates the cluster; an address with no account
    gets one (with the name given) and an email to choose its password."""
    found = _cluster(user, cluster_id)
    if found is None:
        return None
    existing = data.user_by_email(email)
    if existing is not None:
        if any(c.id == existing.id for c in data.coordinators_of(found.id)):
            return CoordinatorAdded.ALREADY
        data.add_coordinator(user, found, existing)
        return CoordinatorAdded.ADDED
    if not name:
        return CoordinatorAdded.NEEDS_NAME
    cluster_name = found.name_cy or found.name_en if locale == "cy" else found.name_en
    data.add_new_coordinator(
        user,
        found,
        email,
        name,
        locale,
        lambda account: notifications.coordinator_account_mail(account, cluster_name, locale),
    )
    dispatch()
    return CoordinatorAdded.CREATED


def coordinator_choice(user: User, cluster_id: int, user_id: int) -> tuple[Cluster, User] | None:
    found = _cluster(user, cluster_id)
    if found is None:
        return None
    chosen = next((c for c in data.coordinators_of(found.id) if c.id == user_id), None)
    return (found, chosen) if chosen is not None else None


def remove_coordinator(user: User, cluster_id: int, user_id: int) -> User | None:
    chosen = coordinator_choice(user, cluster_id, user_id)
    if chosen is None:
        return None
    found, coordinator = chosen
    data.remove_coordinator(user, found, coordinator)
    return coordinator


# --- Requests to join schools without a lead ---------------------------------------------


def requests(user: User) -> list[JoinRequest]:
    return data.requests_without_lead(administered_authority(user))


class Decided(enum.Enum):
    APPROVED = "approved"
    DECLINED = "declined"
    NO_EMAIL = "no-email"
    HAS_ACCOUNT = "has-account"


def decide_request(
    user: User, request_id: int, approve: bool
) -> tuple[JoinRequest, Decided] | None:
    """Approve (their account is made as the school's lead) or decline a request to join a
    school that has no lead."""
    join = data.join_request(request_id)
    if join is None or join.id not in {r.id for r in requests(user)}:
        return None
    school = data.school(join.school_id)
    if school is None:
        return None
    if not approve:
        data.decline_request(user, join, school.local_authority_id)
        return join, Decided.DECLINED
    try:
        account = identity.approve(user, join)
    except identity.NoEmail:
        return join, Decided.NO_EMAIL
    except (identity.IdentityTaken, identity.EmailTaken):
        return join, Decided.HAS_ACCOUNT
    data.make_lead(user, school, account)
    return join, Decided.APPROVED


# --- History ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPage:
    events: list[DirectoryEvent]
    total: int
    page: int
    per_page: int
    authority_names: dict[int, str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def history(user: User, page: int, locale: str) -> HistoryPage:
    events, total = data.history(administered_authority(user), page)
    names = {a.id: a.name(locale) for a in data.authorities(locale)}
    return HistoryPage(events, total, max(1, page), data.PER_PAGE, names)


# --- Imports ----------------------------------------------------------------------------


def upload(
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    welsh_names: bytes | None = None,
    authority_code: str = "",
    locale: str = "en",
) -> str | None:
    """Keep an uploaded file for its preview; the token of the preview's URL (None: an
    authority the administrator may not choose)."""
    authority_id = administered_authority(user)
    if kind == CLUSTERS:
        allowed, authority = _authority_asked(user, authority_code, locale)
        if not allowed or authority is None:
            return None
        authority_id = authority.id
    return data.keep_upload(user.id, kind, authority_id, filename, content, welsh_names)


def applied_already(user: User, token: str, kind: str) -> bool:
    """Whether the administrator's upload behind a preview they can no longer open has been
    applied (a second click, or the back button and Apply again)."""
    return data.upload_applied(token, user.id, kind)


@dataclass
class SchoolListPreview:
    filename: str
    authority: LocalAuthority | None
    problems: list[Problem]
    changes: Changes
    listed: SchoolList
    sheets: list[str]
    names: dict[str, str] = field(default_factory=dict)
    """Our authority codes with their names in the page's language."""


def _read_list(content: bytes, filename: str, welsh_names: bytes | None) -> SchoolList:
    names = data.authority_names()
    try:
        sheets = read_any(content, filename)
        welsh = read_any(welsh_names, "Welsh names") if welsh_names else []
    except Unreadable as error:
        listed = SchoolList()
        listed.problems.append(Problem(ProblemKind.UNREADABLE, sheet=filename, value=str(error)))
        return listed
    return read_school_list(sheets, names, welsh)


def preview_school_list(
    content: bytes,
    filename: str,
    welsh_names: bytes | None,
    authority: LocalAuthority | None,
    locale: str,
) -> SchoolListPreview:
    """What the list would change, for all of Wales or for one authority (the command line
    calls this too)."""
    listed = _read_list(content, filename, welsh_names)
    changes = (
        Changes()
        if listed.problems
        else changes_of(listed, data.existing_schools(), authority.code if authority else None)
    )
    return SchoolListPreview(
        filename,
        authority,
        listed.problems,
        changes,
        listed,
        listed.sheets,
        {a.code: a.name(locale) for a in data.authorities(locale)},
    )


def school_list_preview(user: User, token: str, locale: str) -> SchoolListPreview | None:
    pending = data.upload(token, user.id, SCHOOLS)
    if pending is None:
        return None
    authority = data.authority(pending.local_authority_id) if pending.local_authority_id else None
    if authority is None and administered_authority(user) is not None:
        return None
    return preview_school_list(
        pending.content, pending.filename, pending.welsh_names, authority, locale
    )


def apply_preview(
    preview: SchoolListPreview,
    user_id: int | None,
    today: date,
    pending: PendingImport | None = None,
) -> None:
    """Apply a preview without problems, all or nothing."""
    data.apply_school_list(
        user_id,
        preview.filename,
        preview.listed,
        preview.changes,
        preview.authority.code if preview.authority else None,
        today,
        pending,
    )


def apply_school_list(user: User, token: str, locale: str, today: date) -> SchoolListPreview | None:
    """Apply the upload (recomputed now, against the directory as it is): all or nothing.
    Returns the preview (with its problems, if any: then nothing was applied)."""
    preview = school_list_preview(user, token, locale)
    if preview is None or preview.problems:
        return preview
    apply_preview(preview, user.id, today, data.upload(token, user.id, SCHOOLS))
    return preview


@dataclass
class ClusterPreview:
    filename: str
    authority: LocalAuthority
    problems: list[Problem]
    new_clusters: list[tuple[str, str | None]]
    assignments: list[ClusterAssignment]
    moves: list[ClusterAssignment]
    welsh_renamed: list[tuple[str, str | None, str]]


def preview_clusters(content: bytes, filename: str, authority: LocalAuthority) -> ClusterPreview:
    """What a local authority's cluster file would change (the command line calls this too)."""
    lines: list[ClusterLine] = []
    try:
        lines, problems = read_cluster_file(read_csv(content, filename))
    except Unreadable as error:
        problems = [Problem(ProblemKind.UNREADABLE, sheet=filename, value=str(error))]
    schools = data.schools_by_number([line.number for line in lines])
    existing = data.clusters_by_name(authority.id)
    assignments: list[ClusterAssignment] = []
    for line in lines:
        school = schools.get(line.number)
        if school is None or school.local_authority_id != authority.id:
            problems.append(
                Problem(
                    ProblemKind.CLUSTER_SCHOOL, filename, line.row, "School Number", line.number
                )
            )
            continue
        assignments.append(ClusterAssignment(school, school.cluster, line.name_en, line.name_cy))
    new: dict[str, tuple[str, str | None]] = {}
    renamed: dict[str, tuple[str, str | None, str]] = {}
    moves = []
    for item in assignments:
        key = item.name_en.lower()
        found = existing.get(key)
        if found is None:
            new.setdefault(key, (item.name_en, item.name_cy))
        elif item.name_cy and found.name_cy != item.name_cy:
            renamed.setdefault(key, (found.name_en, found.name_cy, item.name_cy))
        if found is None or item.school.cluster_id != found.id:
            moves.append(item)
    return ClusterPreview(
        filename,
        authority,
        problems,
        list(new.values()),
        assignments,
        moves,
        list(renamed.values()),
    )


def cluster_preview(user: User, token: str) -> ClusterPreview | None:
    pending = data.upload(token, user.id, CLUSTERS)
    if pending is None or pending.local_authority_id is None:
        return None
    authority = data.authority(pending.local_authority_id)
    if authority is None or not may_administer_authority(user, authority.id):
        return None
    return preview_clusters(pending.content, pending.filename, authority)


def apply_cluster_preview(
    preview: ClusterPreview, user_id: int | None, pending: PendingImport | None = None
) -> None:
    data.apply_clusters(
        user_id, preview.filename, preview.authority.id, preview.assignments, pending
    )


def apply_clusters(user: User, token: str) -> ClusterPreview | None:
    preview = cluster_preview(user, token)
    if preview is None or preview.problems:
        return preview
    apply_cluster_preview(preview, user.id, data.upload(token, user.id, CLUSTERS))
    return preview
