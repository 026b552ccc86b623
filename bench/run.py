"""Benchmark the generated project under gunicorn with production settings, on 127.0.0.1.

    uv run python bench/run.py [--duration 10] [--pairs 3] [--postgres | --no-postgres]

Renders the default project, installs and tests it, then for SQLite (and PostgreSQL when
it is installed) serves it with gunicorn and loads it with wrk: the open endpoint, the
token-authenticated one, the same with DRF's own token lookup and the password reset
request, interleaved, then invalid tokens; worker memory, obtain-token latency, the
backfill command's throughput and the emails one task worker sends per second. Prints
a Markdown table and writes it to bench/results/latest.md, and every figure to
latest.json in the (git-ignored) output folder. See bench/README.md.
"""

import argparse
import contextlib
import datetime
import json
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TEMPLATE = BENCH.parent
sys.path.insert(0, str(TEMPLATE / "tests"))

import load  # noqa: E402
import project as projects  # noqa: E402
import report  # noqa: E402

from servers import PostgresServer, free_port, start_redis, start_smtp  # noqa: E402

LOGIN = "bench"  # the fixed user of config/bench_urls.py
PASSWORD = "correct horse battery staple"
WORKERS = 2
ENDPOINT_LABELS = {
    "open": "`GET /bench/open/`: the example view, no authentication (the limit)",
    "lookup": "`GET /bench/open-lookup/`: the open view plus `tokens.find()` (--decompose)",
    "token": "`GET /api/example/`, valid token",
    "token-unchecked": "`GET /api/example/`, valid token, with `DJANGO_CONN_HEALTH_CHECKS=false` (no `SELECT 1` first: the default before issue 22)",
    "drf-lookup": '`GET /bench/drf-lookup/`, valid token, DRF\'s own lookup (`select_related("user").get(key=...)`)',
    "password-reset": "`POST /api/accounts/password/reset/` (request_password_reset): 202, a task queued, no email sent (each request from another client, for another unknown address)",
    "invalid": "`GET /api/example/`, invalid token: 401 (each request from another client)",
    "flood": "`GET /api/example/`, invalid token from one client: 429 after the failed-token rate",
    "open-rate": "`GET /bench/open/` at a fixed rate, half the open endpoint's req/s above (`hey -q`, open loop)",
    "token-rate": "`GET /api/example/`, valid token, at the same fixed rate",
}


def echo(message: str) -> None:
    """Progress, on stderr: stdout carries only the table."""
    print(message, file=sys.stderr, flush=True)


# --- Databases ---------------------------------------------------------------------


@dataclass
class Database:
    """A database server the project runs on; new(name) makes an empty database and
    returns its DATABASE_URL."""

    key: str
    new: Callable[[str], str]
    # CPU seconds the database server has used so far; its work for our requests
    # is not noise from other processes.
    cpu_seconds: Callable[[], float] = load.no_database_cpu
    # The project's own settings variables to run it with on this database.
    settings_env: dict[str, str] = field(default_factory=dict)
    # The other services of the stack, with their versions ("Redis 7.0.15").
    services: str = ""
    # Settings for a second server whose token endpoint is loaded in the same rounds
    # ("token-unchecked"): what a setting costs, measured side by side.
    baseline_env: dict[str, str] = field(default_factory=dict)


def sqlite_database(folder: Path) -> Database:
    def new(name: str) -> str:
        path = folder / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"

    return Database("sqlite", new)


def postgres_available() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def postgres_cpu_seconds(server: PostgresServer) -> float:
    """CPU of the cluster's postmaster and its processes (backends included)."""
    pid_file = server.data_dir / "postmaster.pid"
    try:
        postmaster = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return load.process_tree_cpu_seconds(postmaster)


@contextlib.contextmanager
def postgres_database() -> Iterator[Database]:
    """A private PostgreSQL cluster on 127.0.0.1 (tests/servers.py), removed afterwards.

    Like the tests' cluster it runs with fsync off: a throwaway database.
    """
    root = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    server = PostgresServer(root, port=free_port())
    try:
        server.init()
        server.start()
        server.create_role_and_database()
        yield Database(
            "postgresql", server.create_database, lambda: postgres_cpu_seconds(server)
        )
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


@contextlib.contextmanager
def redis_server() -> Iterator[tuple[str, str]]:
    """A private redis-server, as the tests start it (tests/servers.py); its REDIS_URL
    and version."""
    root = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True
    ).stdout
    server = start_redis(root)
    try:
        found = re.search(r"v=(\S+)", version)
        yield server.url, f"Redis {found[1] if found else ''}".strip()
    finally:
        server.process.stop()
        shutil.rmtree(root, ignore_errors=True)


# --- One database ------------------------------------------------------------------


def endpoints(token: str) -> dict[str, load.Endpoint]:
    """What wrk loads, by name (ENDPOINT_LABELS says what each is)."""
    authorization = ("Authorization", f"Token {token}")
    # Well formed, so it is looked up like a real key, and found nowhere.
    unknown = ("Authorization", f"Token {secrets.token_hex(20)}")
    return {
        "open": load.Endpoint("open", "/bench/open/"),
        "lookup": load.Endpoint("lookup", "/bench/open-lookup/"),
        "token": load.Endpoint("token", "/api/example/", (authorization,)),
        "token-unchecked": load.Endpoint(
            "token-unchecked", "/api/example/", (authorization,)
        ),
        "drf-lookup": load.Endpoint(
            "drf-lookup", "/bench/drf-lookup/", (authorization,)
        ),
        # Each request for another address, from another client: the throttles per
        # submitted address (5/hour) and per client (20/hour) count each about once
        # (report.lua's numbers start at random in each round). The addresses are
        # unknown, which costs the request the same by design (the project's
        # users/tests/test_enumeration.py): the task decides what to send.
        "password-reset": load.Endpoint(
            "password-reset",
            "/api/accounts/password/reset/",
            (("Content-Type", "application/json"),),
            (
                "distinct-clients",
                "method=POST",
                'body={"email": "reset-{n}@example.com"}',
            ),
        ),
        "invalid": load.Endpoint(
            "invalid", "/api/example/", (unknown,), ("distinct-clients",)
        ),
        "flood": load.Endpoint("flood", "/api/example/", (unknown,)),
        "open-rate": load.Endpoint("open-rate", "/bench/open/"),
        "token-rate": load.Endpoint("token-rate", "/api/example/", (authorization,)),
    }


def bench_database(
    project: projects.Project, database: Database, options, output: Path
) -> dict:
    """Everything measured on one database: load, memory, obtain, backfill, emails."""
    name = report.database_label(database.key)
    echo(f"{name}: migrate, create the bench users")
    url = database.new("bench_load")
    project.manage(url, "migrate", "--no-input")
    user = project.tool(url, "user", LOGIN, PASSWORD)
    # Login throttles count per login name: each obtain sample logs in another user.
    fresh_logins = options.fresh_rounds * load.MAX_LOGINS_PER_ROUND
    logins = project.tool(
        url,
        "login-users",
        "obtain",
        str(options.obtain_samples + fresh_logins),
        PASSWORD,
    )["logins"]
    facts = project.tool(url, "facts")
    targets = endpoints(user["token"])
    server = projects.Gunicorn(
        project,
        url,
        output / f"gunicorn-{database.key}.log",
        WORKERS,
        options.max_requests,
    )
    result = {
        "facts": facts,
        "services": database.services,
        "gunicorn": server.effective_config(),
    }
    with contextlib.ExitStack() as servers:
        servers.enter_context(server.start("/bench/open/"))
        baseline = None
        if database.baseline_env:
            baseline = projects.Gunicorn(
                project.with_settings(database.baseline_env),
                url,
                output / f"gunicorn-{database.key}-baseline.log",
                WORKERS,
                options.max_requests,
            )
            servers.enter_context(baseline.start("/bench/open/"))
            result["baseline_env"] = database.baseline_env
        result |= load_server(server, targets, options, database.cpu_seconds, baseline)
        if baseline:
            baseline.stop()  # idle from here on, but its memory is not the app's
        echo(f"  obtain token x{options.obtain_samples}")
        # The workers' memory before and after: what logins add to their peak (VmHWM),
        # and where they leave it (each login's worker is recorded).
        memory_before = load.workers_memory(server)
        latencies = load.obtain_latencies(
            server, facts["username_field"], logins[: options.obtain_samples], PASSWORD
        )
        memory_after = load.workers_memory(server)
        result["obtain"] = report.summarize_obtain(
            latencies, memory_before, memory_after
        )
        # After the load and the logins: the master and its workers, as a container's
        # memory accounting would charge them (PSS).
        result["app_memory"] = load.app_memory(server)
        echo(f"  first logins of new workers, {options.fresh_rounds} rounds")
        workers = load.fresh_worker_logins(
            server,
            facts["username_field"],
            logins[options.obtain_samples :],
            PASSWORD,
            options.fresh_rounds,
            first_client=options.obtain_samples,
        )
        result["fresh_workers"] = report.summarize_fresh_workers(workers)
    result["backfill"] = measure_backfill(project, database, options.users)
    result["emails"] = measure_emails(project, database, options.emails, output)
    return result


def load_server(server, targets, options, database_cpu, baseline=None) -> dict:
    """Warm up, interleaved open/token/drf-lookup/password-reset rounds (and the
    baseline server's token endpoint, if there is one), invalid tokens, open/token
    rounds at a fixed rate, then worker memory."""
    load_spec = load.Load(options.threads, options.connections, options.duration)
    warmup = load.Load(options.threads, options.connections, options.warmup)
    # The token endpoint, then the same with DRF's own lookup: the compiled lookup's
    # gain, in the same rounds; then a password reset request, which only queues its
    # task (no worker runs meanwhile): what it costs next to a token request.
    # --decompose puts the open view plus the lookup between open and token: how much
    # of their gap the lookup explains.
    names = ["open", "lookup"] if options.decompose else ["open"]
    names += ["token", "drf-lookup", "password-reset"]
    servers = {}
    if baseline:
        names.append("token-unchecked")
        servers["token-unchecked"] = baseline
    echo(f"  warm-up, {options.warmup:g} s per endpoint")
    for name in names:
        load.measure_round(
            servers.get(name, server), targets[name], warmup, database_cpu
        )
    memory_warm = load.workers_memory(server)
    echo(f"  {options.pairs} rounds of {options.duration:g} s each: {', '.join(names)}")
    rounds = load.interleaved_rounds(
        server,
        [targets[name] for name in names],
        load_spec,
        options.pairs,
        echo,
        database_cpu,
        servers,
    )
    echo("  invalid tokens: distinct clients (401), then one client (429)")
    for name in ("invalid", "flood"):
        rounds.append(
            load.measure_round(server, targets[name], load_spec, database_cpu)
            | {"pair": 0}
        )
    # Latency at a fixed rate, a share of what the open endpoint serves at most: what
    # a client waits on a busy day, where wrk's rounds show the most the server can do.
    open_rate = report.summarize_endpoint(
        [r for r in rounds if r["endpoint"] == "open"]
    )
    rate = load.Rate(
        options.rate_fraction * open_rate["requests_per_s"], options.rate_duration
    )
    echo(
        f"  {options.rate_pairs} rounds of {options.rate_duration:g} s each at "
        f"{rate.requests_per_s:.0f} req/s: open, token"
    )
    rounds += load.interleaved_rounds(
        server,
        [targets["open-rate"], targets["token-rate"]],
        rate,
        options.rate_pairs,
        echo,
        database_cpu,
    )
    memory_after = load.workers_memory(server)
    return {
        "rounds": rounds,
        "endpoints": {
            name: report.summarize_endpoint(
                [r for r in rounds if r["endpoint"] == name]
            )
            for name in targets
            if any(r["endpoint"] == name for r in rounds)
        },
        "ratio": report.ratio(rounds, "token", "open"),
        "drf_lookup_ratio": report.ratio(rounds, "token", "drf-lookup"),
        "password_reset_ratio": report.ratio(rounds, "password-reset", "token"),
        **(
            {
                "unchecked_ratio": report.ratio(rounds, "token-unchecked", "open"),
                "health_check_ratio": report.ratio(rounds, "token", "token-unchecked"),
            }
            if baseline
            else {}
        ),
        "fixed_rate": {"requests_per_s": rate.requests_per_s, "clients": rate.clients},
        "memory": {"after_warmup": memory_warm, "after_load": memory_after},
    }


def measure_backfill(project: projects.Project, database: Database, users: int) -> dict:
    """Tokens per second of `manage.py backfill_tokens` for users made by bulk_create,
    timed around the whole command (Django's start-up included)."""
    echo(f"  backfill: {users:,} users by bulk_create, then backfill_tokens")
    url = database.new("bench_backfill")
    project.manage(url, "migrate", "--no-input")
    bulk = project.tool(url, "bulk-users", str(users))
    result, seconds = projects.timed(lambda: project.manage(url, "backfill_tokens"))
    found = re.search(r"Created (\d+)", result.stdout)
    created = int(found[1]) if found else None
    if created != users:
        raise projects.BenchError(f"backfill_tokens created {created}, not {users}")
    return {
        "users": users,
        "bulk_create_s": bulk["seconds"],
        "created": created,
        "seconds": seconds,
        "tokens_per_s": created / seconds,
    }


def measure_emails(
    project: projects.Project, database: Database, emails: int, output: Path
) -> dict:
    """Emails per second that one task worker delivers: as many password resets
    queued as users made, then `manage.py worker --batch --no-startup-delay` timed from
    start to exit (Django's start-up included; also timed alone, on an empty queue),
    sending each to a local SMTP server (aiosmtpd, tests/servers.py). Every task must
    end SUCCESSFUL, every email arrive."""
    echo(f"  emails: {emails:,} password resets queued, then one worker sends them")
    url = database.new("bench_emails")
    project.manage(url, "migrate", "--no-input")
    smtp = start_smtp(output / f"smtp-{database.key}")
    with smtp.process:
        sender = project.with_settings(
            {
                "DJANGO_EMAIL_HOST": smtp.host,
                "DJANGO_EMAIL_PORT": str(smtp.port),
                "DJANGO_EMAIL_USE_TLS": "false",
            }
        )

        def worker_seconds() -> float:
            """One worker: it runs what is queued, then exits."""
            _, seconds = projects.timed(
                lambda: sender.manage(url, "worker", "--batch", "--no-startup-delay")
            )
            return seconds

        startup = worker_seconds()
        project.tool(url, "queue-resets", "reset", str(emails), PASSWORD)
        seconds = worker_seconds()
        received = len(smtp.messages())
    statuses = project.tool(url, "task-statuses")
    if statuses != {"SUCCESSFUL": emails} or received != emails:
        raise projects.BenchError(
            f"the worker's tasks ended {statuses}; the SMTP server received {received} "
            f"emails, not {emails}"
        )
    return {
        "emails": emails,
        "seconds": seconds,
        "emails_per_s": emails / seconds,
        "empty_queue_s": startup,
        "statuses": statuses,
        "received": received,
    }


# --- The whole run -----------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo
            if line.startswith("model name")
        ),
        "?",
    )
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "cpus": len([line for line in cpuinfo if line.startswith("processor")]),
        "cpu_model": model,
        "kernel": platform.release(),
        "wrk": (wrk.stdout or wrk.stderr).split(" [", 1)[0].strip(),
    }


def template_version(ref: str | None) -> str:
    """The commit rendered: ref's, or the checkout's and whether it has changes."""

    def git(*args) -> str:
        return subprocess.run(
            ["git", "-C", str(TEMPLATE), *args], capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", ref or "HEAD") or "unknown"
    if ref:
        return commit
    changed = git(
        "status",
        "--porcelain",
        "--",
        "{{cookiecutter.project_slug}}",
        "hooks",
        "cookiecutter.json",
    )
    return f"{commit}{' + uncommitted changes' if changed else ''}"


def databases(options, output: Path, stack: contextlib.ExitStack) -> list[Database]:
    chosen = [sqlite_database(output)]
    want_postgres = options.postgres
    if want_postgres is None:
        want_postgres = postgres_available()
        if not want_postgres:
            echo(
                "PostgreSQL is not installed: SQLite only (apt-get install -y postgresql)"
            )
    elif want_postgres and not postgres_available():
        sys.exit(
            "--postgres: PostgreSQL is not installed (apt-get install -y postgresql)"
        )
    if want_postgres:
        postgres = stack.enter_context(postgres_database())
        if options.health_check_cost:
            # The project's default against the one it had before issue 22: the
            # connection health check's cost, in the same rounds.
            postgres.baseline_env = {"DJANGO_CONN_HEALTH_CHECKS": "false"}
        chosen.append(postgres)
        if options.postgres_prepared:
            # The same cluster, with the project's opt-in: databases of their own.
            chosen.append(
                replace(
                    postgres,
                    key="postgresql-prepared",
                    baseline_env={},
                    new=lambda name: postgres.new(f"{name}_prepared"),
                    settings_env={"DJANGO_DB_PREPARED_STATEMENTS": "true"},
                )
            )
        want_redis = options.redis
        if want_redis is None:
            want_redis = redis_available()
            if not want_redis:
                echo("redis-server is not installed: no PostgreSQL + Redis stack")
        elif want_redis and not redis_available():
            sys.exit(
                "--redis: redis-server is not installed (apt-get install -y redis-server)"
            )
        if want_redis:
            # The recommended production stack: Redis as the cache, on the same cluster
            # with databases of its own.
            redis_url, redis_version = stack.enter_context(redis_server())
            chosen.append(
                replace(
                    postgres,
                    key="postgresql-redis",
                    baseline_env={},
                    new=lambda name: postgres.new(f"{name}_redis"),
                    settings_env={"REDIS_URL": redis_url},
                    services=redis_version,
                )
            )
    elif options.postgres_prepared:
        sys.exit("--postgres-prepared needs PostgreSQL (and not --no-postgres)")
    elif options.redis:
        sys.exit("--redis needs PostgreSQL (and not --no-postgres)")
    return chosen


def run_bench(options) -> dict:
    started = time.monotonic()
    output = options.output.resolve()
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    template = None
    if options.template_ref:
        template = projects.export_template(
            options.template_ref, TEMPLATE, output / "template"
        )
    echo(
        f"Render the template ({options.template_ref or 'working tree'}) into {output}"
    )
    project, render_s = projects.render_project(output, options.bytecode, template)
    facts = {"name": project.path.name, "render_s": render_s}
    echo("uv sync --locked, twice (the second with a warm cache)")
    facts |= projects.install(project)
    if options.suite:
        echo("The generated test suite: uv run pytest")
        facts |= projects.run_test_suite(project)
    echo("uv sync --locked --no-dev --compile-bytecode, as the README's deploy steps")
    facts["deploy_install_s"] = projects.install_for_deploy(project)
    projects.add_bench_files(project)
    echo("collectstatic, as the README's deploy steps do")
    facts["collectstatic_s"] = projects.collect_static(project)
    results = {}
    with contextlib.ExitStack() as stack:
        for database in databases(options, output, stack):
            results[database.key] = bench_database(
                replace(project, settings_env=database.settings_env),
                database,
                options,
                output,
            )
    bench = {
        "generated_at": datetime.datetime.now(datetime.UTC).strftime(
            "%Y-%m-%d %H:%M UTC"
        ),
        "template": template_version(options.template_ref),
        "machine": machine(),
        "options": {
            "duration": options.duration,
            "pairs": options.pairs,
            "warmup": options.warmup,
            "threads": options.threads,
            "connections": options.connections,
            "users": options.users,
            "obtain_samples": options.obtain_samples,
            "fresh_rounds": options.fresh_rounds,
            "max_requests": options.max_requests,
            "bytecode": options.bytecode,
            "decompose": options.decompose,
            "postgres_prepared": options.postgres_prepared,
            "health_check_cost": options.health_check_cost,
            "rate_fraction": options.rate_fraction,
            "rate_duration": options.rate_duration,
            "rate_pairs": options.rate_pairs,
            "redis": options.redis,
            "emails": options.emails,
        },
        "labels": ENDPOINT_LABELS,
        "project": facts,
        "backends": results,
    }
    bench["targets"] = report.targets(results)
    bench["wall_s"] = time.monotonic() - started
    return bench


# The READMEs that show the latest table: the bench's own, and the template's.
READMES = [BENCH / "README.md", BENCH.parent / "README.md"]
README_START = "<!-- latest results: written by bench/run.py -->\n"
README_END = "<!-- end of latest results -->"


def write_results(bench: dict, folder: Path, output: Path) -> str:
    """Write latest.md to folder and latest.json (every round, every worker: thousands
    of lines, kept out of git) to output; when the table goes to bench/results, copy it
    into the READMEs too. Returns the Markdown."""
    folder.mkdir(parents=True, exist_ok=True)
    output.mkdir(parents=True, exist_ok=True)
    text = report.markdown(bench)
    (output / "latest.json").write_text(json.dumps(bench, indent=2, default=str) + "\n")
    (folder / "latest.md").write_text(text)
    if folder.resolve() == (BENCH / "results").resolve():
        for readme in READMES:
            update_readme(readme, text)
    return text


def update_readme(readme: Path, text: str) -> None:
    """Put the table between the README's markers, its title one level down."""
    before, rest = readme.read_text().split(README_START, 1)
    _, after = rest.split(README_END, 1)
    table = text.replace("# Benchmark of", "### Benchmark of", 1)
    readme.write_text(f"{before}{README_START}\n{table}\n{README_END}{after}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=3, help="seconds per round (default: 3)"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=10,
        help="interleaved rounds per endpoint: open, token, drf-lookup, "
        "password-reset (default: 10)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=2,
        help="warm-up seconds per endpoint (default: 2)",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="wrk threads (default: 2)"
    )
    parser.add_argument(
        "--connections", type=int, default=8, help="wrk connections (default: 8)"
    )
    parser.add_argument(
        "--postgres",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also on PostgreSQL (default: when it is installed)",
    )
    parser.add_argument(
        "--postgres-prepared",
        action="store_true",
        help="PostgreSQL once more, with the project's DJANGO_DB_PREPARED_STATEMENTS=true",
    )
    parser.add_argument(
        "--health-check-cost",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="on PostgreSQL, also load the token endpoint of a second server with "
        "DJANGO_CONN_HEALTH_CHECKS=false, in the same rounds (default: yes)",
    )
    parser.add_argument(
        "--rate-fraction",
        type=float,
        default=0.5,
        help="the fixed rate of the hey rounds, as a share of the open endpoint's "
        "req/s (default: 0.5)",
    )
    parser.add_argument(
        "--rate-duration",
        type=float,
        default=5,
        help="seconds per fixed-rate round (default: 5)",
    )
    parser.add_argument(
        "--rate-pairs",
        type=int,
        default=3,
        help="fixed-rate rounds per endpoint: open, token, open... (default: 3)",
    )
    parser.add_argument(
        "--redis",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also on PostgreSQL with Redis as the cache (REDIS_URL), the recommended "
        "production stack (default: when redis-server and PostgreSQL are installed)",
    )
    parser.add_argument(
        "--users", type=int, default=100_000, help="users to backfill (default: 100000)"
    )
    parser.add_argument(
        "--emails",
        type=int,
        default=1000,
        help="password reset emails one task worker sends, timed (default: 1000)",
    )
    parser.add_argument(
        "--obtain-samples",
        type=int,
        default=20,
        help="obtain-token requests (default: 20)",
    )
    parser.add_argument(
        "--fresh-rounds",
        type=int,
        default=5,
        help="times the workers are replaced to time their first logins (default: 5)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="override gunicorn's max_requests (default: the project's gunicorn.conf.py)",
    )
    parser.add_argument(
        "--bytecode",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="compile the environment's bytecode (uv sync --compile-bytecode) and let "
        "Python write the project's; --no-bytecode: neither, like a read-only "
        "environment that was never compiled (default: compile)",
    )
    parser.add_argument(
        "--decompose",
        action="store_true",
        help="also load /bench/open-lookup/ (the open view plus the token lookup) in "
        "the interleaved rounds, to tell the lookup's cost from the rest of the "
        "authentication",
    )
    parser.add_argument(
        "--template-ref",
        metavar="REF",
        help="render the template as committed at this git ref (default: the "
        "working tree, uncommitted changes included)",
    )
    parser.add_argument(
        "--suite",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time the generated test suite (default: yes)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH / "output" / "run",
        help="scratch folder, emptied first; latest.json ends there (default: bench/output/run)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH / "results",
        help="where latest.md goes (default: bench/results)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    options = parse_args(argv)
    for tool in ("wrk", "hey"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y {tool}")
    try:
        bench = run_bench(options)
    except projects.BenchError as error:
        sys.exit(f"bench: {error}")
    print(write_results(bench, options.results, options.output))


if __name__ == "__main__":
    main()
