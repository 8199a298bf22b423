#!/usr/bin/env bash
# `make serve`'s processes, after the migrations: gunicorn (WORKERS sync workers) on a private
# port of 127.0.0.1 (BACKEND_PORT, a free one unless given), and nginx on HOST:PORT in front of
# it (deploy/nginx/host.conf.j2, written to the instance folder's nginx/), so that slow clients
# hold an nginx connection and never a worker. PROXY=none serves gunicorn alone on HOST:PORT.
#
# SIGTERM (or SIGINT) drains the host: nginx stops accepting at once (a balancer then sends
# elsewhere) and finishes the requests in flight, then gunicorn stops, its workers finishing
# theirs (graceful_timeout).
#
# Behind a balancer (WIZARD_TRUSTED_PROXIES > 0), nginx believes X-Forwarded-For and -Proto only
# from WIZARD_TRUSTED_PROXY_ADDRESSES, and passes the client's address on; the app then believes
# exactly one hop, from this nginx on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PROXY="${PROXY:-nginx}"
INSTANCE="${WIZARD_INSTANCE_PATH:-$PWD/instance}"
BIN="${BIN:-.venv/bin}"

if [ "$PROXY" = "none" ]; then
    exec env HOST="$HOST" PORT="$PORT" "$BIN/gunicorn" -c gunicorn.conf.py 'wizard:create_app()'
fi
command -v nginx >/dev/null || { echo "nginx is needed: make system-packages (or PROXY=none)" >&2; exit 1; }

BACKEND_PORT="${BACKEND_PORT:-$("$BIN/python" scripts/nginx_conf.py free-port)}"
trust=()
if [ "${WIZARD_TRUSTED_PROXIES:-0}" != "0" ]; then
    addresses="${WIZARD_TRUSTED_PROXY_ADDRESSES:-127.0.0.1}"
    for address in ${addresses//,/ }; do trust+=(--trust "$address"); done
fi
conf="$("$BIN/python" scripts/nginx_conf.py host --listen "$HOST:$PORT" \
    --backend "127.0.0.1:$BACKEND_PORT" --prefix "$INSTANCE/nginx" "${trust[@]}")"

# The app believes X-Forwarded-For and -Proto from this nginx only (one hop, from 127.0.0.1).
export WIZARD_TRUSTED_PROXIES=1 WIZARD_TRUSTED_PROXY_ADDRESSES=127.0.0.1 FORWARDED_ALLOW_IPS=127.0.0.1
HOST=127.0.0.1 PORT="$BACKEND_PORT" "$BIN/gunicorn" -c gunicorn.conf.py 'wizard:create_app()' &
gunicorn_pid=$!
nginx_pid=""

drain() {
    trap - TERM INT
    if [ -n "$nginx_pid" ]; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
    exit 0
}
trap drain TERM INT

# nginx starts once gunicorn answers, so that a balancer never meets a host that cannot serve.
for _ in $(seq 1 120); do
    if ! kill -0 "$gunicorn_pid" 2>/dev/null; then
        echo "gunicorn did not start" >&2
        exit 1
    fi
    curl -fs -o /dev/null "http://127.0.0.1:$BACKEND_PORT/healthz" && break
    sleep 0.5
done
nginx -p "$INSTANCE/nginx" -c "$conf" -g 'daemon off;' &
nginx_pid=$!
echo "nginx on http://$HOST:$PORT/ in front of gunicorn on 127.0.0.1:$BACKEND_PORT"

# Either stopping on its own stops the other.
set +e
wait -n "$nginx_pid" "$gunicorn_pid"
status=$?
set -e
echo "nginx or gunicorn stopped (status $status); stopping the other" >&2
kill -QUIT "$nginx_pid" 2>/dev/null || true
kill -TERM "$gunicorn_pid" 2>/dev/null || true
wait 2>/dev/null || true
exit "$status"
