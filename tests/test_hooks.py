"""Refused answers stop rendering with a clear message and leave nothing behind."""

import tomllib

import pytest
from cookiecutter.exceptions import FailedHookException, OutputDirExistsException

from rendering import render


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"project_slug": "my-project"},
            "project_slug 'my-project' is not a valid Python",
        ),
        ({"project_slug": "1api"}, "project_slug '1api' is not a valid Python"),
        ({"project_slug": "MyAPI"}, "project_slug 'MyAPI' is not a valid Python"),
        ({"project_slug": "class"}, "project_slug 'class' is not a valid Python"),
        ({"project_slug": "django"}, "project_slug 'django' would shadow"),
        (
            {"project_slug": "rest_framework"},
            "project_slug 'rest_framework' would shadow",
        ),
        ({"project_slug": "djangorestframework"}, "would shadow"),
        ({"project_slug": "environ"}, "project_slug 'environ' would shadow"),
        ({"project_slug": "config"}, "project_slug 'config' would shadow"),
        ({"project_slug": "users"}, "project_slug 'users' would shadow"),
        ({"project_slug": "test"}, "project_slug 'test' would shadow"),
        ({"project_slug": "json"}, "project_slug 'json' would shadow"),
        (
            {"project_name": "   ", "project_slug": "api"},
            "project_name must not be blank",
        ),
        (
            {"domain_name": "https://example.com"},
            "domain_name 'https://example.com' is not",
        ),
        (
            {"domain_name": "example.com/"},
            "domain_name 'example.com/' is not a host name",
        ),
        (
            {"domain_name": "exa mple.com"},
            "domain_name 'exa mple.com' is not a host name",
        ),
        ({"domain_name": "example.com:443"}, "is not a host name"),
        ({"domain_name": "-bad.example.com"}, "is not a host name"),
        ({"domain_name": "example..com"}, "is not a host name"),
        ({"domain_name": ""}, "domain_name '' is not a host name"),
        (
            {"email": "you.example.com"},
            "email 'you.example.com' is not an email address",
        ),
        ({"email": "@example.com"}, "email '@example.com' is not an email address"),
        ({"email": "you@"}, "email 'you@' is not an email address"),
        ({"email": "you@exa mple.com"}, "is not an email address"),
    ],
)
def test_refused_answer(tmp_path, capfd, answers, message):
    """A bad answer fails with a message naming the field, and no folder is left."""
    with pytest.raises(FailedHookException):
        render(tmp_path, **answers)
    assert message in capfd.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_every_bad_answer_is_reported_at_once(tmp_path, capfd):
    """All refused answers are listed together, so one retry can fix them all."""
    with pytest.raises(FailedHookException):
        render(tmp_path, project_slug="my-project", email="nobody")
    err = capfd.readouterr().err
    assert "project_slug 'my-project'" in err
    assert "email 'nobody'" in err


def test_empty_slug_writes_nothing(tmp_path):
    """An empty slug names no folder: cookiecutter stops before any hook, writing nothing."""
    with pytest.raises(OutputDirExistsException):
        render(tmp_path, project_slug="")
    assert list(tmp_path.iterdir()) == []


def test_unknown_login_choice_is_refused(tmp_path):
    """username_type accepts only its listed choices."""
    with pytest.raises(ValueError, match="username_type"):
        render(tmp_path, username_type="phone")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("Token API", "token_api"),
        ("My Cool-API 2", "my_cool_api_2"),
        ('Dave\'s "Quoted" API', "dave_s_quoted_api"),
    ],
)
def test_slug_is_derived_from_the_name(tmp_path, project_name, slug):
    """The default slug is the project name made into a module name."""
    assert render(tmp_path, project_name=project_name).name == slug


@pytest.mark.parametrize("domain", ["localhost", "api.example.com", "a-b.c0.example"])
def test_accepted_domains(tmp_path, domain):
    """Host names, dotted or single-label, are accepted."""
    assert render(tmp_path, domain_name=domain).is_dir()


def test_free_text_answers_stay_valid_toml(tmp_path):
    """Quotes and backslashes in free-text answers are escaped in pyproject.toml."""
    description = 'An "API" with a back\\slash and a <tag>'
    project = render(tmp_path, description=description, author_name='O\'Brien "Bob"')
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"] == [
        {"name": 'O\'Brien "Bob"', "email": "you@example.com"}
    ]
