"""Refuse answers the generated project could not work with, before anything is written.

Each validator takes one answer and returns an error message, or None when the answer is
fine. On an error the hook prints every message and exits 1; cookiecutter then removes
the half-made project folder.
"""

import keyword
import re
import sys

HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)

# Modules and distributions the generated project imports or depends on: a project of
# the same name would shadow them, or clash with them in pyproject.toml.
TAKEN_NAMES = {
    "config",
    "users",
    "manage",
    "test",
    "tests",
    "django",
    "rest_framework",
    "djangorestframework",
    "environ",
    "django_environ",
    "gunicorn",
    "pytest",
    "pytest_django",
    "ruff",
}


def validate_project_name(name):
    """The project's display name must not be blank: `Token API` is fine, `  ` is not."""
    if not name.strip():
        return "project_name must not be blank."
    return None


def validate_project_slug(slug):
    """A lowercase Python identifier that shadows nothing: `token_api`, not `my-project`."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug) or keyword.iskeyword(slug):
        return (
            f"project_slug {slug!r} is not a valid Python module name: use lowercase "
            "letters, digits and underscores, starting with a letter (e.g. 'my_project')."
        )
    if slug in TAKEN_NAMES or slug in sys.stdlib_module_names:
        return (
            f"project_slug {slug!r} would shadow the Python module {slug!r} that the "
            f"project needs: choose another name (e.g. '{slug}_api')."
        )
    return None


def validate_domain_name(domain):
    """A host name without scheme, port or path: `api.example.com`, not `https://x.com/`."""
    labels = domain.split(".")
    if len(domain) > 253 or not all(HOST_LABEL.fullmatch(label) for label in labels):
        return (
            f"domain_name {domain!r} is not a host name: give just the name, such as "
            "'api.example.com', with no scheme, port, path or spaces."
        )
    return None


def validate_email(email):
    """An address with a local part and a host: `you@example.com`, not `you.example.com`."""
    local, at, domain = email.rpartition("@")
    if not (local and at) or " " in local or validate_domain_name(domain):
        return (
            f"email {email!r} is not an email address: it needs the form "
            "'name@example.com'."
        )
    return None


def validate_username_type(username_type):
    """How users log in: `username` or `email`, nothing else."""
    if username_type not in {"username", "email"}:
        return f"username_type {username_type!r} must be 'username' or 'email'."
    return None


def main():
    errors = [
        validate_project_name({{ cookiecutter.project_name|tojson }}),
        validate_project_slug({{ cookiecutter.project_slug|tojson }}),
        validate_domain_name({{ cookiecutter.domain_name|tojson }}),
        validate_email({{ cookiecutter.email|tojson }}),
        validate_username_type({{ cookiecutter.username_type|tojson }}),
    ]
    errors = [error for error in errors if error]
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
