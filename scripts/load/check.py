"""After a load run: is every save the server acknowledged in the database, on the right
plan, and nothing else? Prints the figures; the last line is
"N requests, E errors, L lost or misplaced answers".

    DATABASE_URL=... python scripts/load/check.py ACKS_JSON LOCUST_STATS_CSV ACCOUNTS_JSON
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


def main() -> int:
    log = json.load(open(sys.argv[1], encoding="utf-8"))
    acks: list[dict[str, Any]] = log["acks"]
    cuts: dict[str, int] = log["stats"]
    with open(sys.argv[2], encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    requests, errors = log["counts"].get("requests", 0), log["counts"].get("errors", 0)

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

        accounts = json.load(open(sys.argv[3], encoding="utf-8"))
        baseline = {lead["school_number"]: lead["board_revision"] for lead in accounts["leads"]}
        problems += check_writes(acks, answers, versions, baseline)

    print_table(rows)
    acked = [ack for ack in acks if ack["state"] == "acked"]
    kinds = Counter(ack["kind"] for ack in acked)
    print(
        f"Acknowledged writes: {len(acked)} ({kinds['step']} step saves, {kinds['move']} Diamond 9 "
        f"moves, {kinds['line']} funding lines, {kinds['version']} submissions) from "
        f"{len({ack['school'] for ack in acked})} schools"
    )
    states = Counter(ack["state"] for ack in acks)
    print(
        f"Other writes: {states['refused']} answered and refused (a move that is not possible), "
        f"{states['unchanged']} moves that changed nothing (a card already in its place), "
        f"{states['sent']} still in flight when the run stopped, {states['cut']} cut off and "
        "not retried to the end (saved or not: either is accepted)"
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


def check_writes(
    acks: list[dict[str, Any]],
    answers: dict[str, dict[str, PlanAnswer]],
    versions: set[tuple[str, int]],
    baseline: dict[str, int],
) -> list[str]:
    """Each acknowledged write is in the database. A write still in flight at the end or cut
    off (no answer) may or may not be; nothing else may be there."""
    problems: list[str] = []
    unknown = ("sent", "cut")
    steps: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    moves: dict[str, Counter[str]] = defaultdict(Counter)
    lines: dict[str, dict[str, str]] = defaultdict(dict)
    for ack in acks:
        school = ack["school"]
        if ack["kind"] == "step" and not ack["step"].endswith("/check"):
            steps[(school, ack["step"], ack["field"])].append(ack)
        elif ack["kind"] == "move":
            moves[school][ack["state"]] += 1
        elif ack["kind"] == "line":
            lines[school][ack["description"]] = ack["state"]
        elif ack["kind"] == "version" and (school, ack["number"]) not in versions:
            problems.append(f"school {school}: submitted version {ack['number']} is missing")
    for (school, step, field), writes in steps.items():
        saved = [i for i, w in enumerate(writes) if w["state"] == "acked"]
        if not saved:
            continue
        answer = answers[school].get(step)
        stored = (answer.data if answer else {}).get(field)
        allowed = [writes[saved[-1]]["value"]]
        allowed += [w["value"] for w in writes[saved[-1] + 1 :] if w["state"] in unknown]
        if stored not in allowed:
            problems.append(f"school {school} {step}.{field}: {stored!r}, saved {allowed[0]!r}")
    for school, states in moves.items():
        board = answers[school].get(BOARD_STEP)
        revision = board.revision if board else 0
        low = baseline.get(school, 0) + states["acked"]
        high = low + states["sent"] + states["cut"]
        if not low <= revision <= high:
            problems.append(f"school {school}: {low} moves saved, board revision {revision}")
    problems += check_lines(lines, answers)
    return problems


def check_lines(
    lines: dict[str, dict[str, str]], answers: dict[str, dict[str, PlanAnswer]]
) -> list[str]:
    """Each acknowledged funding line once in its school's plan; an unknown one at most once;
    no line that nobody wrote."""
    problems: list[str] = []
    for school in set(lines) | {n for n in answers if FUNDING_STEP in answers[n]}:
        funding = answers[school].get(FUNDING_STEP)
        stored = Counter(
            line.get("description")
            for line in (funding.data if funding else {}).get("lines", [])
            if MARKER.fullmatch(str(line.get("description")))
        )
        for description, state in lines.get(school, {}).items():
            count = stored.pop(description, 0)
            if (state == "acked" and count != 1) or count > 1:
                problems.append(f"school {school}: funding line {description} saved {count} times")
        for description in stored:
            problems.append(f"school {school}: funding line {description} nobody saved")
    return problems


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
