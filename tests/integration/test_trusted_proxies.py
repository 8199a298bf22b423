"""The client's address comes from X-Forwarded-For only when the request's immediate peer is a
configured proxy (issue 22 point 4, issue 33 point 5): a client that reaches the app directly
cannot choose the address that sign-in throttling records."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from wizard.data.database import db
from wizard.data.models import SignInAttempt, User
from wizard.web.security import TrustedProxyFix, proxy_networks

FORWARDED = {"X-Forwarded-For": "192.0.2.44"}


def recorded_addresses() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(SignInAttempt.address).order_by(SignInAttempt.id)))


def wrong_password(lead: User) -> dict[str, str]:
    return {"email": lead.email, "password": PASSWORD + "-wrong"}


def test_forwarded_for_is_believed_from_a_configured_proxy_network(
    make_app: Any, lead: User
) -> None:
    client = make_app(TRUSTED_PROXIES=1, TRUSTED_PROXY_ADDRESSES="10.0.0.0/8").test_client()
    client.post(
        "/en/sign-in",
        data=wrong_password(lead),
        headers=FORWARDED,
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert recorded_addresses() == ["192.0.2.44"]


def test_forwarded_for_from_any_other_peer_is_ignored(make_app: Any, lead: User) -> None:
    client = make_app(TRUSTED_PROXIES=1, TRUSTED_PROXY_ADDRESSES="10.0.0.0/8").test_client()
    client.post(
        "/en/sign-in",
        data=wrong_password(lead),
        headers={**FORWARDED, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert recorded_addresses() == ["203.0.113.9"]


def test_by_default_only_the_local_proxy_is_believed(make_app: Any, lead: User) -> None:
    client = make_app(TRUSTED_PROXIES=1).test_client()
    for peer in ("127.0.0.1", "127.0.0.2", "10.0.0.1"):
        client.post(
            "/en/sign-in",
            data=wrong_password(lead),
            headers=FORWARDED,
            environ_base={"REMOTE_ADDR": peer},
        )
    assert recorded_addresses() == ["192.0.2.44", "127.0.0.2", "10.0.0.1"]


@pytest.mark.parametrize(
    ("peer", "trusted"),
    [
        ("127.0.0.1", True),
        ("::ffff:127.0.0.1", True),
        ("10.20.30.40", True),
        ("fd00::1", True),
        ("127.0.0.2", False),
        ("11.0.0.1", False),
        ("", False),
        ("not an address", False),
    ],
)
def test_trusted_peers_are_addresses_or_networks(peer: str, trusted: bool) -> None:
    fix = TrustedProxyFix(
        lambda environ, start: [], proxy_networks("127.0.0.1, 10.0.0.0/8, fd00::/8"), 1
    )
    assert fix.is_trusted(peer) is trusted


def test_an_address_that_is_not_one_stops_the_app_starting(make_app: Any) -> None:
    with pytest.raises(ValueError, match="WIZARD_TRUSTED_PROXY_ADDRESSES"):
        make_app(TRUSTED_PROXIES=1, TRUSTED_PROXY_ADDRESSES="10.0.0.0/8, proxy.example")


@contextmanager
def real_server(app: Flask) -> Iterator[int]:
    """The app behind a real HTTP server on 127.0.0.1, in a thread; yields its port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join()


def post_from(source: str, port: int, body: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            "/en/sign-in",
            body=urlencode(body),
            headers={"Content-Type": "application/x-www-form-urlencoded", **FORWARDED},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_real_request_from_a_second_loopback_address_cannot_choose_its_address(
    make_app: Any, lead: User
) -> None:
    app = make_app(TRUSTED_PROXIES=1)  # the proxy: 127.0.0.1 (the default)
    with real_server(app) as port:
        assert post_from("127.0.0.1", port, wrong_password(lead)) == 200
        assert post_from("127.0.0.2", port, wrong_password(lead)) == 200
    assert recorded_addresses() == ["192.0.2.44", "127.0.0.2"]
