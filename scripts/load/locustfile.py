"""The load test's simulated users (locust, headless; see scripts/load/run.sh).

School leads, each at a school of their own (from the accounts file the seeder wrote), sign
in and work on their plan: step saves, Diamond 9 moves, funding lines, the task list and the
check-your-answers page; some complete the plan, submit it and reopen it. Coordinators and an
administrator read the cluster dashboards and the national view.

Every write the server acknowledged (a redirect after the POST) is logged to LOAD_ACKS, with
the value written and its school, for scripts/load/check.py to find in the database after the
run. A request cut off by a killed worker (no response at all) is never counted as saved or as
not saved: the user looks whether it took effect, and if not, does it again; these are counted
in LOAD_STATS and printed apart from the errors.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

from wizard.domain import framework

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
PASSWORD = os.environ["LOAD_PASSWORD"]
YEAR = ACCOUNTS["year"]
LEADS = iter(ACCOUNTS["leads"])
COORDINATORS = itertools.cycle(ACCOUNTS["coordinators"])
ACKS: list[dict[str, Any]] = []
STATS: Counter[str] = Counter()

NINE = [
    "card:pedagogy",
    "card:curriculum-design",
    "card:assessment",
    "card:well-being",
    "card:welsh-language",
    "card:equity",
    "card:coaching-and-mentoring",
    "card:digital-competence",
    "card:early-years",
]
TARGETS = ["next", "up", "down", "row-2", "row-3", "row-4", "bank"]


def hidden(html: str, name: str) -> str | None:
    """The value of the first <input name=NAME> in the page."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return value.group(1) if value else ""
    return None


# The Diamond 9 board: its markup is being rebuilt, so all it needs is here. The move
# endpoint's fields are version (the board's revision), card and to.
def board_version(html: str) -> int | None:
    found = hidden(html, "version")
    if found is None:
        match = re.search(r'data-version="(\d+)"', html)
        found = match.group(1) if match else None
    return int(found) if found and found.isdigit() else None


def move_fields(version: int, card: str, to: str, csrf: str) -> dict[str, str]:
    return {"version": str(version), "card": card, "to": to, "csrf_token": csrf}


COUNTS: Counter[str] = Counter()
# Second by second (when each request ended): requests, errors by their status, and requests
# cut off (no answer from the service), for `make load-multihost` to count each phase's.
TIMELINE: dict[int, Counter[str]] = {}


def _second() -> Counter[str]:
    return TIMELINE.setdefault(int(time.time()), Counter())


@events.request.add_listener
def _count(exception: BaseException | None = None, response: Any = None, **_: Any) -> None:
    """Every request, to the last one answered while the users stop (locust's CSV is written
    before those)."""
    COUNTS["requests"] += 1
    second = _second()
    second["requests"] += 1
    if exception is not None:
        COUNTS["errors"] += 1
        second[f"error {getattr(response, 'status_code', 0) or 0}"] += 1


@events.test_stop.add_listener
def _write_log(**_: Any) -> None:
    with open(os.environ["LOAD_ACKS"], "w", encoding="utf-8") as out:
        json.dump({"acks": ACKS, "stats": STATS, "counts": COUNTS, "timeline": TIMELINE}, out)


class Cut(Exception):
    """No response from the service: the connection was cut (a worker killed mid-request), or
    a proxy in front answered 502 or 504 for it (the worker or host behind it died)."""


class Visitor(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    # On a busy machine a response may wait its turn a long time: slow is measured, not failed.
    network_timeout = 300.0
    connection_timeout = 300.0
    email = ""
    lang = "en"

    def send(
        self, method: str, path: str, name: str, expect: tuple[int, ...], **kwargs: Any
    ) -> Any:
        """One request; a status other than `expect` is a failure. Raises Cut when there was
        no response at all (it is then counted apart, and the caller looks and retries)."""
        if isinstance(kwargs.get("data"), dict):
            kwargs["data"] = urlencode(kwargs["data"], doseq=True)
            # Over HTTPS the CSRF check also wants a Referer from this site, as a browser sends.
            kwargs["headers"] = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{(self.host or '').rstrip('/')}{path}",
            }
        with self.client.request(
            method, path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if not response.status_code or response.status_code in (502, 504):
                response.success()  # not an answer from the service: counted in STATS
                STATS[f"cut: {name}"] += 1
                _second()[f"cut {response.status_code or 0}"] += 1
                raise Cut(name)
            if response.status_code in expect:
                response.success()
            else:
                response.failure(f"{response.status_code} for {method} {path}")
            return response

    @staticmethod
    def shown(page: str) -> bool:
        """Whether the form came (with its CSRF token); if not (an error page: the database
        away, say), the user waits a moment and loads it again rather than post nothing."""
        if hidden(page, "csrf_token") is not None:
            return True
        time.sleep(1)
        return False

    def get(self, path: str, name: str) -> str:
        for _ in range(5):
            try:
                return str(self.send("GET", path, name, (200,)).text or "")
            except Cut:
                continue
        return ""

    def sign_in(self) -> None:
        for _ in range(10):
            try:
                page = self.get(f"/{self.lang}/sign-in", "GET sign-in")
                if not self.shown(page):
                    continue
                response = self.send(
                    "POST",
                    f"/{self.lang}/sign-in",
                    "POST sign-in",
                    (302,),
                    data={
                        "email": self.email,
                        "password": PASSWORD,
                        "csrf_token": hidden(page, "csrf_token") or "",
                    },
                )
            except Cut:
                continue
            if response.status_code != 503:
                return
            time.sleep(1)  # "try again in a moment": the database is away


class Lead(Visitor):
    weight = 9

    def on_start(self) -> None:
        account = next(LEADS)
        self.email, self.lang = account["email"], account["lang"]
        self.school = account["school_number"]
        self.base = f"/{self.lang}/plan/{YEAR}"
        self.seq = 0
        self.submitted = False
        self.ready = bool(account.get("ready"))
        self.sign_in()
        self.save_about()
        self.move("card:pedagogy", "next")

    def marker(self) -> str:
        self.seq += 1
        return f"LOAD-{self.school}-{self.seq}"

    def write(self, kind: str, **what: Any) -> dict[str, Any]:
        """Log a write before it is sent: "sent" until the server answers it, then "acked"
        (saved), "refused" (answered, not saved) or "cut" (no answer: saved or not, unknown)."""
        entry = {"school": self.school, "kind": kind, "state": "sent", **what}
        ACKS.append(entry)
        return entry

    def save_step(self, step: str, data: dict[str, Any], field: str) -> None:
        """GET the step, POST it with its revision; a redirect is an acknowledged save."""
        entry = self.write("step", step=step, field=field, value=data[field])
        for _ in range(5):
            page = self.get(f"{self.base}/{step}", f"GET {step.split('-')[0]} step")
            if not self.shown(page):
                continue
            form = {**data, "revision": hidden(page, "revision") or "0"}
            form["csrf_token"] = hidden(page, "csrf_token") or ""
            try:
                response = self.send(
                    "POST",
                    f"{self.base}/{step}",
                    f"POST save {step.split('-')[0]} step",
                    (302,),
                    data=form,
                )
            except Cut:
                entry["state"] = "cut"
                continue  # saving the same answers again is harmless
            entry["state"] = "acked" if response.status_code == 302 else "refused"
            return

    @task(3)
    def save_about(self) -> None:
        self.save_step(
            "about-your-school",
            {
                "phase": "primary",
                "teaching_staff": "12",
                "support_staff": "8",
                "pl_lead": self.marker(),
                "funding_allocation": "100000",
            },
            "pl_lead",
        )

    @task(3)
    def save_hallmark(self) -> None:
        number = random.randint(1, 8)
        self.save_step(
            f"hallmark-{number}",
            {"rating": "developing", "evidence": self.marker(), "next_steps": "Coaching"},
            "evidence",
        )

    def move(self, card: str, to: str) -> None:
        entry = self.write("move", card=card, to=to)
        for _ in range(5):
            page = self.get(f"{self.base}/diamond-9", "GET Diamond 9 board")
            version = board_version(page)
            if version is None:
                return
            try:
                response = self.send(
                    "POST",
                    f"{self.base}/diamond-9/move",
                    "POST Diamond 9 move",
                    (200, 302),
                    data=move_fields(version, card, to, hidden(page, "csrf_token") or ""),
                )
            except Cut:
                entry["state"] = "cut"
                after = board_version(self.get(f"{self.base}/diamond-9", "GET Diamond 9 board"))
                if after is not None and after > version:
                    entry["state"] = "acked"  # it was saved before the worker died
                    return
                continue
            if response.status_code != 302:
                entry["state"] = "refused"  # a 200: an impossible move, or "which card?"
                return
            # A redirect: the move was made. A move that changes nothing (a card sent "next"
            # when it is already on the board) is answered the same way but saves nothing, so
            # the board's version says which it was (only this user works on this board).
            after = board_version(self.get(f"{self.base}/diamond-9", "GET Diamond 9 board"))
            if after is None:
                entry["state"] = "cut"  # the board did not come (the database away): unknown
            else:
                entry["state"] = "acked" if after > version else "unchanged"
            return

    @task(3)
    def move_card(self) -> None:
        self.move(random.choice(NINE), random.choice(TARGETS))

    @task(2)
    def add_funding_line(self) -> None:
        description = self.marker()
        entry = self.write("line", description=description)
        for _ in range(5):
            page = self.get(f"{self.base}/funding-plan/lines/new", "GET new funding line")
            if not self.shown(page):
                continue
            form = {
                "purpose": "release-and-cover",
                "priority": "card:pedagogy",
                "beneficiaries": ["teachers"],
                "term": "autumn",
                "description": description,
                "amount": "1",
                "revision": hidden(page, "revision") or "0",
                "csrf_token": hidden(page, "csrf_token") or "",
            }
            try:
                response = self.send(
                    "POST",
                    f"{self.base}/funding-plan/lines/new",
                    "POST funding line",
                    (200, 302),
                    data=form,
                )
            except Cut:
                entry["state"] = "cut"
                if description in self.get(f"{self.base}/funding-plan", "GET funding plan"):
                    entry["state"] = "acked"  # it was saved before the worker died
                    return
                continue
            entry["state"] = "acked" if response.status_code == 302 else "refused"
            return

    @task(2)
    def task_list(self) -> None:
        self.get(f"{self.base}/", "GET task list")

    @task(1)
    def check_answers(self) -> None:
        self.get(f"{self.base}/check-your-answers", "GET check your answers")

    @task(2)
    def submit_and_reopen(self) -> None:
        """Leads whose plan is ready submit it at once; a third of the others complete the plan
        first. Each submits once, and reopens the plan."""
        if self.submitted or (not self.ready and random.random() > 0.33):
            return
        self.submitted = True
        if not self.ready:
            self.complete_plan()
        self.submit()

    def complete_plan(self) -> None:
        for context in framework.CONTEXTS:
            first = framework.elements_of(context.key)[0].key
            self.save_step(
                f"context-{context.key}",
                {"reflection": self.marker(), "priorities": [first]},
                "reflection",
            )
        for number in range(1, 9):
            self.save_hallmark_number(number)
        for checked in ("contexts", "hallmarks", "funding-plan"):
            self.save_step(f"{checked}/check", {"completed": "yes"}, "completed")
        for card in NINE:
            self.move(card, "next")

    def submit(self) -> None:
        for _ in range(5):
            page = self.get(f"{self.base}/submit", "GET check and submit")
            if not self.shown(page):
                continue
            try:
                response = self.send(
                    "POST",
                    f"{self.base}/submit",
                    "POST submit",
                    # 200: refused, the page lists what is incomplete (nothing is saved).
                    (200, 302),
                    data={"csrf_token": hidden(page, "csrf_token") or ""},
                )
            except Cut:
                continue
            found = re.search(r"/versions/(\d+)/submitted", response.headers.get("Location", ""))
            if found:
                self.write("version", number=int(found.group(1)))["state"] = "acked"
            break
        page = self.get(f"{self.base}/", "GET task list")
        if not self.shown(page):
            return
        try:
            self.send(
                "POST",
                f"{self.base}/reopen",
                "POST reopen",
                (302,),
                data={"csrf_token": hidden(page, "csrf_token") or ""},
            )
        except Cut:
            pass

    def save_hallmark_number(self, number: int) -> None:
        self.save_step(
            f"hallmark-{number}",
            {"rating": "developing", "evidence": self.marker(), "next_steps": "Coaching"},
            "evidence",
        )


class Coordinator(Visitor):
    weight = 1

    def on_start(self) -> None:
        account = next(COORDINATORS)
        self.email, self.cluster = account["email"], account["cluster_id"]
        self.lang = random.choice(["en", "cy"])
        self.sign_in()

    @task(3)
    def dashboard(self) -> None:
        self.get(f"/{self.lang}/clusters/{self.cluster}", "GET cluster dashboard")

    @task(1)
    def clusters(self) -> None:
        # One cluster: the list goes straight to its dashboard (302).
        try:
            self.send("GET", f"/{self.lang}/clusters/", "GET my clusters", (200, 302))
        except Cut:
            pass


class Administrator(Visitor):
    fixed_count = 2

    def on_start(self) -> None:
        self.email, self.lang = ACCOUNTS["admin"], "en"
        self.sign_in()

    @task
    def national(self) -> None:
        self.get(f"/{self.lang}/national", "GET national view")
