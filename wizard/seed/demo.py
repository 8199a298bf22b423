"""Demo data: two local authorities, two clusters, twelve schools (six more in the coordinator's
cluster, with plans: see demo_plans.py) and five accounts to sign in with (a national and a
local authority administrator among them, who can try the import with the sample files in
docs/demo/)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from wizard.data.accounts import check_password, hash_password
from wizard.data.database import db
from wizard.data.directory import load_local_authorities
from wizard.data.models import Cluster, LanguageMedium, LocalAuthority, School, User
from wizard.domain.academic_year import academic_year_of
from wizard.seed.demo_plans import seed_demo_plans
from wizard.seed.demo_progress import seed_demo_progress
from wizard.seed.demo_staff_voice import seed_demo_staff_voice
from wizard.seed.demo_year_end import seed_demo_year_end

# (cluster English name, cluster Welsh name, authority code, schools)
# Each school: (number, English name, Welsh name, language medium). All fictional.
DEMO_CLUSTERS = (
    (
        "Cardiff West cluster",
        "Clwstwr Gorllewin Caerdydd",
        "cardiff",
        (
            ("6802901", "Ysgol Gymraeg Nant y Dderwen", "Ysgol Gymraeg Nant y Dderwen", "welsh"),
            ("6802902", "Oakfield Primary School", "Ysgol Gynradd Oakfield", "english"),
            ("6804903", "Riverside High School", "Ysgol Uwchradd Glan yr Afon", "english"),
        ),
    ),
    (
        "Arfon cluster",
        "Clwstwr Arfon",
        "gwynedd",
        (
            ("6612904", "Ysgol Gynradd Penrhos", "Ysgol Gynradd Penrhos", "welsh"),
            ("6612905", "Ysgol y Gader", "Ysgol y Gader", "welsh"),
            ("6614906", "Ysgol Bro Eryri", "Ysgol Bro Eryri", "bilingual"),
        ),
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("lead@demo.example", "Catrin Jones", "school lead"),
    DemoAccount("colleague@demo.example", "Rhys Evans", "school colleague"),
    DemoAccount("coordinator@demo.example", "Siân Roberts", "cluster coordinator"),
    DemoAccount("admin@demo.example", "Alex Morgan", "national administrator"),
    DemoAccount(
        "la-admin@demo.example", "Gareth Hughes", "local authority administrator (Gwynedd)"
    ),
)
# The local authority the demo's local authority administrator administers.
DEMO_ADMIN_AUTHORITY = "gwynedd"


def demo_password() -> str:
    """WIZARD_DEMO_PASSWORD, or a random password made once and kept in the instance folder."""
    from_env = os.environ.get("WIZARD_DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(current_app.instance_path) / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


# The directory rows are built from the models: the product adds clusters and schools only by
# the CSV import (data/directory.py), and the demo's have fixed names and numbers.
def _cluster(name_en: str, name_cy: str, authority: LocalAuthority) -> Cluster:
    cluster = db.session.scalar(
        select(Cluster).where(
            Cluster.local_authority_id == authority.id, Cluster.name_en == name_en
        )
    )
    if cluster is None:
        cluster = Cluster(name_en=name_en, name_cy=name_cy, local_authority=authority)
        db.session.add(cluster)
    return cluster


def _school(number: str, name_en: str, name_cy: str, medium: str, cluster: Cluster) -> School:
    school = db.session.scalar(select(School).where(School.school_number == number))
    if school is None:
        school = School(
            school_number=number,
            name_en=name_en,
            name_cy=name_cy,
            language_medium=LanguageMedium(medium),
            local_authority=cluster.local_authority,
            cluster=cluster,
        )
        db.session.add(school)
    return school


def _account(account: DemoAccount, password: str) -> User:
    user = db.session.scalar(select(User).where(User.email == account.email))
    if user is None:
        user = User(email=account.email, name=account.name)
        db.session.add(user)
    if not user.password_hash or not check_password(user, password):
        user.password_hash = hash_password(password)
    return user


def seed_demo() -> tuple[str, tuple[DemoAccount, ...]]:
    """Create the demo directory and accounts if missing. Never touches saved answers."""
    load_local_authorities()
    authorities = {a.code: a for a in db.session.scalars(select(LocalAuthority))}
    clusters = []
    schools = []
    for name_en, name_cy, code, members in DEMO_CLUSTERS:
        cluster = _cluster(name_en, name_cy, authorities[code])
        clusters.append(cluster)
        for number, school_en, school_cy, medium in members:
            schools.append(_school(number, school_en, school_cy, medium, cluster))
    db.session.flush()

    password = demo_password()
    lead, colleague, coordinator, admin, authority_admin = (
        _account(a, password) for a in DEMO_ACCOUNTS
    )
    lead.school, lead.is_school_lead = schools[0], True
    colleague.school = schools[0]
    if clusters[0] not in coordinator.coordinated_clusters:
        coordinator.coordinated_clusters.append(clusters[0])
    admin.is_admin = True
    authority_admin.admin_authority_id = authorities[DEMO_ADMIN_AUTHORITY].id
    db.session.commit()
    # The coordinator's cluster gets more schools and their plans (the lead's own is untouched).
    seed_demo_plans(clusters[0], coordinator, academic_year_of(date.today()))
    # Their submitted plans get progress updates through the year (issue 25).
    seed_demo_progress(clusters[0], academic_year_of(date.today()), date.today())
    # The lead's school gets a closed staff voice round with enough responses to show results.
    seed_demo_staff_voice(schools[0], lead, academic_year_of(date.today()))
    # Last year's plans with their year-end reviews: the lead's school and the cluster's.
    seed_demo_year_end(schools[0], lead, clusters[0], coordinator, academic_year_of(date.today()))
    return password, DEMO_ACCOUNTS
