"""Container images and containers, with podman, for the tests of the generated
project's Dockerfile, compose.yaml and Kubernetes manifests. A pytest plugin.

There is no Docker engine and no registry here: podman builds and runs the images,
from base images that mmdebstrap makes out of Debian's packages (the official python,
postgres, redis and nginx images cannot be pulled). Machine settings for podman (the
OCI runtime, ulimits) come from CONTAINERS_CONF, which .ci/run sets.

Every container, pod, volume and project image a test makes has a unique name and is
removed at teardown, even when the test fails. The base images are a cache: the same
Debian packages every time, kept between sessions under localhost/drf-token-template/.

PYTEST_DONT_REWRITE: helpers only.
"""

import contextlib
import hashlib
import json
import re
import secrets
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rendering import render

IMAGES = Path(__file__).parent / "images"
CACHE = "localhost/drf-token-template"
PACKAGES = (
    "apt-get install -y podman buildah runc catatonit mmdebstrap netavark aardvark-dns"
)
# The host's CA bundle: the build's downloads go through a proxy whose CA is in it.
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def podman(*args, check=True, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    """Run podman; a failure names the command and what it printed."""
    if shutil.which("podman") is None:
        pytest.fail(f"podman not found: {PACKAGES}", pytrace=False)
    result = subprocess.run(
        ["podman", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, **kwargs,
    )  # fmt: skip
    if check and result.returncode != 0:
        pytest.fail(
            f"podman {' '.join(map(str, args))} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return result


def unique(name: str) -> str:
    """A name no other test or session uses."""
    return f"{name}-{secrets.token_hex(4)}"


def image_exists(image: str) -> bool:
    return podman("image", "exists", image, check=False).returncode == 0


def image_size(image: str) -> int:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout)


def debian_image(name: str, packages: list[str], tmp_path: Path) -> str:
    """A Debian trixie image of these packages, made with mmdebstrap once and cached
    (under a tag of its package list: another list makes another image)."""
    packages_id = hashlib.sha256(" ".join(sorted(packages)).encode()).hexdigest()[:8]
    image = f"{CACHE}/{name}:trixie-{packages_id}"
    if not image_exists(image):
        if shutil.which("mmdebstrap") is None:
            pytest.fail(f"mmdebstrap not found: {PACKAGES}", pytrace=False)
        tarball = tmp_path / f"{name}.tar"
        subprocess.run(
            ["mmdebstrap", "--quiet", "--variant=minbase",
             f"--include={','.join(packages)}", "trixie", tarball],
            check=True, timeout=600,
        )  # fmt: skip
        podman("import", "--quiet", tarball, image)
        tarball.unlink()
    return image


@dataclass
class Images:
    python: str  # the base of the project's image, as PYTHON_IMAGE
    postgres: str
    redis: str
    nginx: str
    smtp: str


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> Images:
    """Stand-ins for the official images: Python 3.13 from Debian trixie, and
    PostgreSQL, Redis and nginx started as the official images start them; and an SMTP
    server (aiosmtpd) for the emails."""
    workdir = tmp_path_factory.mktemp("images")
    python = debian_image(
        "python", ["python3", "python3-venv", "ca-certificates"], workdir
    )
    services = debian_image(
        "services",
        [
            "postgresql",
            "redis-server",
            "nginx-light",
            "python3-aiosmtpd",
            "ca-certificates",
        ],
        workdir,
    )
    built = {}
    for target in ["postgres", "redis", "nginx", "smtp"]:
        built[target] = f"{CACHE}/{target}:test"
        podman(
            "build", "--quiet", "--build-arg", f"BASE={services}", "--target", target,
            "--tag", built[target], "--file", IMAGES / "Containerfile", IMAGES,
        )  # fmt: skip
    return Images(python=python, **built)


@dataclass
class AppImage:
    name: str
    project: Path  # the rendered project it was built from
    build_seconds: float


def readme_commands(project: Path, section: str) -> list[str]:
    """The shell lines of a section of the project's deploy/README.md, in order."""
    readme = (project / "deploy" / "README.md").read_text()
    text = readme.split(f"{section}\n", 1)[1].split("\n#", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
    return [line for block in blocks for line in block.splitlines()]


def as_podman(command: str, image: str, tag: str, *machine_options: str) -> list[str]:
    """A README's `docker ...` line for podman here: the image built by the tests, and
    this machine's options right after the subcommand."""
    docker, subcommand, *rest = shlex.split(command)
    assert docker == "docker", command
    rest = [tag if word == image else word for word in rest]
    return [subcommand, *machine_options, *rest]


def build_app_image(project: Path, tag: str, images: Images) -> float:
    """Build the project's image with the README's command, given this machine's base
    image and CA bundle; return the seconds it took."""
    build = readme_commands(project, "## Containers")[0]
    started = time.monotonic()
    podman(
        *as_podman(
            build, project.name, tag, "--network=host",
            f"--build-arg=PYTHON_IMAGE={images.python}", f"--secret=id=ca,src={CA_BUNDLE}",
        ),
        cwd=project,
    )  # fmt: skip
    return time.monotonic() - started


@pytest.fixture(scope="session")
def app_image(tmp_path_factory, images) -> Iterator[AppImage]:
    """The default project's image, built once per session, removed at the end. The
    project has what a developer's copy has beside its code (the .env that rendering
    wrote, a database, .venv/, staticfiles/), which .dockerignore must keep out."""
    project = render(tmp_path_factory.mktemp("image"))
    (project / "db.sqlite3").write_text("local")
    for folder in [".venv", "staticfiles"]:
        (project / folder).mkdir()
        (project / folder / "local-marker").write_text("local")
    name = f"localhost/{unique('token-api')}:test"
    seconds = build_app_image(project, name, images)
    try:
        yield AppImage(name=name, project=project, build_seconds=seconds)
    finally:
        podman("rmi", "--force", name, check=False)


@contextlib.contextmanager
def container(image: str, *args: str, name: str = "app", options=()) -> Iterator[str]:
    """`podman run --detach` with a unique name; removed on exit. Yields the name."""
    name = unique(name)
    podman("run", "--detach", "--name", name, *options, image, *args)
    try:
        yield name
    finally:
        podman("rm", "--force", "--time", "0", name, check=False)


def logs(name: str) -> str:
    """What a container wrote, stdout and stderr as the platform collects them."""
    result = podman("logs", name, check=False)
    return result.stdout + result.stderr


def inspect(name: str) -> dict:
    return json.loads(podman("inspect", name).stdout)[0]
