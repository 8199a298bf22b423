"""Administrator commands: `flask --app wizard <command>`."""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from wizard.data.accounts import hash_password
from wizard.data.backup import ImportRefused, export_data, import_data
from wizard.data.database import db
from wizard.data.directory import find_local_authority, import_schools, load_local_authorities
from wizard.data.models import (
    Cluster,
    LanguageMedium,
    LocalAuthority,
    RegionalPartnership,
    School,
    User,
)
from wizard.data.privacy import erase_person, export_person, holds_anything
from wizard.data.retention import Purged, purge_expired
from wizard.domain.academic_year import academic_year_of, year_label
from wizard.domain.inputs import normalise_email
from wizard.domain.school_list import Problem
from wizard.render.pdf import clear_pdf_cache
from wizard.seed.demo import seed_demo
from wizard.seed.wales import has_schools, seed_wales
from wizard.services import administration
from wizard.services.deadlines import send_reminders
from wizard.services.outbox import mail_queue, sweep
from wizard.web.assets import build_static


def _authority(value: str) -> LocalAuthority:
    authority = find_local_authority(value)
    if authority is None:
        raise click.BadParameter(f"no local authority called {value!r}", param_hint="--authority")
    return authority


def _cluster(value: str) -> Cluster:
    found = list(db.session.scalars(select(Cluster).where(Cluster.name_en == value)))
    if len(found) != 1:
        problem = "no cluster" if not found else "more than one cluster"
        raise click.BadParameter(f"{problem} called {value!r}")
    return found[0]


@click.command("load-local-authorities")
@with_appcontext
def load_local_authorities_command() -> None:
    """Create the 22 local authorities of Wales (safe to run again)."""
    added = load_local_authorities()
    click.echo(f"Local authorities: {added} added, {22 - added} already there.")


@click.command("create-partnership")
@with_appcontext
@click.argument("name_en")
@click.argument("name_cy")
@click.option("--authority", "authorities", multiple=True, help="Code or name; repeatable.")
def create_partnership(name_en: str, name_cy: str, authorities: tuple[str, ...]) -> None:
    """Create a regional partnership and attach local authorities to it."""
    partnership = RegionalPartnership(name_en=name_en, name_cy=name_cy)
    db.session.add(partnership)
    for value in authorities:
        _authority(value).partnership = partnership
    db.session.commit()
    click.echo(f"Created partnership {name_en} ({len(authorities)} local authorities).")


@click.command("create-local-authority")
@with_appcontext
@click.argument("code")
@click.argument("name_en")
@click.argument("name_cy")
def create_local_authority(code: str, name_en: str, name_cy: str) -> None:
    """Create a local authority (the 22 come from load-local-authorities)."""
    db.session.add(LocalAuthority(code=code, name_en=name_en, name_cy=name_cy))
    db.session.commit()
    click.echo(f"Created local authority {name_en}.")


@click.command("create-cluster")
@with_appcontext
@click.argument("name_en")
@click.option("--name-cy", default=None, help="Welsh name of the cluster.")
@click.option("--authority", required=True, help="Local authority code or name.")
def create_cluster(name_en: str, name_cy: str | None, authority: str) -> None:
    """Create a cluster of schools within a local authority."""
    db.session.add(Cluster(name_en=name_en, name_cy=name_cy, local_authority=_authority(authority)))
    db.session.commit()
    click.echo(f"Created cluster {name_en}.")


@click.command("create-school")
@with_appcontext
@click.argument("school_number")
@click.argument("name_en")
@click.option("--name-cy", default=None)
@click.option("--authority", required=True, help="Local authority code or name.")
@click.option("--cluster", default=None, help="English name of the cluster.")
@click.option(
    "--medium",
    type=click.Choice([m.value for m in LanguageMedium]),
    default=LanguageMedium.ENGLISH.value,
)
def create_school(
    school_number: str,
    name_en: str,
    name_cy: str | None,
    authority: str,
    cluster: str | None,
    medium: str,
) -> None:
    """Create a school."""
    if not (school_number.isdigit() and len(school_number) == 7):
        raise click.BadParameter("the school number must be 7 digits")
    school = School(
        school_number=school_number,
        name_en=name_en,
        name_cy=name_cy,
        language_medium=medium,
        local_authority=_authority(authority),
        cluster=_cluster(cluster) if cluster else None,
    )
    db.session.add(school)
    db.session.commit()
    click.echo(f"Created school {name_en} ({school_number}).")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.argument("name")
@click.option("--school", "school_number", default=None, help="School number (7 digits).")
@click.option("--lead", is_flag=True, help="Make the user their school's lead.")
@click.option("--coordinator-of", "clusters", multiple=True, help="Cluster name; repeatable.")
@click.option("--admin", is_flag=True, help="Make the user a national administrator.")
@click.option(
    "--authority-admin",
    "authority_admin",
    default=None,
    help="Make the user the administrator of this local authority (code or name).",
)
@click.password_option(envvar="WIZARD_NEW_USER_PASSWORD", help="Prompted for if not given.")
def create_user(
    email: str,
    name: str,
    school_number: str | None,
    lead: bool,
    clusters: tuple[str, ...],
    admin: bool,
    authority_admin: str | None,
    password: str,
) -> None:
    """Create an account: a school member, a coordinator, a national administrator or a local
    authority's administrator."""
    if len(password) < 12:
        raise click.BadParameter("the password must be at least 12 characters")
    school = None
    if school_number:
        school = db.session.scalar(select(School).where(School.school_number == school_number))
        if school is None:
            raise click.BadParameter(f"no school numbered {school_number}")
    if lead and school is None:
        raise click.BadParameter("--lead needs --school")
    user = User(
        email=normalise_email(email),
        name=name,
        password_hash=hash_password(password),
        school=school,
        is_school_lead=lead,
        is_admin=admin,
        admin_authority_id=_authority(authority_admin).id if authority_admin else None,
    )
    user.coordinated_clusters = [_cluster(value) for value in clusters]
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created account {user.email}.")


@click.command("import-schools")
@with_appcontext
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_schools_command(csv_file: Path) -> None:
    """Import schools from a CSV file (all rows or none).

    Columns: school_number, name_en, name_cy, local_authority, cluster, language_medium.
    """
    try:
        text = csv_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException("the file is not UTF-8 text") from error
    report = import_schools(text)
    if report.errors:
        for problem in report.errors:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"Nothing was imported: {len(report.errors)} problem(s) found.")
    click.echo(
        f"Imported schools: {report.created} created, {report.updated} updated, "
        f"{report.clusters_created} clusters created."
    )


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        where = f"sheet {problem.sheet!r}, row {problem.row}, column {problem.column!r}: "
        click.echo(
            f"  {where if problem.row else ''}{problem.kind.value} {problem.value!r}", err=True
        )
    raise click.ClickException(f"Nothing was changed: {len(problems)} problem(s) found.")


@click.command("import-school-list")
@with_appcontext
@click.argument("list_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--welsh-names",
    "welsh_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or spreadsheet with School Number and Welsh Name.",
)
@click.option("--authority", default=None, help="Change only this local authority's schools.")
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (else only show them).")
def import_school_list_command(
    list_file: Path, welsh_file: Path | None, authority: str | None, apply_: bool
) -> None:
    """Welsh Government's "Address list of schools" (XLSX or ODS, as published): show what it
    would change, and with --apply change it (all or nothing). Schools no longer listed are
    closed, never deleted."""
    preview = administration.preview_school_list(
        list_file.read_bytes(),
        list_file.name,
        welsh_file.read_bytes() if welsh_file else None,
        _authority(authority) if authority else None,
        "en",
    )
    if preview.problems:
        _print_problems(preview.problems)
    changes = preview.changes
    click.echo(
        f"{len(changes.new)} new, {len(changes.renamed)} renamed, {len(changes.moved)} moved "
        f"authority, {len(changes.closed)} closed, {len(changes.reopened)} reopened, "
        f"{len(changes.welsh_named)} Welsh names, {changes.unchanged} unchanged."
    )
    if apply_:
        administration.apply_preview(preview, None, date.today())
        click.echo("Applied.")
    else:
        click.echo("Nothing changed yet: run again with --apply to apply.")


@click.command("import-clusters")
@with_appcontext
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--authority", required=True, help="The local authority (code or name).")
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (else only show them).")
def import_clusters_command(csv_file: Path, authority: str, apply_: bool) -> None:
    """A local authority's clusters from CSV (School Number, Cluster Name (English), Cluster
    Name (Welsh)): show what it would change, and with --apply change it (all or nothing)."""
    preview = administration.preview_clusters(
        csv_file.read_bytes(), csv_file.name, _authority(authority)
    )
    if preview.problems:
        _print_problems(preview.problems)
    click.echo(
        f"{len(preview.new_clusters)} new clusters, {len(preview.moves)} schools change cluster."
    )
    if apply_:
        administration.apply_cluster_preview(preview, None)
        click.echo("Applied.")
    else:
        click.echo("Nothing changed yet: run again with --apply to apply.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo directory and accounts (keeps anything already saved)."""
    password, accounts = seed_demo()
    click.echo(f"Demo sign-ins (password for all: {password})")
    for account in accounts:
        click.echo(f"  {account.email:<28} {account.role}")


@click.command("seed-wales")
@with_appcontext
@click.option("--schools", default=1500, show_default=True, type=click.IntRange(1, 20000))
@click.option("--clusters", default=200, show_default=True, type=click.IntRange(1, 2000))
@click.option(
    "--drafts",
    default=0.1,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Fraction of plans reopened as a draft after their first submission.",
)
@click.option("--seed", default=2026, show_default=True, help="Seed of the random generator.")
@click.option("--force", is_flag=True, help="Run even if the database already has schools.")
def seed_wales_command(schools: int, clusters: int, drafts: float, seed: int, force: bool) -> None:
    """Fill the database with the scale of Wales: every school with a submitted plan."""
    if has_schools() and not force:
        raise click.ClickException(
            "The database already has schools: use an empty database, or --force to add more."
        )
    year = academic_year_of(date.today())
    report = seed_wales(schools, clusters, drafts, year, seed=seed)
    click.echo(
        f"Seeded {year_label(year)}: {report.authorities} local authorities, "
        f"{report.clusters} clusters, {report.schools} schools, {report.versions} submitted "
        f"versions ({report.drafts} reopened as drafts), {report.facts} facts, "
        f"{report.year_end_reviews} year-end reviews in {report.seconds:.1f} s."
    )


@click.command("build-static")
@with_appcontext
def build_static_command() -> None:
    """Build the fingerprinted, gzip and Brotli copies of static/ that the app serves."""
    destination = Path(current_app.config["STATIC_BUILD_DIR"])
    manifest = build_static(destination)
    click.echo(f"Built {len(manifest)} static files into {destination}.")


@click.command("export-data")
@with_appcontext
@click.argument("json_file", type=click.Path(dir_okay=False, path_type=Path))
def export_data_command(json_file: Path) -> None:
    """Write every school, account, plan, version, comment and share link (hashes only) as
    JSON; `-` writes to standard output."""
    document = export_data()
    rows = sum(len(table["rows"]) for table in document["tables"].values())
    if str(json_file) == "-":
        click.echo(json.dumps(document, ensure_ascii=False))
        return
    # Personal data and password hashes: readable by its owner only.
    json_file.touch(mode=0o600, exist_ok=True)
    json_file.chmod(0o600)
    with json_file.open("w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False)
    click.echo(f"Exported {rows} rows of {len(document['tables'])} tables to {json_file}.")


@click.command("import-data")
@with_appcontext
@click.argument("json_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_data_command(json_file: Path) -> None:
    """Load an export into an empty, migrated database (all rows or none)."""
    try:
        document = json.loads(json_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{json_file} is not JSON: {error}") from error
    try:
        report = import_data(document)
    except ImportRefused as refused:
        raise click.ClickException(f"Nothing was imported: {refused}") from refused
    click.echo(f"Imported {report.total} rows into {len(report.rows)} tables.")


def _write_private_json(document: object, json_file: Path) -> None:
    """Write JSON readable by its owner only (personal data); `-` is standard output."""
    if str(json_file) == "-":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    json_file.touch(mode=0o600, exist_ok=True)
    json_file.chmod(0o600)
    with json_file.open("w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=2)


@click.command("export-person")
@with_appcontext
@click.argument("email")
@click.argument("json_file", type=click.Path(dir_okay=False, path_type=Path), default="-")
def export_person_command(email: str, json_file: Path) -> None:
    """Subject access: write everything held about the person with this EMAIL as JSON
    (to JSON_FILE, made 0600, or standard output)."""
    document = export_person(email)
    if not holds_anything(document):
        raise click.ClickException(f"Nothing is held about {email!r}.")
    _write_private_json(document, json_file)
    if str(json_file) != "-":
        click.echo(f"Wrote what is held about {email} to {json_file}.")


@click.command("erase-person")
@with_appcontext
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_person_command(email: str, yes: bool) -> None:
    """Erasure: remove the account with this EMAIL, its sessions, sign-in records, links and
    emails; comments, plans and the audit trail stay, without the person's name or email."""
    if not holds_anything(export_person(email)):
        raise click.ClickException(f"Nothing is held about {email!r}.")
    if not yes:
        click.confirm(f"Erase {email}? This cannot be undone", abort=True)
    erased = erase_person(email)
    counts = ", ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in erased.counts().items()
    )
    # Kept PDFs and Word files of submitted versions may name the person: they are made again
    # when asked for.
    pdfs = clear_pdf_cache()
    click.echo(f"Erased {email} ({counts}; kept PDFs and Word files deleted: {pdfs}).")


@click.command("send-mail")
@with_appcontext
@click.option(
    "--older-than",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Only emails written at least this many seconds ago.",
)
def send_mail_command(older_than: int) -> None:
    """Send every unsent email in the outbox (or queue them, with REDIS_URL)."""
    count = sweep(older_than)
    click.echo(f"{count} unsent emails taken up.")


@click.command("send-reminders")
@with_appcontext
@click.option(
    "--on",
    "on",
    default=None,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to remind for (YYYY-MM-DD; today in Wales unless given).",
)
def send_reminders_command(on: object) -> None:
    """Email the schools that have not submitted their plan (or their year-end review) a
    reminder of their cluster's deadline, WIZARD_REMINDER_DAYS_BEFORE days before it and on the
    day (once each, however often it runs); for cron, when no `make worker` runs it."""
    day = on.date() if hasattr(on, "date") else None
    count = send_reminders(day)
    # One for each school and deadline: a school due both its plan and its review gets two.
    click.echo(f"{count} reminders sent.")


def _purged_report(purged: Purged) -> str:
    return (
        f"Deleted {purged.total} rows past their retention period: "
        f"{purged.sessions} sessions, {purged.sign_in_attempts} sign-in attempts, "
        f"{purged.account_events} records of signing in, passwords and invitations in the audit trail, "
        f"{purged.sent_emails} sent emails, {purged.password_resets} password reset links, "
        f"{purged.invitations} invitations, "
        f"{purged.pending_uploads} spreadsheets uploaded for an import."
    )


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Delete what is past its retention period (RETENTION_*_DAYS); for cron, when no
    `make worker` runs the sweep."""
    click.echo(_purged_report(purge_expired(current_app.config)))


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option(
    "--sweep-every",
    default=60,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds between looks for unsent emails whose job was lost.",
)
def worker_command(burst: bool, sweep_every: int) -> None:
    """Run the mail queue's RQ worker (needs REDIS_URL).

    It works the queue, runs the retries RQ scheduled, and every `--sweep-every` seconds takes
    up unsent emails whose job is gone (Redis lost it) or failed every retry long ago. Every
    REMINDER_SWEEP_SECONDS it reminds schools of their cluster's deadline (`send-reminders`),
    and every RETENTION_SWEEP_SECONDS it deletes what is past its retention period
    (`purge-expired`).
    """
    from rq import SimpleWorker

    queue = mail_queue()
    if queue is None:
        raise click.ClickException("REDIS_URL is not set: emails are sent by the web processes.")
    patience = 60  # seconds: an email just written has its job on the way
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def sweeping() -> None:
        while True:
            with app.app_context():
                try:
                    sweep(patience)
                except Exception:  # the database or Redis away: try again next time
                    app.logger.exception("The sweep of unsent emails failed")
            time.sleep(sweep_every)

    def reminding() -> None:
        while True:
            with app.app_context():
                try:
                    send_reminders()
                except Exception:  # the database away: try again next time
                    app.logger.exception("The deadline reminders failed")
            time.sleep(int(app.config["REMINDER_SWEEP_SECONDS"]))

    def purging() -> None:
        while True:
            with app.app_context():
                try:
                    app.logger.info(_purged_report(purge_expired(app.config)))
                except Exception:  # the database away: try again next time
                    app.logger.exception("The retention sweep failed")
            time.sleep(int(app.config["RETENTION_SWEEP_SECONDS"]))

    if burst:
        sweep(patience)
        send_reminders()
        click.echo(_purged_report(purge_expired(app.config)))
    else:
        threading.Thread(target=sweeping, name="outbox-sweep", daemon=True).start()
        threading.Thread(target=reminding, name="deadline-reminders", daemon=True).start()
        threading.Thread(target=purging, name="retention-sweep", daemon=True).start()
    click.echo(f"Working the queue {queue.name!r}; Ctrl-C stops.")
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


COMMANDS = (
    build_static_command,
    load_local_authorities_command,
    create_partnership,
    create_local_authority,
    create_cluster,
    create_school,
    create_user,
    import_schools_command,
    import_school_list_command,
    import_clusters_command,
    seed_demo_command,
    seed_wales_command,
    send_mail_command,
    send_reminders_command,
    purge_expired_command,
    export_person_command,
    erase_person_command,
    export_data_command,
    import_data_command,
    worker_command,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
