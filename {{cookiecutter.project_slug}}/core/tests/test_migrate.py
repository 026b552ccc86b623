"""`manage.py migrate` makes the cache table too, so that after it the throttles count
with nothing more to run (core/management/commands/migrate.py)."""

import textwrap

import pytest

# Runs `migrate` with the given options on a new database, then prints, last, what a
# cache write and read give (the throttles do both).
MIGRATE_THEN_USE_THE_CACHE = textwrap.dedent("""
    import sys

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import DatabaseError

    call_command("migrate", *sys.argv[1:], verbosity=0)
    try:
        cache.set("attempts", 3)
        print(cache.get("attempts"))
    except DatabaseError as error:
        print(type(error).__name__)
""")


@pytest.mark.parametrize(
    ("options", "cache_answers"),
    [
        ([], "3"),
        (["--plan"], "OperationalError"),  # only shows what it would do
    ],
)
def test_migrate_makes_the_cache_table(run_python, tmp_path, options, cache_answers):
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    output = run_python(MIGRATE_THEN_USE_THE_CACHE, *options, DATABASE_URL=database)
    assert output.splitlines()[-1] == cache_answers
