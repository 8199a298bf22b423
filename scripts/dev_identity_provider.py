"""The local development stand-in for Hwb, started by `make run` (docs/hwb.md).

    .venv/bin/python scripts/dev_identity_provider.py [--port 9400] [--watch PID]

A real OpenID provider (oidc-provider-mock, a development dependency) as its own process on
127.0.0.1, with the demo identities: the demo lead, colleague, coordinator and administrator
(their accounts are linked to them here), and a new teacher the planner does not know, who can
ask to join a school. Its sign-in page lists them; press one. It is NOT Hwb: anyone can sign in
as anyone. The app says so on its sign-in page (WIZARD_OIDC_DEV_PROVIDER=1) and refuses to start
in production with it configured.

The provider keeps running in the background while the process --watch names (make) lives,
and stops after it. Run again while it runs, it only links the demo accounts again.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (subject at the provider, name, email; the demo account's email, if it has one).
DEMO_IDENTITIES = (
    ("demo-lead", "Catrin Jones", "lead@demo.example"),
    ("demo-colleague", "Rhys Evans", "colleague@demo.example"),
    ("demo-coordinator", "Siân Roberts", "coordinator@demo.example"),
    ("demo-admin", "Alex Morgan", "admin@demo.example"),
    ("demo-la-admin", "Gareth Hughes", "la-admin@demo.example"),
    ("demo-new-teacher", "Elin Davies", "elin.davies@demo.example"),
)


def _answers(issuer: str) -> bool:
    try:
        with urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1):
            return True
    except (URLError, OSError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def serve(port: int, watch: int | None) -> int:
    """Run the provider until the watched process ends (or the provider does)."""
    claims = [
        json.dumps({"sub": sub, "name": name, "email": email, "preferred_username": email})
        for sub, name, email in DEMO_IDENTITIES
    ]
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    for claim in claims:
        command += ["--user-claims", claim]
    provider = subprocess.Popen(command)
    try:
        while provider.poll() is None:
            if watch is not None and not _alive(watch):
                break
            time.sleep(1)
    finally:
        provider.terminate()
        provider.wait(10)
    return 0


def link_demo_accounts(issuer: str) -> None:
    """Link the demo accounts (made by `make seed`) to their identities at the stand-in."""
    from wizard import create_app
    from wizard.data.identity import link_demo_account

    app = create_app()
    with app.app_context():
        for sub, _name, email in DEMO_IDENTITIES:
            link_demo_account(email, issuer, sub)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--watch", type=int, help="stop when this process ends")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.port, args.watch)
    issuer = f"http://127.0.0.1:{args.port}"
    if not _answers(issuer):
        log = ROOT / "instance" / "dev-identity-provider.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, __file__, "--serve", "--port", str(args.port)]
        if args.watch:
            command += ["--watch", str(args.watch)]
        with log.open("ab") as output:
            subprocess.Popen(
                command, stdout=output, stderr=output, start_new_session=True, cwd=ROOT
            )
        for _ in range(100):
            if _answers(issuer):
                break
            time.sleep(0.1)
        else:
            print(f"The development identity provider did not start: see {log}", file=sys.stderr)
            return 1
    link_demo_accounts(issuer)
    print(
        f"Development stand-in for Hwb (NOT Hwb) on {issuer}: 'Sign in with Hwb' offers "
        + ", ".join(name for _sub, name, _email in DEMO_IDENTITIES)
        + " (Elin Davies has no account: she can ask to join a school)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
