"""Each option combination renders into a clean, linted, deployable project."""

import re
import secrets
import shutil
import subprocess
import tomllib

import pytest

from rendering import clean_environment, render

IGNORED_DIRS = {".venv", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache"}
MAX_MODULE_LINES = 150
LEFTOVERS = re.compile(r"\{\{|\{%|%\}|cookiecutter", re.IGNORECASE)

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
    "DATABASE_URL": "sqlite:////tmp/production-check.sqlite3",
}


def project_files(project):
    """The rendered files, not what running the project and its tests leaves behind."""
    return [
        path
        for path in project.path.rglob("*")
        if path.is_file()
        and path.suffix != ".sqlite3"
        and not IGNORED_DIRS.intersection(path.parts)
    ]


def test_no_template_leftovers(project):
    """No file still holds Jinja syntax or the word cookiecutter, but the project's own
    Django templates, whose tags are Django's."""
    leftovers = [
        f"{path.relative_to(project.path)}: {match.group()}"
        for path in project_files(project)
        if "templates" not in path.parts
        for match in [LEFTOVERS.search(path.read_text())]
        if match
    ]
    assert leftovers == []


def test_only_the_chosen_login_variant_is_left(project):
    """The files only the other login variant needs are gone; the shared ones are
    rendered for this one."""
    by_email = project.answers["username_type"] == "email"
    assert (project.path / "users" / "managers.py").exists() == by_email
    assert (project.path / "users" / "fields.py").exists() == by_email
    tests = project.path / "users" / "tests"
    assert (tests / "test_email_login_field.py").exists() == by_email
    assert (tests / "test_username_login_field.py").exists() != by_email
    models = (project.path / "users" / "models.py").read_text()
    assert ('USERNAME_FIELD = "email"' in models) == by_email


def test_ruff_check_is_clean(project):
    """The generated code passes the generated project's own ruff rules."""
    project.run("ruff", "check", "--no-cache", ".")


def test_ruff_format_is_clean(project):
    """The generated code is formatted as `ruff format` would write it."""
    project.run("ruff", "format", "--check", "--no-cache", ".")


def test_modules_stay_short(project):
    """Every generated module reads in one sitting, but the settings, which read every
    environment variable in one place."""
    long_modules = {
        str(path.relative_to(project.path)): length
        for path in project_files(project)
        if path.suffix == ".py"
        and (length := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    long_modules.pop("config/settings/base.py", None)
    assert long_modules == {}


def test_migrations_are_complete(project):
    """The shipped migrations match the models."""
    project.run("python", "manage.py", "makemigrations", "--check", "--dry-run")


def test_lock_file_matches_pyproject(project):
    """uv.lock is up to date with pyproject.toml, so `uv sync --locked` works."""
    subprocess.run(
        ["uv", "lock", "--check", "--quiet"],
        cwd=project.path,
        env=clean_environment(),
        check=True,
    )


def test_dependencies(project):
    """Django 6.1, DRF 3.18.3+, django-environ and gunicorn; dev tools in the dev group."""
    pyproject = tomllib.loads((project.path / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert set(pyproject["project"]["dependencies"]) == {
        "django[argon2]>=6.1,<6.2",
        "django-environ>=0.14",
        "django-tasks-db>=0.13",
        "djangorestframework>=3.18.3",
        "drf-spectacular>=0.30",
        "drf-spectacular-sidecar>=2026.10.1",
        "gunicorn>=27",
        "psycopg[binary]>=3.2",
        "python-json-logger>=4.2",
        "redis>=5",
        "whitenoise>=6.12",
    }
    assert {"aiosmtpd>=1.4.6", "hypothesis>=6", "pytest-django>=4.14"} <= set(
        pyproject["dependency-groups"]["dev"]
    )


@pytest.fixture
def without_env_file(project, tmp_path):
    """A copy of the project with no .env, so only the real environment counts."""
    copy = tmp_path / project.path.name
    shutil.copytree(
        project.path, copy, ignore=shutil.ignore_patterns(".env", "*.sqlite3")
    )
    return type(project)(path=copy, answers=project.answers, venv=project.venv)


def test_check_deploy_reports_nothing(without_env_file):
    """Production settings pass `check --deploy` at WARNING with only three variables."""
    secret = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    result = without_env_file.run(
        "python",
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, **secret},
    )
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_the_secret(without_env_file):
    """Without DJANGO_SECRET_KEY, start-up stops with a message naming it."""
    result = without_env_file.run(
        "python", "manage.py", "check", env=PRODUCTION, check=False
    )
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_local_env_file_holds_a_fresh_secret(project, tmp_path):
    """.env gets a new random key of 50+ characters at each rendering, and is ignored."""
    env_line = (project.path / ".env").read_text().split("DJANGO_SECRET_KEY=")[1]
    secret = env_line.splitlines()[0]
    assert len(secret) >= 50
    other = render(tmp_path, **project.answers)
    assert secret not in (other / ".env").read_text()
    assert ".env" in (project.path / ".gitignore").read_text().splitlines()


def test_secret_is_only_in_the_env_file(project):
    """The generated secret appears in no file but the git-ignored .env."""
    secret = (
        (project.path / ".env").read_text().split("DJANGO_SECRET_KEY=")[1].split()[0]
    )
    holders = [
        path.relative_to(project.path)
        for path in project_files(project)
        if path.name != ".env" and secret in path.read_text(errors="replace")
    ]
    assert holders == []


def test_runs_on_sqlite_with_no_configuration(project):
    """Local settings (the default) migrate onto SQLite with nothing but the .env."""
    result = project.run("python", "manage.py", "migrate", "--plan")
    assert "authtoken" in result.stdout


ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
ENV_DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_env_example_lists_every_variable(project):
    """.env.example documents exactly the variables the settings and gunicorn read."""
    sources = [
        *(project.path / "config" / "settings").glob("*.py"),
        project.path / "gunicorn.conf.py",
    ]
    read = {name for path in sources for name in ENV_READ.findall(path.read_text())}
    documented = set(
        ENV_DOCUMENTED.findall((project.path / ".env.example").read_text())
    )
    assert read, "found no environment variable read: the pattern is out of date"
    assert documented == read
