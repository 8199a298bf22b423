"""A mail server that keeps every message it is given, for `make load-multihost`: each one is a
JSON line (recipients, subject and a digest of the whole message) in the file given, so that
an email sent twice shows as two equal lines.

    python scripts/load/smtp_sink.py PORT OUT.jsonl
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import socketserver
import sys
import threading

LOCK = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    out = ""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while raw := self.rfile.readline():
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.keep(recipients, b"".join(lines))
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # HELO, RSET, NOOP...
                self.reply("250 OK")

    def keep(self, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        body = message.get_body()
        content = body.get_content() if body is not None else ""
        record = {
            "to": sorted(recipients),
            "subject": str(message.get("Subject", "")),
            # The body identifies the email (its event, plan and version); headers such as
            # Date and Message-ID differ between two sendings of the same email.
            "digest": hashlib.sha256(content.encode()).hexdigest(),
        }
        with LOCK, open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main() -> None:
    port, Session.out = int(sys.argv[1]), sys.argv[2]
    with Server(("127.0.0.1", port), Session) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
