"""Test data: schools, clusters and users made in one line each (complete plans are made by
tests/plans.py, straight through the data layer or through the routes)."""

from __future__ import annotations

import itertools

from flask import Flask

from wizard.data.accounts import hash_password
from wizard.data.database import db
from wizard.data.models import Cluster, LocalAuthority, School, User

PASSWORD = "correct horse battery staple"

# School numbers are unique: the factory counts them out, in a range (9xxxxxx) that no Welsh
# authority's code, the demo's schools or a test's own numbers use. (Random numbers collided
# now and then: 55 schools drawn from 99,999 numbers share one about 1.5% of the time.)
SCHOOL_NUMBERS = itertools.count(9000001)


class Directory:
    """Makes schools, clusters and users for a test."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def authority(self, code: str = "cardiff") -> LocalAuthority:
        authority = db.session.query(LocalAuthority).filter_by(code=code).one()
        return authority

    def cluster(self, name: str = "Test cluster", code: str = "cardiff") -> Cluster:
        cluster = Cluster(
            name_en=name, name_cy=f"Clwstwr {name}", local_authority=self.authority(code)
        )
        db.session.add(cluster)
        db.session.commit()
        return cluster

    def school(
        self,
        name_en: str = "Oakfield Primary School",
        name_cy: str | None = "Ysgol Gynradd Oakfield",
        cluster: Cluster | None = None,
        number: str | None = None,
        code: str = "cardiff",
    ) -> School:
        school = School(
            school_number=number or str(next(SCHOOL_NUMBERS)),
            name_en=name_en,
            name_cy=name_cy,
            local_authority=cluster.local_authority if cluster else self.authority(code),
            cluster=cluster,
        )
        db.session.add(school)
        db.session.commit()
        return school

    def user(
        self,
        email: str = "lead@school.example",
        school: School | None = None,
        lead: bool = False,
        coordinator_of: list[Cluster] | None = None,
        admin: bool = False,
        name: str = "Catrin Jones",
        locale: str | None = None,
        authority_admin: LocalAuthority | None = None,
    ) -> User:
        user = User(
            email=email,
            name=name,
            password_hash=hash_password(PASSWORD),
            school=school,
            is_school_lead=lead,
            is_admin=admin,
            locale=locale,
            admin_authority_id=authority_admin.id if authority_admin else None,
        )
        user.coordinated_clusters = list(coordinator_of or [])
        db.session.add(user)
        db.session.commit()
        return user
