"""Each option combination's own test suite passes, on SQLite and on PostgreSQL."""


def assert_suite_passes(project, env=None):
    result = project.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", env=env
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary
    assert "failed" not in summary
    assert "error" not in summary


def test_generated_test_suite_passes(project):
    """The generated project's pytest suite runs green on SQLite, the local default."""
    assert_suite_passes(project)


def test_generated_test_suite_passes_on_postgresql(project, postgres):
    """The same suite runs green against a real PostgreSQL server."""
    assert_suite_passes(project, env={"DATABASE_URL": postgres.url})
