"""Template updates with cruft, as a user lives them: a project made with `cruft create`
from one commit of the template, edited and committed by its owner; the template moves
on; `cruft update` brings the change in, keeps the owner's edits and the local .env, and
reports a real conflict as one. Each combination of options."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COMBINATIONS, Project, assert_suite_passes
from rendering import TEMPLATE, clean_environment

CRUFT = Path(sys.executable).parent / "cruft"
# What a copy of the template leaves out: this checkout's own state.
NOT_TEMPLATE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "test-artifacts",
    "output", ".schemathesis",
)  # fmt: skip
pytestmark = pytest.mark.slow

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}
OWN_NOTE = "Notes of our own, kept through template updates."


def run(*args, cwd):
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True,
        env=clean_environment(**GIT_IDENTITY), timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def commit(repo, message):
    run("git", "add", "--all", cwd=repo)
    run("git", "commit", "--quiet", "--message", message, cwd=repo)


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def template_repo(tmp_path):
    """A git repository of this template as it stands, the commit cruft starts from."""
    repo = tmp_path / "template"
    shutil.copytree(TEMPLATE, repo, ignore=NOT_TEMPLATE)
    run("git", "init", "--quiet", cwd=repo)
    commit(repo, "The template")
    return repo


def cruft_create(template_repo, tmp_path, answers):
    """A project made with `cruft create`, in a git repository of its own, committed."""
    run(
        CRUFT, "create", template_repo, "--no-input", "--output-dir", tmp_path / "out",
        "--extra-context", json.dumps(answers), cwd=tmp_path,
    )  # fmt: skip
    project = tmp_path / "out" / "token_api"
    run("git", "init", "--quiet", cwd=project)
    commit(project, "Generated")
    return project


def move_template_on(template_repo):
    """A template commit: the README's title line, and the URLconf's docstring."""
    slug = template_repo / "{{cookiecutter.project_slug}}"
    edit(
        slug / "README.md",
        "# {{ cookiecutter.project_name }}\n",
        "# {{ cookiecutter.project_name }}: a token API\n",
    )
    edit(
        slug / "config" / "urls.py",
        '"""URL configuration:',
        '"""URL configuration, updated:',
    )
    commit(template_repo, "Template fixes")


def cruft_update(project):
    """`cruft update` as a user runs it, answering yes; what it printed."""
    return run(
        CRUFT, "update", "--skip-apply-ask", "--allow-untracked-files", cwd=project
    )


def urls_updated(project):
    return (
        '"""URL configuration, updated:' in (project / "config" / "urls.py").read_text()
    )


@pytest.mark.parametrize("answers", COMBINATIONS)
def test_cruft_update_applies_the_template_and_keeps_the_project(
    answers, template_repo, tmp_path, shared_venv
):
    project = cruft_create(template_repo, tmp_path, answers)
    env_file = (project / ".env").read_text()
    (project / "README.md").write_text(
        (project / "README.md").read_text() + f"\n{OWN_NOTE}\n"
    )
    commit(project, "Our notes")

    # The template moves on: a file the project edited too, and one it did not.
    move_template_on(template_repo)

    output = cruft_update(project)
    status = run("git", "status", "--short", cwd=project)
    print(f"$ cruft update --skip-apply-ask\n{output}$ git status --short\n{status}")
    assert list(project.rglob("*.rej")) == []
    assert "conflict" not in output.lower()
    assert (project / ".env").read_text() == env_file
    readme = (project / "README.md").read_text()
    assert readme.startswith("# Token API: a token API\n")
    assert OWN_NOTE in readme
    assert urls_updated(project)
    run(CRUFT, "check", cwd=project)
    commit(project, "Template update")

    # The project's own tests, on the updated project.
    assert_suite_passes(Project(path=project, answers=answers, venv=shared_venv))


def test_cruft_reports_a_real_conflict(template_repo, tmp_path):
    """Both sides change the same line: cruft says so and leaves git's markers there;
    every other file is updated, with no rejected hunks, and .env is left alone."""
    project = cruft_create(template_repo, tmp_path, {})
    env_file = (project / ".env").read_text()
    edit(project / "README.md", "# Token API\n", "# Our API\n")
    commit(project, "Our title")
    move_template_on(template_repo)

    output = cruft_update(project)
    assert "Applied patch to 'README.md' with conflicts." in output
    status = run("git", "status", "--porcelain", cwd=project).splitlines()
    assert "UU README.md" in status
    readme = (project / "README.md").read_text()
    assert (
        "<<<<<<< ours\n# Our API\n=======\n# Token API: a token API\n>>>>>>> theirs"
        in readme
    )
    assert urls_updated(project)
    assert list(project.rglob("*.rej")) == []
    assert (project / ".env").read_text() == env_file
