"""Real services on 127.0.0.1 for the deploy tests: PostgreSQL, Redis, nginx with TLS,
an SMTP server and any other subprocess (gunicorn), each with free ports, state and logs
of its own in a temporary folder, and stopped at teardown even when a test fails.

Load the fixtures with ``pytest_plugins = ["servers"]`` in a conftest or test module.
A missing binary fails the test with the Debian package to install: CI installs them.

PYTEST_DONT_REWRITE: this module holds no test assertions, and test modules may
import it before pytest loads it as a plugin.
"""

import atexit
import contextlib
import mailbox
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Self

import pytest

HOST = "127.0.0.1"
LOG_TAIL_LINES = 40
READY_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0

# Whatever is still running when the interpreter exits (an internal error, an
# interrupted session) or is sent SIGTERM (a CI timeout) is stopped here; fixtures
# normally stop it long before.
_running: dict[int, Callable[[], object]] = {}


@atexit.register
def _stop_leftovers() -> None:
    for stop in list(_running.values()):
        with contextlib.suppress(Exception):
            stop()


def _stop_leftovers_and_die(signum: int, frame: object) -> None:
    _stop_leftovers()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _track(key: int, stop: Callable[[], object]) -> None:
    """Have stop() called at exit, or on SIGTERM unless someone else handles it."""
    _running[key] = stop
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop_leftovers_and_die)


class ServerError(RuntimeError):
    """A service did not start, or did not become ready, in time."""


# --- Binaries ----------------------------------------------------------------------


def find_binary(name: str, package: str) -> str:
    """The path of a program, or a test failure naming the Debian package to install."""
    # CI's PATH may lack the sbin folders, where nginx lives.
    search_path = os.pathsep.join(
        [os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"]
    )
    path = shutil.which(name, path=search_path)
    if path is None:
        pytest.fail(
            f"{name} not found: install the Debian package {package} "
            f"(apt-get install -y {package})",
            pytrace=False,
        )
    return path


def nginx_binary() -> str:
    """nginx, with the ssl and proxy modules (Debian's nginx-light or nginx)."""
    return find_binary("nginx", "nginx-light")


def postgres_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin, where initdb and pg_ctl live."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: _version_key(initdb.parent.parent.name),
    )
    if not found:
        pytest.fail(
            "initdb not found under /usr/lib/postgresql/*/bin: install the Debian "
            "package postgresql (apt-get install -y postgresql)",
            pytrace=False,
        )
    return found[-1].parent


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


# --- Ports and waiting -------------------------------------------------------------


def _ephemeral_ports_start() -> int:
    """Where the kernel's range for outgoing connections' own ports starts."""
    try:
        return int(
            Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0]
        )
    except (OSError, ValueError, IndexError):
        return 32768


def _worker_ports() -> Iterator[int]:
    """This xdist worker's share of the ports below the ephemeral range, endlessly,
    from a random place: workers never share one, and an outgoing connection (which
    takes an ephemeral port) cannot take one between free_port() and its server's bind.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    ports = range(10000 + int(worker or 0), _ephemeral_ports_start(), workers)
    start = secrets.randbelow(len(ports))
    while True:
        yield from ports[start:]
        yield from ports[:start]


_ports = _worker_ports()


def free_port(host: str = HOST) -> int:
    """A TCP port that nothing listens on right now, and that no other test worker
    or outgoing connection will take meanwhile (see _worker_ports)."""
    for port in _ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise AssertionError("unreachable: _worker_ports never ends")


def port_is_open(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until[T](
    check: Callable[[], T], timeout: float, what: str, interval: float = 0.05
) -> T:
    """Poll check() until it is true, and return what it gave; TimeoutError naming what
    after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
    return value


def live_group_members(group: int) -> list[int]:
    """The processes of a process group that are neither gone nor zombies."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            # Fields after the command name: state, ppid, pgrp, ...
            state, _, pgrp = stat_file.read_text().rpartition(")")[2].split()[:3]
        except OSError:
            continue
        if int(pgrp) == group and state != "Z":
            members.append(int(stat_file.parent.name))
    return members


def wait_for_port(host: str, port: int, timeout: float = READY_TIMEOUT) -> None:
    """Wait until host:port accepts TCP connections, or raise TimeoutError."""
    wait_until(
        lambda: port_is_open(host, port),
        timeout,
        f"{host}:{port} to accept connections",
    )


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as error:
        return f"(no log at {path}: {error.strerror})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


# --- Subprocesses ------------------------------------------------------------------


class Process:
    """A subprocess in a process group of its own, its output in a log file.

    stop() sends SIGTERM to the whole group, then SIGKILL after a timeout, and then
    SIGKILL to whatever the group still holds, so workers never outlive their master.
    Usable as a context manager; wait_for_port() and wait_until_ready() raise
    ServerError with the tail of the log if it exits or is not ready in time.
    """

    def __init__(
        self,
        args: Sequence[object],
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        extra_logs: Sequence[Path] = (),
    ):
        self.args = [str(arg) for arg in args]
        self.log_path = Path(log_path)
        self.env = env
        self.cwd = cwd
        self.extra_logs = [Path(path) for path in extra_logs]
        self.popen: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> "Process":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
            )
        _track(id(self), self.stop)
        return self

    def is_running(self) -> bool:
        """Whether the leader runs; an exited one is left unreaped for stop()."""
        return (
            self.popen is not None
            and self.popen.returncode is None
            and (not self._leader_exited())
        )

    def wait_until_ready(
        self, check: Callable[[], bool], what: str, timeout: float = READY_TIMEOUT
    ) -> None:
        """Wait until check() is true; if the process exits first or it times out,
        stop the process group and raise ServerError with the tail of the logs."""

        def ready() -> bool:
            if not self.is_running():
                code = self.stop()
                raise ServerError(
                    self.failure(f"exited with code {code} before {what}")
                )
            return check()

        try:
            wait_until(ready, timeout, what)
        except TimeoutError as error:
            self.stop()
            raise ServerError(self.failure(str(error))) from None

    def wait_for_port(
        self, port: int, host: str = HOST, timeout: float = READY_TIMEOUT
    ) -> None:
        self.wait_until_ready(
            lambda: port_is_open(host, port),
            f"{host}:{port} to accept connections",
            timeout,
        )

    def failure(self, reason: str) -> str:
        """A message naming the command and reason, with the tails of its logs."""
        parts = [f"{' '.join(self.args)}: {reason}"]
        for path in [self.log_path, *self.extra_logs]:
            parts.append(f"--- last lines of {path}\n{log_tail(path)}")
        return "\n".join(parts)

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        _running.pop(id(self), None)
        if self.popen is None:
            return None
        if self.popen.returncode is None:
            self._signal_group(signal.SIGTERM)
            if not self._leader_exited_within(timeout):
                self._signal_group(signal.SIGKILL)
            # Whatever the leader left behind; it is not reaped yet (see above).
            self._signal_group(signal.SIGKILL)
            # A killed process ends when the kernel next schedules it, not at once.
            wait_until(
                lambda: not live_group_members(self.popen.pid),
                timeout,
                "the process group to end",
            )
        return self.popen.wait()

    def _leader_exited_within(self, timeout: float) -> bool:
        try:
            wait_until(self._leader_exited, timeout, "exit")
        except TimeoutError:
            return False
        return True

    def _leader_exited(self) -> bool:
        """Whether the leader has exited, without reaping it: while it is a zombie,
        its process group id cannot be given to another process."""
        assert self.popen is not None
        flags = os.WEXITED | os.WNOWAIT | os.WNOHANG
        try:
            return os.waitid(os.P_PID, self.popen.pid, flags) is not None
        except ChildProcessError:
            return True

    def _signal_group(self, signum: int) -> None:
        assert self.popen is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def __enter__(self) -> "Process":
        if self.popen is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_process(
    args: Sequence[object],
    workdir: Path,
    name: str,
    *,
    port: int | None = None,
    ready: Callable[[], bool] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = READY_TIMEOUT,
) -> Process:
    """Start a command with its output in workdir/<name>.log and wait until it is ready:
    its port accepts connections and ready() is true. Stopped again if it is not."""
    process = Process(args, Path(workdir) / f"{name}.log", env=env, cwd=workdir)
    process.start()
    try:
        if port is not None:
            process.wait_for_port(port, timeout=timeout)
        if ready is not None:
            process.wait_until_ready(ready, f"{name} to be ready", timeout)
    except BaseException:
        process.stop()
        raise
    return process


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Process]]:
    """A factory: spawn(args, name=..., port=..., ready=..., env=..., workdir=...)
    starts a process like start_process(), in tmp_path unless told, and stops each
    one at the end of the test."""
    started: list[Process] = []

    def spawn_process(
        args: Sequence[object], name: str = "process", workdir: Path | None = None, **kw
    ) -> Process:
        process = start_process(args, workdir or tmp_path, name, **kw)
        started.append(process)
        return process

    try:
        yield spawn_process
    finally:
        for process in reversed(started):
            process.stop()


# --- PostgreSQL --------------------------------------------------------------------


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _allow_traverse(path: Path) -> None:
    """Let other users (postgres) pass through this user's 0700 folders above path.

    pytest makes its temporary folders 0700, and resets them at its next start.
    """
    for folder in [path, *path.parents]:
        info = folder.stat()
        if info.st_uid == os.geteuid() and not info.st_mode & stat.S_IXOTH:
            folder.chmod(stat.S_IMODE(info.st_mode) | stat.S_IXOTH)


class PostgresServer:
    """A private PostgreSQL cluster on 127.0.0.1, run as the postgres user when root.

    The superuser postgres logs in without password over the unix socket in the
    cluster's folder; the role `user` logs in with its password over TCP.
    """

    superuser = "postgres"

    def __init__(
        self, root: Path, port: int, user: str = "app", dbname: str = "app"
    ) -> None:
        self.root = Path(root)
        self.port = port
        self.host = HOST
        self.user = user
        self.password = secrets.token_hex(12)
        self.dbname = dbname
        self.bindir = postgres_bindir()
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_path = self.root / "postgres.log"

    @property
    def url(self) -> str:
        """postgres://user:password@127.0.0.1:port/dbname, for DATABASE_URL."""
        return self.url_for(self.dbname)

    def url_for(self, dbname: str) -> str:
        return (
            f"postgres://{self.user}:{self.password}@{self.host}:{self.port}/{dbname}"
        )

    def bin(self, name: str) -> str:
        """A PostgreSQL program of the server's own version (psql, pg_dump...)."""
        return str(self.bindir / name)

    def init(self) -> None:
        """Create the cluster folder, its configuration, its role and database."""
        self.socket_dir.mkdir(parents=True)
        if _running_as_root():
            _chown_to_postgres(self.root)
            _allow_traverse(self.root)
        self._as_postgres(
            "initdb",
            "--pgdata",
            self.data_dir,
            "--username",
            self.superuser,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._configure()

    def _configure(self) -> None:
        settings = {
            "listen_addresses": f"'{HOST}'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            # A throwaway cluster: durability only slows the tests down.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# tests/servers.py\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        (self.data_dir / "pg_hba.conf").write_text(
            f"local all all trust\nhost all all {HOST}/32 scram-sha-256\n"
        )

    def create_role_and_database(self) -> None:
        self.psql(f"CREATE ROLE {self.user} LOGIN CREATEDB PASSWORD '{self.password}'")
        self.create_database(self.dbname)

    def create_database(self, name: str) -> str:
        """Create an empty database owned by the role; its URL."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.psql(f'CREATE DATABASE "{name}" OWNER {self.user}')
        return self.url_for(name)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL as the superuser over the unix socket; its unaligned output."""
        result = self._run(
            [
                self.bin("psql"),
                "--no-psqlrc",
                "--no-align",
                "--tuples-only",
                "--set=ON_ERROR_STOP=1",
                f"--host={self.socket_dir}",
                f"--port={self.port}",
                f"--username={self.superuser}",
                f"--dbname={dbname}",
                f"--command={sql}",
            ]
        )
        return result.stdout

    def is_running(self) -> bool:
        status = subprocess.run(
            self._postgres_command("pg_ctl", "status", "--pgdata", self.data_dir),
            capture_output=True,
            cwd=self.root,
        )
        return status.returncode == 0

    def is_ready(self) -> bool:
        """Whether the server accepts connections on its TCP port (pg_isready)."""
        ready = subprocess.run(
            [
                self.bin("pg_isready"),
                "--quiet",
                f"--host={HOST}",
                f"--port={self.port}",
            ],
            capture_output=True,
        )
        return ready.returncode == 0

    def start(self, timeout: float = 30.0) -> None:
        """Start the cluster on its port and wait until it accepts connections."""
        if _running_as_root():
            _allow_traverse(self.root)
        _track(id(self), self.stop)
        try:
            self._as_postgres(
                "pg_ctl",
                "start",
                "--wait",
                f"--timeout={int(timeout)}",
                "--pgdata",
                self.data_dir,
                "--log",
                self.log_path,
            )
            wait_until(self.is_ready, timeout, f"PostgreSQL on {HOST}:{self.port}")
        except (ServerError, TimeoutError) as error:
            raise ServerError(
                f"{error}\n--- last lines of {self.log_path}\n{log_tail(self.log_path)}"
            ) from None

    def stop(self) -> None:
        """Stop the cluster (fast shutdown); a no-op when it is not running."""
        _running.pop(id(self), None)
        if _running_as_root():
            # Another pytest session of this user may have made them 0700 again since
            # start(), and pg_ctl, run as postgres, would then see no cluster at all.
            _allow_traverse(self.root)
        if not self.data_dir.exists() or not self.is_running():
            return
        for mode in ("fast", "immediate"):
            with contextlib.suppress(ServerError):
                self._as_postgres(
                    "pg_ctl", "stop", "--wait", "--timeout=30", "--pgdata",
                    self.data_dir, f"--mode={mode}",
                )  # fmt: skip
            if not self.is_running():
                return
        self._kill_postmaster()

    def _kill_postmaster(self) -> None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)

    @contextlib.contextmanager
    def stopped(self) -> Iterator["PostgresServer"]:
        """Stop the server for the with block, and start it again however it ends."""
        self.stop()
        try:
            yield self
        finally:
            self.start()

    def _postgres_command(self, program: str, *args: object) -> list[str]:
        command = [self.bin(program), *(str(arg) for arg in args)]
        if _running_as_root():
            # PostgreSQL refuses to run as root.
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _as_postgres(self, program: str, *args: object) -> None:
        self._run(self._postgres_command(program, *args))

    def _run(self, command: list[str]) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=self.root, timeout=120
        )
        if result.returncode != 0:
            raise ServerError(
                f"{' '.join(command)} exited {result.returncode}\n"
                f"{result.stdout}{result.stderr}"
            )
        return result


def _chown_to_postgres(folder: Path) -> None:
    try:
        shutil.chown(folder, "postgres", "postgres")
    except LookupError:
        pytest.fail(
            "no postgres user: install the Debian package postgresql "
            "(apt-get install -y postgresql)",
            pytrace=False,
        )
    for path in folder.rglob("*"):
        shutil.chown(path, "postgres", "postgres")


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster on 127.0.0.1 with a role and database of its own.

    Yields a PostgresServer: .url (postgres://user:password@127.0.0.1:port/dbname),
    .port, .host, .user, .password, .dbname, .stop(), .start(), .stopped() (a with
    block that restarts it on the same port and data), .create_database(name) -> URL,
    .url_for(dbname), .psql(sql, dbname) as the superuser, .bin(program), .log_path.
    """
    server = PostgresServer(tmp_path_factory.mktemp("postgres"), port=free_port())
    try:
        server.init()
        server.start()
        server.create_role_and_database()
        yield server
    finally:
        server.stop()


# --- Redis -------------------------------------------------------------------------


@dataclass
class LoopbackServer:
    """A server process listening on a port of 127.0.0.1."""

    process: Process
    port: int
    host: str = HOST

    @contextlib.contextmanager
    def stopped(self) -> Iterator[Self]:
        """Stop the server for the with block, and start it again on the same port
        (with what it kept on disk, if anything), however the block ends."""
        self.process.stop()
        try:
            yield self
        finally:
            self.process.start()
            self.process.wait_for_port(self.port, self.host)


@dataclass
class RedisServer(LoopbackServer):
    """Without persistence: empty again after stopped()."""

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"


def start_redis(workdir: Path) -> RedisServer:
    """redis-server on 127.0.0.1 without persistence, its files in workdir, once it
    accepts connections. Stop it with .process.stop()."""
    port = free_port()
    args = [
        find_binary("redis-server", "redis-server"),
        "--port", port,
        "--bind", HOST,
        "--save", "",
        "--appendonly", "no",
        "--dir", workdir,
        "--daemonize", "no",
        "--logfile", "",
    ]  # fmt: skip
    return RedisServer(start_process(args, workdir, "redis", port=port), port)


@pytest.fixture(scope="session")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """redis-server on 127.0.0.1 without persistence (start_redis).

    Yields a RedisServer: .url (redis://127.0.0.1:port/0), .port, .host, .process,
    .stopped() (a with block that restarts it on the same port).
    """
    server = start_redis(tmp_path_factory.mktemp("redis"))
    with server.process:
        yield server


# --- SMTP --------------------------------------------------------------------------

# The link an account email carries: <front end>/<page>?uid=...&token=...
EMAILED_LINK = re.compile(r"\?uid=(?P<uid>[^&\s]+)&token=(?P<token>\S+)")


def maildir_messages(path: Path) -> list[EmailMessage]:
    """The messages of a Maildir, oldest delivery first, parsed (bodies decoded); none
    before the server has made the Maildir for its first message."""
    if not (path / "cur").exists():
        return []
    folder = mailbox.Maildir(path, create=False)
    delivered = sorted(folder, key=lambda message: message.get_date())
    return [
        message_from_bytes(bytes(message), policy=policy.default)
        for message in delivered
    ]


def emailed_link(message: EmailMessage) -> dict[str, str]:
    """The uid and token of the link in an account email."""
    body = message.get_body(preferencelist=("plain",))
    match = EMAILED_LINK.search(body.get_content() if body else "")
    if match is None:
        raise ValueError(f"no link in the email {message['Subject']!r}")
    return match.groupdict()


@dataclass
class SmtpServer(LoopbackServer):
    """aiosmtpd, a real SMTP server, keeping each message it receives in a Maildir."""

    maildir: Path = field(kw_only=True)

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        """The messages received (to one address, if given), oldest first."""
        return [
            message
            for message in maildir_messages(self.maildir)
            if to is None or message["To"] == to
        ]


def start_smtp(workdir: Path) -> SmtpServer:
    """aiosmtpd (the template's own, from PyPI) on 127.0.0.1, once it accepts
    connections. Stop it with .process.stop()."""
    port = free_port()
    maildir = workdir / "maildir"
    args = [
        sys.executable, "-m", "aiosmtpd", "--nosetuid",
        "--listen", f"{HOST}:{port}",
        "--class", "aiosmtpd.handlers.Mailbox", maildir,
    ]  # fmt: skip
    process = start_process(args, workdir, "smtp", port=port)
    return SmtpServer(process, port, maildir=maildir)


# --- TLS ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsCertificate:
    cert: Path  # the server's certificate, then the CA's: what nginx serves
    key: Path
    ca: Path  # what clients trust (--cacert, cafile)


def _openssl(*args: object) -> None:
    command = [find_binary("openssl", "openssl"), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ServerError(
            f"openssl {args[0]} exited {result.returncode}\n{result.stderr}"
        )


def make_tls_certificate(folder: Path) -> TlsCertificate:
    """A test CA, and a certificate it signs for localhost and 127.0.0.1: a chain as a
    public CA gives one, which strict verifiers (a TLS scanner's) accept, unlike a
    self-signed server certificate."""
    ca_key, request, extensions = (
        folder / "ca-key.pem",
        folder / "leaf.csr",
        folder / "leaf.ext",
    )
    certificate = TlsCertificate(
        cert=folder / "fullchain.pem", key=folder / "key.pem", ca=folder / "ca.pem"
    )
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=Test CA", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", ca_key, "-out", certificate.ca,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", certificate.key, "-out", request,
    )  # fmt: skip
    extensions.write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
    )
    leaf = folder / "cert.pem"
    _openssl(
        "x509", "-req", "-in", request, "-CA", certificate.ca, "-CAkey", ca_key,
        "-days", "2", "-extfile", extensions, "-out", leaf,
    )  # fmt: skip
    certificate.cert.write_text(leaf.read_text() + certificate.ca.read_text())
    return certificate


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> TlsCertificate:
    """A certificate for localhost and 127.0.0.1 (subjectAltName), from a test CA.

    Yields a TlsCertificate: .cert (the chain) and .key for the server, .ca for clients.
    """
    return make_tls_certificate(tmp_path_factory.mktemp("tls"))


# --- nginx -------------------------------------------------------------------------

_LISTEN = re.compile(r"(?:^|[;{}])\s*listen\s+([^\s;]+)", re.MULTILINE)
_COMMENT = re.compile(r"#[^\n]*")
_LOOPBACK_HOSTS = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "[::1]": "::1"}


def listen_addresses(config_text: str) -> list[tuple[str, int]]:
    """The (host, port) of each listen directive; ValueError unless on loopback."""
    addresses = []
    for address in _LISTEN.findall(_COMMENT.sub("", config_text)):
        if address.startswith("unix:"):
            continue
        host, _, port = address.rpartition(":")
        if host not in _LOOPBACK_HOSTS or not port.isdigit():
            raise ValueError(
                f"nginx must listen on 127.0.0.1:PORT in tests, not {address!r}"
            )
        addresses.append((_LOOPBACK_HOSTS[host], int(port)))
    return addresses


def nginx_config(http: str) -> str:
    """A full nginx.conf around the text of an http block (server blocks...).

    Its logs, pid and temporary files are relative paths, which nginx resolves in
    the prefix folder that start_nginx() gives it, so nothing touches /var.
    """
    # Workers would run as nobody, who cannot enter pytest's 0700 folders.
    user = "user root;\n" if _running_as_root() else ""
    return f"""\
{user}worker_processes 1;
error_log error.log info;
pid nginx.pid;

events {{
    worker_connections 256;
}}

http {{
    access_log access.log;
    client_body_temp_path temp/client_body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;
    default_type application/octet-stream;

{http}
}}
"""


@dataclass
class NginxServer:
    process: Process
    config_path: Path
    error_log: Path
    addresses: list[tuple[str, int]]

    @property
    def ports(self) -> list[int]:
        return [port for _, port in self.addresses]

    def stop(self) -> None:
        self.process.stop()

    def __enter__(self) -> "NginxServer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_nginx(
    config_text: str, workdir: Path, timeout: float = READY_TIMEOUT
) -> NginxServer:
    """Run nginx in the foreground with this full config, prefix and error log in
    workdir, and wait until each port it listens on accepts connections.

    The config must not set `daemon`; without a `pid` directive the pid file goes to
    workdir. Listening anywhere but 127.0.0.1 (or localhost, [::1]) is refused.
    Call .stop() or use it in a with block; the `nginx` fixture does that for you.
    """
    workdir = Path(workdir)
    addresses = listen_addresses(config_text)
    if not addresses:
        raise ValueError("the nginx config has no listen 127.0.0.1:PORT to wait for")
    (workdir / "temp").mkdir(parents=True, exist_ok=True)
    config_path = workdir / "nginx.conf"
    config_path.write_text(config_text)
    error_log = workdir / "error.log"
    directives = "daemon off;"
    if not re.search(r"^\s*pid\s", config_text, re.MULTILINE):
        directives += f" pid {workdir / 'nginx.pid'};"
    # -e: nginx opens its error log before reading the config, /var/log by default.
    args = [
        nginx_binary(), "-p", f"{workdir}/", "-c", config_path,
        "-e", error_log, "-g", directives,
    ]  # fmt: skip
    process = Process(args, workdir / "nginx.out", cwd=workdir, extra_logs=[error_log])
    process.start()
    try:
        for host, port in addresses:
            process.wait_for_port(port, host=host, timeout=timeout)
    except BaseException:
        process.stop()
        raise
    return NginxServer(process, config_path, error_log, addresses)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[..., NginxServer]]:
    """A factory: nginx(config_text, workdir=None) runs start_nginx() (in a fresh
    folder under tmp_path unless told) and stops each server at the end of the test.

    Build config_text with nginx_config(http_text) to keep it off /var.
    """
    servers: list[NginxServer] = []

    def run(config_text: str, workdir: Path | None = None) -> NginxServer:
        folder = workdir or tmp_path / f"nginx-{len(servers)}"
        server = start_nginx(config_text, folder)
        servers.append(server)
        return server

    try:
        yield run
    finally:
        for server in reversed(servers):
            server.stop()
