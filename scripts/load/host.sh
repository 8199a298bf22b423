#!/usr/bin/env bash
# One app host of `make load-multihost`, as a machine runs it: what `make serve` does after its
# build steps (migrate, load the local authorities, nginx in front of gunicorn) and `make worker`
# (the mail queue). The environment says which database, Redis, port and instance folder.
#
# SIGTERM stops it as a machine being shut down would: the web side drains (scripts/serve.sh),
# the mail worker finishes its job. (`make load-multihost` SIGKILLs the whole process group to
# kill the host outright.)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-.venv/bin}"

"$BIN/flask" --app wizard db upgrade
"$BIN/flask" --app wizard load-local-authorities
# The mail worker, started again if it stops (as a service manager would).
mail_worker() {
    local child=""
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
    while true; do
        "$BIN/flask" --app wizard worker &
        child=$!
        wait "$child" || true
        echo "host: the mail worker stopped; starting it again" >&2
        sleep 2
    done
}
mail_worker &
worker_pid=$!
bash scripts/serve.sh &
serve_pid=$!

stop() {
    trap - TERM INT
    kill -TERM "$serve_pid" "$worker_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
    exit 0
}
trap stop TERM INT
set +e
wait -n "$serve_pid" "$worker_pid"
status=$?
set -e
echo "host: the web server or the mail worker stopped (status $status)" >&2
kill -TERM "$serve_pid" "$worker_pid" 2>/dev/null || true
wait
exit "$status"
