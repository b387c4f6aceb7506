"""Past one machine: the model stages as Dask tasks.

Every model reading of a synthesis goes through one function, ``embed.embed_texts``: MiniLM's
sentence vectors (relevance, claims, themes), and the pair models' probabilities (the matcher and
the stance model, ``fidelity.pairs.cached_probabilities``). Those are the stages whose cost grows
with the corpus; the rest (reading files, choosing key points, writing reports) is a small share
of a run and stays in the calling process.

``Workers(n=2)`` starts a Dask ``LocalCluster`` of ``n`` single-threaded worker processes;
``Workers(scheduler="tcp://HOST:8786")`` joins a cluster already running (``dask scheduler`` and
``dask worker`` on each machine). While ``with workers:`` is active, ``embed_texts`` sends the
texts it has not cached to the workers in batches, and writes each batch to the cache as it comes
back, so a run killed midway resumes from what was done. Without a ``Workers`` in use nothing
changes: one process, as before.

A worker rebuilds a model from its *recipe* (``embedder.recipe``: where to import it from and with
which arguments), once per worker process, and refuses a batch when the model it built is not the
model the caller names (``model_id`` holds the weights' digest): every worker must have the same
package and model files. An embedder without a recipe (a test's stand-in, the static table of the
cheap pass, which is faster than a round trip) runs in the calling process.

A worker lost mid-run loses only its running tasks: the scheduler gives them to another worker
(Dask's ``distributed.scheduler.allowed-failures``, 3 by default), and the batches are the same,
so the result is the same.
"""
from __future__ import annotations

import contextvars
import math
from functools import lru_cache
from importlib import import_module
from typing import Iterator, Sequence

import numpy as np

from rapporteur.errors import InputError

_ACTIVE: contextvars.ContextVar["Workers | None"] = contextvars.ContextVar("rapporteur_workers", default=None)

# the fewest texts worth a task: below this a round trip costs more than it saves
MIN_TASK = 32
# tasks per worker: more than one, so a slow or lost worker does not hold the whole stage
TASKS_PER_WORKER = 4


class WorkerModelMismatch(RuntimeError):
    """A worker built a different model from the one the caller uses."""


def active() -> "Workers | None":
    """The ``Workers`` in use in this context, if any."""
    return _ACTIVE.get()


class Workers:
    """A Dask cluster for the model stages: ``Workers(n=N)`` (local) or ``Workers(scheduler=ADDRESS)``."""

    def __init__(self, n: int | None = None, scheduler: str | None = None, threads_per_worker: int = 1):
        if (n is None) == (scheduler is None):
            raise ValueError("give either n (a local cluster) or scheduler (an existing one)")
        if n is not None and n < 1:
            raise InputError(f"--workers {n}", "needs at least one worker")
        self.n, self.scheduler, self.threads_per_worker = n, scheduler, threads_per_worker
        self.client = None
        self._cluster = None
        self._token = None

    def start(self) -> "Workers":
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="10s")
            except OSError as error:
                raise InputError(f"--scheduler {self.scheduler}", f"no Dask scheduler answers there ({error})") from None
        else:
            import dask

            with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environment(self.threads_per_worker)}):
                self._cluster = LocalCluster(n_workers=self.n, threads_per_worker=self.threads_per_worker,
                                             processes=True, dashboard_address=None)
            self.client = Client(self._cluster)
        return self

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        self.client = self._cluster = None

    def __enter__(self) -> "Workers":
        if self.client is None:
            self.start()
        self._token = _ACTIVE.set(self)
        return self

    def __exit__(self, *exc) -> None:
        _ACTIVE.reset(self._token)
        self.close()

    @property
    def address(self) -> str:
        return self.client.scheduler.address if self.client is not None else (self.scheduler or "")

    def worker_count(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {}))) if self.client else 0

    def takes(self, embedder) -> bool:
        """Whether ``embedder`` can be rebuilt on a worker."""
        return getattr(embedder, "recipe", None) is not None

    def task_size(self, n_texts: int, batch_size: int) -> int:
        """Texts per task: the caller's batch, split so that every worker gets several tasks."""
        share = math.ceil(n_texts / (self.worker_count() * TASKS_PER_WORKER))
        return max(1, min(batch_size, max(MIN_TASK, share)))

    def encode(self, embedder, batches: Sequence[Sequence[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """Yield (batch index, vectors) for each batch, as the workers finish them."""
        from distributed import as_completed

        recipe, model_id = embedder.recipe, embedder.model_id
        futures = {self.client.submit(encode_on_worker, recipe, model_id, list(batch), pure=False): index
                   for index, batch in enumerate(batches)}
        for future in as_completed(futures):
            yield futures[future], np.asarray(future.result(), dtype=np.float32)


def worker_environment(threads: int = 1) -> dict[str, str]:
    """The environment a worker process starts with. Dask's default trims freed memory back to the
    system from 64 KiB up (``MALLOC_TRIM_THRESHOLD_``), which suits numpy workloads but makes every
    PyTorch layer fault its memory in again: the matcher read 85 pairs/s per core with it and 115
    without. Threads as many as the worker runs tasks at once, so workers do not oversubscribe cores."""
    return {"MALLOC_TRIM_THRESHOLD_": str(128 * 2**20), "OMP_NUM_THREADS": str(threads),
            "MKL_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}


@lru_cache(maxsize=8)
def _built(recipe: tuple):
    target, arguments = recipe
    module, name = target.split(":")
    return getattr(import_module(module), name)(**dict(arguments))


def encode_on_worker(recipe: tuple, model_id: str, texts: list[str]) -> np.ndarray:
    """Runs on a worker: the model of ``recipe`` (built once per process) encodes ``texts``."""
    embedder = _built(recipe)
    if embedder.model_id != model_id:
        raise WorkerModelMismatch(f"this worker's model is {embedder.model_id}, the caller's is {model_id}: "
                                  "install the same rapporteur and model files on every worker")
    return embedder.encode(texts)
