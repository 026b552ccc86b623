"""gunicorn settings for production, from the environment (see .env.example).

https://docs.gunicorn.org/en/stable/settings.html
"""

import gc
import multiprocessing
import os
import sys
from importlib import import_module
from pathlib import Path

import environ
from django.conf import settings
from django.db import connections

env = environ.Env()

# This file reads the settings (LOGGING, below) before gunicorn applies --chdir: make
# the project importable from wherever gunicorn starts. As config/wsgi.py, production
# settings unless told otherwise.
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
wsgi_app = "config.wsgi:application"

# GUNICORN_BIND if set; else every interface on PORT, the port a platform (Cloud Run,
# Heroku, Fly) tells the app to serve, as the container image does; else loopback, where
# nginx connects (deploy/nginx.conf). Keep it on loopback or a private address.
port = env.int("PORT", default=None)
bind = env.list(
    "GUNICORN_BIND", default=[f"0.0.0.0:{port}" if port else "127.0.0.1:8000"]
)
workers = env.int("GUNICORN_WORKERS", default=multiprocessing.cpu_count() * 2 + 1)

# Load the project once in the master and fork workers from it: they share its memory
# pages, and a recycled worker starts at once instead of importing Django again.
preload_app = True


def when_ready(server: object) -> None:
    """The master has loaded the project: load the URLconf too, and every view with it,
    which Django would otherwise do in each worker on its first request.

    Likewise redis-py, which Django's RedisCache imports only on the first cache access
    (a login's throttle), so each worker's first login would wait for it; it opens no
    connection until used.
    https://docs.djangoproject.com/en/6.1/topics/cache/#redis
    """
    import_module(settings.ROOT_URLCONF)
    cache = settings.CACHES["default"]["BACKEND"]
    if cache == "django.core.cache.backends.redis.RedisCache":
        import_module("redis")


def pre_fork(server: object, worker: object) -> None:
    """Before each worker is forked from the master.

    A database connection the master may have opened while loading must not be shared
    by two processes: close it, and each worker opens its own. Then keep the master's
    objects out of the workers' garbage collections: a collection writes to each object
    it examines, which would copy every page the worker shares with the master, and
    each recycled worker (max_requests) would pay for that again.
    """
    connections.close_all()
    gc.freeze()


# Recycle workers now and then, at staggered times, to bound any slow memory growth:
# rarely, since a restart holds up the requests queued to that worker (a p99 spike).
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=100_000)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=10_000)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = timeout
keepalive = 5

# Only these addresses may say, in X-Forwarded-Proto, that the client used HTTPS; a
# client that reaches gunicorn from anywhere else and claims it is not believed.
forwarded_allow_ips = env.str("GUNICORN_FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# No control socket: its default path is one per user, which several instances on one
# host would share; systemd (deploy/gunicorn.service) manages gunicorn with signals.
control_socket_disable = True

# Logs on stdout, formatted as Django's are (LOGGING in config/settings/base.py: plain
# text, or JSON lines with DJANGO_LOG_FORMAT=json). gunicorn sets its logging up again
# on a reload (SIGHUP), and without this would go back to its own format from then on.
logconfig_dict = settings.LOGGING

# Access log: method, path without the query string, status, size, time and request ID
# (config/middleware.py). No request header, so never the Authorization header's key.
accesslog = "-"
access_log_format = (
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
)
