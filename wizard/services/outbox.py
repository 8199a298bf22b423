"""Sending email: every email is first a row of the outbox (`wizard.data.outbox`), staged in
the transaction of the event it tells of, and sent once that has committed: by an RQ job when
REDIS_URL is set (`make worker`), otherwise by the request itself; the sweep (`flask
send-mail`, and the worker's) takes up any left unsent. SMTP when MAIL_SERVER is set, otherwise
written to the log.

Services call `dispatch()` after their commit; views never do."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app

from wizard.data import outbox
from wizard.data.outbox import Mail

# The RQ job, by name: the worker imports it (wizard.jobs sets up the app around it).
JOB = "wizard.jobs.send_mail"
# Without MAIL_SERVER each email is written to this log instead (outside production, the only
# log that keeps the tokens of links: see wizard.web.security).
DEV_MAIL_LOGGER = "wizard.mail"


class MailNotSent(RuntimeError):
    """The mail server refused or could not be reached; the email stays in the outbox."""


def _message(mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.to
    message.set_content(mail.body)
    # After set_content, which replaces every Content- header.
    message["Content-Language"] = mail.locale
    return message


def _transmit(mail: Mail) -> None:
    server = current_app.config["MAIL_SERVER"]
    if not server:
        logging.getLogger(DEV_MAIL_LOGGER).warning(
            "No MAIL_SERVER is set, so this email was not sent:\nTo: %s\nSubject: %s\n\n%s",
            mail.to,
            mail.subject,
            mail.body.strip(),
        )
        return
    with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
        smtp.send_message(_message(mail))


def deliver(outbox_id: int) -> bool:
    """Send one email of the outbox, unless it is sent already or another sender has it.

    Returns True when this call sent it. Raises MailNotSent (the row stays unsent, for the
    next attempt) when the mail server fails.
    """
    row = outbox.claim(outbox_id, current_app.config["MAIL_CLAIM_SECONDS"])
    if row is None:
        return False
    mail = Mail(to=row.recipient, subject=row.subject, body=row.body, locale=row.locale)
    try:
        _transmit(mail)
    except (OSError, smtplib.SMTPException) as error:
        outbox.mark_failed(outbox_id, f"{type(error).__name__}: {error}")
        raise MailNotSent(f"email {outbox_id} not sent: {error}") from error
    outbox.mark_sent(outbox_id)
    return True


def mail_queue() -> Any:
    """The RQ queue of emails, or None when REDIS_URL is not set."""
    url = current_app.config["MAIL_QUEUE_URL"]
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    # A Redis that does not answer costs a request a second at most (the email waits in the
    # outbox for the sweep), never the operating system's minutes.
    connection = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return Queue(current_app.config["MAIL_QUEUE_NAME"], connection=connection)


def job_id(outbox_id: int) -> str:
    """One RQ job per email: the sweep can tell whether an email's job is still alive.

    The id carries the configured prefix (WIZARD_REDIS_PREFIX), so that services sharing a
    Redis never take each other's email 5 for their own (RQ allows letters, digits, _ and -
    in an id: anything else in the prefix becomes _)."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", current_app.config.get("RATELIMIT_KEY_PREFIX") or "")
    return f"{prefix}-mail-{outbox_id}" if prefix else f"mail-{outbox_id}"


def enqueue(ids: Iterable[int], queue: Any) -> None:
    from rq import Retry

    intervals = list(current_app.config["MAIL_RETRY_INTERVALS"])
    for outbox_id in ids:
        queue.enqueue(
            JOB,
            outbox_id,
            job_id=job_id(outbox_id),
            retry=Retry(max=len(intervals), interval=intervals),
            description=f"send email {outbox_id}",
        )


def _without_live_job(ids: list[int], queue: Any) -> list[int]:
    """The emails whose job is gone (Redis lost it, or it expired), or failed every retry
    more than FAILED_AGAIN_AFTER seconds ago; not those queued, scheduled for a retry or
    being sent."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    alive = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}
    again_after = timedelta(seconds=current_app.config["MAIL_FAILED_AGAIN_AFTER"])
    chosen = []
    for outbox_id in ids:
        try:
            job = Job.fetch(job_id(outbox_id), connection=queue.connection)
        except NoSuchJobError:
            chosen.append(outbox_id)
            continue
        status = job.get_status(refresh=False)
        if status in alive:
            continue
        ended = job.ended_at.replace(tzinfo=None) if job.ended_at else None
        if (
            status == JobStatus.FAILED
            and ended
            and datetime.now(UTC).replace(tzinfo=None) - ended < again_after
        ):
            continue
        chosen.append(outbox_id)
    return chosen


# Whether this process last found the mail queue's Redis unreachable: an outage is logged once
# (and its end once), not on every request that writes an email.
_queue_down = False


def _queue_unreachable(count: int) -> None:
    global _queue_down
    if _queue_down:
        current_app.logger.debug("Redis still unreachable: %d more emails wait", count)
        return
    _queue_down = True
    current_app.logger.warning(
        "Redis unreachable: emails wait in the outbox until the worker's sweep queues them",
        exc_info=True,
    )


def _queue_reached() -> None:
    global _queue_down
    if _queue_down:
        _queue_down = False
        current_app.logger.info("Redis reachable again: emails are queued as they are written")


def dispatch(ids: Iterable[int] | None = None) -> None:
    """Send the emails just committed (by default, those this session staged).

    With REDIS_URL each becomes an RQ job (retried with backoff); without it they are sent
    here and now. Either way a failure only leaves the row unsent, for a retry or the sweep
    (`flask send-mail`): what the email tells of is already saved, so it is never an error
    for the user.
    """
    chosen = list(outbox.take_staged() if ids is None else ids)
    if not chosen:
        return
    queue = mail_queue()
    if queue is not None:
        try:
            enqueue(chosen, queue)
        except Exception:  # Redis unreachable: the rows wait in the outbox for the sweep.
            _queue_unreachable(len(chosen))
        else:
            _queue_reached()
        return
    for outbox_id in chosen:
        try:
            deliver(outbox_id)
        except MailNotSent:
            current_app.logger.exception("Could not send email %d; it waits", outbox_id)


def send_now(event: str, mails: Iterable[Mail]) -> None:
    """Emails that are an event of their own: commit them to the outbox and send them."""
    outbox.queue(event, mails)
    dispatch()


def sweep(older_than_seconds: int = 0) -> int:
    """Send every unsent email, or with REDIS_URL queue each whose job is not alive (lost
    with Redis, say); returns how many were taken up."""
    ids = outbox.unsent(older_than_seconds)
    queue = mail_queue()
    if queue is not None:
        ids = _without_live_job(ids, queue)
        enqueue(ids, queue)
        return len(ids)
    for outbox_id in ids:
        try:
            deliver(outbox_id)
        except MailNotSent:
            current_app.logger.exception("Could not send email %d; it waits", outbox_id)
    return len(ids)
