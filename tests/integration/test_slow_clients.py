"""The production setup (`make serve`: nginx in front of gunicorn's sync workers, as
scripts/serve.sh starts them) with slow clients and while draining.

- Twenty connections trickling their headers or body a byte a second do not stop a normal
  request being answered (#22: four such connections froze all four workers of gunicorn alone).
- SIGTERM drains: new connections are refused at once (a balancer sends them elsewhere), and a
  request already being sent still gets its answer.
- The client's address: nginx believes X-Forwarded-For only from a configured balancer, and
  passes the address on to the app (which believes that nginx alone).

Each waits only as long as its client's timeout; nothing is timed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.slow_clients import get, slow_clients

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is needed (make system-packages)"
)
ROOT = Path(__file__).resolve().parents[2]
# How long a normal request may take, with slow clients about, before the test gives up on it:
# gunicorn alone with 2 workers would hold it until its 30 s timeout replaces a stuck worker.
PATIENCE = 15


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


IGNORED = {"DATABASE_URL", "REDIS_URL", "WIZARD_ENV", "TEST_DATABASE_URL", "FORWARDED_ALLOW_IPS"}


def _serve(instance: Path, extra: dict[str, str] | None = None) -> Served:
    """Migrate a SQLite database in INSTANCE, then start scripts/serve.sh with 2 workers."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in IGNORED and not key.startswith("WIZARD_TRUSTED_PROX")
    }
    env |= {"WIZARD_INSTANCE_PATH": str(instance), "GUNICORN_LOG_LEVEL": "warning"}
    env |= extra or {}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wizard", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    log = instance / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env
            | {
                "PROXY": "nginx",
                "WORKERS": "2",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "BIN": str(Path(sys.executable).parent),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if process.poll() is not None or get(f"{url}/healthz", 2) == 200:
            break
        time.sleep(0.5)
    assert get(f"{url}/healthz", 5) == 200, log.read_text()[-3000:]
    return Served(url, port, process, log)


def _stop(served: Served) -> None:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(served.process.pid, signal.SIGKILL)
            served.process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = _serve(tmp_path)
    yield running
    _stop(running)


def test_slow_clients_do_not_stall_the_service(served: Served) -> None:
    with slow_clients(f"{served.url}/en/", count=20) as connections:
        assert len(connections) == 20
        # Long enough for the trickles to have reached whatever reads them.
        time.sleep(3)
        for _ in range(3):
            assert get(f"{served.url}/en/", PATIENCE) == 200
            assert get(f"{served.url}/healthz", PATIENCE) == 200


def test_sigterm_refuses_new_connections_and_answers_requests_in_flight(served: Served) -> None:
    body = b"email=a%40example.org&password=not-the-password"
    in_flight = socket.create_connection(("127.0.0.1", served.port), timeout=PATIENCE)
    in_flight.sendall(
        b"POST /en/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body[:10]
    )
    served.process.send_signal(signal.SIGTERM)
    # The listening socket closes: a balancer's next connection is refused, so it goes to
    # another host (even a POST: nothing was sent).
    refused = False
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", served.port), timeout=2).close()
        except ConnectionRefusedError:
            refused = True
            break
        time.sleep(0.1)
    assert refused
    # ...while the request already being sent is read to its end and answered by the app.
    in_flight.sendall(body[10:])
    answer = b""
    while chunk := in_flight.recv(65536):
        answer += chunk
    in_flight.close()
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 "), answer[:200]
    assert status_line.split()[1] in (b"200", b"400"), status_line
    assert b"<html" in answer
    assert served.process.wait(timeout=60) == 0


@pytest.mark.parametrize(
    ("balancer", "recorded"),
    [
        pytest.param({}, "127.0.0.1", id="no balancer: a client's own header is not believed"),
        pytest.param(
            {"WIZARD_TRUSTED_PROXIES": "1", "WIZARD_TRUSTED_PROXY_ADDRESSES": "127.0.0.1"},
            "203.0.113.9",
            id="from the configured balancer: believed",
        ),
    ],
)
def test_the_client_address_comes_from_x_forwarded_for_only_from_the_balancer(
    tmp_path: Path, balancer: dict[str, str], recorded: str
) -> None:
    served = _serve(tmp_path, balancer)
    try:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor()
        )
        with opener.open(f"{served.url}/en/sign-in", timeout=PATIENCE) as page:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())
        assert token is not None
        form = urlencode(
            {"email": "nobody@example.org", "password": "wrong", "csrf_token": token.group(1)}
        ).encode()
        request = urllib.request.Request(
            f"{served.url}/en/sign-in", data=form, headers={"X-Forwarded-For": "203.0.113.9"}
        )
        try:
            opener.open(request, timeout=PATIENCE).close()
        except urllib.error.HTTPError:
            pass  # a refused sign-in may answer 200 or 4xx: what matters is what was recorded
    finally:
        _stop(served)
    with sqlite3.connect(tmp_path / "wizard.sqlite3") as database:
        addresses = [row[0] for row in database.execute("SELECT address FROM sign_in_attempt")]
    assert addresses == [recorded]
