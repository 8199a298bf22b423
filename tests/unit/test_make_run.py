"""`make run` on a port of one's choosing makes links to that port: the links a lead copies (a
share link, a new staff voice link) and those in emails, which used the default port 5000."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from wizard.config import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_links_to_the_port_it_serves_on() -> None:
    commands = subprocess.run(
        ["make", "-n", "-s", "run", "HOST=127.0.0.1", "PORT=5078"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "WIZARD_BASE_URL"},
    ).stdout.splitlines()
    serve = next(line for line in commands if " run --host " in line)
    # Run the line's assignment as the shell would, with no WIZARD_BASE_URL of one's own.
    assignment = serve.split(" ", 1)[0]
    assert assignment.startswith("WIZARD_BASE_URL="), serve
    base_url = subprocess.run(
        ["sh", "-c", f'{assignment}; printf %s "$WIZARD_BASE_URL"'],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
    ).stdout
    assert base_url == "http://127.0.0.1:5078"
