#!/usr/bin/env bash
# `make load-multihost`: the service as several machines run it, on this machine only, with
# faults. Everything is made for the run and removed after it; nothing shared is touched.
#
#  1. a PostgreSQL cluster of its own (initdb and pg_ctl from /usr/lib/postgresql, in a temporary
#     folder, on a free port), a Redis of its own (append-only file on), a mail server that keeps
#     every message (scripts/load/smtp_sink.py), and a self-signed certificate (openssl);
#  2. two app hosts, a and b (scripts/load/host.sh: each its own instance folder, migrations,
#     nginx in front of 2 gunicorn workers, and its own mail worker), started at the same moment
#     on the empty database, in production mode with one SECRET_KEY;
#  3. nginx as the balancer in front of them, terminating TLS (deploy/nginx/balancer.conf.j2);
#  4. the database seeded (scripts/load/seed.py), then locust through the balancer, LOAD_USERS
#     users for LOAD_TIME, while: host a is killed (SIGKILL) and started again; host b is stopped
#     (SIGTERM, it drains) and started again; Redis is stopped for 10 s; PostgreSQL is restarted;
#  5. once the outbox is empty (the sweep re-sends what Redis lost), the checks: every
#     acknowledged write in the database, no email sent twice.
#
# Printed: each phase's requests and errors, then "N requests, E errors, L lost or misplaced
# answers" and "D duplicate emails". The exit status is non-zero when L or D is not zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
BIN="$ROOT/.venv/bin"

LOAD_USERS="${LOAD_USERS:-50}"
LOAD_SPAWN_RATE="${LOAD_SPAWN_RATE:-10}"
# The faults come at 15, 35, 55 and 75% of the run, each after the previous one is over: on a
# small machine a host takes 10 to 20 s to start, so the run needs about 2 minutes at least.
LOAD_TIME="${LOAD_TIME:-180s}"
LOAD_SCHOOLS="${LOAD_SCHOOLS:-$(( LOAD_USERS + 40 ))}"
LOAD_BACKGROUND="${LOAD_BACKGROUND:-300}"
OUT="$(mkdir -p "${LOAD_OUT:-instance/load-multihost}" && cd "${LOAD_OUT:-instance/load-multihost}" && pwd)"
duration=$(( ${LOAD_TIME%s} ))
rm -rf "${OUT:?}"/*
mkdir -p "$OUT/tls" "$OUT/redis" "$OUT/balancer"

free_port() { "$BIN/python" scripts/nginx_conf.py free-port; }
say() { echo "== $(date -u +%H:%M:%S) $*"; }
phase() { printf '%s\t%s\n' "$(date +%s)" "$1" >>"$OUT/phases.tsv"; say "$1"; }
# The balancer leaves a host out for fail_timeout (5 s) after it failed: a host is back in
# rotation that long after it answers again.
back_in_rotation() { wait_for "http://127.0.0.1:${HOST_PORT[$1]}/healthz" 180 && sleep 6; }
wait_for() {  # URL [seconds]: until it answers 200
    for _ in $(seq 1 $(( ${2:-90} * 2 ))); do
        curl -fsk -o /dev/null "$1" && return 0
        sleep 0.5
    done
    echo "no answer from $1" >&2
    return 1
}

# --- PostgreSQL of its own: initdb refuses root, so as the postgres user when run as root.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
RUN_DIR="$(mktemp -d /tmp/wizard-multihost.XXXXXX)"
chmod 755 "$RUN_DIR"
PGDATA="$RUN_DIR/pg"
mkdir -m 700 "$PGDATA"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$RUN_DIR" "$PGDATA"
PG_PORT="$(free_port)"
PG_OPTS="-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=60"
pg() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$RUN_DIR/postgres.log" -w -t 60 "$@" >/dev/null; }

REDIS_PORT="$(free_port)" SMTP_PORT="$(free_port)" LB_PORT="$(free_port)"
declare -A HOST_PORT=([a]="$(free_port)" [b]="$(free_port)") HOST_PID=()
redis_pid="" sink_pid="" balancer_pid="" locust_pid=""

start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$OUT/redis" --appendonly yes \
        --save "" --daemonize no --logfile "$OUT/redis.log" &
    redis_pid=$!
    for _ in $(seq 1 60); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.5; done
    return 1
}
stop_redis() { kill -TERM "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; redis_pid=""; }

start_host() {  # a or b: a session of its own, so that SIGKILL takes all of it, as a machine dies
    local dir="$OUT/host-$1"
    mkdir -p "$dir"
    WIZARD_INSTANCE_PATH="$dir" HOST=127.0.0.1 PORT="${HOST_PORT[$1]}" WORKERS=2 BIN="$BIN" \
        GUNICORN_ACCESS_LOG="$dir/access.log" setsid bash scripts/load/host.sh >>"$dir/host.log" 2>&1 &
    HOST_PID[$1]=$!
}
stop_host() {  # a or b, and the signal
    local pid="${HOST_PID[$1]:-}"
    [ -n "$pid" ] || return 0
    if [ "$2" = KILL ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    HOST_PID[$1]=""
}

cleanup() {
    set +e
    [ -n "$locust_pid" ] && kill -TERM "$locust_pid" 2>/dev/null && wait "$locust_pid" 2>/dev/null
    for name in a b; do
        [ -n "${HOST_PID[$name]:-}" ] && stop_host "$name" TERM
    done
    [ -n "$balancer_pid" ] && kill -QUIT "$balancer_pid" 2>/dev/null && wait "$balancer_pid" 2>/dev/null
    [ -n "$sink_pid" ] && kill -TERM "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
    [ -n "$redis_pid" ] && stop_redis
    pg stop -m fast 2>/dev/null
    cp "$RUN_DIR/postgres.log" "$OUT/postgres.log" 2>/dev/null
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

say "PostgreSQL of its own on port $PG_PORT, Redis on $REDIS_PORT, a mail server on $SMTP_PORT"
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
pg -o "$PG_OPTS" start
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres wizard
start_redis
"$BIN/python" scripts/load/smtp_sink.py "$SMTP_PORT" "$OUT/emails.jsonl" &
sink_pid=$!
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$OUT/tls/key.pem" -out "$OUT/tls/cert.pem" 2>/dev/null

export DATABASE_URL="postgresql://postgres@127.0.0.1:${PG_PORT}/wizard"
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0" WIZARD_REDIS_PREFIX="multihost" WIZARD_MAIL_QUEUE="multihost-mail"
export WIZARD_ENV=production SECRET_KEY="$(openssl rand -hex 32)" WIZARD_BASE_URL="https://127.0.0.1:${LB_PORT}"
# The balancer is the one proxy in front of each host's nginx, from 127.0.0.1 here.
export WIZARD_TRUSTED_PROXIES=1 WIZARD_TRUSTED_PROXY_ADDRESSES=127.0.0.1
export MAIL_SERVER=127.0.0.1 MAIL_PORT="$SMTP_PORT" MAIL_FROM=no-reply@planner.example
export LOAD_PASSWORD="load-test-$(date +%s)-password"
export LOAD_ACCOUNTS="$OUT/accounts.json" LOAD_ACKS="$OUT/acks.json"

say "Hosts a (port ${HOST_PORT[a]}) and b (port ${HOST_PORT[b]}) starting at the same moment on the empty database"
start_host a
start_host b
wait_for "http://127.0.0.1:${HOST_PORT[a]}/healthz" 180
wait_for "http://127.0.0.1:${HOST_PORT[b]}/healthz" 180
"$BIN/python" scripts/nginx_conf.py balancer --listen "127.0.0.1:$LB_PORT" --prefix "$OUT/balancer" \
    --backend "127.0.0.1:${HOST_PORT[a]}" --backend "127.0.0.1:${HOST_PORT[b]}" \
    --certificate "$OUT/tls/cert.pem" --certificate-key "$OUT/tls/key.pem" \
    --error-log "$OUT/balancer/error.log warn" >/dev/null
nginx -p "$OUT/balancer" -c "$OUT/balancer/nginx.conf" -g 'daemon off;' &
balancer_pid=$!
wait_for "https://127.0.0.1:${LB_PORT}/healthz"
say "The balancer: https://127.0.0.1:$LB_PORT/ (TLS), round robin over both hosts"

say "Seeding: $LOAD_BACKGROUND schools in the background, $LOAD_SCHOOLS for the users"
"$BIN/python" scripts/load/seed.py --ready "${LOAD_READY:-10}" --background "$LOAD_BACKGROUND" \
    --clusters $(( LOAD_BACKGROUND / 8 + 1 )) --schools "$LOAD_SCHOOLS" --password "$LOAD_PASSWORD" \
    --out "$LOAD_ACCOUNTS" >"$OUT/seed.log" 2>&1

say "locust: $LOAD_USERS users for $LOAD_TIME through the balancer"
: >"$OUT/phases.tsv"
"$BIN/locust" -f scripts/load/locustfile.py --headless --only-summary \
    --users "$LOAD_USERS" --spawn-rate "$LOAD_SPAWN_RATE" --run-time "$LOAD_TIME" \
    --host "https://127.0.0.1:${LB_PORT}" --csv "$OUT/locust" --stop-timeout 60 \
    --exit-code-on-error 0 >"$OUT/locust.log" 2>&1 &
locust_pid=$!
started=$(date +%s)
at() {  # wait until this fraction (percent) of the run
    local when=$(( started + duration * $1 / 100 ))
    while [ "$(date +%s)" -lt "$when" ]; do sleep 0.5; done
}
phase "steady: both hosts, Redis and PostgreSQL up"
at 15
phase "host a killed (SIGKILL), started again"
stop_host a KILL
sleep 3
start_host a
back_in_rotation a
at 35
phase "host b stopped (SIGTERM, draining), started again"
stop_host b TERM
start_host b
back_in_rotation b
at 55
phase "Redis stopped for 10 s, started again"
stop_redis
sleep 10
start_redis
at 75
phase "PostgreSQL restarted"
pg -m fast -o "$PG_OPTS" restart
at 85
if ! kill -0 "$locust_pid" 2>/dev/null; then
    echo "The users stopped before the faults were over: make LOAD_TIME longer" >&2
    exit 2
fi
phase "after the faults"
wait "$locust_pid" || true
locust_pid=""
phase "end"

say "Waiting for the outbox to empty (the sweep re-sends what Redis lost; at most 240 s)"
unsent() {
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d wizard -tAc \
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
}
waited=0
while [ "$(unsent)" != "0" ] && [ "$waited" -lt 240 ]; do sleep 5; waited=$(( waited + 5 )); done
echo "Unsent emails after $waited s: $(unsent)"
for name in a b; do stop_host "$name" TERM; done

say "Checking"
set +e
"$BIN/python" scripts/load/check.py "$LOAD_ACKS" "$OUT/locust_stats.csv" "$LOAD_ACCOUNTS" >"$OUT/check.txt"
"$BIN/python" scripts/load/multihost_report.py --acks "$LOAD_ACKS" --phases "$OUT/phases.tsv" \
    --emails "$OUT/emails.jsonl" --check "$OUT/check.txt" --hosts "$OUT"/host-*/access.log
status=$?
set -e
exit "$status"
