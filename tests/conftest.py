"""Rendering fixtures: each option combination is rendered once per session, and all of
them share one virtual environment (their dependencies are the same), so the suite
stays fast."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from rendering import clean_environment, render

pytest_plugins = ["servers", "deployment", "containers"]

# Every supported combination of the template's options.
COMBINATIONS = [
    pytest.param({"username_type": "username"}, id="username"),
    pytest.param({"username_type": "email"}, id="email"),
]


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


@pytest.fixture(scope="session")
def shared_venv(tmp_path_factory):
    """One environment with the generated projects' locked dependencies."""
    venv = tmp_path_factory.mktemp("shared") / "venv"
    project = render(tmp_path_factory.mktemp("lock-source"))
    subprocess.run(
        ["uv", "sync", "--locked", "--quiet"],
        cwd=project,
        env=clean_environment(UV_PROJECT_ENVIRONMENT=str(venv)),
        check=True,
    )
    return venv


@pytest.fixture(scope="session", params=COMBINATIONS)
def project(request, tmp_path_factory, shared_venv):
    """The template rendered with one combination of options."""
    answers = request.param
    path = render(tmp_path_factory.mktemp("rendered"), **answers)
    return Project(path=path, answers=answers, venv=shared_venv)
