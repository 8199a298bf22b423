"""The balancer of docs/several-machines.md and `make load-multihost`
(deploy/nginx/balancer.conf.j2) in front of two stand-in hosts: a request cut off by a host that
dies is tried on the other host when it is a GET, never when it is a POST that was sent (it may
have been saved). Both rendered configurations pass `nginx -t`."""

from __future__ import annotations

import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None,
    reason="nginx and openssl are needed (make system-packages)",
)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import nginx_conf  # noqa: E402


class StandInHost(socketserver.ThreadingTCPServer):
    """A host that reads each request, counts it, then answers 200 or dies mid-request (closes
    the connection without a word)."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, answers: bool) -> None:
        self.answers = answers
        self.seen: Counter[str] = Counter()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _Handler(socketserver.StreamRequestHandler):
    server: StandInHost

    def handle(self) -> None:
        request_line = self.rfile.readline().decode()
        length = 0
        while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        self.rfile.read(length)
        self.server.seen[request_line.split(" ")[0]] += 1
        if self.server.answers:
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
            )
        else:
            # Dies: the connection is reset, with no answer.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


@contextmanager
def _balancer(tmp_path: Path, hosts: list[StandInHost]) -> Iterator[str]:
    certificate, key = _certificate(tmp_path)
    port = _free_port()
    prefix = tmp_path / "balancer"
    conf = nginx_conf.write(
        "balancer",
        prefix,
        listen=f"127.0.0.1:{port}",
        backends=[host.address for host in hosts],
        certificate=str(certificate),
        certificate_key=str(key),
        error_log="stderr crit",
    )
    for host in hosts:
        threading.Thread(target=host.serve_forever, daemon=True).start()
    nginx = subprocess.Popen(
        ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    url = f"https://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        nginx.terminate()
        nginx.communicate(timeout=30)
        for host in hosts:
            host.shutdown()
            host.server_close()


def _answer(url: str, method: str) -> tuple[int, str]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    data = b"answer=saved" if method == "POST" else None
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def _status(url: str, method: str) -> int:
    return _answer(url, method)[0]


def test_a_get_cut_off_by_a_dying_host_is_answered_by_the_other(tmp_path: Path) -> None:
    dying, alive = StandInHost(answers=False), StandInHost(answers=True)
    with _balancer(tmp_path, [dying, alive]) as url:
        # Round robin: one of the two GETs goes to the dying host first, and is tried again.
        assert [_status(f"{url}/en/", "GET") for _ in range(2)] == [200, 200]
    assert dying.seen["GET"] == 1
    assert alive.seen["GET"] == 2


def test_a_post_cut_off_by_a_dying_host_is_never_sent_again(tmp_path: Path) -> None:
    hosts = [StandInHost(answers=False), StandInHost(answers=False)]
    with _balancer(tmp_path, hosts) as url:
        status, body = _answer(f"{url}/en/plan/2026-27/about-your-school", "POST")
    assert status == 502
    assert sum(host.seen["POST"] for host in hosts) == 1
    # The balancer's own page, in both languages, says the change may not have been saved.
    page = BeautifulSoup(body, "html.parser")
    welsh, english = page.find("section", lang="cy"), page.find("section", lang="en")
    assert welsh.h1.get_text() == "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael"
    assert english.h1.get_text() == "Sorry, the service is unavailable"
    assert "may not have been saved" in english.get_text()
    assert "efallai nad yw wedi'i gadw" in welsh.get_text()


@pytest.mark.parametrize("kind", ["host", "balancer"])
def test_the_rendered_configurations_are_valid(tmp_path: Path, kind: str) -> None:
    certificate, key = _certificate(tmp_path)
    values: dict[str, object] = {"listen": f"127.0.0.1:{_free_port()}"}
    if kind == "host":
        values |= {"backend": "127.0.0.1:1", "trusted": ["10.0.0.5", "10.0.1.0/24"]}
    else:
        values |= {
            "backends": ["127.0.0.1:1", "127.0.0.1:2"],
            "certificate": str(certificate),
            "certificate_key": str(key),
        }
    conf = nginx_conf.write(kind, tmp_path / kind, error_log="stderr crit", **values)
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path / kind), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
