"""Rendering fixtures: each option combination is rendered once per session, and all of
them share one virtual environment (their dependencies are the same), so the suite
stays fast. Tests run in parallel (pytest-xdist); those sharing an expensive session
server are kept on one worker, and marked so that they can be selected or left out."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from rendering import clean_environment, render
from walkthrough import section_commands, shell

pytest_plugins = ["servers", "deployment", "containers"]

# Tests using these fixtures run on one xdist worker, to share what the fixture makes
# once per session: images, a deployed project, pre-commit's hook environments, mypy's
# cache of the dependencies' types.
GROUPS = {
    "images": "containers",
    "app_image": "containers",
    "deployment": "deployment",
    "pre_commit_home": "pre-commit",
    "mypy_cache": "mypy",
}
# These groups are markers too (pyproject.toml), and marked `slow`: `pytest -m "not
# slow"` is the fast part (hooks, render, generated suites).
MARKED_GROUPS = {"containers", "deployment"}

# Every supported combination of the template's options.
COMBINATIONS = [
    pytest.param({"username_type": "username"}, id="username"),
    pytest.param({"username_type": "email"}, id="email"),
]


@pytest.hookimpl(tryfirst=True)  # before -m selects and xdist reads the groups
def pytest_collection_modifyitems(items):
    for item in items:
        groups = {GROUPS[name] for name in item.fixturenames if name in GROUPS}
        for group in groups:
            item.add_marker(pytest.mark.xdist_group(group))
        for marker in groups & MARKED_GROUPS:
            item.add_marker(marker)
        if groups & MARKED_GROUPS:
            item.add_marker("slow")


@dataclass
class Project:
    """A rendered project, run with the shared environment's interpreter and tools."""

    path: Path
    answers: dict
    venv: Path

    def run(self, *args, env=None, check=True, timeout=300):
        """Run a command from the shared environment's bin/ in the project folder."""
        command = [str(self.venv / "bin" / args[0]), *args[1:]]
        result = subprocess.run(
            command,
            cwd=self.path,
            env=clean_environment(**(env or {})),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            pytest.fail(
                f"{' '.join(args)} exited {result.returncode}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
        return result


def assert_suite_passes(project, **env):
    """The README's `## Test` command, in the shared environment (the same locked
    dependencies its install command gives), leaves no cache in the rendered project."""
    [command] = section_commands((project.path / "README.md").read_text(), "Test")[0]
    env = clean_environment(
        UV_PROJECT_ENVIRONMENT=str(project.venv),
        PYTEST_ADDOPTS="-p no:cacheprovider",
        **env,
    )
    result = shell(command, project.path, env)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in summary
    assert "failed" not in summary
    assert "error" not in summary


@pytest.fixture(scope="session")
def shared_venv(tmp_path_factory):
    """One environment with the generated projects' locked dependencies, compiled to
    bytecode once: the suite starts Django in a new interpreter a hundred times, and
    with PYTHONDONTWRITEBYTECODE set (as on CI machines) each would compile it again."""
    venv = tmp_path_factory.mktemp("shared") / "venv"
    project = render(tmp_path_factory.mktemp("lock-source"))
    subprocess.run(
        ["uv", "sync", "--locked", "--quiet", "--compile-bytecode"],
        cwd=project,
        env=clean_environment(UV_PROJECT_ENVIRONMENT=str(venv)),
        check=True,
    )
    return venv


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory):
    """mypy's cache, shared by the combinations: Django's and DRF's types are checked once."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="session", params=COMBINATIONS)
def project(request, tmp_path_factory, shared_venv):
    """The template rendered with one combination of options."""
    answers = request.param
    path = render(tmp_path_factory.mktemp("rendered"), **answers)
    return Project(path=path, answers=answers, venv=shared_venv)
