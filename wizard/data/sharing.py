"""Share links: read-only links to a plan, made by the school lead. Only a hash of each token
is stored (accounts.new_token), so a link can be shown once, when it is made, and never again."""

from __future__ import annotations

import hmac
from datetime import date

from sqlalchemy import select

from wizard.data.accounts import new_token, token_hash
from wizard.data.audit import AuditAction, record
from wizard.data.caps import check_share_links
from wizard.data.database import db
from wizard.data.models import Plan, PlanVersion, ShareLink, User, utcnow

# Tokens we make are 43 URL-safe characters; anything far longer is not one of ours.
TOKEN_MAX_LENGTH = 100
_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def create_share_link(plan: Plan, user: User, shows_draft: bool, expires_on: date | None) -> str:
    """Make a link to the plan and return its token (the only time it is known); CapReached
    when the plan has as many live links as it may."""
    check_share_links(plan.id)
    token, digest = new_token()
    link = ShareLink(
        plan_id=plan.id,
        token_hash=digest,
        shows_draft=shows_draft,
        expires_on=expires_on,
        created_at=utcnow(),
        created_by_id=user.id,
    )
    db.session.add(link)
    db.session.flush()
    record(
        AuditAction.SHARE_LINK_CREATED,
        user_id=user.id,
        plan_id=plan.id,
        link_id=link.id,
        shows_draft=shows_draft,
        expires_on=expires_on.isoformat() if expires_on else None,
    )
    db.session.commit()
    return token


def share_links_of(plan: Plan) -> list[ShareLink]:
    """Every link to the plan, the newest first."""
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.plan_id == plan.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        )
    )


def revoke(plan: Plan, link_id: int, user: User) -> bool:
    """Stop a link to this plan working. False if the plan has no such link."""
    link = db.session.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.plan_id == plan.id)
    )
    if link is None:
        return False
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        record(AuditAction.SHARE_LINK_REVOKED, user_id=user.id, plan_id=plan.id, link_id=link.id)
        db.session.commit()
    return True


def is_live(link: ShareLink, today: date) -> bool:
    """Not revoked, and not past its expiry date (a link works through the day it expires)."""
    return link.revoked_at is None and (link.expires_on is None or link.expires_on >= today)


def maker_is_lead(link: ShareLink, plan: Plan) -> bool:
    """Whether the link's maker is still the lead of the plan's school: a link stops working
    when its maker's role changes, they move school or their account is removed."""
    maker = db.session.get(User, link.created_by_id) if link.created_by_id else None
    return maker is not None and maker.is_school_lead and maker.school_id == plan.school_id


def find_shared(token: str) -> tuple[ShareLink, Plan] | None:
    """The link a token opens and its plan, or None for an unknown, revoked or expired token,
    or one whose maker is no longer the school's lead (all alike). Records when the link was
    last used."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not set(token) <= _TOKEN_CHARACTERS:
        return None
    digest = token_hash(token)
    # The maker in the same statement: only a link whose maker is the lead of the plan's
    # school today opens it.
    row = db.session.execute(
        select(ShareLink, Plan)
        .join(Plan, Plan.id == ShareLink.plan_id)
        .join(
            User,
            (User.id == ShareLink.created_by_id)
            & (User.school_id == Plan.school_id)
            & User.is_school_lead.is_(True),
        )
        .where(ShareLink.token_hash == digest)
    ).first()
    if row is None:
        return None
    link, plan = row
    now = utcnow()
    if not hmac.compare_digest(link.token_hash, digest) or not is_live(link, now.date()):
        return None
    link.last_used_at = now
    db.session.commit()
    return link, plan


def latest_version(plan: Plan) -> PlanVersion | None:
    """The plan's most recently submitted version, if it has one."""
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
