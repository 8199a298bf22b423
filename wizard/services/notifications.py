"""Every email the service sends: who gets it, in which language, and what it says (its
template in `templates/emails/` and what fills it), in one place.

Each email that tells of an event is written to the outbox by that event's own transaction, so
the functions here give the data layer a way to compose them (`mail=`) once it knows what they
need (the new version, the token of a link); `wizard.services.outbox.dispatch` sends them after
the commit. Links come from the configured address (WIZARD_BASE_URL), never from a request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import current_app

from wizard.data.feedback import coordinators_of_school, leads_of_school
from wizard.data.outbox import Mail
from wizard.domain.academic_year import year_slug
from wizard.domain.deadlines import DeadlineKind
from wizard.render.locale import DEFAULT_LANGUAGE, in_language, valid_language
from wizard.render.mail import compose, link

if TYPE_CHECKING:
    from wizard.data.models import (
        ClusterDeadline,
        Plan,
        PlanVersion,
        School,
        User,
        YearEndVersion,
    )


def language_of(user: User) -> str:
    """The language a person's emails are written in: the one they chose, else English."""
    return valid_language(user.locale) or DEFAULT_LANGUAGE


def submitted_mail(plan: Plan, school: School) -> Callable[[PlanVersion], list[Mail]]:
    """To the school's cluster coordinators, each in their own language: a version was
    submitted (with the link to it)."""

    def compose_for(version: PlanVersion) -> list[Mail]:
        if school.cluster_id is None:
            return []
        mails = []
        for coordinator in coordinators_of_school(school):
            locale = language_of(coordinator)
            mails.append(
                compose(
                    coordinator.email,
                    "plan_submitted",
                    locale,
                    school_name=in_language(school.name_en, school.name_cy, locale),
                    number=version.number,
                    academic_year=plan.academic_year,
                    url=link(
                        "coordinator.plan",
                        lang=locale,
                        cluster_id=school.cluster_id,
                        school_id=school.id,
                        year=year_slug(plan.academic_year),
                        version=version.number,
                    ),
                )
            )
        return mails

    return compose_for


def review_submitted_mail(plan: Plan, school: School) -> Callable[[YearEndVersion], list[Mail]]:
    """To the school's cluster coordinators, each in their own language: a version of the
    year-end review was submitted (with the link to the review)."""

    def compose_for(version: YearEndVersion) -> list[Mail]:
        if school.cluster_id is None:
            return []
        return [
            compose(
                coordinator.email,
                "review_submitted",
                language_of(coordinator),
                school_name=in_language(school.name_en, school.name_cy, language_of(coordinator)),
                number=version.number,
                academic_year=plan.academic_year,
                url=link(
                    "year_end_coordinator.coordinator_summary",
                    lang=language_of(coordinator),
                    cluster_id=school.cluster_id,
                    school_id=school.id,
                    year=year_slug(plan.academic_year),
                ),
            )
            for coordinator in coordinators_of_school(school)
        ]

    return compose_for


def feedback_mail(plan: Plan, school: School, number: int, kind: str) -> Callable[[], list[Mail]]:
    """To the school's leads, each in their own language: feedback (`kind`: "comment" or a
    review status) arrived on version `number`."""

    def compose_for() -> list[Mail]:
        return [
            compose(
                lead.email,
                "feedback_received",
                language_of(lead),
                kind=kind,
                number=number,
                academic_year=plan.academic_year,
                url=link("plan.hub", lang=language_of(lead), year=year_slug(plan.academic_year)),
            )
            for lead in leads_of_school(school.id)
        ]

    return compose_for


def reply_mail(plan: Plan, school: School, number: int) -> Callable[[], list[Mail]]:
    """To the school's cluster coordinators, each in their own language: a lead replied to a
    comment on version `number` (with the link to the conversation)."""

    def compose_for() -> list[Mail]:
        mails = []
        for coordinator in coordinators_of_school(school):
            locale = language_of(coordinator)
            mails.append(
                compose(
                    coordinator.email,
                    "reply_received",
                    locale,
                    school_name=in_language(school.name_en, school.name_cy, locale),
                    number=number,
                    academic_year=plan.academic_year,
                    url=link(
                        "coordinator.plan",
                        lang=locale,
                        cluster_id=school.cluster_id,
                        school_id=school.id,
                        year=year_slug(plan.academic_year),
                        _anchor="feedback",
                    ),
                )
            )
        return mails

    return compose_for


def reminder_mail(deadline: ClusterDeadline, school: School, kind: str) -> list[Mail]:
    """To the school's leads, each in their own language: the cluster's deadline for the
    year's plan (or for its year-end review) is near (`kind` "before") or today
    ("on-the-day"), and it is not submitted."""
    review = deadline.kind == DeadlineKind.YEAR_END
    template = "year_end_reminder" if review else "deadline_reminder"
    endpoint = "year_end.index" if review else "plan.hub"
    mails = []
    for lead in leads_of_school(school.id):
        locale = language_of(lead)
        mails.append(
            compose(
                lead.email,
                template,
                locale,
                kind=kind,
                due_on=deadline.due_on,
                academic_year=deadline.academic_year,
                url=link(endpoint, lang=locale, year=year_slug(deadline.academic_year)),
            )
        )
    return mails


def password_reset_mail(user: User, locale: str) -> Callable[[str], list[Mail]]:
    """To the account's owner: the one-time link (its token) to choose a new password."""

    def compose_for(token: str) -> list[Mail]:
        return [
            compose(
                user.email,
                "password_reset",
                locale,
                name=user.name,
                link=link("auth.reset_password", token=token, lang=locale),
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            )
        ]

    return compose_for


def invitation_mail(
    email: str, name: str, inviter: User, locale: str
) -> Callable[[str], list[Mail]]:
    """To a colleague without an account, in the language the lead chose for them: the link
    (its token) to create one at the lead's school."""

    def compose_for(token: str) -> list[Mail]:
        return [
            compose(
                email,
                "invitation",
                locale,
                name=name,
                inviter=inviter.name,
                school=inviter.school,
                link=link("auth.accept_invitation", token=token, lang=locale),
                days=current_app.config["INVITATION_DAYS"],
            )
        ]

    return compose_for


def existing_account_mail(
    email: str, existing: User, inviter: User, locale: str
) -> tuple[str, list[Mail]]:
    """To the owner of an account a lead invited (the page never says the address has one),
    in the owner's language, else the one the lead chose: how to sign in instead. Returns the
    event (one per lead, address and minute: a double click sends one email) and the email."""
    their_locale = valid_language(existing.locale) or locale
    event = f"invitation-existing:{inviter.id}:{email}:{datetime.now(UTC):%Y-%m-%dT%H:%M}"
    mail = compose(
        email,
        "invitation_existing",
        their_locale,
        inviter=inviter.name,
        school=inviter.school,
        link=link("auth.sign_in", lang=their_locale),
    )
    return event, [mail]


def lead_invitation_mail(
    email: str, name: str, admin: User, school: School, locale: str
) -> Callable[[str], list[Mail]]:
    """To the person an administrator names as a school's lead, in the language the
    administrator chose for them: the link to create their account as the lead."""

    def compose_for(token: str) -> list[Mail]:
        return [
            compose(
                email,
                "lead_invitation",
                locale,
                name=name,
                inviter=admin.name,
                school=school,
                link=link("auth.accept_invitation", token=token, lang=locale),
                days=current_app.config["INVITATION_DAYS"],
            )
        ]

    return compose_for


def coordinator_account_mail(
    user: User, cluster_name: str, locale: str
) -> Callable[[str], list[Mail]]:
    """To a coordinator an administrator has made an account for: the cluster, and the
    one-time link (its token) to choose a password."""

    def compose_for(token: str) -> list[Mail]:
        return [
            compose(
                user.email,
                "coordinator_account",
                locale,
                name=user.name,
                cluster=cluster_name,
                link=link("auth.reset_password", token=token, lang=locale),
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            )
        ]

    return compose_for
