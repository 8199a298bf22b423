"""After a load run: is every save the server acknowledged in the database, on the right
plan, and nothing else? Prints the figures; the last line is
"N requests, E errors, L lost or misplaced answers".

    DATABASE_URL=... python scripts/load/check.py ACKS_JSON LOCUST_STATS_CSV
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from wizard import create_app
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanVersion, School
from wizard.domain.journey import BOARD_STEP, FUNDING_STEP

MARKER = re.compile(r"LOAD-(\d+)-\d+")


def main() -> int:  # noqa: C901 - one report, check by check
    log = json.load(open(sys.argv[1], encoding="utf-8"))
    acks: list[dict[str, Any]] = log["acks"]
    cuts: dict[str, int] = log["stats"]
    with open(sys.argv[2], encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, errors = int(total["Request Count"]), int(total["Failure Count"])

    app = create_app()
    problems: list[str] = []
    with app.app_context():
        answers: dict[str, dict[str, PlanAnswer]] = defaultdict(dict)
        found = db.session.execute(
            select(School.school_number, PlanAnswer)
            .join(Plan, Plan.school_id == School.id)
            .join(PlanAnswer, PlanAnswer.plan_id == Plan.id)
            .where(School.school_number.like("99%"))
        )
        for number, answer in found:
            answers[number][answer.step] = answer
        versions = {
            (number, version)
            for number, version in db.session.execute(
                select(School.school_number, PlanVersion.number)
                .join(Plan, Plan.school_id == School.id)
                .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            )
        }

        # Misplaced: a value written by one school's lead found in another school's plan.
        for number, steps in answers.items():
            for step, answer in steps.items():
                for owner in MARKER.findall(json.dumps(answer.data)):
                    if owner != number:
                        problems.append(f"school {owner}'s answer is in school {number}'s {step}")

        last: dict[tuple[str, str, str], Any] = {}
        moves: Counter[str] = Counter()
        lines: dict[str, list[str]] = defaultdict(list)
        for ack in acks:
            school = ack["school"]
            if ack["kind"] == "step" and not ack["step"].endswith("/check"):
                last[(school, ack["step"].removesuffix("/check"), ack["field"])] = ack["value"]
            elif ack["kind"] == "move":
                moves[school] += 1
            elif ack["kind"] == "line":
                lines[school].append(ack["description"])
            elif ack["kind"] == "version" and (school, ack["number"]) not in versions:
                problems.append(f"school {school}: submitted version {ack['number']} is missing")
        for (school, step, field), value in last.items():
            answer = answers[school].get(step)
            stored = (answer.data if answer else {}).get(field)
            if stored != value:
                problems.append(f"school {school} {step}.{field}: {stored!r}, saved {value!r}")
        for school, count in moves.items():
            board = answers[school].get(BOARD_STEP)
            if board is None or board.revision != count:
                revision = board.revision if board else 0
                problems.append(f"school {school}: {count} moves saved, board revision {revision}")
        for school in set(lines) | {n for n in answers if FUNDING_STEP in answers[n]}:
            funding = answers[school].get(FUNDING_STEP)
            stored = [
                line.get("description")
                for line in (funding.data if funding else {}).get("lines", [])
            ]
            saved = Counter(lines.get(school, []))
            have = Counter(d for d in stored if d and MARKER.fullmatch(d))
            if have != saved:
                lost = list((saved - have).elements())
                extra = list((have - saved).elements())
                problems.append(f"school {school} funding lines: lost {lost}, not saved {extra}")

    print_table(rows)
    kinds = Counter(ack["kind"] for ack in acks)
    print(
        f"Acknowledged writes: {len(acks)} ({kinds['step']} step saves, {kinds['move']} Diamond 9 "
        f"moves, {kinds['line']} funding lines, {kinds['version']} submissions) from "
        f"{len({ack['school'] for ack in acks})} schools"
    )
    cut = sum(cuts.values())
    if cut:
        print(
            f"Requests cut off with no response (a worker killed): {cut}, each looked into and "
            f"retried by the user: {dict(cuts)}"
        )
    for problem in problems[:50]:
        print("PROBLEM:", problem)
    print(f"{requests} requests, {errors} errors, {len(problems)} lost or misplaced answers")
    return 1 if errors or problems else 0


def print_table(rows: list[dict[str, str]]) -> None:
    """Requests per second and latency percentiles (ms) of each kind of request."""
    print(
        f"{'request':<32} {'count':>6} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}"
    )
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        print(
            f"{name:<32} {row['Request Count']:>6} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>6.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>6.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
