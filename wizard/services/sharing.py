"""Share links: the lead makes (up to a cap), lists and revokes read-only links to a plan; a
live link opens the plan's draft or its latest submitted version. The views call these and
never the data layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from wizard.data import sharing as data
from wizard.data.caps import CapReached
from wizard.data.models import Plan, PlanVersion, ShareLink

if TYPE_CHECKING:
    from wizard.data.models import User

__all__ = [
    "CapReached",
    "Created",
    "LinkRow",
    "LinkState",
    "Plan",
    "PlanVersion",
    "Refused",
    "ShareLink",
    "create",
    "find_shared",
    "latest_version",
    "links",
    "revoke",
    "state_of",
]

LinkState = Literal["live", "expired", "stopped", "revoked"]


@dataclass(frozen=True)
class Created:
    """A new link's token: the one time it is known (only its hash is kept)."""

    token: str


@dataclass(frozen=True)
class Refused:
    """The plan has as many share links as it may (`cap`)."""

    cap: int


@dataclass(frozen=True)
class LinkRow:
    """One of the plan's links and what state it is in today."""

    link: ShareLink
    state: LinkState


def create(plan: Plan, user: User, shows_draft: bool, expires_on: date | None) -> Created | Refused:
    """Make a link to the plan (its draft, or its latest submitted version), or refuse when the
    plan has as many live links as it may."""
    try:
        return Created(data.create_share_link(plan, user, shows_draft, expires_on))
    except CapReached as reached:
        return Refused(reached.cap)


def state_of(link: ShareLink, plan: Plan, today: date) -> LinkState:
    """Revoked for good; expired after its last day; stopped when its maker is no longer the
    school's lead; otherwise live."""
    if link.revoked_at:
        return "revoked"
    if not data.is_live(link, today):
        return "expired"
    return "live" if data.maker_is_lead(link, plan) else "stopped"


def links(plan: Plan, today: date) -> list[LinkRow]:
    """Every link the plan has had, with its state."""
    return [LinkRow(link, state_of(link, plan, today)) for link in data.share_links_of(plan)]


def link_row(plan: Plan, link_id: int, today: date) -> LinkRow | None:
    """One of the plan's links with its state (None: not this plan's link)."""
    found = next((link for link in data.share_links_of(plan) if link.id == link_id), None)
    return None if found is None else LinkRow(found, state_of(found, plan, today))


def revoke(plan: Plan, link_id: int, user: User) -> bool:
    """Stop the link working, at once and for good (False: not this plan's link)."""
    return data.revoke(plan, link_id, user)


def find_shared(token: str) -> tuple[ShareLink, Plan] | None:
    """The live link of `token` and its plan (None: no such link, or not live)."""
    return data.find_shared(token)


def latest_version(plan: Plan) -> PlanVersion | None:
    """The plan's latest submitted version, which a link that does not show the draft opens."""
    return data.latest_version(plan)
