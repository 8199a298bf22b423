"""The directory of Wales: local authorities, clusters and schools, and the CSV import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wizard.data.database import db, hold_start_up_lock
from wizard.data.models import Cluster, LanguageMedium, LocalAuthority, School, coordinator_cluster
from wizard.domain.collation import in_order

# The 22 principal local authorities of Wales: (code, English name, Welsh name).
# Source: Welsh Government list of unitary authorities, with the short Welsh names of the
# ISO 3166-2:GB list (see research/content.md, section 7).
LOCAL_AUTHORITIES: tuple[tuple[str, str, str], ...] = (
    ("blaenau-gwent", "Blaenau Gwent", "Blaenau Gwent"),
    ("bridgend", "Bridgend", "Pen-y-bont ar Ogwr"),
    ("caerphilly", "Caerphilly", "Caerffili"),
    ("cardiff", "Cardiff", "Caerdydd"),
    ("carmarthenshire", "Carmarthenshire", "Sir Gaerfyrddin"),
    ("ceredigion", "Ceredigion", "Ceredigion"),
    ("conwy", "Conwy", "Conwy"),
    ("denbighshire", "Denbighshire", "Sir Ddinbych"),
    ("flintshire", "Flintshire", "Sir y Fflint"),
    ("gwynedd", "Gwynedd", "Gwynedd"),
    ("isle-of-anglesey", "Isle of Anglesey", "Ynys Môn"),
    ("merthyr-tydfil", "Merthyr Tydfil", "Merthyr Tudful"),
    ("monmouthshire", "Monmouthshire", "Sir Fynwy"),
    ("neath-port-talbot", "Neath Port Talbot", "Castell-nedd Port Talbot"),
    ("newport", "Newport", "Casnewydd"),
    ("pembrokeshire", "Pembrokeshire", "Sir Benfro"),
    ("powys", "Powys", "Powys"),
    ("rhondda-cynon-taf", "Rhondda Cynon Taf", "Rhondda Cynon Taf"),
    ("swansea", "Swansea", "Abertawe"),
    ("torfaen", "Torfaen", "Torfaen"),
    ("vale-of-glamorgan", "Vale of Glamorgan", "Bro Morgannwg"),
    ("wrexham", "Wrexham", "Wrecsam"),
)


def load_local_authorities() -> int:
    """Create any of the 22 local authorities that are missing; return how many were added.
    Hosts starting at once take turns, so the second finds them all there."""
    hold_start_up_lock()
    existing = set(db.session.scalars(select(LocalAuthority.code)))
    added = 0
    for code, name_en, name_cy in LOCAL_AUTHORITIES:
        if code not in existing:
            db.session.add(LocalAuthority(code=code, name_en=name_en, name_cy=name_cy))
            added += 1
    db.session.commit()
    return added


def find_local_authority(value: str) -> LocalAuthority | None:
    """Find an authority by code or by its English or Welsh name, ignoring case."""
    wanted = value.strip().lower()
    for authority in db.session.scalars(select(LocalAuthority)):
        if wanted in (authority.code, authority.name_en.lower(), authority.name_cy.lower()):
            return authority
    return None


CSV_COLUMNS = (
    "school_number",
    "name_en",
    "name_cy",
    "local_authority",
    "cluster",
    "language_medium",
)
MEDIUMS = {medium.value for medium in LanguageMedium}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    clusters_created: int = 0
    errors: list[str] = field(default_factory=list)


def _check_row(line: int, row: dict[str, str], seen: set[str]) -> list[str]:
    problems = []
    number = row["school_number"]
    if not number.isdigit() or len(number) != 7:
        problems.append(f"line {line}: school_number must be 7 digits, got {number!r}")
    elif number in seen:
        problems.append(f"line {line}: school_number {number} appears more than once")
    if not row["name_en"]:
        problems.append(f"line {line}: name_en is empty")
    for column in ("name_en", "name_cy", "cluster"):
        if len(row[column]) > 200:
            problems.append(f"line {line}: {column} is longer than 200 characters")
    if row["language_medium"] and row["language_medium"] not in MEDIUMS:
        problems.append(
            f"line {line}: language_medium must be one of {', '.join(sorted(MEDIUMS))}, "
            f"got {row['language_medium']!r}"
        )
    return problems


def import_schools(text: str) -> ImportReport:
    """Create or update schools from CSV text. Any bad row means nothing is imported."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(f"missing columns: {', '.join(missing)}")
        return report
    rows = _checked_rows(reader, report)
    if report.errors:
        return report
    if not rows:
        report.errors.append("the file has no schools in it")
        return report
    _write_schools(rows, report)
    db.session.commit()
    return report


def _checked_rows(
    reader: csv.DictReader[str], report: ImportReport
) -> list[tuple[dict[str, str], LocalAuthority]]:
    """Every row with its local authority, once checked; each problem goes into the report."""
    authorities = list(db.session.scalars(select(LocalAuthority)))
    rows: list[tuple[dict[str, str], LocalAuthority]] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in CSV_COLUMNS}
        problems = _check_row(line, row, seen)
        seen.add(row["school_number"])
        authority = _authority_named(row["local_authority"], authorities)
        if authority is None:
            problems.append(f"line {line}: unknown local_authority {row['local_authority']!r}")
        report.errors.extend(problems)
        if not problems and authority is not None:
            rows.append((row, authority))
    return rows


def _authority_named(value: str, authorities: list[LocalAuthority]) -> LocalAuthority | None:
    """The authority whose code, or English or Welsh name, the value is (ignoring case)."""
    wanted = value.lower()
    return next(
        (a for a in authorities if wanted in (a.code, a.name_en.lower(), a.name_cy.lower())),
        None,
    )


def _write_schools(rows: list[tuple[dict[str, str], LocalAuthority]], report: ImportReport) -> None:
    """Create or update each row's school, and its cluster when the authority has none of that
    name yet; the report counts what was made."""
    clusters = {(c.local_authority_id, c.name_en): c for c in db.session.scalars(select(Cluster))}
    schools = {s.school_number: s for s in db.session.scalars(select(School))}
    for row, authority in rows:
        cluster = None
        if row["cluster"]:
            key = (authority.id, row["cluster"])
            cluster = clusters.get(key)
            if cluster is None:
                cluster = clusters[key] = Cluster(name_en=row["cluster"], local_authority=authority)
                db.session.add(cluster)
                report.clusters_created += 1
        school = schools.get(row["school_number"])
        if school is None:
            school = School(school_number=row["school_number"])
            db.session.add(school)
            report.created += 1
        else:
            report.updated += 1
        school.name_en = row["name_en"]
        school.name_cy = row["name_cy"] or None
        school.local_authority = authority
        school.cluster = cluster
        school.language_medium = row["language_medium"] or LanguageMedium.ENGLISH


def clusters_coordinated_by(user_id: int, locale: str) -> list[Cluster]:
    """The coordinator's clusters, with their schools and local authority loaded, in the
    alphabetical order of their names in `locale`."""
    found = db.session.scalars(
        select(Cluster)
        .join(coordinator_cluster, coordinator_cluster.c.cluster_id == Cluster.id)
        .where(coordinator_cluster.c.user_id == user_id)
        .options(selectinload(Cluster.schools), selectinload(Cluster.local_authority))
    )
    return in_order(found, lambda cluster: cluster_name(cluster, locale), locale)


def cluster_name(cluster: Cluster, locale: str) -> str:
    """The cluster's name in `locale` (its English name where it has no Welsh one)."""
    return (cluster.name_cy or cluster.name_en) if locale == "cy" else cluster.name_en


def coordinates_school(user_id: int, school_id: int) -> bool:
    """Whether the user coordinates the cluster the school belongs to (one query)."""
    found = db.session.scalar(
        select(School.id)
        .join(coordinator_cluster, coordinator_cluster.c.cluster_id == School.cluster_id)
        .where(School.id == school_id, coordinator_cluster.c.user_id == user_id)
    )
    return found is not None


def coordinates_school_in(user_id: int, school_id: int, cluster_id: int) -> bool:
    """Whether the school belongs to that cluster and the user coordinates it (one query)."""
    found = db.session.scalar(
        select(School.id)
        .join(coordinator_cluster, coordinator_cluster.c.cluster_id == School.cluster_id)
        .where(
            School.id == school_id,
            School.cluster_id == cluster_id,
            coordinator_cluster.c.user_id == user_id,
        )
    )
    return found is not None


def authority_of_school_in(school_id: int, cluster_id: int, code: str) -> int | None:
    """The id of the local authority (by its code) whose cluster the school belongs to, if the
    school is in that cluster and the cluster that authority's (one query)."""
    return db.session.scalar(
        select(LocalAuthority.id)
        .join(Cluster, Cluster.local_authority_id == LocalAuthority.id)
        .join(School, School.cluster_id == Cluster.id)
        .where(School.id == school_id, Cluster.id == cluster_id, LocalAuthority.code == code)
    )
