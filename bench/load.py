"""Measurements against a running server: wrk rounds and fixed-rate hey rounds (with
the CPU each side used), memory and obtain-token latency."""

import csv
import http.client
import io
import json
import os
import resource
import subprocess
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from project import FORWARDED_PROTO, BenchError, Gunicorn, children_of

from servers import HOST

WRK_SCRIPT = Path(__file__).resolve().parent / "report.lua"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


@dataclass(frozen=True)
class Endpoint:
    """What wrk asks for: a path, headers, and arguments for report.lua."""

    name: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    script_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Load:
    """How hard and how long wrk pushes: wrk -t THREADS -c CONNECTIONS -d DURATION."""

    threads: int
    connections: int
    duration: float


@dataclass(frozen=True)
class Rate:
    """A fixed request rate for DURATION seconds, open loop: hey -z DURATION -c CLIENTS
    -q RATE/CLIENTS, each client sending on a schedule of its own, whether or not the
    others' answers are late (wrk sends each connection's next request only when its
    answer is in, so a slow answer slows the load down and hides its own delay)."""

    requests_per_s: float
    duration: float
    clients: int = 16


# --- wrk ---------------------------------------------------------------------------


def wrk_command(port: int, endpoint: Endpoint, load: Load) -> list[str]:
    headers = [FORWARDED_PROTO, *endpoint.headers]
    command = [
        "wrk",
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={load.duration:g}s",
        "--timeout=5s",
        f"--script={WRK_SCRIPT}",
    ]
    for name, value in headers:
        command.append(f"--header={name}: {value}")
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    if endpoint.script_args:
        command += ["--", *endpoint.script_args]
    return command


def run_client(
    command: list[str], duration: float
) -> tuple[subprocess.CompletedProcess, float]:
    """Run a load generator (wrk, hey) for about `duration` seconds; what it printed,
    and the CPU seconds it used."""
    before = children_cpu_seconds()
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 30
    )
    return result, children_cpu_seconds() - before


def run_wrk(port: int, endpoint: Endpoint, load: Load) -> tuple[dict, float]:
    """wrk's summary (report.lua) and the CPU seconds wrk itself used."""
    result, wrk_cpu = run_client(wrk_command(port, endpoint, load), load.duration)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT ")), wrk_cpu
    raise BenchError(
        f"wrk printed no result (exit {result.returncode})\n{result.stdout}{result.stderr}"
    )


# --- hey ---------------------------------------------------------------------------


def hey_command(port: int, endpoint: Endpoint, rate: Rate) -> list[str]:
    command = [
        "hey",
        f"-z={rate.duration:g}s",
        f"-c={rate.clients}",
        f"-q={rate.requests_per_s / rate.clients:.3f}",
        "-t=5",
        "-o=csv",
    ]
    for name, value in [FORWARDED_PROTO, *endpoint.headers]:
        command.append(f"-H={name}: {value}")
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    return command


def run_hey(port: int, endpoint: Endpoint, rate: Rate) -> tuple[dict, float]:
    """A summary like report.lua's for wrk, from hey's one CSV line per answer (a
    request that got none is not in it), with every latency; and hey's CPU seconds."""
    result, hey_cpu = run_client(hey_command(port, endpoint, rate), rate.duration)
    if result.returncode != 0:
        raise BenchError(f"hey exited {result.returncode}\n{result.stderr}")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    latencies = sorted(float(row["response-time"]) * 1000 for row in rows)
    if not latencies:
        raise BenchError(f"hey got no answer from {endpoint.path}\n{result.stderr}")
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status-code"]] = statuses.get(row["status-code"], 0) + 1

    def percentile(fraction: float) -> float:
        index = min(len(latencies) - 1, round(fraction * (len(latencies) - 1)))
        return latencies[index] * 1000  # µs, as report.lua gives wrk's

    summary = {
        "duration_us": rate.duration * 1e6,
        "requests": len(rows),
        "latency_us": {
            "p50": percentile(0.5),
            "p90": percentile(0.9),
            "p99": percentile(0.99),
            "max": latencies[-1] * 1000,
        },
        "statuses": statuses,
        "errors": {},
        "latencies_ms": latencies,
    }
    return summary, hey_cpu


# --- CPU accounting ----------------------------------------------------------------


def children_cpu_seconds() -> float:
    """User and system CPU of this process's waited-for children (wrk runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def process_cpu_seconds(pid: int, reaped_children: bool = False) -> float:
    """utime + stime of pid, plus its reaped children's when asked; 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    # Fields 14-17 of proc(5), counted from the state field (3) here.
    utime, stime, cutime, cstime = map(int, fields[11:15])
    ticks = utime + stime + (cutime + cstime if reaped_children else 0)
    return ticks / CLOCK_TICKS


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU of pid, its reaped children and its live children (a server and its
    workers or backends)."""
    children = children_of(pid)
    own = process_cpu_seconds(pid, reaped_children=True)
    return own + sum(process_cpu_seconds(child) for child in children)


def server_cpu_seconds(server: Gunicorn) -> float:
    """CPU used by the master and every worker so far: live workers count themselves,
    recycled ones count in the master's reaped-children time."""
    master = process_cpu_seconds(server.process.pid, reaped_children=True)
    return master + sum(process_cpu_seconds(pid) for pid in server.worker_pids())


# --- Rounds ------------------------------------------------------------------------


def no_database_cpu() -> float:
    """SQLite runs inside the workers: no database process of its own."""
    return 0.0


def measure_round(
    server: Gunicorn,
    endpoint: Endpoint,
    load: Load | Rate,
    database_cpu: Callable[[], float] = no_database_cpu,
) -> dict:
    """One wrk run (a Load) or hey run (a Rate) against endpoint, with what it cost:
    server CPU per request, the database server's CPU, and the share of the machine
    that other processes took meanwhile (noise)."""
    boots, server_cpu, db_cpu, busy = (
        server.boots(),
        server_cpu_seconds(server),
        database_cpu(),
        machine_busy_seconds(),
    )
    start = time.monotonic()
    if isinstance(load, Rate):
        summary, client_cpu = run_hey(server.port, endpoint, load)
    else:
        summary, client_cpu = run_wrk(server.port, endpoint, load)
    wall = time.monotonic() - start
    server_cpu = server_cpu_seconds(server) - server_cpu
    db_cpu = database_cpu() - db_cpu
    busy = machine_busy_seconds() - busy
    seconds = summary["duration_us"] / 1e6
    requests = summary["requests"]
    latency = summary["latency_us"]
    result = {
        "endpoint": endpoint.name,
        "requests": requests,
        "seconds": seconds,
        "requests_per_s": requests / seconds,
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "max_ms": latency["max"] / 1000,
        "statuses": {int(code): n for code, n in summary["statuses"].items()},
        "errors": summary["errors"],
        "server_cpu_s": server_cpu,
        "server_cpu_us_per_request": server_cpu / requests * 1e6 if requests else None,
        "database_cpu_s": db_cpu,
        "client_cpu_s": client_cpu,
        "other_cpu_share": max(0.0, busy - server_cpu - db_cpu - client_cpu)
        / (os.cpu_count() * wall),
        "worker_boots": server.boots() - boots,
    }
    if "latencies_ms" in summary:
        result["latencies_ms"] = summary["latencies_ms"]
    return result


def interleaved_rounds(
    server: Gunicorn,
    endpoints: list[Endpoint],
    load: Load | Rate,
    pairs: int,
    echo: Callable[[str], None],
    database_cpu: Callable[[], float] = no_database_cpu,
    servers: dict[str, Gunicorn] | None = None,
) -> list[dict]:
    """pairs x (each endpoint in turn): A, B, C, A, B, C... so that all see the same
    conditions, and each pair (one turn) gives a ratio of any two of them. An endpoint
    named in `servers` is loaded on that server instead."""
    rounds = []
    for number in range(1, pairs + 1):
        for endpoint in endpoints:
            target = (servers or {}).get(endpoint.name, server)
            result = measure_round(target, endpoint, load, database_cpu)
            result["pair"] = number
            echo(
                f"    {endpoint.name:>10} round {number}: "
                f"{result['requests_per_s']:7.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
                f"other load {result['other_cpu_share']:.0%}"
            )
            rounds.append(result)
    return rounds


# --- Memory ------------------------------------------------------------------------


def process_memory(pid: int) -> dict:
    """Resident memory of pid in MB (VmRSS, and its anonymous/file/shared parts, the
    proportional share PSS, the private part, and the peak VmHWM), and its age in
    seconds."""
    status = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )

    def megabytes(text: str) -> float:
        return int(text.split()[0]) * 1024 / MB

    rollup = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    )
    return {
        "pid": pid,
        "rss_mb": megabytes(status["VmRSS"]),
        "rss_anon_mb": megabytes(status["RssAnon"]),
        "rss_file_mb": megabytes(status["RssFile"]),
        "rss_shmem_mb": megabytes(status["RssShmem"]),
        "pss_mb": megabytes(rollup["Pss"]),
        # Pages no other process maps: what the worker costs the machine on its own.
        "private_mb": megabytes(rollup["Private_Clean"])
        + megabytes(rollup["Private_Dirty"]),
        "peak_mb": megabytes(status["VmHWM"]),
        "age_s": process_age_seconds(pid),
    }


def process_age_seconds(pid: int) -> float:
    start_ticks = int(
        Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19]
    )
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - start_ticks / CLOCK_TICKS


def workers_memory(server: Gunicorn) -> list[dict]:
    return [process_memory(pid) for pid in server.worker_pids()]


def app_memory(server: Gunicorn) -> dict:
    """The master's memory and each worker's: what the whole app holds."""
    return {
        "master": process_memory(server.process.pid),
        "workers": workers_memory(server),
    }


# --- Obtain ------------------------------------------------------------------------


# A first login, then later ones to compare it with; and the most logins a round of
# fresh workers may take to give each of them that many.
LOGINS_PER_FRESH_WORKER = 3
MAX_LOGINS_PER_ROUND = 12


def obtain_latencies(
    server: Gunicorn,
    login_field: str,
    logins: list[str],
    password: str,
    first_client: int = 0,
) -> list[dict]:
    """Milliseconds for POST /api-token-auth/ with the right password, once per login,
    one after the other: the password hasher's cost, plus the request around it; and
    the worker that served it, the one whose CPU time grew the most meanwhile.

    Each comes from another client address (X-Forwarded-For, as nginx sets it), and
    logs in another user, so that the login throttles never refuse one.
    """
    latencies = []
    for number, login in enumerate(logins, start=first_client):
        cpu_before = {pid: process_cpu_seconds(pid) for pid in server.worker_pids()}
        body = urllib.parse.urlencode({login_field: login, "password": password})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"10.255.{number // 256}.{number % 256}",
            FORWARDED_PROTO[0]: FORWARDED_PROTO[1],
        }
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
        start = time.perf_counter()
        connection.request("POST", "/api-token-auth/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        milliseconds = (time.perf_counter() - start) * 1000
        connection.close()
        worker = max(
            cpu_before, key=lambda pid: process_cpu_seconds(pid) - cpu_before[pid]
        )
        latencies.append({"ms": milliseconds, "worker": worker})
        if response.status != 200:
            raise BenchError(f"POST /api-token-auth/ answered {response.status}")
    return latencies


def fresh_worker_logins(
    server: Gunicorn,
    login_field: str,
    logins: list[str],
    password: str,
    rounds: int,
    first_client: int,
) -> list[list[float]]:
    """Each new worker's login times in milliseconds, its first login first: `rounds`
    times, the workers are replaced (as recycling replaces them), then logins follow
    one another until each new worker has served LOGINS_PER_FRESH_WORKER of them, or
    MAX_LOGINS_PER_ROUND were made; a worker with fewer than two is left out.

    The new workers answer only the readiness check (/healthz) before their first
    login: no other request warms them. Each login is another user, from another
    client address (see obtain_latencies), so that the throttles never refuse one.
    """
    unused = iter(logins)
    workers = []
    for _ in range(rounds):
        server.replace_workers("/healthz")
        served: dict[int, list[float]] = {pid: [] for pid in server.worker_pids()}
        for _ in range(MAX_LOGINS_PER_ROUND):
            if min(map(len, served.values())) >= LOGINS_PER_FRESH_WORKER:
                break
            login = next(unused, None)
            if login is None:
                raise BenchError("not enough bench users for the fresh workers' logins")
            [result] = obtain_latencies(
                server, login_field, [login], password, first_client
            )
            first_client += 1
            served[result["worker"]].append(result["ms"])
        # The kernel picks the worker that accepts: one may have served fewer.
        workers += [times for times in served.values() if len(times) >= 2]
    return workers
