"""A deployment of the generated project, as its README's deploy section says: gunicorn
(two instances, standing for two hosts) behind nginx with TLS, on PostgreSQL with Redis
as the cache (the stack it recommends for more than one host), and the task worker,
which sends the account emails through a real SMTP server; all on 127.0.0.1,
production settings throughout. A pytest plugin: the `deployment` fixture serves
test_deploy.py, test_tls.py, test_edge_errors.py, test_client.py, test_browser.py and
test_schemathesis.py."""

import http.client
import json
import re
import secrets
import socket
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from rendering import clean_environment, render
from servers import (
    Process,
    SmtpServer,
    free_port,
    nginx_config,
    start_nginx,
    start_process,
    start_smtp,
)

PASSWORD = "correct horse battery staple"
LOGIN_NAME_RATE = 5
# Superusers, each for one group of tests, since logins are throttled per name and a
# logout revokes the key: alice (most tests), bob (logout across hosts), carol
# (schemathesis, which may log out), dave (the browser).
USERS = ["alice", "bob", "carol", "dave"]
# Workers of gunicorn A and B, two instances standing for two hosts.
GUNICORN_WORKERS = [4, 2]


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Client:
    """An HTTP(S) client that connects from a chosen loopback address."""

    port: int
    cafile: Path | None = None
    source: str = "127.0.0.1"

    def request(self, method, path, body=None, headers=None, timeout=60):
        if self.cafile:
            context = ssl.create_default_context(cafile=str(self.cafile))
            connection = http.client.HTTPSConnection(
                "localhost", self.port, context=context, timeout=timeout,
                source_address=(self.source, 0),
            )  # fmt: skip
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=timeout, source_address=(self.source, 0)
            )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(
                response.status,
                {name.lower(): value for name, value in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    def status(self, path, headers=None, timeout=5):
        """The status GET path gets, or 0 while nothing answers: for polling."""
        try:
            return self.request("GET", path, headers=headers, timeout=timeout).status
        except OSError:
            return 0

    def login(self, name, password=PASSWORD, headers=None, timeout=60):
        body = json.dumps({"username": name, "password": password})
        headers = {"Content-Type": "application/json", **(headers or {})}
        return self.request("POST", "/api-token-auth/", body, headers, timeout)

    def example(self, key, headers=None, timeout=60):
        auth = {"Authorization": f"Token {key}", **(headers or {})}
        return self.request("GET", "/api/example/", headers=auth, timeout=timeout)

    def logout(self, key, headers=None, timeout=60):
        auth = {"Authorization": f"Token {key}", **(headers or {})}
        return self.request(
            "POST", "/api-token-auth/logout/", headers=auth, timeout=timeout
        )


def raw_request(port, request_bytes, cafile=None, timeout=10):
    """Send raw bytes (what a normal client refuses to send), over TLS if cafile is
    given; return the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        stream = sock
        if cafile:
            context = ssl.create_default_context(cafile=str(cafile))
            stream = context.wrap_socket(sock, server_hostname="localhost")
        stream.sendall(request_bytes)
        response = http.client.HTTPResponse(stream)
        response.begin()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, headers, response.read())


# gunicorn's scheme comes from X-Forwarded-Proto only from trusted addresses (nginx
# sets it): a direct client on 127.0.0.1 (trusted) says so to skip the redirect.
AS_IF_HTTPS = {"X-Forwarded-Proto": "https"}


@dataclass
class Deployment:
    project: Path
    env: dict
    venv: Path
    gunicorn_ports: list
    https: Client
    http: Client
    smtp: SmtpServer
    worker: Process | None = None
    key: str = ""  # alice's token, obtained once: logins are throttled per name

    def manage(self, *args):
        return subprocess.run(
            [self.venv / "bin" / "python", "manage.py", *args],
            cwd=self.project, env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip

    def schema(self, key):
        """The live OpenAPI schema as JSON bytes, through nginx: staff only in
        production (unless DJANGO_API_DOCS_PUBLIC), so fetched with a staff key."""
        response = self.https.request(
            "GET", "/api/schema/?format=json", headers={"Authorization": f"Token {key}"}
        )
        assert response.status == 200, response.body[:300]
        return response.body

    def direct(self, index, source="127.0.0.1"):
        """A client of gunicorn instance `index`, bypassing nginx."""
        return Client(self.gunicorn_ports[index], source=source)

    def start_worker(self):
        """The task worker, as deploy/worker.service runs it, once it polls the queue."""
        log = self.project.parent / "worker.log"
        read = log.stat().st_size if log.exists() else 0

        def polling():
            return "Starting worker" in log.read_text()[read:]

        self.worker = start_process(
            [self.venv / "bin" / "python", self.project / "manage.py", "worker"],
            self.project.parent, "worker", ready=polling, env=self.env,
        )  # fmt: skip
        return self.worker


def site_config(project, upstream_ports, http_port, https_port, certificate):
    """deploy/nginx.conf, moved onto loopback test ports and the test certificate."""
    site = (project / "deploy" / "nginx.conf").read_text()
    upstream = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstream_ports)
    replacements = [
        (r"server 127\.0\.0\.1:8000;", upstream),
        (r"listen \[::\]:\d+[^;]*;\n\s*", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"ssl_certificate \S+;", f"ssl_certificate {certificate.cert};"),
        (r"ssl_certificate_key \S+;", f"ssl_certificate_key {certificate.key};"),
        # Into nginx's prefix folder (start_nginx's workdir), beside its other logs.
        (r"access_log /var/log/nginx/access\.log", "access_log site-access.log"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"deploy/nginx.conf no longer has {pattern!r}"
    return nginx_config(site)


def start_gunicorn(deployment_dir, project, venv, env, port, workers, name):
    gunicorn_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
    }
    process = start_process(
        [venv / "bin" / "gunicorn", "--config", project / "gunicorn.conf.py", "--chdir", project],
        deployment_dir, name, port=port, env=gunicorn_env, timeout=30,
    )  # fmt: skip
    return process


@pytest.fixture(scope="session")
def deployment(tmp_path_factory, shared_venv, postgres, redis, tls_certificate):
    """The default project on PostgreSQL and Redis: gunicorn A (4 workers) and B (2
    workers), both behind one nginx upstream with TLS."""
    workdir = tmp_path_factory.mktemp("deploy")
    smtp = start_smtp(workdir)
    project = render(workdir)
    (project / ".env").unlink()  # production reads the real environment only
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=postgres.create_database(f"deploy_{secrets.token_hex(4)}"),
        REDIS_URL=redis.url,
        DJANGO_LOGIN_NAME_RATE=f"{LOGIN_NAME_RATE}/minute",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_EMAIL_HOST=smtp.host,
        DJANGO_EMAIL_PORT=str(smtp.port),
        DJANGO_EMAIL_USE_TLS="false",
    )
    ports = [free_port() for _ in GUNICORN_WORKERS]
    deployment = Deployment(project, env, shared_venv, ports, None, None, smtp)
    deployment.manage("migrate", "--no-input")
    deployment.manage("collectstatic", "--no-input")
    for name in USERS:
        deployment.manage(
            "createsuperuser", "--no-input", "--username", name, "--email", f"{name}@example.com"
        )  # fmt: skip

    started = [smtp.process]
    try:
        for index, workers in enumerate(GUNICORN_WORKERS):
            started.append(start_gunicorn(
                workdir, project, shared_venv, env, deployment.gunicorn_ports[index],
                workers, f"gunicorn-{'ab'[index]}",
            ))  # fmt: skip
        http_port, https_port = free_port(), free_port()
        config = site_config(
            project, deployment.gunicorn_ports, http_port, https_port, tls_certificate
        )
        started.append(start_nginx(config, workdir / "nginx"))
        deployment.https = Client(https_port, cafile=tls_certificate.ca)
        deployment.http = Client(http_port)
        deployment.key = deployment.https.login("alice").json()["token"]
        deployment.start_worker()
        yield deployment
    finally:
        if deployment.worker:
            deployment.worker.stop()
        for server in reversed(started):
            server.stop()
