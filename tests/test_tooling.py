"""The generated project's own tooling, per option combination: strict mypy, pre-commit on
a fresh project, and a CI workflow that actionlint accepts and that runs exactly the
README's commands."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from rendering import clean_environment

# actionlint and shellcheck come with the template's own dev dependencies.
TEMPLATE_TOOLS = Path(sys.executable).parent
WORKFLOW = Path(".github/workflows/ci.yml")
CODE_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
HOOK_STATUS = re.compile(r"\.{3,}(?:\(.*\))?(Passed|Failed|Skipped)$", re.MULTILINE)
DEPLOY_CHECK = "uv run python manage.py check --deploy --fail-level WARNING"

# What CI must run, each a command of the README's "Checks" section.
CHECKS = [
    pytest.param("uv sync --locked", id="locked-install"),
    pytest.param("uv run ruff check .", id="ruff-check"),
    pytest.param("uv run ruff format --check .", id="ruff-format"),
    pytest.param("uv run mypy .", id="mypy"),
    pytest.param("uv run pytest", id="pytest"),
    pytest.param(
        f"DJANGO_SETTINGS_MODULE=config.settings.production {DEPLOY_CHECK}",
        id="check-deploy",
    ),
]


def readme_sections(project, path="README.md"):
    """A generated README's `## ` sections: title -> text."""
    readme = (project.path / path).read_text()
    parts = re.split(r"^## (.+)$", readme, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def commands(markdown):
    """The commands of the code blocks: every line of a bash block, the `$ ` lines of a
    console block."""
    found = []
    for language, body in CODE_BLOCK.findall(markdown):
        for line in body.splitlines():
            if language == "bash" and line.strip():
                found.append(line.strip())
            elif language == "console" and line.startswith("$ "):
                found.append(line.removeprefix("$ ").strip())
    return found


def workflow(project):
    return yaml.safe_load((project.path / WORKFLOW).read_text())


def run_lines(project):
    """Each line of each `run:` step of the workflow, in order."""
    return [
        line.strip()
        for job in workflow(project)["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip()
    ]


@pytest.mark.slow
def test_mypy_passes(project, mypy_cache):
    """The strict configuration in pyproject.toml passes, with both plugins loaded."""
    result = project.run("mypy", "--cache-dir", str(mypy_cache), ".")
    assert "Success: no issues found" in result.stdout
    pyproject = tomllib.loads((project.path / "pyproject.toml").read_text())
    assert pyproject["tool"]["mypy"]["strict"] is True
    assert set(pyproject["tool"]["mypy"]["plugins"]) == {
        "mypy_django_plugin.main",
        "mypy_drf_plugin.main",
    }


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory):
    """The hooks' environments, installed from PyPI once for every combination."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def fresh_repository(project, tmp_path):
    """A copy of the project in a new git repository, every file added, as a developer's
    first commit would have it (git leaves out what .gitignore lists)."""
    copy = tmp_path / project.path.name
    shutil.copytree(project.path, copy)
    for args in (["init", "--quiet"], ["add", "--all"]):
        subprocess.run(
            ["git", *args], cwd=copy, env=clean_environment(), check=True, timeout=60
        )
    return type(project)(path=copy, answers=project.answers, venv=project.venv)


@pytest.mark.slow
def test_pre_commit_passes_on_a_fresh_project(fresh_repository, pre_commit_home):
    """Every hook passes on every file, and changes none."""
    result = fresh_repository.run(
        "pre-commit",
        "run",
        "--all-files",
        "--show-diff-on-failure",
        env={"PRE_COMMIT_HOME": str(pre_commit_home)},
        timeout=900,
    )
    statuses = HOOK_STATUS.findall(result.stdout)
    assert statuses, result.stdout
    assert set(statuses) == {"Passed"}, result.stdout


def test_pre_commit_hooks_are_local_and_pinned(project):
    """Hooks install from PyPI at pinned versions, ruff at the version of uv.lock."""
    config = yaml.safe_load((project.path / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    pins = {
        dependency
        for hook in config["repos"][0]["hooks"]
        for dependency in hook["additional_dependencies"]
    }
    assert all(re.fullmatch(r"[\w-]+==[\w.]+", pin) for pin in pins), pins
    lock = tomllib.loads((project.path / "uv.lock").read_text())
    [ruff] = [package for package in lock["package"] if package["name"] == "ruff"]
    assert f"ruff=={ruff['version']}" in pins


def test_workflow_passes_actionlint(project):
    """actionlint, with shellcheck on the `run:` scripts, finds nothing."""
    result = subprocess.run(
        [
            TEMPLATE_TOOLS / "actionlint",
            "-shellcheck",
            TEMPLATE_TOOLS / "shellcheck",
            WORKFLOW,
        ],
        cwd=project.path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_only_readme_commands(project):
    """Each `run:` line is a command of the generated README, word for word."""
    documented = set(commands((project.path / "README.md").read_text()))
    lines = run_lines(project)
    assert lines
    assert [line for line in lines if line not in documented] == []


def test_workflow_runs_the_readme_checks_in_order(project):
    """CI runs every command of the README's "Checks" section, in the README's order."""
    checks = commands(readme_sections(project)["Checks"])
    assert [line for line in run_lines(project) if line in checks] == checks


@pytest.mark.parametrize("check", CHECKS)
def test_each_check_is_in_the_readme_and_in_ci(project, check):
    """The checks the issue asks for are in the README's "Checks" section and in CI."""
    assert check in commands(readme_sections(project)["Checks"])
    assert check in run_lines(project)


def test_deploy_check_is_the_deploy_sections(project):
    """The production check in CI is the Deploy section's command."""
    deploy = readme_sections(project, "deploy/README.md")["Deploy"]
    assert DEPLOY_CHECK in commands(deploy)


def test_workflow_runs_on_postgresql(project):
    """The tests in CI run against a PostgreSQL service, as production does."""
    [job] = workflow(project)["jobs"].values()
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert job["env"]["DATABASE_URL"].startswith("postgres://")
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "astral-sh/setup-uv"]


# Each configuration file, and the published schema it must follow (check-jsonschema
# ships them, so the check runs offline).
SCHEMAS = [
    pytest.param(".github/workflows/ci.yml", "vendor.github-workflows", id="workflow"),
    pytest.param(".github/dependabot.yml", "vendor.dependabot", id="dependabot"),
    pytest.param("compose.yaml", "vendor.compose-spec", id="compose"),
]


@pytest.mark.parametrize(("path", "schema"), SCHEMAS)
def test_configuration_follows_its_published_schema(project, path, schema):
    result = subprocess.run(
        [TEMPLATE_TOOLS / "check-jsonschema", "--builtin-schema", schema, path],
        cwd=project.path, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_watches_every_manifest_weekly(project):
    """uv (pyproject.toml and uv.lock), the workflow's actions, the Dockerfile's base
    image and compose.yaml's images; minor and patch updates in one pull request."""
    config = yaml.safe_load((project.path / ".github" / "dependabot.yml").read_text())
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"uv", "github-actions", "docker", "docker-compose"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        assert list(update["groups"].values()) == [{"update-types": ["minor", "patch"]}]
