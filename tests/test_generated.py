"""Each option combination's own test suite passes."""


def test_generated_test_suite_passes(project):
    """The generated project's pytest suite runs green in its rendered form."""
    result = project.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q")
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary
    assert "failed" not in summary
    assert "error" not in summary
