"""Settings for production: gunicorn behind nginx, which terminates TLS (deploy/).

`manage.py check --deploy --fail-level WARNING` reports nothing with these.
https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""

from .base import *  # noqa: F403

DEBUG = False

# HTTPS only: pages for browsers are redirected, API calls refused (config/middleware.py).
SECURE_SSL_REDIRECT = True

# Cookies only over HTTPS, out of reach of scripts; the __Secure- prefix makes browsers
# refuse them over plain HTTP too.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Secure-csrftoken"

# Tasks wait in the database for the worker (`manage.py worker`, a process of its
# own): a request only adds a row, in its own transaction. A task that fails (an SMTP
# server down) is not retried; it stays in the admin's task results with its error.
# https://github.com/RealOrangeOne/django-tasks-db
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
