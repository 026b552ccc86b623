"""Finish the generated project: lay the chosen login variant in place, write the local .env."""

import secrets
import shutil
from pathlib import Path

PROJECT = Path.cwd()
USERNAME_TYPE = {{ cookiecutter.username_type|tojson }}

# Files that replace the default (username) ones when users log in by email.
EMAIL_LOGIN_FILES = PROJECT / "_email_login"


def use_email_login():
    shutil.copytree(EMAIL_LOGIN_FILES, PROJECT, dirs_exist_ok=True)


def write_local_env():
    """Write the git-ignored .env with a fresh secret key, so runserver works at once."""
    env_file = PROJECT / ".env"
    env_file.write_text(
        "# Local settings; git-ignored. Variables: see .env.example.\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    env_file.chmod(0o600)


def main():
    if USERNAME_TYPE == "email":
        use_email_login()
    shutil.rmtree(EMAIL_LOGIN_FILES)
    write_local_env()


if __name__ == "__main__":
    main()
