#!/usr/bin/env bash
# Backs up a PostgreSQL database of the service with pg_dump and restores it with pg_restore
# into another, then checks that the restored database holds exactly the same data (the
# administrators' JSON export of both, compared) and that the app starts on it.
#
# It uses two databases of its own, made afresh and dropped afterwards (never `test`):
#   PGHOST=127.0.0.1 PGUSER=postgres bash scripts/backup-restore-check.sh
# Set BACKUP_CHECK_PREFIX to change their names (default: wizard_backup_check).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
prefix="${BACKUP_CHECK_PREFIX:-wizard_backup_check}"
source_db="${prefix}_source"
restored_db="${prefix}_restored"
work="$(mktemp -d)"
flask=(.venv/bin/flask --app wizard)
url() { echo "postgresql://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }

cleanup() {
    dropdb --if-exists "$source_db" 2>/dev/null || true
    dropdb --if-exists "$restored_db" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== A database with data: the demo and 40 schools of seed-wales"
dropdb --if-exists "$source_db"
createdb "$source_db"
export WIZARD_DEMO_PASSWORD="backup-check-$(date +%s)"
DATABASE_URL="$(url "$source_db")" "${flask[@]}" db upgrade >/dev/null 2>&1
DATABASE_URL="$(url "$source_db")" "${flask[@]}" seed-wales --schools 40 --clusters 4
DATABASE_URL="$(url "$source_db")" "${flask[@]}" seed-demo >/dev/null

echo "== Backup: pg_dump --format=custom"
pg_dump --format=custom --no-owner --file "$work/backup.dump" "$source_db"
ls -l "$work/backup.dump"

echo "== Restore: pg_restore into a new, empty database"
dropdb --if-exists "$restored_db"
createdb "$restored_db"
pg_restore --no-owner --exit-on-error --dbname "$restored_db" "$work/backup.dump"
DATABASE_URL="$(url "$restored_db")" "${flask[@]}" db upgrade >/dev/null 2>&1  # nothing to do

echo "== Compare: the JSON export of each (all but the time of export)"
DATABASE_URL="$(url "$source_db")" "${flask[@]}" export-data "$work/source.json"
DATABASE_URL="$(url "$restored_db")" "${flask[@]}" export-data "$work/restored.json"
.venv/bin/python - "$work/source.json" "$work/restored.json" <<'PY'
import json
import sys

source, restored = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3])
for document in (source, restored):
    document.pop("exported_at")
rows = sum(len(t["rows"]) for t in source["tables"].values())
if source != restored:
    differ = [n for n in source["tables"] if source["tables"][n] != restored["tables"].get(n)]
    sys.exit(f"The restored database differs from the backed-up one: {differ}")
print(f"Identical: {rows} rows in {len(source['tables'])} tables.")
PY

echo "== The restored database serves: a new row gets a new id"
DATABASE_URL="$(url "$restored_db")" "${flask[@]}" create-school 9999001 "Backup check school" \
    --authority cardiff >/dev/null
echo "Backup and restore: OK"
