"""Errors that name the input and where in it the problem is."""
from __future__ import annotations


class InputError(Exception):
    """Bad input: carries the file (and line) so the message can say exactly where."""

    def __init__(self, source: str, reason: str, line: int | None = None):
        self.source = str(source)
        self.reason = reason
        self.line = line
        where = f"{self.source}:{line}" if line is not None else self.source
        super().__init__(f"{where}: {reason}")
