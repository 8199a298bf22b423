"""`make serve`'s gunicorn settings come from the environment."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in (
        "WORKERS",
        "HOST",
        "PORT",
        "GUNICORN_PIDFILE",
        "GUNICORN_MAX_REQUESTS",
        "FORWARDED_ALLOW_IPS",
        "WIZARD_TRUSTED_PROXY_ADDRESSES",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_are_four_workers_on_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = settings(monkeypatch)
    assert conf["workers"] == 4
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["preload_app"] is False  # each worker makes its own app and connections
    assert conf["control_socket_disable"] is True
    assert conf["pidfile"] is None


def test_workers_host_and_port_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = settings(monkeypatch, WORKERS="9", HOST="0.0.0.0", PORT="5106")
    assert conf["workers"] == 9
    assert conf["bind"] == "0.0.0.0:5106"


def test_gunicorn_trusts_the_same_proxies_as_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch)["forwarded_allow_ips"] == "127.0.0.1"
    conf = settings(monkeypatch, WIZARD_TRUSTED_PROXY_ADDRESSES="10.0.0.5,10.0.1.0/24")
    assert conf["forwarded_allow_ips"] == "10.0.0.5,10.0.1.0/24"
    conf = settings(
        monkeypatch, WIZARD_TRUSTED_PROXY_ADDRESSES="10.0.0.5", FORWARDED_ALLOW_IPS="10.0.0.6"
    )
    assert conf["forwarded_allow_ips"] == "10.0.0.6"


def test_the_master_redacts_tokens_in_its_own_log(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    monkeypatch.setattr(logging, "_logRecordFactory", logging.LogRecord)
    conf = settings(monkeypatch)
    conf["on_starting"](None)  # type: ignore[operator]
    record = logging.getLogger("gunicorn.error").makeRecord(
        "gunicorn.error", logging.ERROR, __file__, 1, "at %s", ("/en/shared/SECRETabc",), None
    )
    assert record.getMessage() == "at /en/shared/[token]"
