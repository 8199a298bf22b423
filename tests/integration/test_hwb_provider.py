"""The OpenID stand-in (tests/hwb_provider.py) is waited for by the clock: on a busy machine it
took longer to start than the 10 seconds once allowed, and a whole file of Hwb tests failed
with "did not start". One process serves every test of a worker."""

from __future__ import annotations

import sys

import pytest

from tests import hwb_provider

# A stand-in for the provider that takes its time to start, then answers every request.
SLOW = (
    "import http.server, sys, time; time.sleep({delay}); "
    "port = int(sys.argv[-1]); "
    "http.server.HTTPServer(('127.0.0.1', port), http.server.BaseHTTPRequestHandler)"
    ".serve_forever()"
)


def test_a_provider_slow_to_start_is_waited_for() -> None:
    process, issuer = hwb_provider._start([sys.executable, "-c", SLOW.format(delay=2)], 30)
    try:
        assert process.poll() is None and issuer.startswith("http://127.0.0.1:")
    finally:
        hwb_provider._stop(process)


def test_a_provider_that_ends_is_reported_at_once() -> None:
    with pytest.raises(RuntimeError, match="ended at once"):
        hwb_provider._start([sys.executable, "-c", "raise SystemExit(3)"], 30)


def test_a_provider_that_never_answers_is_given_up_on() -> None:
    with pytest.raises(RuntimeError, match="did not answer within 1 seconds"):
        hwb_provider._start([sys.executable, "-c", SLOW.format(delay=30)], 1)


def test_one_provider_serves_the_worker() -> None:
    with hwb_provider.provider_process() as first, hwb_provider.provider_process() as second:
        assert first == second
