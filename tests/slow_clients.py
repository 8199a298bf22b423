"""Slow clients (slowloris): connections that send their headers or their body a byte at a time,
holding whatever reads them. Used by tests/integration/test_slow_clients.py; run on its own to
see a server without a buffering proxy stall:

    python -m tests.slow_clients http://127.0.0.1:PORT/en/ [COUNT]

`make load` holds them open for its whole run (`--hold SECONDS`), so that its figures are
those of a server that slow clients are also trying to hold up:

    python -m tests.slow_clients http://127.0.0.1:PORT/en/ COUNT --hold 60
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


def _open(host: str, port: int, first: bytes) -> socket.socket | None:
    try:
        connection = socket.create_connection((host, port), timeout=5)
        connection.sendall(first)
    except OSError:
        return None
    return connection


class Opened(list[socket.socket]):
    """The slow connections that were opened, and which of them the server has since closed
    (a proxy drops a client that trickles its headers for too long)."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped: set[int] = set()

    @property
    def live(self) -> int:
        return len(self) - len(self.dropped)


@contextmanager
def slow_clients(url: str, count: int = 20) -> Iterator[Opened]:
    """Open COUNT connections to URL's server, half trickling headers that never end, half a
    POST body that never ends (one byte or header a second each), until the block is left."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    connections = Opened()
    for number in range(count):
        if number % 2:
            first = f"GET /en/ HTTP/1.1\r\nHost: {host}\r\n".encode()
        else:
            first = (
                f"POST /en/sign-in HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            ).encode()
        connection = _open(host, port, first)
        if connection is not None:
            connections.append(connection)
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(1):
            for number, connection in enumerate(connections):
                if number in connections.dropped:
                    continue
                try:
                    connection.sendall(b"X-Slow: 1\r\n" if number % 2 else b"a")
                except OSError:
                    connections.dropped.add(number)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield connections
    finally:
        stop.set()
        thread.join()
        for connection in connections:
            connection.close()


def get(url: str, timeout: float) -> int | str:
    """The status of a GET of URL, or what went wrong (within TIMEOUT seconds)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError as error:
        return f"{type(error).__name__}: {error}"


def hold(url: str, count: int, seconds: float, timeout: float = 30.0) -> bool:
    """Keep COUNT slow clients open on URL's server for SECONDS, checking every ten seconds
    that a GET still gets through within TIMEOUT seconds (a stalled server never answers; a
    busy one answers late); print what each check saw. True when every check got a 2xx."""
    checks = failed = 0
    with slow_clients(url, count) as opened:
        print(f"{len(opened)} slow clients opened for {seconds:.0f} s", flush=True)
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            time.sleep(min(10.0, max(0.0, until - time.monotonic())))
            started = time.monotonic()
            outcome = get(url, timeout)
            checks += 1
            if not (isinstance(outcome, int) and 200 <= outcome < 300):
                failed += 1
            print(
                f"With {opened.live} of {len(opened)} slow clients still connected: "
                f"{outcome} after {time.monotonic() - started:.2f} s",
                flush=True,
            )
    print(f"{checks} checks, {failed} failed", flush=True)
    return checks > 0 and failed == 0


if __name__ == "__main__":
    target = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    if "--hold" in sys.argv:
        sys.exit(0 if hold(target, count, float(sys.argv[sys.argv.index("--hold") + 1])) else 1)
    print(f"Before: {get(target, 10)}")
    with slow_clients(target, count) as opened:
        time.sleep(2)
        started = time.monotonic()
        outcome = get(target, 10)
        print(
            f"With {len(opened)} slow clients: {outcome} after {time.monotonic() - started:.1f} s"
        )
