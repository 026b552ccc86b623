"""The rendered project: render it, install it, run its tests, commands and server."""

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cookiecutter.main import cookiecutter

from rendering import clean_environment, render
from servers import HOST, Process, free_port

PROJECT_FILES = Path(__file__).resolve().parent / "project_files"
SETTINGS_MODULE = "config.settings.bench"
FORWARDED_PROTO = ("X-Forwarded-Proto", "https")
COMMAND_TIMEOUT = 900


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


def timed[T](step: Callable[[], T]) -> tuple[T, float]:
    """step()'s result and how many seconds it took."""
    start = time.perf_counter()
    result = step()
    return result, time.perf_counter() - start


def run(args, cwd, env, timeout=COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
    """Run a command; BenchError with its output if it fails."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise BenchError(
            f"{' '.join(map(str, args))} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


@dataclass
class Project:
    """The default rendering of the template, with the bench's files added."""

    path: Path
    # Whether Python may use and write bytecode (.pyc) for the project and its
    # environment, as a deployment whose virtual environment is compiled does.
    bytecode: bool = True
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    # Environment variables of the project's own (.env.example) to run it with.
    settings_env: dict[str, str] = field(default_factory=dict)

    def with_settings(self, settings_env: dict[str, str]) -> "Project":
        """The same project, run with these settings variables besides its own."""
        return replace(self, settings_env={**self.settings_env, **settings_env})

    @property
    def bin(self) -> Path:
        return self.path / ".venv" / "bin"

    def base_env(self, **extra: str) -> dict[str, str]:
        """The caller's environment less what steers the project, with bytecode as
        chosen (a PYTHONDONTWRITEBYTECODE of the caller's own is not passed on)."""
        env = clean_environment(**extra)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not self.bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def env(self, database_url: str, **extra: str) -> dict[str, str]:
        """Production settings plus the bench's routes, on this database."""
        return self.base_env(
            DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS=HOST,
            DATABASE_URL=database_url,
            **self.settings_env,
            **extra,
        )

    def manage(self, database_url: str, *args) -> subprocess.CompletedProcess:
        return run(
            [self.bin / "python", "manage.py", *args], self.path, self.env(database_url)
        )

    def tool(self, database_url: str, *args) -> dict:
        """Run bench_django.py (project_files/) and return the JSON it prints."""
        result = run(
            [self.bin / "python", "bench_django.py", *args],
            self.path,
            self.env(database_url),
        )
        return json.loads(result.stdout.strip().splitlines()[-1])


def export_template(ref: str, template: Path, folder: Path) -> Path:
    """The template as committed at ref (git archive), in folder."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(template), "archive", "--format=tar", ref],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def render_project(
    output_dir: Path, bytecode: bool, template: Path | None = None
) -> tuple[Project, float]:
    """Render the template (this checkout's, unless told) with its defaults,
    in-process; the project and the seconds it took."""

    def render_it() -> Path:
        if template is None:
            return render(output_dir)
        return Path(
            cookiecutter(str(template), no_input=True, output_dir=str(output_dir))
        )

    path, seconds = timed(render_it)
    return Project(path, bytecode=bytecode), seconds


def uv_sync(project: Project, *options: str) -> float:
    """Seconds for `uv sync --locked`, the README's install step."""
    command = ["uv", "sync", "--locked", *options]
    _, seconds = timed(lambda: run(command, project.path, project.base_env()))
    return seconds


def install(project: Project) -> dict:
    """Install as the README says, twice: the second time from a removed .venv, so
    uv's cache is warm."""
    first = uv_sync(project)
    shutil.rmtree(project.path / ".venv")
    return {"uv_sync_first_s": first, "uv_sync_warm_s": uv_sync(project)}


def install_for_deploy(project: Project) -> float:
    """Seconds for the README's deploy install: `uv sync --locked --no-dev`, which
    removes the test tools; with --compile-bytecode unless told not to, since uv does
    not compile by default and a worker would then compile Django each time it starts."""
    options = ["--no-dev", *(["--compile-bytecode"] if project.bytecode else [])]
    return uv_sync(project, *options)


def run_test_suite(project: Project) -> dict:
    """The generated project's own suite, as its README runs it: `uv run pytest`."""
    result, seconds = timed(
        lambda: run(["uv", "run", "pytest", "-q"], project.path, project.base_env())
    )
    lines = result.stdout.strip().splitlines()
    return {"suite_s": seconds, "suite_summary": lines[-1] if lines else ""}


def collect_static(project: Project) -> float:
    """Seconds for `collectstatic`, as the README's deploy steps run it before serving."""
    env = project.env("sqlite://:memory:")
    command = [project.bin / "python", "manage.py", "collectstatic", "--no-input"]
    _, seconds = timed(lambda: run(command, project.path, env))
    return seconds


def add_bench_files(project: Project) -> None:
    """Copy the bench settings, URLs and helper into the rendered copy (only there)."""
    shutil.copytree(PROJECT_FILES, project.path, dirs_exist_ok=True)


# --- gunicorn ----------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1: its own gunicorn.conf.py if it has one
    (gunicorn reads it from the working folder), with the workers and bind set here."""

    def __init__(
        self,
        project: Project,
        database_url: str,
        log_path: Path,
        workers: int,
        max_requests: int | None,
    ):
        self.project = project
        self.workers = workers
        self.port = free_port()
        config_file = project.path / "gunicorn.conf.py"
        self.args = [
            project.bin / "gunicorn",
            *(["--config", config_file.name] if config_file.exists() else []),
            "config.wsgi:application",
            "--workers", workers,
            "--worker-class", "sync",
            "--bind", f"{HOST}:{self.port}",
            # gunicorn's default control socket is one per user, in ~/.gunicorn.
            "--control-socket", log_path.with_suffix(".ctl"),
        ]  # fmt: skip
        if max_requests is not None:
            self.args += ["--max-requests", max_requests]
        self.env = project.env(database_url)
        self.log_path = log_path
        self.process = Process(self.args, log_path, env=self.env, cwd=project.path)

    def effective_config(self) -> dict:
        """The settings gunicorn will run with (--print-config), those that matter here."""
        result = run([*self.args, "--print-config"], self.project.path, self.env)
        wanted = {
            "workers", "worker_class", "max_requests", "max_requests_jitter",
            "timeout", "keepalive", "accesslog", "preload_app", "threads",
        }  # fmt: skip
        config = {}
        for line in result.stdout.splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip() in wanted:
                config[name.strip()] = value.strip()
        config["config_file"] = (self.project.path / "gunicorn.conf.py").exists()
        return config

    def start(self, ready_path: str, timeout: float = 60.0) -> "Gunicorn":
        """Start, and wait until every worker runs and ready_path answers 200."""
        self.process.start()
        self.process.wait_for_port(self.port, timeout=timeout)
        self.process.wait_until_ready(
            lambda: (
                len(self.worker_pids()) == self.workers
                and self.answers(ready_path) == 200
            ),
            f"{self.workers} workers, and {ready_path} answering 200",
            timeout,
        )
        return self

    def answers(self, path: str) -> int | None:
        """The status of GET path, or None if nothing answers."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            connection.request("GET", path, headers=dict([FORWARDED_PROTO]))
            return connection.getresponse().status
        except OSError:
            return None
        finally:
            connection.close()

    def replace_workers(self, ready_path: str, timeout: float = 60.0) -> None:
        """New workers, as max_requests recycling makes them: each worker is told to
        stop (SIGTERM, graceful) and the master forks another. Wait until all of them
        run and ready_path answers 200."""
        old = set(self.worker_pids())
        for pid in old:
            os.kill(pid, signal.SIGTERM)
        self.process.wait_until_ready(
            lambda: (
                len(pids := set(self.worker_pids())) == self.workers
                and not pids & old
                and self.answers(ready_path) == 200
            ),
            f"{self.workers} new workers, and {ready_path} answering 200",
            timeout,
        )

    def worker_pids(self) -> list[int]:
        """The master's children: the workers (gunicorn forks nothing else)."""
        return children_of(self.process.pid)

    def boots(self) -> int:
        """How many workers were started so far (recycling included), from the log."""
        try:
            return self.log_path.read_text(errors="replace").count("Booting worker")
        except OSError:
            return 0

    def stop(self) -> None:
        self.process.stop()

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def children_of(pid: int | None) -> list[int]:
    """The pids whose parent is pid, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return sorted(children)
