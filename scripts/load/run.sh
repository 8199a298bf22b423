#!/usr/bin/env bash
# `make load`: the service under load, as it runs in production, on this machine only.
#
#  1. a PostgreSQL database of its own (LOAD_DB, default wizard_load), made afresh;
#  2. seeded: seed-wales in the background (LOAD_BACKGROUND schools) and LOAD_SCHOOLS schools
#     whose leads sign in, a password for every coordinator, an administrator;
#  3. `make serve`: nginx on 127.0.0.1:LOAD_PORT in front of gunicorn with 4 workers
#     (LOAD_WORKERS), with Redis
#     for the rate limits and the mail queue (its own key prefix and queue), and `make worker`;
#  4. locust, headless, LOAD_USERS users (spawned LOAD_SPAWN_RATE a second) for LOAD_TIME;
#     with LOAD_KILL_WORKER=1 one gunicorn worker is killed (SIGKILL) halfway; all the while
#     LOAD_SLOW_CLIENTS slow clients (tests/slow_clients.py: headers or a body a byte a second)
#     hold connections open, and a GET every ten seconds checks that the service still answers;
#  5. scripts/load/check.py: every acknowledged save in the database, on the right plan.
#
# The last line printed is "N requests, E errors, L lost or misplaced answers"; the exit status
# is non-zero when E or L is not zero.
set -euo pipefail
cd "$(dirname "$0")/../.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
LOAD_DB="${LOAD_DB:-wizard_load}"
LOAD_PORT="${LOAD_PORT:-5200}"
LOAD_WORKERS="${LOAD_WORKERS:-4}"
LOAD_USERS="${LOAD_USERS:-220}"
LOAD_SPAWN_RATE="${LOAD_SPAWN_RATE:-10}"
LOAD_TIME="${LOAD_TIME:-60s}"
LOAD_SCHOOLS="${LOAD_SCHOOLS:-260}"
LOAD_BACKGROUND="${LOAD_BACKGROUND:-1200}"
LOAD_KILL_WORKER="${LOAD_KILL_WORKER:-0}"
LOAD_SLOW_CLIENTS="${LOAD_SLOW_CLIENTS:-40}"
OUT="${LOAD_OUT:-instance/load}"
if [ "$LOAD_DB" = "test" ]; then echo "LOAD_DB must not be test (CI's database)" >&2; exit 2; fi

mkdir -p "$OUT"
rm -f "$OUT"/*
export DATABASE_URL="postgresql://${PGUSER}@${PGHOST}:${PGPORT}/${LOAD_DB}"
export REDIS_URL="${LOAD_REDIS_URL:-redis://127.0.0.1:6379/0}"
export WIZARD_REDIS_PREFIX="load-${LOAD_DB}"
export WIZARD_MAIL_QUEUE="load-${LOAD_DB}-mail"
export WIZARD_BASE_URL="http://127.0.0.1:${LOAD_PORT}"
export LOAD_PASSWORD="load-test-$(date +%s)-password"
export LOAD_ACCOUNTS="$OUT/accounts.json" LOAD_ACKS="$OUT/acks.json"
export GUNICORN_PIDFILE="$OUT/gunicorn.pid" GUNICORN_ACCESS_LOG="$OUT/access.log"
duration_seconds=$(( ${LOAD_TIME%s} ))

server_pid="" worker_pid="" slow_pid=""
stop() {
    if [ -n "$slow_pid" ]; then
        kill -TERM "$slow_pid" 2>/dev/null || true
        wait "$slow_pid" 2>/dev/null || true
        slow_pid=""
    fi
    if [ -n "$server_pid" ]; then
        kill -TERM "$(cat "$GUNICORN_PIDFILE" 2>/dev/null || echo "$server_pid")" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
    if [ -n "$worker_pid" ]; then
        kill -TERM "$worker_pid" 2>/dev/null || true
        wait "$worker_pid" 2>/dev/null || true
        worker_pid=""
    fi
}
trap stop EXIT

echo "== Database $LOAD_DB, made afresh and seeded"
dropdb --if-exists "$LOAD_DB" >/dev/null 2>&1
createdb "$LOAD_DB"
redis-cli -u "$REDIS_URL" --scan --pattern "*${WIZARD_REDIS_PREFIX}*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null
.venv/bin/flask --app wizard db upgrade >/dev/null 2>&1
.venv/bin/python scripts/load/seed.py --ready "${LOAD_READY:-20}" --background "$LOAD_BACKGROUND" --clusters $(( LOAD_BACKGROUND / 8 + 1 )) \
    --schools "$LOAD_SCHOOLS" --password "$LOAD_PASSWORD" --out "$LOAD_ACCOUNTS"

echo "== make serve: $LOAD_WORKERS gunicorn workers on 127.0.0.1:$LOAD_PORT; make worker"
make --no-print-directory serve WORKERS="$LOAD_WORKERS" HOST=127.0.0.1 PORT="$LOAD_PORT" \
    >"$OUT/serve.log" 2>&1 &
server_pid=$!
.venv/bin/flask --app wizard worker >"$OUT/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:${LOAD_PORT}/readyz" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:${LOAD_PORT}/readyz" >/dev/null

if [ "$LOAD_KILL_WORKER" = "1" ]; then
    (
        sleep $(( duration_seconds / 2 + 10 ))
        master="$(cat "$GUNICORN_PIDFILE")"
        victim="$(pgrep -P "$master" | head -n 1)"
        echo "== Killing gunicorn worker $victim (SIGKILL), halfway through"
        kill -KILL "$victim"
    ) &
fi

if [ "$LOAD_SLOW_CLIENTS" != "0" ]; then
    echo "== $LOAD_SLOW_CLIENTS slow clients hold connections for the whole run"
    .venv/bin/python -m tests.slow_clients "http://127.0.0.1:${LOAD_PORT}/en/" "$LOAD_SLOW_CLIENTS" \
        --hold "$duration_seconds" >"$OUT/slow-clients.log" 2>&1 &
    slow_pid=$!
fi

echo "== locust: $LOAD_USERS users for $LOAD_TIME"
set +e
.venv/bin/locust -f scripts/load/locustfile.py --headless --only-summary \
    --users "$LOAD_USERS" --spawn-rate "$LOAD_SPAWN_RATE" --run-time "$LOAD_TIME" \
    --host "http://127.0.0.1:${LOAD_PORT}" --csv "$OUT/locust" --stop-timeout 60 \
    --exit-code-on-error 0 2>"$OUT/locust.log"
set -e
grep -c "Booting worker" "$OUT/serve.log" | xargs -I{} echo "gunicorn workers started during the run: {}"
if [ -n "$slow_pid" ]; then
    # Its exit status: 0 only when it ran every check and each GET got a 2xx answer (a crash,
    # no check at all, or a GET that failed or timed out is a failure).
    slow_status=0
    wait "$slow_pid" || slow_status=$?
    slow_pid=""
    cat "$OUT/slow-clients.log"
    if [ "$slow_status" != "0" ]; then
        echo "The service did not answer every GET while slow clients held connections" >&2
        slow_failed=1
    fi
fi
stop
trap - EXIT

echo "== Checking the database"
.venv/bin/python scripts/load/check.py "$LOAD_ACKS" "$OUT/locust_stats.csv" "$LOAD_ACCOUNTS"
if [ "${slow_failed:-0}" = "1" ]; then exit 1; fi
