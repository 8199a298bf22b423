"""`make lighthouse`: Lighthouse 12.2.3 (node_modules, Debian's Chromium) on six pages in both
languages, signed in where the page needs it; scores and main metrics into
benchmarks/lighthouse-<date>.md (never into the README).

    .venv/bin/python scripts/lighthouse.py [--output-dir benchmarks] [--port 5108]

A fresh SQLite database in a temporary instance folder gets the demo data (`seed-demo`); the
static files are built (`build-static`) and the app is served by gunicorn, as in production
(but over plain HTTP on 127.0.0.1). Each page is audited with Lighthouse's default (mobile)
settings; signed-in pages get the session cookie through `--extra-headers`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PASSWORD = "lighthouse demo password"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
)


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wizard", *args], env=env, check=True)


def sign_in(port: int, email: str) -> str:
    """The session cookie of a fresh sign-in (through the real form, with its CSRF token)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/en/sign-in")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None, "no CSRF token on the sign-in page"
    body = urlencode({"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    connection.request(
        "POST",
        "/en/sign-in",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, (email, response.status)
    return (response.getheader("Set-Cookie") or cookie).split(";", 1)[0]


def get(port: int, path: str, cookie: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    return connection.getresponse().read().decode()


def audit(url: str, cookie: str, out: Path) -> dict[str, object]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--max-wait-for-load=60000",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, check=True)
    report = json.loads(out.read_text())
    row: dict[str, object] = {
        name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES
    }
    for key, label in METRICS:
        row[label] = report["audits"][key]["displayValue"]
    row["failed"] = sorted(
        audit_id
        for category in ("accessibility", "best-practices", "seo")
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] is not None
        and report["audits"][audit_id]["score"] < 1
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=ROOT / "benchmarks",
        help="where lighthouse-<date>.md goes (benchmarks/)",
    )
    parser.add_argument("--port", type=int, default=5108)
    parser.add_argument("--only", default="", help="audit only the pages whose name has this")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `npm ci` first")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "WIZARD_INSTANCE_PATH": tmp,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'lighthouse.sqlite3'}",
            "WIZARD_DEMO_PASSWORD": PASSWORD,
        }
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        flask(env, "build-static")
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
                "wizard:create_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", args.port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            base = f"http://127.0.0.1:{args.port}"
            lead = sign_in(args.port, "lead@demo.example")
            coordinator = sign_in(args.port, "coordinator@demo.example")
            plans = get(args.port, "/en/plan/", lead)
            year = re.search(r'href="/en/plan/([0-9]{4}-[0-9]{2})/"', plans)
            clusters = get(args.port, "/en/clusters/", coordinator)
            cluster = re.search(r'href="/en/clusters/([0-9]+)', clusters)
            assert year is not None and cluster is not None, "demo data missing"
            plan = f"plan/{year.group(1)}"
            pages = [
                ("start page", "", ""),
                ("task list", f"{plan}/", lead),
                ("a step (About your school)", f"{plan}/about-your-school", lead),
                ("Diamond 9 board", f"{plan}/diamond-9", lead),
                ("plan summary", f"{plan}/summary", lead),
                ("cluster dashboard", f"clusters/{cluster.group(1)}", coordinator),
            ]
            rows = []
            for name, path, cookie in pages:
                if args.only not in name:
                    continue
                for lang in ("en", "cy"):
                    url = f"{base}/{lang}/{path}"
                    print(f"lighthouse: {name} ({lang})", file=sys.stderr)
                    try:
                        row = audit(url, cookie, Path(tmp) / "report.json")
                    except subprocess.CalledProcessError:
                        # Lighthouse could not load the page: say so, and go on to the next.
                        row = {key: "-" for key in (*CATEGORIES, *(m for _, m in METRICS))}
                        row["failed"] = ["the page did not load"]
                    rows.append((name, lang, row))
                    write(rows, args.output_dir)
        finally:
            server.terminate()
            server.wait(timeout=30)


def write(rows: list[tuple[str, str, dict[str, object]]], output_dir: Path) -> Path:
    """The table so far (written after every page, so a long run leaves what it measured)."""
    lines = [
        f"Measured {date.today().isoformat()} by `make lighthouse` (Lighthouse 12.2.3, default "
        "mobile settings with simulated throttling, Debian's Chromium, gunicorn on 127.0.0.1).",
        "",
        "| page | lang | performance | accessibility | best practices | SEO | FCP | LCP | TBT "
        "| CLS | SI | audits not passed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, lang, row in rows:
        failed = ", ".join(f"`{a}`" for a in row["failed"]) or "none"  # type: ignore[attr-defined]
        lines.append(
            f"| {name} | {lang} | {row['performance']} | {row['accessibility']} "
            f"| {row['best-practices']} | {row['seo']} | {row['FCP']} | {row['LCP']} "
            f"| {row['TBT']} | {row['CLS']} | {row['SI']} | {failed} |"
        )
    section = "\n".join(lines)
    print(lines[-1], file=sys.stderr)
    out = output_dir / f"lighthouse-{date.today().isoformat()}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# Lighthouse {date.today().isoformat()}\n\n{section}\n")
    return out


if __name__ == "__main__":
    main()
