"""The figures of `make load-multihost`: each phase's requests and errors (by status), the
emails (written, sent, received by the mail server, sent twice), then check.py's last line and
"D duplicate emails". Exits 1 when an acknowledged write was lost or an email sent twice.

    python scripts/load/multihost_report.py --acks ACKS --phases PHASES --emails EMAILS \
        --check CHECK_OUTPUT [--hosts ACCESS_LOG...]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from wizard import create_app
from wizard.data.database import db
from wizard.data.models import OutboxMail

LAST_LINE = re.compile(r"(\d+) requests, (\d+) errors, (\d+) lost or misplaced answers")


def phases(path: Path) -> list[tuple[int, int, str]]:
    """(start, end, name) of each phase, from lines "epoch<TAB>name" (the last one is "end")."""
    rows = [line.split("\t", 1) for line in path.read_text().splitlines() if line.strip()]
    marks = [(int(when), name) for when, name in rows]
    return [(start, end, name) for (start, name), (end, _) in zip(marks, marks[1:], strict=False)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acks", type=Path, required=True)
    parser.add_argument("--phases", type=Path, required=True)
    parser.add_argument("--emails", type=Path, required=True)
    parser.add_argument("--check", type=Path, required=True)
    parser.add_argument("--hosts", type=Path, nargs="*", default=[])
    args = parser.parse_args()

    timeline = {
        int(second): Counter(counts)
        for second, counts in json.loads(args.acks.read_text())["timeline"].items()
    }
    check = args.check.read_text().splitlines()
    print("\n".join(check[:-1]))

    print()
    print(f"{'phase':<52} {'seconds':>9} {'requests':>9} {'errors':>7} {'cut off':>8}  by status")
    first = min(timeline) if timeline else 0
    for start, end, name in phases(args.phases):
        counts: Counter[str] = Counter()
        for second in range(start, end):
            counts.update(timeline.get(second, {}))
        errors = {k: v for k, v in sorted(counts.items()) if k.startswith("error ")}
        cuts = {k: v for k, v in sorted(counts.items()) if k.startswith("cut ")}
        print(
            f"{name:<52} {start - first:>4}-{end - first:<4} {counts['requests']:>9} "
            f"{sum(errors.values()):>7} {sum(cuts.values()):>8}  {errors | cuts or ''}"
        )
    print(
        "(cut off: no answer from the service, the connection cut or a 502/504 from the "
        "balancer for a host that died mid-request; the user looks whether it took effect and "
        "tries again, as locust's users do. `cut 0`: no answer at all)"
    )
    served: Counter[str] = Counter()
    for log in args.hosts:
        served[log.parent.name] = sum(1 for _ in log.open(encoding="utf-8", errors="replace"))
    if served:
        print("Requests answered by each host (its gunicorn access log):", dict(served))

    received = [json.loads(line) for line in args.emails.read_text().splitlines() if line]
    copies = Counter((tuple(r["to"]), r["subject"], r["digest"]) for r in received)
    duplicates = sum(count - 1 for count in copies.values())
    app = create_app()
    with app.app_context():
        written = db.session.scalar(select(func.count()).select_from(OutboxMail)) or 0
        sent = (
            db.session.scalar(
                select(func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_not(None))
            )
            or 0
        )
    print(
        f"Emails: {written} written to the outbox, {sent} marked sent, {len(received)} received "
        f"by the mail server ({len(copies)} different)"
    )

    print(check[-1])
    print(f"{duplicates} duplicate emails")
    match = LAST_LINE.fullmatch(check[-1].strip())
    lost = int(match.group(3)) if match else 1
    missing = sent - len(copies)
    if missing > 0:
        print(f"PROBLEM: {missing} emails marked sent never reached the mail server")
    return 1 if lost or duplicates or missing > 0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
