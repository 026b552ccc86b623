"""Rendering the template, for the tests and for demo.py."""

import os
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent

# Where the generated projects' own pytest runs keep their temporary folders. Not this
# session's: each pytest start makes its base folder private again and prunes old runs,
# which would pull the ground from under the servers this session is running.
GENERATED_PYTEST_TEMP = Path(tempfile.gettempdir()) / "generated-projects-pytest"


def render(output_dir, **answers):
    """Render the template without prompts and return the generated project's folder."""
    return Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
        )
    )


def clean_environment(**extra):
    """This process's environment, less anything that would steer the generated project."""
    env = {
        name: value
        for name, value in os.environ.items()
        # PYTEST_: this session's (xdist's worker name would rename the test databases).
        if not name.startswith(
            ("DJANGO_", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTEST_")
        )
        and name not in {"DATABASE_URL", "PYTHONPATH"}
    }
    # One folder per xdist worker: pytest numbers and prunes the runs in its folder.
    temproot = GENERATED_PYTEST_TEMP / os.environ.get("PYTEST_XDIST_WORKER", "main")
    temproot.mkdir(parents=True, exist_ok=True)
    return {**env, "PYTEST_DEBUG_TEMPROOT": str(temproot), **extra}
