"""DJANGO_DB_PREPARED_STATEMENTS: PostgreSQL keeps the token lookup prepared on each
connection when it is on, and nothing when it is off (the default)."""

import textwrap
from urllib.parse import quote

import pytest
from django.db import connection

# Looks a key up six times on one connection, then prints how many of the statements
# PostgreSQL keeps prepared for that connection are the token lookup.
FIND_AND_COUNT_PREPARED = textwrap.dedent("""
    import sys

    import django

    django.setup()
    from django.db import connection

    from users import tokens

    for _ in range(6):
        assert tokens.find(sys.argv[1]) is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        print(sum("authtoken_token" in statement for (statement,) in cursor.fetchall()))
""")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("setting", "prepared"), [("true", "1"), ("false", "0")])
def test_prepared_statements_on_request(run_python, user, setting, prepared):
    """With DJANGO_DB_PREPARED_STATEMENTS=true the token lookup stays prepared on the
    connection; by default nothing is prepared."""
    database = connection.settings_dict
    url = "postgres://{}:{}@{}:{}/{}".format(
        *(quote(str(database[part]), safe="") for part in ("USER", "PASSWORD")),
        database["HOST"],
        database["PORT"],
        database["NAME"],
    )
    output = run_python(
        FIND_AND_COUNT_PREPARED,
        user.auth_token.key,
        DATABASE_URL=url,
        DJANGO_DB_PREPARED_STATEMENTS=setting,
    )
    assert output.strip() == prepared
