"""A real OpenID provider for the Hwb tests: oidc-provider-mock, started as its own process on
127.0.0.1 (`python -m oidc_provider_mock`), with people registered by PUT /users/<sub>.

The provider signs with RS256 and puts a person's registered claims over its own, so that a
wrong `aud`, `iss`, `nonce` or `tid`, or an `exp` in the past, comes from the provider itself.
What it cannot make (an unsigned or HS256 token, a token with no nonce, a key it has never
published) comes from `Tamperer`: a small server in front of it that serves the provider's
discovery document with its own token and key addresses, passes the code on to the provider's
token endpoint, and signs the ID token it gets back again as the test asks, with keys the test
controls. Everything else (the sign-in page, the code, the provider's checks of it) is the
provider's."""

from __future__ import annotations

import atexit
import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "planner-tests"
CLIENT_SECRET = "a-client-secret-of-the-tests-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_started: list[tuple[subprocess.Popen[bytes], str]] = []


PROVIDER = [sys.executable, "-m", "oidc_provider_mock"]
# How long the provider may take to answer: on a machine shared by many runs, starting Python
# and importing Flask and Authlib took more than the 10 seconds once allowed (seen as "did not
# start" in a whole file of Hwb tests). It is waited for by the clock, and a process that has
# ended is reported at once.
START_WITHIN = 90.0


def _start(
    command: list[str] = PROVIDER, within: float = START_WITHIN
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider ended at once (exit {process.returncode})")
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
            return process, issuer
        except requests.ConnectionError:
            time.sleep(0.05)
    _stop(process)
    raise RuntimeError(f"the OpenID provider did not answer within {within:.0f} seconds")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(10)


def _stop_started() -> None:
    while _started:
        _stop(_started.pop()[0])


atexit.register(_stop_started)


@contextmanager
def provider_process() -> Iterator[str]:
    """The provider's issuer address. One process serves the whole run (each pytest-xdist
    worker has its own), started when first asked for and stopped when the run ends: it keeps
    only the people registered with it, and each test registers its own (a subject registered
    again gets the new claims)."""
    if _started and _started[0][0].poll() is not None:  # it stopped: start another
        _started.clear()
    if not _started:
        _started.append(_start())
    yield _started[0][1]


def register(issuer: str, sub: str, **claims: Any) -> None:
    """Register a person with the provider (claims over the provider's own in the ID token)."""
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def authorize(location: str, sub: str) -> str:
    """The person signs in on the provider's own page (its form, posted): return where the
    provider sends the browser back to (our callback, with the code and state)."""
    response = requests.post(location, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text[:300]
    return str(response.headers["Location"])


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class Tamperer:
    """In front of the provider: the ID token is signed again, as `mode` says:

    - "resign": RS256 with the tamperer's key (published in its key set), claims unchanged;
    - "rotated": RS256 with a key published only from now on (a rotation);
    - "no-nonce": as "resign", without the nonce;
    - "hs256": HS256 with the client secret; "none": unsigned.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.mode = "resign"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "tests-1"})
        self.rotated = RSAKey.generate_key(2048, parameters={"kid": "tests-2"})
        self.published = [self.key]
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"

    def wsgi(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            meta = requests.get(f"{self.upstream}/.well-known/openid-configuration", timeout=5)
            data = meta.json()
            data.update(
                issuer=self.issuer,
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                # What a careless client would believe: these are refused all the same.
                id_token_signing_alg_values_supported=["RS256", "HS256", "none"],
            )
            return Response(json.dumps(data), mimetype="application/json")(environ, start_response)
        if request.path == "/jwks":
            keys = KeySet(self.published).as_dict(private=False)
            return Response(json.dumps(keys), mimetype="application/json")(environ, start_response)
        if request.path == "/token":
            upstream = requests.post(
                f"{self.upstream}/oauth2/token",
                data=request.form.to_dict(),
                headers={"Authorization": request.headers.get("Authorization", "")},
                timeout=5,
            )
            token = upstream.json()
            if "id_token" in token:
                token["id_token"] = self.sign_again(token["id_token"])
            return Response(
                json.dumps(token), status=upstream.status_code, mimetype="application/json"
            )(environ, start_response)
        return Response("not found", status=404)(environ, start_response)

    def sign_again(self, id_token: str) -> str:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["iss"] = self.issuer
        if self.mode == "no-nonce":
            claims.pop("nonce", None)
        if self.mode == "none":
            return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        if self.mode == "hs256":
            return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET))
        if self.mode == "rotated":
            if self.rotated not in self.published:
                self.published.append(self.rotated)
            return jwt.encode({"alg": "RS256", "kid": "tests-2"}, claims, self.rotated)
        return jwt.encode({"alg": "RS256", "kid": "tests-1"}, claims, self.key)

    @contextmanager
    def running(self) -> Iterator[Tamperer]:
        server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            thread.join(5)
