"""Finish the generated project: remove the files the other login variant needs, write
the local .env."""

import secrets
from pathlib import Path

PROJECT = Path.cwd()
USERNAME_TYPE = {{ cookiecutter.username_type|tojson }}

# Files that only one login variant has; lines that differ within a shared file are
# chosen by Jinja conditions in that file.
ONLY_FOR = {
    "email": [
        "users/fields.py",
        "users/managers.py",
        "users/tests/test_email_case.py",
        "users/tests/test_email_login_field.py",
    ],
    "username": [
        "users/tests/test_signup_username.py",
        "users/tests/test_username_login_field.py",
    ],
}


def remove_other_variants_files():
    for username_type, paths in ONLY_FOR.items():
        if username_type != USERNAME_TYPE:
            for path in paths:
                (PROJECT / path).unlink()


def write_local_env():
    """Write the git-ignored .env with a fresh secret key, so runserver works at once."""
    env_file = PROJECT / ".env"
    env_file.write_text(
        "# Local settings; git-ignored. Variables: see .env.example.\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    env_file.chmod(0o600)


def main():
    remove_other_variants_files()
    write_local_env()


if __name__ == "__main__":
    main()
