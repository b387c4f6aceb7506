"""At scale: the model stages on Dask workers, a run killed midway, bad members and a full cache.

All on real General Debate speeches of 2016 (28 States, one of them damaged on purpose), through the
command line as a user runs it: the Dask run (``--workers 2``, a real LocalCluster) and a run killed
with SIGKILL in the middle of its model stages, then run again, must both give the synthesis that one
uninterrupted process gives.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest

from .speeches import DEMO, speech

STATES = ("DEU", "MEX", "PHL", "NGA", "ITA", "USA", "HUN", "TUR", "BGD", "KEN", "GTM", "SWE", "LBN", "JOR",
          "NPL", "SEN", "MAR", "SLV", "FRA", "IDN", "GRC", "ESP", "LBY", "NER", "HND", "AFG", "SYR", "CAN")
DAMAGED = "KEN_71_2016.txt"  # in the middle of the folder's order


@pytest.fixture(scope="module")
def year_folder(ungdc_archive, tmp_path_factory) -> Path:
    """2016's speeches of ``STATES`` in the corpus's own layout, with Kenya's replaced by bytes that
    are not text."""
    root = tmp_path_factory.mktemp("ungdc-2016")
    folder = root / "TXT" / "Session 71 - 2016"
    folder.mkdir(parents=True)
    wanted = {f"{code}_71_2016.txt" for code in STATES}
    with tarfile.open(ungdc_archive, "r:*") as archive:
        for member in archive:
            name = Path(member.name).name
            if member.isfile() and name in wanted:
                (folder / name).write_bytes(archive.extractfile(member).read())
    assert len(list(folder.iterdir())) == len(STATES)
    (folder / DAMAGED).write_bytes(b"\x00\x9f\x92\x96 not a speech \xff\xfe\x00" * 50)
    return root


def _synthesize(folder: Path, out: Path, cache: Path, *extra: str) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "rapporteur"), "synthesize", str(folder), "--about", "migration",
               "--out", str(out), "--format", "json", "--cache", str(cache), *extra]
    env = dict(os.environ, HF_HUB_OFFLINE="1", COLUMNS="200")
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finished(process: subprocess.Popen) -> str:
    _, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, stderr[-3000:]
    return stderr


def _synthesis(out: Path) -> dict:
    return json.loads((out / "synthesis.json").read_text(encoding="utf-8"))


def _rows(cache: Path) -> int:
    try:
        with sqlite3.connect(cache) as db:
            return db.execute("SELECT COUNT(*) FROM embedding").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.fixture(scope="module")
def single_process(year_folder, tmp_path_factory):
    """The reference: one process, a cold cache; (synthesis, its stderr, rows it cached)."""
    where = tmp_path_factory.mktemp("single")
    stderr = _finished(_synthesize(year_folder, where / "out", where / "cache.sqlite"))
    return _synthesis(where / "out"), stderr, _rows(where / "cache.sqlite")


@pytest.mark.slow
def test_one_unreadable_member_is_skipped_and_reported_and_the_run_goes_on(single_process):
    document, stderr, _ = single_process
    assert DAMAGED in stderr and "not valid utf-8" in stderr
    assert [p for p in document["skipped"] if DAMAGED in p["source"] and p["skipped"]]
    assert document["counts"]["contributions"] == len(STATES) - 1
    assert document["counts"]["skipped_inputs"] == 1
    assert len(document["key_points"]) >= 3


@pytest.mark.slow
def test_dask_workers_give_the_single_process_synthesis(year_folder, single_process, tmp_path):
    reference, _, _ = single_process
    stderr = _finished(_synthesize(year_folder, tmp_path / "out", tmp_path / "cache.sqlite", "--workers", "2"))
    assert "2 Dask worker(s)" in stderr
    document = _synthesis(tmp_path / "out")
    assert [(k["label"], k["point_ids"]) for k in document["key_points"]] == \
        [(k["label"], k["point_ids"]) for k in reference["key_points"]]
    assert document == reference


@pytest.mark.slow
def test_a_run_killed_midway_resumes_from_its_cache(year_folder, single_process, tmp_path):
    reference, _, rows_of_a_whole_run = single_process
    cache = tmp_path / "cache.sqlite"
    process = _synthesize(year_folder, tmp_path / "out", cache)
    # kill it for real once it has cached a third of what a whole run caches: in its model stages
    deadline = time.monotonic() + 600
    while _rows(cache) < rows_of_a_whole_run // 3:
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    kept = _rows(cache)
    assert 0 < kept < rows_of_a_whole_run
    assert not (tmp_path / "out" / "synthesis.json").exists()

    stderr = _finished(_synthesize(year_folder, tmp_path / "out", cache))
    found = int(stderr.split("model readings: ")[1].split(" from the cache")[0].replace(",", ""))
    assert found >= kept, "the second run read back what the killed one had cached"
    assert _rows(cache) == rows_of_a_whole_run
    assert _synthesis(tmp_path / "out") == reference


@pytest.mark.slow
def test_a_lost_worker_costs_only_a_retry(minilm):
    """A worker process killed while it embeds: its tasks go to the other worker, nothing is lost."""
    from rapporteur.cluster import Workers
    from rapporteur.embed import embed_texts

    texts = [line for file in sorted(DEMO.glob("*.txt"))[:30]
             for line in file.read_text(encoding="utf-8").split(". ") if line.strip()]
    assert len(texts) >= 150
    expected = embed_texts(minilm, texts)
    killed = []

    with Workers(n=2) as workers:
        def kill_one(stage, done, total):
            if 0 < done < total and not killed:
                nanny = next(iter(workers._cluster.workers.values()))
                os.kill(nanny.process.process.pid, signal.SIGKILL)
                killed.append(nanny.process.process.pid)

        got = embed_texts(minilm, texts, batch_size=16, progress=kill_one)
    assert killed
    assert np.allclose(got, expected, atol=1e-5)


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB file system (tmpfs), unmounted afterwards."""
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    yield where
    subprocess.run(["umount", str(where)], check=True)


def test_a_full_cache_disk_is_a_clear_error_and_keeps_what_was_stored(minilm, small_disk):
    from rapporteur.embed import EmbeddingCache, embed_texts
    from rapporteur.errors import InputError

    texts = [line for file in sorted(DEMO.glob("*.txt"))[:30]
             for line in file.read_text(encoding="utf-8").split(". ") if line.strip()]
    cache = EmbeddingCache(small_disk / "cache.sqlite")
    embed_texts(minilm, texts[:5], cache=cache)
    stored = dict(cache.get_many(minilm.model_id, texts[:5]))
    with open(small_disk / "filler", "wb") as filler:  # the rest of the disk taken by something else
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    with pytest.raises(InputError, match="disk is full") as caught:
        embed_texts(minilm, texts[5:], cache=cache)
    assert str(small_disk / "cache.sqlite") in str(caught.value)
    (small_disk / "filler").unlink()
    assert cache._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = cache.get_many(minilm.model_id, texts[:5])
    assert all(np.array_equal(again[i], stored[i]) for i in stored)
    assert not cache.get_many(minilm.model_id, texts[5:]), "nothing half-written"
    cache.close()


@pytest.mark.slow
def test_an_existing_cluster_started_with_dask_s_own_commands(minilm, tmp_path):
    """``--scheduler``: a scheduler and a worker started as the README says, then joined by address."""
    from rapporteur.cluster import Workers, worker_environment
    from rapporteur.embed import embed_texts

    bin_dir = Path(sys.executable).parent
    address_file = tmp_path / "scheduler.json"
    env = dict(os.environ, HF_HUB_OFFLINE="1", **worker_environment(1))
    scheduler = subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(address_file)], env=env, stderr=subprocess.DEVNULL)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.5)  # the file is written whole before it is renamed into place
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen([str(bin_dir / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard"],
                                  env=env, stderr=subprocess.DEVNULL)
        texts = [line for line in speech("DEU").split(". ") if line.strip()]
        with Workers(scheduler=address) as workers:
            workers.client.wait_for_workers(1, timeout=120)
            got = embed_texts(minilm, texts, batch_size=8)
        assert np.allclose(got, embed_texts(minilm, texts), atol=1e-5)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)


@pytest.mark.slow
def test_no_scheduler_at_the_address_is_a_clear_error():
    from rapporteur.cluster import Workers
    from rapporteur.errors import InputError

    with pytest.raises(InputError, match="no Dask scheduler answers"):
        Workers(scheduler="tcp://127.0.0.1:9").start()
