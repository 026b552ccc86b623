"""compose.yaml, run as its README says with podman-compose: nginx with TLS, the app,
the task worker, PostgreSQL, Redis and the one-shot migrate, with an SMTP server for the
emails; the seed's token flow over HTTPS, and a password reset whose email the worker
delivers; then `down` leaves nothing behind. Ports are published on 127.0.0.1 only."""

import json
import mailbox
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from containers import CA_BUNDLE, logs, podman, readme_commands, unique
from deployment import PASSWORD, Client
from servers import emailed_link, free_port, maildir_messages, wait_until

PODMAN_COMPOSE = Path(sys.executable).parent / "podman-compose"
# compose.yaml, and a test-side SMTP server the app and the worker reach as "smtp".
FILES = ["-f", "compose.yaml", "-f", "compose.smtp.yaml"]
SMTP_SETTINGS = (
    "DJANGO_EMAIL_HOST=smtp\nDJANGO_EMAIL_PORT=25\nDJANGO_EMAIL_USE_TLS=false\n"
)
RESET = "/api/accounts/password/reset/"


def compose_env(app_image_name, images, http_port, https_port):
    """The variables compose.yaml documents, set for this machine: images built here,
    loopback ports."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "APP_IMAGE": app_image_name,
        "POSTGRES_IMAGE": images.postgres,
        "REDIS_IMAGE": images.redis,
        "NGINX_IMAGE": images.nginx,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "LISTEN_ADDRESS": "127.0.0.1",
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
    }


def test_compose_up_token_flow_down(app_image, images, tls_certificate, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(app_image.project, project, ignore=shutil.ignore_patterns(".venv"))
    commands = readme_commands(project, "### Compose: the stack on one host")
    assert commands[1:] == [
        "docker compose build",
        "docker compose up -d",
        "docker compose exec app python manage.py createsuperuser",
    ]
    # The README's first line writes .env.production; the SMTP variables go with it.
    subprocess.run(commands[0], shell=True, cwd=project, check=True)
    with (project / ".env.production").open("a") as env_file:
        env_file.write(SMTP_SETTINGS)
    inbox = tmp_path / "inbox"
    mailbox.Maildir(
        inbox
    )  # its folders made here: aiosmtpd takes an existing one as is
    (project / "compose.smtp.yaml").write_text(
        yaml.safe_dump({"services": {"smtp": {
            "image": images.smtp, "volumes": [f"{inbox}:/var/mail/inbox"],
        }}})
    )  # fmt: skip
    (project / "certs").mkdir()
    shutil.copy(tls_certificate.cert, project / "certs" / "fullchain.pem")
    shutil.copy(tls_certificate.key, project / "certs" / "privkey.pem")

    name = unique("compose").replace("-", "")
    http_port, https_port = free_port(), free_port()
    env = compose_env(f"localhost/{name}/app:latest", images, http_port, https_port)

    def compose(*args, check=True, timeout=300):
        result = subprocess.run(
            [PODMAN_COMPOSE, "--project-name", name, *FILES, *args],
            cwd=project, env=env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check and result.returncode != 0:
            pytest.fail(f"podman-compose {' '.join(args)} exited {result.returncode}\n"
                        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")  # fmt: skip
        return result

    try:
        # `docker compose build`, with this machine's base image and CA bundle.
        compose(
            "--podman-build-args", f"--network=host --secret=id=ca,src={CA_BUNDLE}",
            "build", "--build-arg", f"PYTHON_IMAGE={images.python}",
        )  # fmt: skip
        # As Docker Compose would: each service once its dependencies meet their
        # conditions. podman 4.3 ignores health conditions (podman-compose warns so)
        # and cannot start a container whose dependency has dependencies of its own
        # ("generating dependency graph"), so the test starts one service at a time.
        compose("up", "-d", "--no-deps", "smtp")
        for service, conditions in start_order(project / "compose.yaml"):
            for dependency, condition in conditions.items():
                wait_for(condition, f"{name}_{dependency}_1")
            compose("up", "-d", "--no-deps", service)
        wait_for("service_healthy", f"{name}_app_1")
        migrate = podman(
            "inspect", "--format", "{{.State.ExitCode}}", f"{name}_migrate_1"
        )
        assert migrate.stdout.strip() == "0"

        compose(
            "exec", "-e", f"DJANGO_SUPERUSER_PASSWORD={PASSWORD}", "app",
            "python", "manage.py", "createsuperuser", "--no-input",
            "--username", "alice", "--email", "alice@example.com",
        )  # fmt: skip
        https = Client(https_port, cafile=tls_certificate.ca)
        wait_until(
            lambda: https.status("/healthz") == 200,
            30,
            "nginx to answer over HTTPS",
            0.5,
        )
        key = https.login("alice").json()["token"]
        response = https.example(key)
        assert (response.status, response.json()["username"]) == (200, "alice")
        refused = https.request("GET", "/api/example/")
        assert (refused.status, refused.headers["www-authenticate"]) == (401, "Token")
        # Plain HTTP through nginx: API calls refused, not redirected.
        assert Client(http_port).request("GET", "/api/example/").status == 403

        # A password reset: the API answers at once, the worker sends the email, and
        # its link sets the new password.
        json_body = {"Content-Type": "application/json"}
        asked = https.request(
            "POST", RESET, json.dumps({"email": "alice@example.com"}), json_body
        )
        assert asked.status == 202, asked.body
        try:
            [email] = wait_until(
                lambda: maildir_messages(inbox), 60, "the reset email", 0.5
            )
        except TimeoutError:
            pytest.fail(logs(f"{name}_worker_1") + logs(f"{name}_smtp_1"))
        link = emailed_link(email)
        body = json.dumps({**link, "new_password": "a new and long passphrase"})
        confirmed = https.request("POST", f"{RESET}confirm/", body, json_body)
        assert confirmed.status == 200, confirmed.body
        assert https.login("alice", "a new and long passphrase").status == 200
        wait_for("service_healthy", f"{name}_worker_1")
    finally:
        compose("down", "--volumes", check=False)
        podman("rmi", "--force", env["APP_IMAGE"], check=False)
    left = podman("ps", "--all", "--format", "{{.Names}}").stdout.split()
    assert [container for container in left if container.startswith(name)] == []
    volumes = podman("volume", "ls", "--format", "{{.Name}}").stdout.split()
    assert [volume for volume in volumes if volume.startswith(name)] == []
    networks = podman("network", "ls", "--format", "{{.Name}}").stdout.split()
    assert [network for network in networks if network.startswith(name)] == []
    pods = podman("pod", "ls", "--format", "{{.Name}}").stdout.split()
    assert [pod for pod in pods if name in pod] == []


def start_order(compose_file):
    """compose.yaml's services, each after those it depends on, with their conditions."""
    services = yaml.safe_load(compose_file.read_text())["services"]
    order = {}
    while len(order) < len(services):
        for service, spec in services.items():
            depends_on = spec.get("depends_on", {})
            if service not in order and set(depends_on) <= set(order):
                order[service] = {dep: c["condition"] for dep, c in depends_on.items()}
    return list(order.items())


def wait_for(condition, container):
    """Wait until a dependency meets a compose condition."""
    if condition == "service_healthy":
        # The container's own healthcheck; podman runs none by itself without systemd.
        def check():
            return podman("healthcheck", "run", container, check=False).returncode == 0
    elif condition == "service_completed_successfully":

        def check():
            state = podman(
                "inspect",
                "--format",
                "{{.State.Status}} {{.State.ExitCode}}",
                container,
            )
            status, code = state.stdout.split()
            assert code == "0", logs(container)
            return status == "exited"
    else:

        def check():
            return True

    wait_until(check, 90, f"{container}: {condition}", 0.5)
