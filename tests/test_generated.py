"""Each option combination's own test suite passes, run with the README's test command,
on SQLite and on PostgreSQL."""

from conftest import assert_suite_passes


def test_generated_test_suite_passes(project):
    """The generated project's pytest suite runs green on SQLite, the local default."""
    assert_suite_passes(project)


def test_generated_test_suite_passes_on_postgresql(project, postgres):
    """The same suite runs green against a real PostgreSQL server."""
    assert_suite_passes(project, DATABASE_URL=postgres.url)
