"""Load benchmark of a rating round: concurrent voters against the running site on PostgreSQL.

    .venv/bin/python benchmarks/voting_load.py [--database-url postgres://postgres@127.0.0.1:5432/test]
        [--voters 50] [--duration 60] [--think 1.0] [--workers N] [--threads 8] [--ceiling 10]

What it does, all on this machine (loopback only; the database server must be local too):

1. makes a fresh database ``rapporteur_load_<pid>`` on the PostgreSQL server of ``--database-url``;
2. seeds the GCM process, ``--voters`` delegates of Member States from every UN region with an API
   token each, and an open rating round of 40 real sentences (the 2017 General Debate excerpt);
3. starts the site as ``rapporteur serve`` runs it (gunicorn with ``--workers`` processes of ``--threads``
   threads, the default of ``serve`` when not given; ``--workers 1``: waitress, one process), and the
   background worker;
4. runs ``--voters`` concurrent voters (asyncio + aiohttp) for ``--duration`` seconds. Each voter
   asks for its next statement (``GET /api/v1/rounds/R/next``) and votes on it (``POST
   …/statements/S/vote``), waiting a random think time (uniform, mean ``--think`` s; 0 = as fast
   as possible); once it has rated everything it changes earlier votes. One vote in 20 is sent
   twice at once (a double submit). Meanwhile a viewer polls the live dashboard and the results
   endpoint every 3 s (as the page does), and bad requests are sent now and then (an unknown
   statement, an invalid vote: each must get its 4xx);
5. closes the round and checks that a vote on it gets 409;
6. reads the database and checks that **every accepted vote is stored**: each voter's latest
   accepted vote on each statement is the stored vote, there is no stored vote that was not
   accepted, and the history holds exactly one event per vote the server reported as changed;
7. measures the **throughput ceiling**: for ``--ceiling`` seconds more, every voter votes with no think
   time; the votes per second the site then sustains (0 errors allowed) is the most it can take;
8. prints p50/p95/p99 latency, throughput, errors, the ceiling and the counts; drops the database.

With ``--fault db-restart`` the PostgreSQL server is restarted halfway through the load (``pg_ctlcluster
VERSION CLUSTER restart`` of the cluster on the URL's port, or ``--fault-command``), and the check is
then: every vote is either stored or refused with an error the client saw (a 5xx or a broken
connection, only while the database was down and for ``--grace`` seconds after), none accepted is
lost, and the site, never restarted itself, accepts votes again after the database is back. A vote
refused with an error but stored all the same (the database committed it as the connection broke)
is counted apart: the client was told to retry, and a retry of the same vote changes nothing. No
ceiling is measured in this mode.

Bounded: the run stops after ``--duration`` seconds plus at most a few seconds of wind-down and
a 30-second timeout per request. Exit code 1 when an accepted vote is missing or an error occurred.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _site import wait_for_site  # benchmarks/_site.py (this folder is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ungdc-2017-migration" / "TXT" / "Session 72 - 2017"
LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
# Member States across the five UN regions (accredited by right)
COUNTRIES = ["NGA", "KEN", "GHA", "ETH", "SEN", "ZAF", "EGY", "MAR", "TUN", "UGA", "MEX", "BRA", "ARG", "COL", "CHL",
             "PER", "CAN", "USA", "ECU", "GTM", "IND", "PHL", "IDN", "BGD", "PAK", "JPN", "THA", "VNM", "LKA", "NPL",
             "DEU", "FRA", "ITA", "ESP", "SWE", "POL", "GRC", "PRT", "CHE", "HUN", "AUS", "NZL", "FJI", "PNG", "JOR",
             "LBN", "TUR", "QAT", "IRQ", "NOR"]
VOTES = [("agree", 0.5), ("disagree", 0.3), ("pass", 0.2)]


# -------------------------------------------------------------------------------------- setup
def setup(out: Path, voters: int) -> None:
    """Runs in a subprocess with DATABASE_URL and RAPPORTEUR_DATA_DIR set: seed and open a round."""
    from rapporteur.web.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from rapporteur.model import Contribution, Stakeholder
    from rapporteur.text.segment import segment
    from rapporteur.web.api.services import issue_token
    from rapporteur.web.organisations import services as organisation_services
    from rapporteur.web.processes.gcm import seed_gcm
    from rapporteur.web.processes.models import Session
    from rapporteur.web.rounds import services as round_services
    from rapporteur.web.syntheses.models import Synthesis

    process = seed_gcm()
    session = Session.objects.get(phase__process=process, kind="thematic", number=1)
    sentences = []
    for path in sorted(EXAMPLE.glob("*.txt")):
        for p in segment(Contribution(path.stem, Stakeholder(path.stem), path.read_text(encoding="utf-8"))):
            if "migra" in p.text and 60 <= len(p.text) <= 300 and p.analysed:
                sentences.append(p.text)
                break
        if len(sentences) == 40:
            break
    key_points = [{"id": f"K{i + 1}", "label": s, "n_stakeholders": 3, "n_points": 3, "regions": {"Africa": 3},
                   "types": {}, "point_ids": []} for i, s in enumerate(sentences)]
    synthesis = Synthesis.objects.create(session=session, version=1, status="draft", contribution_count=40,
                                         data={"key_points": key_points, "convergence": [], "divergence": []})
    User = get_user_model()
    tokens = {}
    for i in range(voters):
        iso3 = COUNTRIES[i % len(COUNTRIES)]
        org = organisation_services.create_organisation(f"Member State {iso3} {i}", "Member State", iso3)
        user = User.objects.create_user(username=f"voter{i}", password=None)
        organisation_services.add_delegate(org, user)
        tokens[user.username] = issue_token(user, "load")
    round = round_services.open_round(session, synthesis=synthesis, by=None, max_key_points=40)
    from rapporteur.web.rounds.selectors import statement_numbers

    # the API names a statement by its number in the round (its Pol.is comment-id)
    out.write_text(json.dumps({"round": round.pk, "statements": sorted(statement_numbers(round).values()),
                               "tokens": tokens}))


def close_round(round_id: int) -> None:
    from rapporteur.web.cli import setup_django

    setup_django(migrate=False)
    from rapporteur.web.rounds import services
    from rapporteur.web.rounds.models import Round

    services.close_round(Round.objects.get(pk=round_id))


def stored(round_id: int, out: Path) -> None:
    """The stored votes and history of the round, for the check."""
    from rapporteur.web.cli import setup_django

    setup_django(migrate=False)
    from rapporteur.web.rounds.models import Round, Vote, VoteEvent
    from rapporteur.web.rounds.selectors import statement_numbers

    number = statement_numbers(Round.objects.get(pk=round_id))
    votes = [[u, number[s], v] for u, s, v in Vote.objects.filter(round_id=round_id)
             .values_list("participant__user__username", "statement_id", "value")]
    events = Counter(VoteEvent.objects.filter(round_id=round_id).values_list("participant__user__username", flat=True))
    out.write_text(json.dumps({"votes": votes, "events": events}))


# -------------------------------------------------------------------------------------- load
class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter = Counter()
        self.errors: list[str] = []
        self.accepted: dict[str, dict[int, int]] = defaultdict(dict)  # voter -> statement -> last accepted value
        self.changed: Counter = Counter()  # voter -> votes the server reported as changed (201)
        self.unchanged = 0  # 200: a repeat of the current vote (double submits)
        self.double_submits = 0
        self.expected_4xx: Counter = Counter()
        # the fault mode: votes the client saw refused (voter, statement, value, when) and the fault's window
        self.refused: list[tuple[str, int, int, float]] = []
        self.accepted_at: list[float] = []
        self.fault: tuple[float, float] | None = None
        self.error_times: list[float] = []


VALUE = {"agree": 1, "disagree": -1, "pass": 0}


async def request(session, stats: Stats, kind: str, method: str, url: str, expect: set[int], **kw):
    start = time.perf_counter()
    try:
        async with session.request(method, url, **kw) as response:
            body = await response.read()
            status = response.status
    except Exception as err:  # a connection error or a timeout: an error
        stats.errors.append(f"{kind}: {type(err).__name__}: {err}")
        stats.error_times.append(time.monotonic())
        return None, None
    stats.latency[kind].append(time.perf_counter() - start)
    stats.status[(kind, status)] += 1
    if status not in expect:
        stats.errors.append(f"{kind}: HTTP {status}: {body[:200]!r}")
        stats.error_times.append(time.monotonic())
        return status, None
    return status, (json.loads(body) if body and body[:1] in b"{[" else None)


async def voter(base, session, stats: Stats, name: str, token: str, round_id: int, deadline: float, think: float,
                rng: random.Random):
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        status, data = await request(session, stats, "next", "GET", f"{base}/api/v1/rounds/{round_id}/next", {200},
                                     headers=headers)
        if data is None:
            await asyncio.sleep(0.5)
            continue
        if data["statement"] is not None:
            sid = data["statement"]["id"]
        else:  # everything rated: change an earlier vote
            sid = rng.choice(list(stats.accepted[name]))
        vote = rng.choices([v for v, _ in VOTES], weights=[w for _, w in VOTES])[0]
        url = f"{base}/api/v1/rounds/{round_id}/statements/{sid}/vote"
        copies = 2 if rng.random() < 0.05 else 1
        stats.double_submits += copies == 2
        results = await asyncio.gather(*[
            request(session, stats, "vote", "POST", url, {200, 201}, headers=headers, json={"vote": vote})
            for _ in range(copies)])
        for status, body in results:
            if status is None or status >= 500:  # refused with an error the client sees
                stats.refused.append((name, sid, VALUE[vote], time.monotonic()))
            if status in (200, 201) and body is not None:
                stats.accepted[name][sid] = VALUE[vote]
                stats.accepted_at.append(time.monotonic())
                if body["changed"]:
                    stats.changed[name] += 1
                else:
                    stats.unchanged += 1
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))


async def viewer(base, session, stats: Stats, round_id: int, deadline: float):
    """A dashboard open in a browser (htmx polls every 3 s), and a script reading the results."""
    while time.monotonic() < deadline:
        await request(session, stats, "dashboard", "GET", f"{base}/rounds/{round_id}/dashboard/live", {200})
        await request(session, stats, "results", "GET", f"{base}/api/v1/rounds/{round_id}/results", {200})
        await asyncio.sleep(3)


async def prober(base, session, stats: Stats, round_id: int, token: str, statement: int, deadline: float):
    """Bad input now and then: each must get its clear 4xx."""
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        for kind, url, body, expect in (
            ("unknown statement", f"{base}/api/v1/rounds/{round_id}/statements/987654321/vote", {"vote": "agree"}, 404),
            ("invalid vote", f"{base}/api/v1/rounds/{round_id}/statements/{statement}/vote", {"vote": "maybe"}, 422),
            ("no token", f"{base}/api/v1/rounds/{round_id}/statements/{statement}/vote", {"vote": "agree"}, 401),
        ):
            status, _ = await request(session, stats, "probe", "POST", url, {expect}, json=body,
                                      headers=headers if kind != "no token" else {})
            if status == expect:
                stats.expected_4xx[kind] += 1
        await asyncio.sleep(5)


async def restart_database(stats: Stats, command: list[str], after: float) -> None:
    """The fault: the database server restarted while the voters vote."""
    await asyncio.sleep(after)
    began = time.monotonic()
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    stats.fault = (began, time.monotonic())
    print(f"fault: `{' '.join(command)}` exited {process.returncode} after {stats.fault[1] - began:.1f} s "
          f"{output.decode(errors='replace').strip()[:200]}", flush=True)


def restart_command(port: int) -> list[str]:
    """``pg_ctlcluster VERSION CLUSTER restart`` for the local cluster listening on ``port``."""
    listed = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    for line in listed.splitlines():
        version, cluster, on_port = line.split()[:3]
        if int(on_port) == port:
            return ["pg_ctlcluster", version, cluster, "restart"]
    sys.exit(f"voting_load: no local PostgreSQL cluster on port {port} (pg_lsclusters); pass --fault-command")


async def run_load(base, round_id, statements, tokens, voters, duration, think, viewers=1, seed=0,
                   stats: Stats | None = None, fault: list[str] | None = None) -> Stats:
    import aiohttp

    stats = stats or Stats()
    deadline = time.monotonic() + duration
    connector = aiohttp.TCPConnector(limit=voters * 2 + 10)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        names = sorted(tokens)[:voters]
        voting = [voter(base, session, stats, n, tokens[n], round_id, deadline, think, random.Random(seed + i))
                  for i, n in enumerate(names)]
        others = [viewer(base, session, stats, round_id, deadline) for _ in range(viewers)]
        others.append(prober(base, session, stats, round_id, tokens[names[0]], statements[0], deadline))
        if fault:
            others.append(restart_database(stats, fault, duration / 2))
        started = time.monotonic()

        async def voters_done():  # the time the voters took (the viewer and the prober may still sleep)
            await asyncio.gather(*voting)
            stats.elapsed = time.monotonic() - started

        await asyncio.gather(voters_done(), *others)
    return stats


async def vote_on_closed(base, round_id, statement, token) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/v1/rounds/{round_id}/statements/{statement}/vote", json={"vote": "agree"},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            return response.status


# ------------------------------------------------------------------------------------- main
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--voters", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between votes, seconds (0: none)")
    parser.add_argument("--threads", type=int, default=8, help="request threads of the server (per process)")
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: rapporteur serve's, cores + 1; 1 = waitress)")
    parser.add_argument("--ceiling", type=float, default=10,
                        help="seconds of voting with no think time to measure the throughput ceiling (0: skip)")
    parser.add_argument("--viewers", type=int, default=1, help="dashboards open (each polls every 3 s)")
    parser.add_argument("--rate-limits", choices=["off", "on", "high"], default="off",
                        help="the site's rate limits (core.ratelimit): off (default: the voters vote faster than "
                             "any person, which the limits are there to refuse), on (the defaults), or high (counted "
                             "but never reached: their cost)")
    parser.add_argument("--fault", choices=["db-restart"], help="restart the PostgreSQL server halfway through the load")
    parser.add_argument("--fault-command", help="the command that restarts the database (default: pg_ctlcluster)")
    parser.add_argument("--grace", type=float, default=10,
                        help="with --fault: seconds after the database is back during which errors are allowed")
    parser.add_argument("--_setup", help=argparse.SUPPRESS)
    parser.add_argument("--_close", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_stored", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._setup:
        setup(Path(args._setup), args.voters)
        return 0
    if args._close:
        close_round(args._close)
        return 0
    if args._stored:
        stored(int(args._stored[0]), Path(args._stored[1]))
        return 0

    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(args.database_url)
    fault = None
    if args.fault:
        fault = args.fault_command.split() if args.fault_command else restart_command(int(cfg["PORT"] or 5432))
        args.ceiling = 0
    if cfg["HOST"] not in LOOPBACK:
        sys.exit(f"voting_load: the database must be on this machine (127.0.0.1), not {cfg['HOST']}")
    name = f"rapporteur_load_{os.getpid()}"
    admin = dict(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or None,
                 password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix="rapporteur-load-"))
    env = {**os.environ, "DATABASE_URL": args.database_url.rsplit("/", 1)[0] + "/" + name,
           "RAPPORTEUR_DATA_DIR": str(tmp / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if args.rate_limits != "on":
        for limit in ("VOTE_USER", "VOTE_ADDRESS", "API_TOKEN", "API_ADDRESS", "API_BAD_TOKEN", "LOGIN_ADDRESS"):
            env[f"RAPPORTEUR_RATE_{limit}"] = "off" if args.rate_limits == "off" else "1000000/min"
    me = [sys.executable, str(Path(__file__).resolve())]
    server = None
    try:
        t0 = time.monotonic()
        subprocess.run([*me, "--_setup", str(tmp / "setup.json"), "--voters", str(args.voters)], env=env, check=True,
                       timeout=600)
        data = json.loads((tmp / "setup.json").read_text())
        round_id, statements, tokens = data["round"], data["statements"], data["tokens"]
        print(f"setup: database {name}, round {round_id} with {len(statements)} statements, {len(tokens)} voters "
              f"({time.monotonic() - t0:.1f} s)")
        port = _free_port()
        log = open(tmp / "server.log", "wb")
        workers = ["--workers", str(args.workers)] if args.workers else []
        server = subprocess.Popen([sys.executable, "-m", "rapporteur.web.cli", "serve", "--port", str(port),
                                   "--threads", str(args.threads), *workers], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        wait_for_site(server, base + "/api/v1/processes", tmp / "server.log", "voting_load")
        served_by = next((line.split("(", 1)[1].split(";")[0] for line in (tmp / "server.log").read_text().splitlines()
                          if "serving on" in line), "?")
        print(f"server: {served_by} and the worker, on {base}; "
              f"{args.voters} voters for {args.duration:.0f} s, think time {args.think:g} s on average, "
              f"{args.viewers} dashboard viewer(s)")
        stats = asyncio.run(run_load(base, round_id, statements, tokens, args.voters, args.duration, args.think,
                                     args.viewers, fault=fault))
        site_survived = server.poll() is None
        ceiling = None
        if args.ceiling:  # the same voters go on, with their votes so far
            ceiling = Stats()
            ceiling.accepted = defaultdict(dict, {name: dict(per) for name, per in stats.accepted.items()})
            ceiling = asyncio.run(run_load(base, round_id, statements, tokens, args.voters, args.ceiling, 0,
                                           args.viewers, seed=10_000, stats=ceiling))
        subprocess.run([*me, "--_close", str(round_id)], env=env, check=True, timeout=120)
        closed_status = asyncio.run(vote_on_closed(base, round_id, statements[0], tokens[sorted(tokens)[0]]))
        subprocess.run([*me, "--_stored", str(round_id), str(tmp / "stored.json")], env=env, check=True, timeout=120)
        db = json.loads((tmp / "stored.json").read_text())
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # ---- the check: every accepted vote is stored, nothing else is
    if ceiling is not None:  # its votes count like the others
        stats.accepted = ceiling.accepted
        stats.changed.update(ceiling.changed)
        stats.unchanged += ceiling.unchanged
        stats.errors += [f"(ceiling) {e}" for e in ceiling.errors]
    stored_votes = {(u, s): v for u, s, v in db["votes"]}
    expected = {(u, s): v for u, per in stats.accepted.items() for s, v in per.items()}
    # refused with an error but stored all the same: the database committed as the connection broke
    refused_values = defaultdict(set)
    for u, sid, value, _ in stats.refused:
        refused_values[(u, sid)].add(value)
    stored_though_refused = [k for k, v in stored_votes.items() if expected.get(k) != v and v in refused_values[k]]
    missing = [k for k in expected if k not in stored_votes]
    wrong = [k for k in expected if k in stored_votes and stored_votes[k] != expected[k] and k not in stored_though_refused]
    extra = [k for k in stored_votes if k not in expected and k not in stored_though_refused]
    events_expected = sum(stats.changed.values())
    events_stored = sum(db["events"].values())
    fault_errors = []
    if stats.fault:  # errors while the database was down (and just after) are the fault's; others are not
        began, ended = stats.fault
        during = [i for i, t in enumerate(stats.error_times) if began <= t <= ended + args.grace]
        fault_errors = [stats.errors[i] for i in during]
        stats.errors = [e for i, e in enumerate(stats.errors) if i not in set(during)]

    votes = stats.latency["vote"]
    nexts = stats.latency["next"]
    both = votes + nexts
    print()
    print(f"requests: {sum(len(v) for v in stats.latency.values())} in {stats.elapsed:.1f} s "
          f"({sum(len(v) for v in stats.latency.values()) / stats.elapsed:.0f}/s); votes sent {len(votes)} "
          f"({len(votes) / stats.elapsed:.0f}/s), of which {stats.double_submits} double submits")
    for label, values in (("vote (POST)", votes), ("next (GET)", nexts), ("voter requests", both),
                          ("dashboard (GET)", stats.latency["dashboard"]), ("results (GET)", stats.latency["results"])):
        if values:
            print(f"latency {label:16s} p50 {1000 * _pct(values, .5):6.1f} ms  p95 {1000 * _pct(values, .95):6.1f} ms  "
                  f"p99 {1000 * _pct(values, .99):6.1f} ms  max {1000 * max(values):6.1f} ms  (n={len(values)})")
    if ceiling is not None:
        cv = ceiling.latency["vote"]
        print(f"throughput ceiling: {len(cv) / ceiling.elapsed:.0f} votes/s ({len(cv)} votes in {ceiling.elapsed:.1f} s, "
              f"{args.voters} voters with no think time; vote p95 {1000 * _pct(cv, .95):.1f} ms, "
              f"{len(ceiling.errors)} errors)")
    print(f"errors: {len(stats.errors)}" + (f" — first: {stats.errors[0]}" if stats.errors else ""))
    print(f"bad input answered as expected: {dict(stats.expected_4xx)}; vote on the closed round: HTTP {closed_status}")
    print(f"accepted votes: {sum(stats.changed.values()) + stats.unchanged} responses "
          f"({sum(stats.changed.values())} recorded 201, {stats.unchanged} unchanged 200); "
          f"latest accepted (voter, statement) pairs {len(expected)}")
    print(f"stored: {len(stored_votes)} current votes, {events_stored} history events (expected {events_expected})")
    print(f"lost votes: {len(missing) + len(wrong)} (missing {len(missing)}, wrong value {len(wrong)}); "
          f"stored but never accepted: {len(extra)}")
    events_ok = events_stored == events_expected if not stats.fault else \
        events_expected <= events_stored <= events_expected + len(stats.refused)
    recovered = True
    if args.fault:
        after = [t for t in stats.accepted_at if stats.fault and t > stats.fault[1]]
        recovered = bool(stats.fault) and bool(after) and site_survived
        print(f"fault run: votes refused with an error the client saw {len(stats.refused)}; errors in the fault's "
              f"window {len(fault_errors)}; stored though refused {len(stored_though_refused)}; votes accepted after "
              f"the database came back {len(after)}; the site kept running without a restart: {site_survived}; "
              f"accepted and lost: {len(missing) + len(wrong)}")
    ok = not stats.errors and not missing and not wrong and not extra and events_ok and recovered \
        and closed_status == 409
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
