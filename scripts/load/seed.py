"""Seed the load test's database: the scale of Wales in the background (seed-wales), plus the
schools whose leads the simulated users sign in as, a password for every cluster's
coordinator, and an administrator. Writes the accounts to a JSON file for the locustfile.

    DATABASE_URL=... python scripts/load/seed.py --schools 260 --out accounts.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update

from wizard import create_app
from wizard.data.accounts import hash_password
from wizard.data.database import db
from wizard.data.models import Cluster, Plan, PlanAnswer, School, User, coordinator_cluster
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import BOARD_STEP
from wizard.domain.values import LanguageMedium
from wizard.seed.wales import seed_wales


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--background", type=int, default=1200, help="seed-wales schools")
    parser.add_argument("--clusters", type=int, default=150)
    parser.add_argument("--schools", type=int, default=260, help="schools of simulated leads")
    parser.add_argument(
        "--ready", type=int, default=20, help="of them, plans complete and ready to submit"
    )
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        year = academic_year_of(date.today())
        report = seed_wales(args.background, args.clusters, 0.1, year, seed=16)
        print(f"Background: {report.schools} schools in {report.clusters} clusters")
        # One hash for every account: hashing hundreds would only slow the seeding down.
        password_hash = hash_password(args.password)
        clusters = list(db.session.scalars(select(Cluster).order_by(Cluster.id)))
        school_rows = [
            {
                "school_number": f"99{index:05d}",
                "name_en": f"Load test school {index}",
                "name_cy": f"Ysgol prawf llwyth {index}",
                "language_medium": LanguageMedium.WELSH if index % 2 else LanguageMedium.ENGLISH,
                "local_authority_id": clusters[index % len(clusters)].local_authority_id,
                "cluster_id": clusters[index % len(clusters)].id,
            }
            for index in range(args.schools)
        ]
        db.session.execute(insert(School), school_rows)
        schools = {
            s.school_number: s
            for s in db.session.scalars(select(School).where(School.school_number.like("99%")))
        }
        leads = []
        for index, row in enumerate(school_rows):
            school = schools[row["school_number"]]
            leads.append(
                {
                    "email": f"lead-{index}@load.example",
                    "name": f"Load lead {index}",
                    "password_hash": password_hash,
                    "locale": "cy" if index % 2 else "en",
                    "school_id": school.id,
                    "is_school_lead": True,
                    "is_admin": False,
                    "session_version": 1,
                }
            )
        db.session.execute(insert(User), leads)
        db.session.execute(
            insert(User),
            [
                {
                    "email": "admin@load.example",
                    "name": "Load administrator",
                    "password_hash": password_hash,
                    "locale": "en",
                    "is_admin": True,
                    "is_school_lead": False,
                    "session_version": 1,
                }
            ],
        )
        coordinator_ids = [
            row.user_id for row in db.session.execute(select(coordinator_cluster.c.user_id))
        ]
        db.session.execute(
            update(User).where(User.id.in_(coordinator_ids)).values(password_hash=password_hash)
        )
        db.session.commit()
        coordinators = [
            {"email": email, "cluster_id": cluster_id}
            for email, cluster_id in db.session.execute(
                select(User.email, coordinator_cluster.c.cluster_id)
                .join(coordinator_cluster, coordinator_cluster.c.user_id == User.id)
                .order_by(User.id)
            )
        ]
        ready = complete_plans(leads[: args.ready], args.password, year_slug(year))
        boards = {
            number: revision
            for number, revision in db.session.execute(
                select(School.school_number, PlanAnswer.revision)
                .join(Plan, Plan.school_id == School.id)
                .join(PlanAnswer, PlanAnswer.plan_id == Plan.id)
                .where(PlanAnswer.step == BOARD_STEP, School.school_number.like("99%"))
            )
        }
        accounts = {
            "year": year_slug(year),
            "leads": [
                {
                    "email": lead["email"],
                    "school_id": lead["school_id"],
                    "school_number": school_rows[index]["school_number"],
                    "lang": lead["locale"],
                    "ready": lead["email"] in ready,
                    "board_revision": boards.get(school_rows[index]["school_number"], 0),
                }
                for index, lead in enumerate(leads)
            ],
            "coordinators": coordinators,
            "admin": "admin@load.example",
        }
        args.out.write_text(json.dumps(accounts, indent=1))
        print(f"Load accounts: {len(leads)} leads, {len(coordinators)} coordinators, 1 admin")


def complete_plans(leads: list[dict[str, Any]], password: str, year: str) -> set[str]:
    """Fill in every task of these leads' plans through the app (as the tests do), so that
    their users submit at once: a deadline's rush of submissions."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's tests/
    from tests.conftest import ParsingClient
    from tests.plans import complete_plan

    # In production only the service's own host is served: the client asks for it, over https.
    base = urlsplit(os.environ.get("WIZARD_BASE_URL") or "http://127.0.0.1:5000")
    app = create_app(
        {"WTF_CSRF_ENABLED": False, "SERVER_NAME": base.netloc, "PREFERRED_URL_SCHEME": base.scheme}
    )
    app.test_client_class = ParsingClient  # tests.plans reads the pages it parses
    done = set()
    for lead in leads:
        client = app.test_client()
        response = client.post(
            f"/{lead['locale']}/sign-in", data={"email": lead["email"], "password": password}
        )
        assert response.status_code == 302, response.status_code
        complete_plan(client, year, lang=lead["locale"])
        done.add(lead["email"])
    print(f"Plans ready to submit: {len(done)}")
    return done


if __name__ == "__main__":
    main()
