"""The generated README, followed to the letter: `uv sync`, migrate, runserver, and the
seed's curl exchange. Its `## Test` command is run by test_generated.py."""

import pytest

from conftest import COMBINATIONS
from rendering import clean_environment, render
from servers import free_port
from walkthrough import (
    run_steps,
    section_commands,
    serving,
    shell,
    walkthrough_steps,
)


@pytest.mark.slow
@pytest.mark.parametrize("answers", COMBINATIONS)
def test_readme_walkthrough(tmp_path, answers):
    """Set up and run as the README says, then its curl calls answer as it shows."""
    project = render(tmp_path, **answers)
    readme = (project / "README.md").read_text()
    install, run = section_commands(readme, "Set up and run")[1]
    env = clean_environment()

    installed = shell(install, project, env)
    assert installed.returncode == 0, installed.stderr
    assert (project / ".venv").is_dir()

    port = free_port()
    log = tmp_path / "runserver.log"
    with serving(run, port, project, env, log):
        key = run_steps(
            walkthrough_steps(readme), port, project, env, log, echo=lambda _: None
        )

    assert len(key) == 40


def test_readme_fresh_clone_env_command(tmp_path):
    """In a clone without .env, the README's one-liner writes one with a 50+ character key."""
    project = render(tmp_path)
    (project / ".env").unlink()
    readme = (project / "README.md").read_text()
    [make_env_file] = section_commands(readme, "Set up and run")[0]

    assert shell(make_env_file, project, clean_environment()).returncode == 0

    key = (project / ".env").read_text().removeprefix("DJANGO_SECRET_KEY=").strip()
    assert len(key) >= 50
