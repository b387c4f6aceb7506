"""Shared by the benchmarks that start the site as `rapporteur serve` runs it."""
from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path


def wait_for_site(server, url: str, log: Path, name: str, timeout: float = 60) -> None:
    """Return once ``url`` answers; exit with the server's log if it stops, or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            sys.exit(f"{name}: the server stopped:\n" + log.read_text()[-2000:])
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"{name}: the server did not start")
            time.sleep(0.3)
