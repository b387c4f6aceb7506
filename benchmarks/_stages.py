"""Time per stage from the engine's ``progress(stage, done, total)`` calls (shared by the UNGDC benchmarks)."""
from __future__ import annotations

import time


class StageClock:
    """Seconds and items per stage: a stage runs from its first call until the next stage's first call.

    A stage that comes back later (the stocktake reads several) adds to its earlier time; its items
    are the largest ``total`` it reported.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.items: dict[str, int] = {}
        self._stage: str | None = None
        self._since = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.stop()
            self._stage, self._since = stage, time.perf_counter()
        self.items[stage] = max(self.items.get(stage, 0), total)

    def stop(self) -> None:
        if self._stage is not None:
            now = time.perf_counter()
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since
            self._stage, self._since = None, now

    def lines(self) -> list[str]:
        """``stage  seconds  items  items/s`` for each stage, in the order they ran."""
        out = []
        for stage, seconds in self.seconds.items():
            n = self.items.get(stage, 0)
            rate = f"{n / seconds:10.1f}/s" if seconds > 0 else " " * 12
            out.append(f"  {stage:<17} {seconds:8.1f} s  {n:9d} items {rate}")
        return out
