"""Figures from the measurements: per-endpoint summaries, the ratio, the targets, and
the Markdown report."""

import collections
import statistics

# Targets from the issues; checked here, on the benchmark's output, never by tests.
MIN_TOKEN_OPEN_RATIO = 0.85
MAX_TOKEN_OPEN_P99 = 1.2
MIN_BACKFILL_TOKENS_PER_S = 20_000
# Memory as a container's accounting charges it (issue 22): the master and its workers
# share most of their pages (preload_app), so what counts is the sum of their PSS,
# and what one more worker adds is its private memory.
MAX_APP_PSS_MB = 110.0
MAX_WORKER_PRIVATE_MB = 25.0
# Rounds in which other processes used more of the machine than this are flagged.
NOISY_SHARE = 0.10

DATABASE_NAMES = {
    "sqlite": "SQLite",
    "postgresql": "PostgreSQL",
    "postgresql-prepared": "PostgreSQL",
    "postgresql-redis": "PostgreSQL",
}
# The services besides the database, where there are any: the recommended production
# stack has Redis as the cache (REDIS_URL); the others cache in the database.
STACK_SERVICES = {"postgresql-redis": "Redis"}
# How the project was set up on a database, where it differs from its defaults.
DATABASE_VARIANTS = {"postgresql-prepared": "DJANGO_DB_PREPARED_STATEMENTS=true"}


def database_label(key: str, version: str = "", services: str = "") -> str:
    """The stack: the database's name, then its version if given, then the other
    services (with their versions, if given), then how the project was set up on it if
    not by default: "PostgreSQL 15.1 + Redis 7.0.15", "PostgreSQL,
    DJANGO_DB_PREPARED_STATEMENTS=true"."""
    name = " ".join(filter(None, [DATABASE_NAMES[key], version]))
    if key in STACK_SERVICES:
        name += " + " + (services or STACK_SERVICES[key])
    return ", ".join(filter(None, [name, DATABASE_VARIANTS.get(key)]))


# --- Summaries ---------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def add_counts(dicts: list[dict]) -> dict:
    total: dict = {}
    for counts in dicts:
        for key, count in counts.items():
            total[key] = total.get(key, 0) + count
    return total


def summarize_endpoint(rounds: list[dict]) -> dict:
    """Throughput over all of an endpoint's rounds; latencies and CPU per request as
    the median of the rounds' own figures (wrk's histograms cannot be merged), or for
    hey's rounds, which give every latency, over all of them together."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    if all("latencies_ms" in r for r in rounds):
        latencies = [ms for r in rounds for ms in r["latencies_ms"]]
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    else:
        p50 = statistics.median(r["p50_ms"] for r in rounds)
        p99 = statistics.median(r["p99_ms"] for r in rounds)
    return {
        "rounds": len(rounds),
        "requests": requests,
        "seconds": seconds,
        "requests_per_s": requests / seconds,
        "p50_ms": p50,
        "p99_ms": p99,
        "server_cpu_us_per_request": statistics.median(
            r["server_cpu_us_per_request"] for r in rounds
        ),
        "database_cpu_us_per_request": statistics.median(
            r.get("database_cpu_s", 0.0) / r["requests"] * 1e6 for r in rounds
        ),
        "statuses": add_counts([r["statuses"] for r in rounds]),
        "errors": add_counts([r["errors"] for r in rounds]),
        "worker_boots": sum(r["worker_boots"] for r in rounds),
        "max_other_cpu_share": max(r["other_cpu_share"] for r in rounds),
    }


def ratio(rounds: list[dict], numerator: str, denominator: str) -> dict:
    """numerator's throughput over denominator's, over all pairs and pair by pair;
    and the same from server CPU per request, which other load disturbs less."""
    by_pair: dict[int, dict] = {}
    rounds = [r for r in rounds if r["endpoint"] in (numerator, denominator)]
    for r in rounds:
        by_pair.setdefault(r["pair"], {})[r["endpoint"]] = r
    top = summarize_endpoint([r for r in rounds if r["endpoint"] == numerator])
    bottom = summarize_endpoint([r for r in rounds if r["endpoint"] == denominator])
    return {
        "throughput": top["requests_per_s"] / bottom["requests_per_s"],
        "per_pair": [
            pair[numerator]["requests_per_s"] / pair[denominator]["requests_per_s"]
            for _, pair in sorted(by_pair.items())
        ],
        "server_cpu": cpu_per_request(bottom) / cpu_per_request(top),
    }


def cpu_per_request(summary: dict) -> float:
    """gunicorn's CPU per request, plus the database server's when it has one: both
    run on the same cores."""
    return summary["server_cpu_us_per_request"] + summary["database_cpu_us_per_request"]


def summarize_obtain(
    logins: list[dict], memory_before: list[dict], memory_after: list[dict]
) -> dict:
    """Latencies, how many logins each worker served, and how much the logins raised
    each worker's peak resident memory (only workers that served them all: a recycled
    worker starts afresh)."""
    latencies = [login["ms"] for login in logins]
    before = {worker["pid"]: worker["peak_mb"] for worker in memory_before}
    peak_growth = [
        worker["peak_mb"] - before[worker["pid"]]
        for worker in memory_after
        if worker["pid"] in before
    ]
    return {
        "samples": len(latencies),
        "logins_by_worker": collections.Counter(login["worker"] for login in logins),
        "median_ms": statistics.median(latencies),
        "p90_ms": percentile(latencies, 0.9),
        "min_ms": min(latencies),
        "all_ms": latencies,
        "peak_memory_growth_mb": max(peak_growth) if peak_growth else None,
        "memory_before": memory_before,
        "memory_after": memory_after,
    }


def summarize_fresh_workers(workers: list[list[float]]) -> dict:
    """Each fresh worker's first login over the median of its later ones, and the
    median of that over the workers."""
    ratios = [times[0] / statistics.median(times[1:]) for times in workers]
    return {
        "workers": len(workers),
        "first_ratio": statistics.median(ratios),
        "ratios": ratios,
        "first_median_ms": statistics.median(times[0] for times in workers),
        "later_median_ms": statistics.median(t for times in workers for t in times[1:]),
        "logins_ms": workers,
    }


def p99_ratio(result: dict, token: str = "token", open_: str = "open") -> float:
    """The token endpoint's p99 over the open one's (at saturation, or at the fixed
    rate: "token-rate", "open-rate")."""
    endpoints = result["endpoints"]
    return endpoints[token]["p99_ms"] / endpoints[open_]["p99_ms"]


def app_pss(result: dict) -> float:
    """The master's PSS and its workers', after the load and the logins."""
    memory = result["app_memory"]
    return sum(p["pss_mb"] for p in [memory["master"], *memory["workers"]])


def worker_private(result: dict) -> float:
    """The largest worker's private memory, after the load and the logins."""
    return max(worker["private_mb"] for worker in result["app_memory"]["workers"])


# --- Targets -----------------------------------------------------------------------


def targets(backends: dict) -> list[dict]:
    """Each target, on the backends it applies to, with its value and whether it
    holds. The throughput ratio is marked disturbed when other processes took more
    than NOISY_SHARE of the machine during a round: its verdict then means little."""
    checks = []
    for key, result in backends.items():
        name = database_label(key)
        if key == "sqlite":
            checks.append(
                check(
                    f"token / open throughput ({name})",
                    result["ratio"]["throughput"],
                    ">=",
                    MIN_TOKEN_OPEN_RATIO,
                    disturbed=other_cpu_share(result) > NOISY_SHARE,
                )
            )
            checks.append(
                check(
                    f"backfill tokens/s ({name})",
                    result["backfill"]["tokens_per_s"],
                    ">=",
                    MIN_BACKFILL_TOKENS_PER_S,
                )
            )
        checks.append(
            check(f"app PSS MB ({name})", app_pss(result), "<=", MAX_APP_PSS_MB)
        )
        checks.append(
            check(
                f"worker private MB ({name})",
                worker_private(result),
                "<=",
                MAX_WORKER_PRIVATE_MB,
            )
        )
        disturbed = other_cpu_share(result) > NOISY_SHARE
        checks.append(
            check(
                f"token p99 / open p99 ({name})",
                p99_ratio(result),
                "<=",
                MAX_TOKEN_OPEN_P99,
                disturbed=disturbed,
            )
        )
        checks.append(
            check(
                f"fixed rate: token p99 / open p99 ({name})",
                p99_ratio(result, "token-rate", "open-rate"),
                "<=",
                MAX_TOKEN_OPEN_P99,
                disturbed=disturbed,
            )
        )
    return checks


def check(
    name: str, value: float, relation: str, limit: float, disturbed: bool = False
) -> dict:
    holds = value >= limit if relation == ">=" else value <= limit
    return {
        "name": name,
        "value": value,
        "relation": relation,
        "limit": limit,
        "holds": holds,
        "disturbed": disturbed,
    }


def other_cpu_share(result: dict) -> float:
    """The most of the machine other processes used during one of the rounds."""
    return max(s["max_other_cpu_share"] for s in result["endpoints"].values())


# --- Markdown ----------------------------------------------------------------------


def number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def seconds_text(value: float) -> str:
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def statuses_text(statuses: dict, errors: dict) -> str:
    parts = [
        f"{code}: {number(n)}"
        for code, n in sorted(statuses.items(), key=lambda i: int(i[0]))
    ]
    # wrk counts any non-2xx/3xx answer as a "status" error; those are shown above.
    parts += [
        f"{kind} errors: {number(n)}"
        for kind, n in errors.items()
        if n and kind != "status"
    ]
    return ", ".join(parts) or "none"


def load_rows(key: str, result: dict, labels: dict) -> list[str]:
    database = database_label(
        key, result["facts"]["database"]["version"], result.get("services", "")
    )
    rows = []
    for name, summary in result["endpoints"].items():
        rows.append(
            f"| {database} | {labels[name]} | {number(summary['requests_per_s'])} "
            f"| {summary['p50_ms']:.1f} | {summary['p99_ms']:.1f} "
            f"| {cpu_text(summary)} "
            f"| {statuses_text(summary['statuses'], summary['errors'])} |"
        )
    return rows


def cpu_text(summary: dict) -> str:
    text = number(summary["server_cpu_us_per_request"])
    if summary["database_cpu_us_per_request"]:
        text += f" + {number(summary['database_cpu_us_per_request'])} database"
    return text


def per_database(backends: dict, figure, needs: str = "") -> str:
    """figure(result) on each stack, or on those whose result has `needs`."""
    return "; ".join(
        f"{database_label(key)}: {figure(result)}"
        for key, result in backends.items()
        if not needs or needs in result
    )


def pairs_text(ratio: dict) -> str:
    """A same-run ratio pair by pair, then from server CPU per request."""
    pairs = ", ".join(f"{value:.2f}" for value in ratio["per_pair"])
    return f"pairs: {pairs}; from server CPU per request: {ratio['server_cpu']:.2f}"


def ratio_text(result: dict) -> str:
    ratio = result["ratio"]
    text = f"**{ratio['throughput']:.2f}** ({pairs_text(ratio)}"
    if "lookup" in result["endpoints"]:
        endpoints = result["endpoints"]
        lookup = (
            endpoints["lookup"]["requests_per_s"] / endpoints["open"]["requests_per_s"]
        )
        text += f"; open + lookup / open: {lookup:.2f}"
    return text + ")"


def same_run_text(result: dict, key: str, numerator: str, denominator: str) -> str:
    """result[key], numerator's throughput over denominator's in the same rounds: the
    ratio, both req/s, then pair by pair."""
    ratio = result[key]
    top, bottom = (
        number(result["endpoints"][name]["requests_per_s"])
        for name in (numerator, denominator)
    )
    return (
        f"**{ratio['throughput']:.2f}** ({top} / {bottom} req/s; {pairs_text(ratio)})"
    )


def drf_lookup_text(result: dict) -> str:
    """The token endpoint's throughput (the compiled lookup) over the same view's with
    DRF's lookup, same run."""
    return same_run_text(result, "drf_lookup_ratio", "token", "drf-lookup")


def password_reset_text(result: dict) -> str:
    """The password reset request's throughput (it queues a task) over the token
    request's, same run."""
    return same_run_text(result, "password_reset_ratio", "password-reset", "token")


def app_memory_text(result: dict) -> str:
    """The sum of the master's and the workers' PSS, then each one's, with its VmRSS
    (which counts every page it shares in full, as each process sees it)."""
    memory = result["app_memory"]
    master = memory["master"]
    workers = ", ".join(
        f"{w['pss_mb']:.1f} (RSS {w['rss_mb']:.1f})" for w in memory["workers"]
    )
    return (
        f"**{app_pss(result):.1f} MB** (master {master['pss_mb']:.1f} "
        f"(RSS {master['rss_mb']:.1f}), workers {workers})"
    )


def worker_private_text(result: dict) -> str:
    """The largest worker's private memory, then each worker's with how many of the
    logins it served."""
    # By pid as text: the same whether the figures come from this run or latest.json.
    logins = {str(pid): n for pid, n in result["obtain"]["logins_by_worker"].items()}
    each = ", ".join(
        f"{w['private_mb']:.1f} MB after {logins.get(str(w['pid']), 0)} logins"
        for w in result["app_memory"]["workers"]
    )
    return f"**{worker_private(result):.1f} MB** (workers: {each})"


def p99_text(result: dict, token: str = "token", open_: str = "open") -> str:
    ratio = p99_ratio(result, token, open_)
    token_ms, open_ms = (result["endpoints"][name]["p99_ms"] for name in (token, open_))
    return f"**{ratio:.2f}** ({token_ms:.1f} ms / {open_ms:.1f} ms)"


def fixed_rate_p99_text(result: dict) -> str:
    rate = result["fixed_rate"]["requests_per_s"]
    return f"{p99_text(result, 'token-rate', 'open-rate')} at {number(rate)} req/s"


def health_check_text(result: dict) -> str:
    """The token endpoint with the connection health check over the same without it
    (a second server, same rounds): throughput, pair by pair, from CPU per request
    (server and database), then token / open with and without it."""
    endpoints = result["endpoints"]
    checked, unchecked = endpoints["token"], endpoints["token-unchecked"]
    ratio = result["health_check_ratio"]
    return (
        f"**{ratio['throughput']:.2f}** ({number(checked['requests_per_s'])} / "
        f"{number(unchecked['requests_per_s'])} req/s; {pairs_text(ratio)}, "
        f"{number(cpu_per_request(checked))} against "
        f"{number(cpu_per_request(unchecked))} µs; token / open "
        f"{result['ratio']['throughput']:.2f} with it, "
        f"{result['unchecked_ratio']['throughput']:.2f} without)"
    )


def first_login_text(result: dict) -> str:
    fresh = result["fresh_workers"]
    return (
        f"median **{fresh['first_ratio']:.2f}** over {fresh['workers']} workers "
        f"({min(fresh['ratios']):.2f} to {max(fresh['ratios']):.2f}; first logins "
        f"median {fresh['first_median_ms']:.0f} ms, later ones {fresh['later_median_ms']:.0f} ms)"
    )


def per_second_text(count: int, seconds: float, unit: str) -> str:
    """How many per second, then how many in how long."""
    return (
        f"**{number(count / seconds)} {unit}/s** ({number(count)} in {seconds:.2f} s)"
    )


def backfill_text(result: dict) -> str:
    backfill = result["backfill"]
    return per_second_text(backfill["created"], backfill["seconds"], "tokens")


def emails_text(result: dict) -> str:
    emails = result["emails"]
    return (
        f"{per_second_text(emails['emails'], emails['seconds'], 'emails')}; "
        f"the same worker on an empty queue: {emails['empty_queue_s']:.2f} s"
    )


def obtain_text(result: dict) -> str:
    obtain = result["obtain"]
    growth = obtain.get("peak_memory_growth_mb")
    memory = (
        "worker peak memory (VmHWM) not comparable: workers recycled"
        if growth is None
        else f"worker peak memory (VmHWM) +{growth:.1f} MB over these logins"
    )
    return (
        f"median **{obtain['median_ms']:.0f} ms**, p90 {obtain['p90_ms']:.0f} ms "
        f"({obtain['samples']} sequential), {memory}"
    )


def hasher_text(facts: dict) -> str:
    hasher = facts["password_hasher"]
    cost = ", ".join(
        f"{number(value)} {name}" for name, value in hasher["cost"].items()
    )
    return f"`{hasher['path']}` ({hasher['algorithm']}, {cost})"


def markdown(report: dict) -> str:
    """The whole report as Markdown: context, load table, targets, other figures."""
    backends = report["backends"]
    first = next(iter(backends.values()))
    facts, gunicorn, options = first["facts"], first["gunicorn"], report["options"]
    lines = [
        f"# Benchmark of the generated project ({report['project']['name']}, default options)",
        "",
        f"{report['generated_at']} · template {report['template']} · "
        f"{report['machine']['cpus']} CPUs ({report['machine']['cpu_model']}) · "
        f"Python {facts['python']}, Django {facts['django']}, "
        f"DRF {facts['djangorestframework']}, gunicorn {facts['gunicorn']}, {report['machine']['wrk']}",
        "",
        f"Production settings on 127.0.0.1, no proxy (`X-Forwarded-Proto: https` sent by wrk). "
        f"gunicorn: {gunicorn['workers']} {gunicorn['worker_class']} workers, "
        f"max_requests {gunicorn['max_requests']} (jitter {gunicorn['max_requests_jitter']}), "
        f"access log `{gunicorn['accesslog']}`"
        f"{', from the project gunicorn.conf.py' if gunicorn['config_file'] else ''}. "
        f"wrk -t{options['threads']} -c{options['connections']}, "
        f"{options['pairs']} interleaved rounds of {options['duration']:g} s per endpoint "
        f"({'open, lookup' if options.get('decompose') else 'open'}, token, drf-lookup, "
        f"password-reset, ...), "
        f"after {options['warmup']:g} s of warm-up each; then hey -c{first['fixed_rate']['clients']} "
        f"at a fixed rate, {options['rate_pairs']} interleaved rounds of "
        f"{options['rate_duration']:g} s per endpoint (open, token). "
        f"{connections_text(facts['database'])} {bytecode_text(report)}",
        "",
        "| stack | endpoint | req/s | p50 ms | p99 ms | server CPU µs/req | responses |",
        "| --- | --- | --: | --: | --: | --: | --- |",
    ]
    for key, result in backends.items():
        lines += load_rows(key, result, report["labels"])
    lines += [
        "",
        "| figure | value | target | holds |",
        "| --- | --- | --- | --- |",
    ]
    lines += target_rows(report)
    lines += [
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| token lookup: compiled (`users/key_lookup.py`) vs DRF's "
        f"`select_related().get()`, same run | {per_database(backends, drf_lookup_text)} |",
        f"| password reset request / token request throughput, same run (the request "
        f"queues its task: `{facts['tasks']}`) | "
        f"{per_database(backends, password_reset_text)} |",
        f"| emails one task worker delivers to a local SMTP server (aiosmtpd): "
        f"{number(options['emails'])} password resets queued, `manage.py worker --batch "
        f"--no-startup-delay` timed from start to exit, start-up included | "
        f"{per_database(backends, emails_text)} |",
        *(
            [
                f"| connection health check (`DJANGO_CONN_HEALTH_CHECKS`, `SELECT 1` "
                f"before a request's first query): the token endpoint with it over a "
                f"second server's without it, same rounds | "
                f"{per_database(backends, health_check_text, 'health_check_ratio')} |"
            ]
            if any("health_check_ratio" in result for result in backends.values())
            else []
        ),
        f"| obtain token, `POST /api-token-auth/` | {per_database(backends, obtain_text)}; "
        f"hasher {hasher_text(facts)}: its cost by design |",
        f"| a new worker's first login over the median of its later ones (workers "
        f"replaced as recycling replaces them, nothing but /healthz before) | "
        f"{per_database(backends, first_login_text)} |",
        f"| render (cookiecutter, in-process) | {seconds_text(report['project']['render_s'])} |",
        f"| `uv sync --locked`, warm cache | {seconds_text(report['project']['uv_sync_warm_s'])} "
        f"(first sync: {seconds_text(report['project']['uv_sync_first_s'])}) |",
        f"| generated test suite, `uv run pytest` | {suite_text(report['project'])} |",
        f"| `collectstatic` (the deploy step, before serving) | "
        f"{seconds_text(report['project']['collectstatic_s'])} |",
        f"| worker boots during measured rounds (max_requests) | "
        f"{per_database(backends, boots_text)} |",
        f"| other processes' CPU during rounds, max | "
        f"{per_database(backends, noise_text)} |",
        f"| bench wall time | {seconds_text(report['wall_s'])} |",
    ]
    return "\n".join(lines) + "\n"


def target_rows(report: dict) -> list[str]:
    backends = report["backends"]
    verdicts = {
        c["name"]: ("yes" if c["holds"] else "**no**")
        + (" (disturbed: run again on a quiet machine)" if c["disturbed"] else "")
        for c in report["targets"]
    }

    workers = next(iter(backends.values()))["gunicorn"]["workers"]

    def verdict(prefix: str) -> str:
        return "; ".join(
            f"{name.rsplit('(', 1)[1].rstrip(')')}: {holds}"
            for name, holds in verdicts.items()
            if name.startswith(prefix)
        )

    return [
        f"| token / open throughput, same run | {per_database(backends, ratio_text)} "
        f"| ≥ {MIN_TOKEN_OPEN_RATIO} on SQLite | {verdict('token / open')} |",
        f"| token p99 / open p99, same run (wrk: saturation) | "
        f"{per_database(backends, p99_text)} "
        f"| ≤ {MAX_TOKEN_OPEN_P99} | {verdict('token p99')} |",
        f"| token p99 / open p99 at a fixed rate, same run (hey: half the open "
        f"endpoint's req/s) | {per_database(backends, fixed_rate_p99_text)} "
        f"| ≤ {MAX_TOKEN_OPEN_P99} | {verdict('fixed rate')} |",
        f"| the app's memory: PSS of the master and its {workers} workers, after "
        f"the load and the logins | {per_database(backends, app_memory_text)} "
        f"| ≤ {MAX_APP_PSS_MB:g} MB | {verdict('app PSS')} |",
        f"| what one more worker adds: its private memory, largest, after the load "
        f"and the logins | {per_database(backends, worker_private_text)} "
        f"| ≤ {MAX_WORKER_PRIVATE_MB:g} MB | {verdict('worker private')} |",
        f"| `backfill_tokens`, {number(report['options']['users'])} users from bulk_create | "
        f"{per_database(backends, backfill_text)} "
        f"| ≥ {number(MIN_BACKFILL_TOKENS_PER_S)} tokens/s on SQLite | {verdict('backfill')} |",
    ]


def suite_text(project: dict) -> str:
    if project.get("suite_s") is None:
        return "not run (--no-suite)"
    return f"{seconds_text(project['suite_s'])}: {project['suite_summary']}"


def boots_text(result: dict) -> str:
    return str(sum(s["worker_boots"] for s in result["endpoints"].values()))


def noise_text(result: dict) -> str:
    share = other_cpu_share(result)
    flag = " (noisy: figures disturbed)" if share > NOISY_SHARE else ""
    return f"{share:.0%}{flag}"


def connections_text(database: dict) -> str:
    """Whether database connections persist, and where that is set."""
    age = database["conn_max_age"]
    checks = ", with health checks" if database.get("conn_health_checks") else ""
    if not age:
        return "Database connections: **not persistent** (CONN_MAX_AGE=0)."
    return (
        f"Persistent database connections: CONN_MAX_AGE={age}{checks}, the project's "
        "own production settings (`DJANGO_CONN_MAX_AGE`); the bench sets nothing."
    )


def bytecode_text(report: dict) -> str:
    seconds = seconds_text(report["project"]["deploy_install_s"])
    if not report["options"]["bytecode"]:
        return (
            f"Installed with `uv sync --locked --no-dev` ({seconds}), no bytecode "
            "(`--no-bytecode`): every worker compiles what it imports."
        )
    return f"Installed with `uv sync --locked --no-dev --compile-bytecode` ({seconds})."
