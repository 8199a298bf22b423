"""Write an nginx configuration from deploy/nginx/, for `make serve` (one host: nginx in front of
gunicorn) or for the balancer of `make load-multihost` (TLS, several hosts).

    python scripts/nginx_conf.py host --listen 127.0.0.1:8000 --backend 127.0.0.1:8001 \
        --prefix instance/nginx [--trust 10.0.0.5 ...]
    python scripts/nginx_conf.py balancer --listen 127.0.0.1:8443 --prefix DIR \
        --backend 127.0.0.1:8101 --backend 127.0.0.1:8102 --certificate C --certificate-key K
    python scripts/nginx_conf.py free-port

The configuration is written to PREFIX/nginx.conf (its temporary folders are made there too);
run it in the foreground with `nginx -p PREFIX -c PREFIX/nginx.conf -g 'daemon off;'`.
"""

from __future__ import annotations

import argparse
import os
import pwd
import socket
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
# nginx's own error page (deploy/nginx/pages/unavailable.html), in both languages.
PAGES = TEMPLATES / "pages"
TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def render(kind: str, prefix: Path, **values: object) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else ""
    worker_processes = values.pop("worker_processes", None) or 1
    values.setdefault("error_log", "stderr crit")
    return environment.get_template(f"{kind}.conf.j2").render(
        prefix=str(prefix), user=user, worker_processes=worker_processes, pages=str(PAGES), **values
    )


def write(kind: str, prefix: Path, **values: object) -> Path:
    """Render the configuration into PREFIX/nginx.conf, with its temporary folders."""
    prefix = prefix.resolve()
    for folder in TEMP_FOLDERS:
        (prefix / "temp" / folder).mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(render(kind, prefix, **values))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["host", "balancer", "free-port"])
    parser.add_argument("--listen", help="address:port nginx listens on")
    parser.add_argument("--prefix", type=Path, help="nginx's own folder (config, pid, temp)")
    parser.add_argument("--backend", action="append", default=[], help="upstream address:port")
    parser.add_argument("--trust", action="append", default=[], help="a balancer's address")
    parser.add_argument("--certificate")
    parser.add_argument("--certificate-key")
    parser.add_argument("--worker-processes", type=int, default=1)
    parser.add_argument(
        "--error-log",
        default="stderr crit",
        help="nginx's error_log (only critical errors by default: its lines quote requests)",
    )
    args = parser.parse_args()
    if args.kind == "free-port":
        print(free_port())
        return
    if not args.listen or not args.prefix or not args.backend:
        parser.error("--listen, --prefix and --backend are needed")
    if args.kind == "host":
        (backend,) = args.backend
        path = write(
            "host",
            args.prefix,
            listen=args.listen,
            backend=backend,
            trusted=args.trust,
            worker_processes=args.worker_processes,
            error_log=args.error_log,
        )
    else:
        if not args.certificate or not args.certificate_key:
            parser.error("the balancer needs --certificate and --certificate-key")
        path = write(
            "balancer",
            args.prefix,
            listen=args.listen,
            backends=args.backend,
            certificate=str(Path(args.certificate).resolve()),
            certificate_key=str(Path(args.certificate_key).resolve()),
            worker_processes=args.worker_processes,
            error_log=args.error_log,
        )
    print(path)


if __name__ == "__main__":
    main()
