"""Gunicorn's settings for `make serve` (read by `gunicorn -c gunicorn.conf.py`).

Each setting comes from the environment, so that one machine or many behind a load balancer
run the same command. The workers keep no state of their own: sessions and sign-in throttling
are rows in the database, rate limits and the mail queue are in Redis (REDIS_URL).
"""

import os
from typing import Any

from gunicorn.glogging import Logger

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "4"))
# Synchronous workers: each request holds one database connection, never more.
worker_class = "sync"
# A request that takes longer than this is cut off and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after this many requests (plus jitter), so that none grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Behind a load balancer, only it may say which client and scheme a request came from; the
# app itself reads X-Forwarded-* through WIZARD_TRUSTED_PROXIES (Werkzeug's ProxyFix), and only
# from the peers in WIZARD_TRUSTED_PROXY_ADDRESSES: gunicorn trusts the same list unless
# FORWARDED_ALLOW_IPS says otherwise.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS")
    or os.environ.get("WIZARD_TRUSTED_PROXY_ADDRESSES")
    or "127.0.0.1"
)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


class AccessLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, except that the requests of a staff voice response (and those made
    from one of its pages, by their Referer: the language switch), and every static file, are
    logged without the client's address: those pages promise that no IP address is kept."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        from wizard.domain.redaction import is_staff_voice_response

        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        # Static files: a response page sends no Referer (no-referrer), so its stylesheet and
        # scripts cannot be told from anyone else's, and would log a responder's address at the
        # time they answered. Nobody needs an address beside a static file.
        if (
            path.startswith("/static/")
            or is_staff_voice_response(path)
            or is_staff_voice_response(environ.get("HTTP_REFERER", ""))
        ):
            for name in list(atoms):
                if name in ("h", "{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i"):
                    atoms[name] = "-"
        return atoms


logger_class = AccessLogger
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The app is made in each worker after the fork, so no database connection is shared.
preload_app = False
proc_name = "wizard"
# Where the master's pid is written, if asked (the load test signals the workers by pid).
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# No control socket: it is one path per machine user, and several servers may run here.
control_socket_disable = True


def on_starting(server: object) -> None:
    """The master's own log records are made without tokens too (each worker's are, from the
    moment it makes the app: wizard.web.security.redact_every_log_record)."""
    from wizard.web.security import redact_every_log_record

    redact_every_log_record()
