"""The generated README, followed to the letter: `uv sync`, migrate, runserver, and the
seed's curl exchange."""

import pytest

from conftest import COMBINATIONS
from rendering import clean_environment, render
from walkthrough import (
    free_port,
    run_steps,
    serving,
    setup_commands,
    shell,
    walkthrough_steps,
)


@pytest.mark.parametrize("answers", COMBINATIONS)
def test_readme_walkthrough(tmp_path, answers):
    """Set up and run as the README says, then its curl calls answer as it shows."""
    project = render(tmp_path, **answers)
    readme = (project / "README.md").read_text()
    install, run = setup_commands(readme)
    env = clean_environment()

    installed = shell(install, project, env)
    assert installed.returncode == 0, installed.stderr
    assert (project / ".venv").is_dir()

    port = free_port()
    with serving(run, port, project, env, tmp_path / "runserver.log"):
        key = run_steps(
            walkthrough_steps(readme), port, project, env, echo=lambda _: None
        )

    assert len(key) == 40
