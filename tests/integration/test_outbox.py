"""Email outside the request: every email is an outbox row written in the same transaction as
its event, sent after the commit (inline without Redis, by an RQ job with it), retried when
the mail server is down, and never sent twice for one event."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry
from sqlalchemy import func, select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.plans import write_plan
from wizard.data import outbox
from wizard.data.database import db
from wizard.data.feedback import FEEDBACK_MAIL_WINDOW
from wizard.data.models import OutboxMail, User
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import outbox as mail_module
from wizard.services.outbox import MailNotSent, deliver, dispatch, job_id, sweep

YEAR = year_slug(academic_year_of(date.today()))
REDIS_URL = "redis://127.0.0.1:6379/0"


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what it is given, or refuses like a server that is
    down."""

    down = False
    sent: list[EmailMessage] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if FakeSMTP.down:
            raise ConnectionRefusedError(111, "Connection refused")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeSMTP]]:
    FakeSMTP.down = False
    FakeSMTP.sent = []
    monkeypatch.setattr(mail_module.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.school.example")
    yield FakeSMTP


def rows() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def request_reset(client: FlaskClient, email: str) -> None:
    response = client.post("/en/reset-password", data={"email": email})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)


def test_mail_server_down_keeps_the_email_unsent_until_it_is_back(
    app: Flask, client: FlaskClient, lead: User, smtp: type[FakeSMTP]
) -> None:
    smtp.down = True
    request_reset(client, lead.email)  # the page is the same: the user sees no error
    [row] = rows()
    assert row.sent_at is None and row.attempts == 1
    assert row.recipient == lead.email
    assert "ConnectionRefusedError" in (row.last_error or "")
    assert "/reset-password/" in row.body
    assert smtp.sent == []

    smtp.down = False
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "1 unsent emails taken up." in result.output
    [message] = smtp.sent
    assert message["To"] == lead.email
    assert row.body.strip() in message.get_content()
    [row] = rows()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None

    # Sweeping again sends nothing more.
    app.test_cli_runner().invoke(args=["send-mail"])
    assert len(smtp.sent) == 1


def links_with_tokens(text: str) -> list[str]:
    return re.findall(
        r"http://localhost(/(?:en|cy)/(?:reset-password|invitation)/[\w-]{20,})", text
    )


def test_sent_reset_and_invitation_links_are_not_kept_readable(
    app: Flask, client: FlaskClient, lead: User, lead_client: FlaskClient, smtp: type[FakeSMTP]
) -> None:
    """Once sent, the outbox keeps the email without its link's token; until then (the mail
    server down) it keeps it whole, and the sweep sends the working link."""
    smtp.down = True
    request_reset(client, lead.email)
    invited = lead_client.post(
        "/en/account/invite",
        data={"name": "Rhys", "email": "rhys@school.example", "language": "cy"},
    )
    assert invited.status_code == 302
    unsent = rows()
    assert len(unsent) == 2 and all(row.sent_at is None for row in unsent)
    assert all(len(links_with_tokens(row.body)) == 1 for row in unsent)

    smtp.down = False
    with app.app_context():
        assert sweep() == 2
    links = [link for message in smtp.sent for link in links_with_tokens(message.get_content())]
    assert len(links) == 2
    for row in rows():
        assert row.sent_at is not None
        assert links_with_tokens(row.body) == [] and "/[token]" in row.body
        stored = " ".join(str(value) for value in vars(row).values())
        assert not any(link.rsplit("/", 1)[1] in stored for link in links)
    # The links sent still work.
    for link in links:
        page = app.test_client().get(link)
        assert page.status_code == 200, link
        assert soup(page).find("input", attrs={"type": "password"}) is not None


def test_an_email_sent_at_once_keeps_no_token_either(
    app: Flask, client: FlaskClient, lead: User, smtp: type[FakeSMTP]
) -> None:
    request_reset(client, lead.email)
    [message] = smtp.sent
    [link] = links_with_tokens(message.get_content())
    [row] = rows()
    assert row.sent_at is not None and link.rsplit("/", 1)[1] not in row.body
    assert "/en/reset-password/[token]" in row.body


def test_the_same_event_twice_is_one_email(app: Flask, ctx: None, smtp: type[FakeSMTP]) -> None:
    mail = outbox.Mail(to="Lead@School.example", subject="Hi", body="Body\n", locale="cy")
    first = outbox.queue("comment:1", [mail])
    second = outbox.queue("comment:1", [mail])
    twin = outbox.queue("comment:1", [outbox.Mail("lead@school.example", "Hi", "B\n", "cy")])
    assert len(first) == 1 and second == [] and twin == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 1
    # Two senders (a retried job and the sweep, say) for the same row: one email.
    assert deliver(first[0]) is True
    assert deliver(first[0]) is False
    dispatch(first)
    sweep()
    assert len(smtp.sent) == 1
    assert smtp.sent[0]["Content-Language"] == "cy"
    # Another event to the same person is another email.
    other = outbox.queue("comment:2", [mail])
    dispatch(other)
    assert len(smtp.sent) == 2


def test_a_claimed_email_is_not_sent_by_a_second_sender(
    app: Flask, ctx: None, smtp: type[FakeSMTP]
) -> None:
    [outbox_id] = outbox.queue("review:1", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    taken = outbox.claim(outbox_id)
    assert taken is not None
    assert outbox.claim(outbox_id) is None  # another sender, meanwhile
    assert deliver(outbox_id) is False
    assert smtp.sent == []


def test_a_failed_event_leaves_no_email(
    app: Flask, directory: Directory, smtp: type[FakeSMTP]
) -> None:
    """The email is in the event's transaction: a submission refused writes no email."""
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    directory.user("coord@la.example", coordinator_of=[cluster])
    client = app.test_client()
    sign_in(client, lead.email)
    client.get(f"/en/plan/{YEAR}/")
    client.post(f"/en/plan/{YEAR}/submit")  # nothing filled in: refused
    assert rows() == []
    write_plan(client, YEAR)
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    [row] = rows()
    assert row.recipient == "coord@la.example" and row.sent_at is not None
    assert len(smtp.sent) == 1


def test_mail_server_down_does_not_fail_or_lose_a_submission(
    app: Flask, directory: Directory, smtp: type[FakeSMTP]
) -> None:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    directory.user("coord@la.example", coordinator_of=[cluster], locale="cy")
    client = app.test_client()
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    smtp.down = True
    response = client.post(f"/en/plan/{YEAR}/submit")
    assert response.status_code == 302 and "/versions/1/submitted" in response.headers["Location"]
    [row] = rows()
    assert row.sent_at is None and row.locale == "cy"
    smtp.down = False
    with app.app_context():
        assert sweep() == 1
    assert [m["To"] for m in smtp.sent] == ["coord@la.example"]


# The RQ path, against the machine's Redis, on a queue of this test's own.


def _redis() -> Redis:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    return connection


@pytest.fixture
def rq_queue(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Queue]:
    connection = _redis()
    name = f"test-mail-{uuid.uuid4().hex}"
    # Jobs of this test's own too: runs sharing the Redis never meet on "mail-1".
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", name)
    monkeypatch.setitem(app.config, "MAIL_QUEUE_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "MAIL_QUEUE_NAME", name)
    queue = Queue(name, connection=connection)
    yield queue
    for registry in (
        queue.failed_job_registry,
        queue.scheduled_job_registry,
        queue.finished_job_registry,
    ):
        for leftover in registry.get_job_ids():
            registry.remove(leftover, delete_job=True)
    queue.empty()
    queue.delete(delete_jobs=True)


def work(app: Flask, queue: Queue) -> None:
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def coordinator_comments(app: Flask, directory: Directory) -> tuple[FlaskClient, str]:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True, locale="cy")
    directory.user("coord@la.example", coordinator_of=[cluster])
    lead_client, coordinator = app.test_client(), app.test_client()
    sign_in(lead_client, lead.email)
    sign_in(coordinator, "coord@la.example")
    write_plan(lead_client, YEAR)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    url = f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}/comments"
    return coordinator, url


def test_with_redis_the_email_is_an_rq_job_sent_by_the_worker(
    app: Flask, directory: Directory, smtp: type[FakeSMTP], rq_queue: Queue, ctx: Any
) -> None:
    coordinator, url = coordinator_comments(app, directory)
    # The submission's email to the coordinator is queued too: not sent by the request.
    assert smtp.sent == [] and rq_queue.count == 1
    response = coordinator.post(url, data={"version": "1", "task": "whole-plan", "body": "Da iawn"})
    assert response.status_code == 302
    assert smtp.sent == [] and rq_queue.count == 2
    assert all(row.sent_at is None for row in rows())

    work(app, rq_queue)
    assert sorted(m["To"] for m in smtp.sent) == ["coord@la.example", "lead@school.example"]
    assert all(row.sent_at is not None for row in rows())
    assert rq_queue.count == 0


def test_with_redis_a_failed_send_is_retried_with_backoff(
    app: Flask, ctx: None, smtp: type[FakeSMTP], rq_queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    [outbox_id] = outbox.queue("comment:7", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    smtp.down = True
    dispatch([outbox_id])
    work(app, rq_queue)
    # RQ scheduled the retry after the first interval (30 s): the email waits, unsent.
    scheduled = ScheduledJobRegistry(queue=rq_queue)
    assert len(scheduled.get_job_ids()) == 1
    [row] = rows()
    assert row.sent_at is None and row.attempts == 1 and row.claimed_until is None


def test_with_redis_retries_then_the_sweep_send_it_once(
    app: Flask, ctx: None, smtp: type[FakeSMTP], rq_queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Retries without waiting, so that one burst of the worker runs them all.
    monkeypatch.setitem(app.config, "MAIL_RETRY_INTERVALS", [0, 0])
    [outbox_id] = outbox.queue("comment:8", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    smtp.down = True
    dispatch([outbox_id])
    dispatch([outbox_id])  # the same email queued twice (a lost acknowledgement, say)
    work(app, rq_queue)
    assert FailedJobRegistry(queue=rq_queue).get_job_ids() == [job_id(outbox_id)]
    [row] = rows()
    assert row.sent_at is None and row.attempts >= 3  # the first try and two retries

    smtp.down = False
    with app.app_context():
        # Failed every retry just now: the sweep leaves it for MAIL_FAILED_AGAIN_AFTER.
        assert sweep() == 0
        monkeypatch.setitem(app.config, "MAIL_FAILED_AGAIN_AFTER", 0)
        assert sweep() == 1  # queues it again
    work(app, rq_queue)
    assert len(smtp.sent) == 1
    [row] = rows()
    assert row.sent_at is not None


def test_with_redis_the_sweep_queues_only_emails_whose_job_is_gone(
    app: Flask, ctx: None, smtp: type[FakeSMTP], rq_queue: Queue
) -> None:
    mail = outbox.Mail("a@b.example", "S", "B\n", "en")
    [kept] = outbox.queue("comment:11", [mail])
    [lost] = outbox.queue("comment:12", [mail])
    dispatch([kept, lost])
    assert rq_queue.count == 2
    # Redis loses one job (a restart without persistence, say).
    rq_queue.remove(job_id(lost))
    Job.fetch(job_id(lost), connection=rq_queue.connection).delete()
    with app.app_context():
        assert sweep() == 1  # the queued one is left alone
    assert sorted(rq_queue.job_ids) == sorted([job_id(kept), job_id(lost)])
    work(app, rq_queue)
    assert len(smtp.sent) == 2
    assert all(row.sent_at is not None for row in rows())


def test_without_redis_a_worker_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_the_worker_command_works_the_queue(
    app: Flask, ctx: None, smtp: type[FakeSMTP], rq_queue: Queue
) -> None:
    [outbox_id] = outbox.queue("comment:9", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    dispatch([outbox_id])
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(smtp.sent) == 1


def test_deliver_raises_for_retry(app: Flask, ctx: None, smtp: type[FakeSMTP]) -> None:
    [outbox_id] = outbox.queue("comment:10", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    smtp.down = True
    with pytest.raises(MailNotSent):
        deliver(outbox_id)


def test_job_ids_carry_the_configured_redis_prefix(
    app: Flask, ctx: None, smtp: type[FakeSMTP], rq_queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two services sharing a Redis (WIZARD_REDIS_PREFIX each) never take each other's email
    of the same number for their own."""
    prefix = f"holes-test-{uuid.uuid4().hex[:8]}"
    [outbox_id] = outbox.queue("comment:14", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"{prefix}:one")
    dispatch([outbox_id])
    monkeypatch.setitem(app.config, "RATELIMIT_KEY_PREFIX", f"{prefix}:two")
    dispatch([outbox_id])
    assert sorted(rq_queue.job_ids) == [
        f"{prefix}_one-mail-{outbox_id}",
        f"{prefix}_two-mail-{outbox_id}",
    ]
    assert rq_queue.connection.exists(f"rq:job:{prefix}_two-mail-{outbox_id}")
    assert not rq_queue.connection.exists(f"rq:job:mail-{outbox_id}")
    with app.app_context():
        assert sweep() == 0  # its job, under the prefix, is alive
    work(app, rq_queue)
    assert len(smtp.sent) == 1  # one service's job sent it; the other found it sent


def test_the_mail_queue_is_named_with_the_prefix(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_REDIS_PREFIX", "planner-a")
    monkeypatch.delenv("WIZARD_MAIL_QUEUE", raising=False)
    assert make_app().config["MAIL_QUEUE_NAME"] == "planner-a-mail"
    monkeypatch.setenv("WIZARD_MAIL_QUEUE", "chosen")
    assert make_app().config["MAIL_QUEUE_NAME"] == "chosen"


def test_the_worker_also_runs_the_retention_sweep(app: Flask, ctx: None, rq_queue: Queue) -> None:
    """`make worker` deletes sent emails past RETENTION_SENT_EMAIL_DAYS (and the rest of the
    retention schedule, tests/integration/test_retention.py)."""
    [outbox_id] = outbox.queue("comment:13", [outbox.Mail("a@b.example", "S", "B\n", "en")])
    row = db.session.get(OutboxMail, outbox_id)
    assert row is not None
    row.sent_at = row.created_at - timedelta(days=31)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "1 sent emails" in result.output
    assert rows() == []


def test_a_burst_of_feedback_on_one_plan_is_one_email_to_each_lead(
    app: Flask, directory: Directory, smtp: type[FakeSMTP], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two comments and a verdict in two seconds: the lead gets one email. After the window,
    the next feedback is emailed again; other people's emails are not held back."""
    coordinator, url = coordinator_comments(app, directory)
    clock = [datetime(2026, 12, 7, 19, 0, 0)]
    monkeypatch.setattr(outbox, "utcnow", lambda: clock[0])
    review_url = url.removesuffix("/comments") + "/review"
    posts = [
        (url, {"version": "1", "task": "whole-plan", "body": "Da iawn"}),
        (url, {"version": "1", "task": "whole-plan", "body": "Un peth arall"}),
        (review_url, {"version": "1", "status": "changes-requested"}),
    ]
    for target, data in posts:
        assert coordinator.post(target, data=data).status_code == 302
        clock[0] += timedelta(seconds=1)
    to_lead = [m for m in smtp.sent if m["To"] == "lead@school.example"]
    assert len(to_lead) == 1, [m["Subject"] for m in to_lead]
    clock[0] += FEEDBACK_MAIL_WINDOW
    assert coordinator.post(posts[0][0], data={**posts[0][1], "body": "Wedyn"}).status_code == 302
    assert len([m for m in smtp.sent if m["To"] == "lead@school.example"]) == 2
