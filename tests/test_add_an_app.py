"""The generated README's "Add an app", followed word for word in a copy of each
combination: then the README's checks pass, and the new app's routes are in the schema,
token-protected, with their errors documented."""

import shutil

import pytest
import yaml

from rendering import clean_environment
from walkthrough import follow_section, section_commands, shell_succeeds

pytestmark = pytest.mark.slow


@pytest.fixture
def project_copy(project, tmp_path):
    copy = tmp_path / project.path.name
    shutil.copytree(project.path, copy, ignore=shutil.ignore_patterns("*.sqlite3"))
    return copy


def test_add_an_app_then_the_checks_pass(project, project_copy, mypy_cache):
    readme = (project_copy / "README.md").read_text()
    env = clean_environment(
        UV_PROJECT_ENVIRONMENT=str(project.venv),
        PYTEST_ADDOPTS="-p no:cacheprovider",
        MYPY_CACHE_DIR=str(mypy_cache),
    )
    follow_section(readme, "Add an app", project_copy, env)

    for block in section_commands(readme, "Checks"):
        for command in block:
            shell_succeeds(command, project_copy, env)

    schema = shell_succeeds("uv run python manage.py spectacular", project_copy, env)
    paths = yaml.safe_load(schema.stdout)["paths"]
    operations = [*paths["/api/notes/"].values(), *paths["/api/notes/{id}/"].values()]
    assert len(operations) == 6  # list, create; read, replace, change, delete
    for operation in operations:
        assert operation["security"] == [{"tokenAuth": []}]
        assert "401" in operation["responses"]
