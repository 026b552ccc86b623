"""Set-up and facts for bench/run.py, run with the rendered project's interpreter and
settings (DJANGO_SETTINGS_MODULE, DATABASE_URL...). Each command prints one JSON line.

    python bench_django.py user LOGIN PASSWORD   the user, made as the README does; its token
    python bench_django.py login-users PREFIX COUNT PASSWORD   users to log in once each
    python bench_django.py facts                 versions, database, cache, password hasher
    python bench_django.py bulk-users COUNT      COUNT users by bulk_create (no signal, no token)
    python bench_django.py queue-resets PREFIX COUNT PASSWORD   users, a password reset queued for each
    python bench_django.py task-statuses         the queued tasks, counted by status

Copied into the rendered project by bench/run.py; never part of the template.
"""

import json
import platform
import sys
import time

import django


def create_user(login, password):
    """A user with a password, made by create_user(): the signal gives it its token."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    fields = {"email": "bench@example.com", User.USERNAME_FIELD: login}
    user = User.objects.create_user(password=password, **fields)
    return {"user_id": user.pk, "token": Token.objects.get(user=user).key}


def login_users(prefix, count, password):
    """COUNT users PREFIX0, PREFIX1... with this password, each with its token (signal).
    The password is hashed once: the hash is the same for all of them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    hashed = make_password(password)
    for n in range(int(count)):
        login = f"{prefix}{n}"
        fields = {"email": f"{login}@example.com", User.USERNAME_FIELD: login}
        User.objects.create(password=hashed, **fields)
    return {"logins": [f"{prefix}{n}" for n in range(int(count))]}


def hasher_cost(hasher):
    """The cost parameters the hasher has (PBKDF2 iterations, bcrypt rounds, Argon2...)."""
    names = ("iterations", "rounds", "time_cost", "memory_cost", "parallelism")
    return {name: getattr(hasher, name) for name in names if hasattr(hasher, name)}


def database_version(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def facts():
    """What the figures depend on: versions, database, cache, hasher, throttle."""
    import gunicorn
    import rest_framework
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import get_hasher
    from django.db import connection

    database = connection.settings_dict
    hasher = get_hasher()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "gunicorn": gunicorn.__version__,
        "database": {
            "engine": database["ENGINE"],
            "version": database_version(connection),
            "conn_max_age": database["CONN_MAX_AGE"],
            "conn_health_checks": database["CONN_HEALTH_CHECKS"],
            # PostgreSQL's prepared statements (DJANGO_DB_PREPARED_STATEMENTS), if on.
            "options": {
                name: value
                for name, value in database.get("OPTIONS", {}).items()
                if name in ("server_side_binding", "prepare_threshold")
            },
        },
        "cache": settings.CACHES["default"]["BACKEND"],
        "tasks": settings.TASKS["default"]["BACKEND"],
        "password_hasher": {
            "path": settings.PASSWORD_HASHERS[0],
            "algorithm": hasher.algorithm,
            "cost": hasher_cost(hasher),
        },
        "username_field": get_user_model().USERNAME_FIELD,
        "token_ttl": settings.TOKEN_TTL,
        "throttle_rates": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "num_proxies": settings.REST_FRAMEWORK.get("NUM_PROXIES"),
    }


def bulk_users(count):
    """COUNT users in one bulk_create, as an import would make them: no signal runs,
    so none gets a token."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password(None)  # unusable, and hashed once rather than per user
    users = [
        User(
            **{
                "email": f"bulk{n:06d}@example.com",
                User.USERNAME_FIELD: f"bulk{n:06d}",
            },
            password=password,
        )
        for n in range(int(count))
    ]
    start = time.perf_counter()
    User.objects.bulk_create(users, batch_size=5000)
    return {"created": len(users), "seconds": time.perf_counter() - start}


def queue_resets(prefix, count, password):
    """COUNT users as login-users makes them (an address, a usable password), and for
    each a password reset queued as the API queues it: the emails a worker then sends."""
    from django.contrib.auth import get_user_model
    from users import accounts

    User = get_user_model()
    login_users(prefix, count, password)
    users = User.objects.filter(**{f"{User.USERNAME_FIELD}__startswith": prefix})
    emails = list(users.values_list("email", flat=True))
    for email in emails:
        accounts.request_password_reset(email)
    return {"queued": len(emails)}


def task_statuses():
    """How many of the queued tasks (django-tasks-db's table) are in each status."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    counts = DBTaskResult.objects.values("status").annotate(count=Count("id"))
    return {row["status"]: row["count"] for row in counts.order_by("status")}


COMMANDS = {
    "user": create_user,
    "login-users": login_users,
    "facts": facts,
    "bulk-users": bulk_users,
    "queue-resets": queue_resets,
    "task-statuses": task_statuses,
}


def main():
    command, *args = sys.argv[1:]
    django.setup()
    print(json.dumps(COMMANDS[command](*args)))


if __name__ == "__main__":
    main()
