"""Each option combination's own test suite passes, run with the README's test command,
on SQLite and on PostgreSQL."""

from rendering import clean_environment
from walkthrough import section_commands, shell


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


def test_generated_test_suite_passes(project):
    """The generated project's pytest suite runs green on SQLite, the local default."""
    assert_suite_passes(project)


def test_generated_test_suite_passes_on_postgresql(project, postgres):
    """The same suite runs green against a real PostgreSQL server."""
    assert_suite_passes(project, DATABASE_URL=postgres.url)
