"""Accounts: signing in (with its throttle), changing or resetting a password, the preferred
language, and inviting colleagues. Each call is one use case; the emails it sends are composed
by `wizard.services.notifications` and sent after its commit.

The views keep what is the web's: the cookie session, Flask-Login, the device cookie, the 429
page and the messages."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from wizard.data import accounts
from wizard.data.accounts import (
    check_password,
    create_invited_account,
    find_user_by_email,
    request_password_reset,
)
from wizard.data.identity import open_invitation_to
from wizard.render.locale import valid_language
from wizard.services import notifications
from wizard.services.outbox import dispatch, send_now

if TYPE_CHECKING:
    from wizard.data.models import Invitation, PasswordResetToken

    # The signed-in user, the type the views name (they import nothing from the data layer).
    from wizard.data.models import User as User

# The cookie session's keys for the server-side session's token and its last activity.
SESSION_TOKEN_KEY = accounts.SESSION_TOKEN_KEY
SESSION_SEEN_KEY = accounts.SESSION_SEEN_KEY
# An account was made for the address at the same moment (two acceptances of one invitation).
AccountExists = accounts.AccountExists


def database_ready() -> bool:
    """Whether the database can be reached (the readiness check)."""
    return accounts.database_ready()


@dataclass(frozen=True)
class SignIn:
    """What came of a sign-in: a user and their session's token; or seconds to wait (the
    throttle refused to check the password); or neither (a wrong email or password)."""

    user: User | None = None
    token: str = ""
    wait: int = 0


def sign_in(email: str, password: str, address: str, device: str | None) -> SignIn:
    """Check an email and password, counted by the throttle first (see data/accounts)."""
    attempt, wait = accounts.begin_sign_in(email, address, device)
    if wait:
        accounts.sign_in_throttled(attempt, address)
        return SignIn(wait=wait)
    user = find_user_by_email(email)
    if check_password(user, password) and user is not None:
        token = accounts.sign_in_succeeded(user, address, attempt)
        return SignIn(user=user, token=token)
    accounts.sign_in_failed(user, address)
    return SignIn()


def chosen_language(user_id: int) -> str | None:
    """The language last chosen on the account page (None: never chosen)."""
    return accounts.chosen_language(user_id)


def sign_out(user_id: int, token: str | None) -> None:
    """End the session of this cookie (other devices stay signed in)."""
    accounts.signed_out(user_id, token)


class PasswordChange(enum.Enum):
    CHANGED = "changed"
    WRONG_CURRENT = "wrong-current"


@dataclass(frozen=True)
class PasswordChangeResult:
    outcome: PasswordChange | None = None
    # Seconds to wait: guesses of the current password are throttled as sign-ins are.
    wait: int = 0


def change_password(
    user: User, current: str, new: str, token: str, address: str, device: str | None
) -> PasswordChangeResult:
    """The account page's password change: the current password is checked (as a sign-in,
    throttled); every other session of the user ends, the one of `token` goes on."""
    attempt, wait = accounts.begin_sign_in(user.email, address, device)
    if wait:
        accounts.sign_in_throttled(attempt, address)
        return PasswordChangeResult(wait=wait)
    if not check_password(user, current):
        accounts.password_change_refused(user, address)
        return PasswordChangeResult(PasswordChange.WRONG_CURRENT)
    accounts.password_check_passed(attempt)
    accounts.change_password(user, token, new, address)
    return PasswordChangeResult(PasswordChange.CHANGED)


def set_preferred_language(user: User, lang: str) -> None:
    """The language chosen on the account page: pages after signing in, and emails, use it."""
    accounts.set_preferred_language(user, lang)


def colleagues_and_invitations(school_id: int | None) -> tuple[list[User], list[Invitation]]:
    """The school's accounts and its open invitations (none without a school)."""
    if school_id is None:
        return [], []
    return accounts.colleagues_of(school_id), accounts.pending_invitations(school_id)


# --- Password reset ---------------------------------------------------------------------------


def send_reset_link(email: str, address: str, page_locale: str) -> None:
    """After the response to a reset request: the link, by email (in the account's language,
    else the page's), if the address has an account and has not had too many this hour;
    nothing otherwise. The email is in the outbox with the token (one transaction) and sent
    after it. Never raises: the page has gone, so there is nobody to tell but the log."""
    try:
        user = find_user_by_email(email)
        if user is None:
            return
        locale = valid_language(user.locale) or page_locale
        request_password_reset(user, address, mail=notifications.password_reset_mail(user, locale))
        dispatch()
    except Exception:
        current_app.logger.exception("A password reset request could not be handled")


def find_password_reset(token: str) -> PasswordResetToken | None:
    """The open reset of a link's token, if any."""
    return accounts.find_password_reset(token)


def email_of(user_id: int) -> str | None:
    return accounts.email_of(user_id)


def reset_password(reset: PasswordResetToken, password: str, address: str) -> User | None:
    """Use a reset link: the new password, every session ended, the links used up."""
    return accounts.reset_password_with(reset, password, address)


# --- Invitations ------------------------------------------------------------------------------


class Invited(enum.Enum):
    SENT = "sent"
    ALREADY_COLLEAGUE = "already-colleague"
    # One open invitation per address at a school: it is sent again from the team page.
    ALREADY_INVITED = "already-invited"


def invite_colleague(lead: User, email: str, name: str, locale: str) -> Invited:
    """Invite a colleague to the lead's school, by email in `locale`.

    Whether the address already has an account somewhere is never told to the lead (that
    would tell any lead who has an account): the owner of an existing account gets an email
    saying how to sign in instead, and the lead hears that the invitation was sent. Only a
    colleague at the lead's own school is said to be one already.
    """
    existing = find_user_by_email(email)
    if existing is not None and existing.school_id == lead.school_id:
        return Invited.ALREADY_COLLEAGUE
    if lead.school_id is not None and open_invitation_to(lead.school_id, email) is not None:
        return Invited.ALREADY_INVITED
    if existing is not None:
        event, mails = notifications.existing_account_mail(email, existing, lead, locale)
        send_now(event, mails)
        return Invited.SENT
    accounts.invite_colleague(
        lead, email, name, locale, mail=notifications.invitation_mail(email, name, lead, locale)
    )
    dispatch()
    return Invited.SENT


def open_invitation(token: str) -> tuple[Invitation | None, bool]:
    """The open invitation of a link's token (None: none), and whether its address has an
    account by now."""
    invitation = accounts.find_invitation(token)
    if invitation is None:
        return None, False
    return invitation, find_user_by_email(invitation.email) is not None


def accept_invitation(
    invitation: Invitation, name: str, password: str, locale: str
) -> tuple[User, str]:
    """Create the invited account, signed in: the account and its session's token. Raises
    AccountExists, with nothing changed, when the address has an account by then."""
    return create_invited_account(invitation, name, password, locale)
