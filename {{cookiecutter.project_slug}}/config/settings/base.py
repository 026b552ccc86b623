"""Settings shared by every environment.

Every environment variable the project reads is read here, once, with django-environ;
local.py, production.py and test.py only change what differs. A `.env` file in the project
folder is read first; variables set in the real environment win over it.
https://docs.djangoproject.com/en/6.1/ref/settings/
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")


# Core
# https://docs.djangoproject.com/en/6.1/ref/settings/#core-settings

# SECURITY WARNING: keep the secret key used in production secret!
# No default: without it, start-up stops with a message naming DJANGO_SECRET_KEY.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = False

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["{{ cookiecutter.domain_name }}"])

ROOT_URLCONF = "config.urls"

WSGI_APPLICATION = "config.wsgi.application"


# Applications
# https://docs.djangoproject.com/en/6.1/ref/applications/

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Production's task queue (production.py), whose table migrate makes everywhere.
    "django_tasks_db",
]

# This project's apps: add yours here (README.md, "Add an app").
LOCAL_APPS = [
    "core",
    "users",
]

INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "config.middleware.RequestIDMiddleware",
    # /healthz and /readyz, answered before the Host and HTTPS rules below (config/probes.py).
    "config.probes.HealthProbeMiddleware",
    "config.middleware.RefuseInsecureAPIRequestsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.ContentSecurityPolicyForPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database: a JSON 503, not a 500 (config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# Database
# https://docs.djangoproject.com/en/6.1/ref/settings/#databases

DATABASES = {
    "default": {
        **env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Keep connections open between requests (seconds).
        "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=60),
        # A kept connection is checked (`SELECT 1`) before each request's first query
        # and replaced if the database dropped it (a restart, a failover), so that no
        # worker fails its next request after one. It costs a token request on PostgreSQL
        # 4% of its CPU (1,507 against 1,451 µs, measured); a pool ("pool" in OPTIONS)
        # checks as often and costs no less.
        # https://docs.djangoproject.com/en/6.1/ref/settings/#conn-health-checks
        "CONN_HEALTH_CHECKS": env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True),
    },
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up on an unreachable server after 2 seconds (libpq's shortest), so that
    # requests and the readiness probe (/readyz) fail fast instead of hanging.
    # https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite tuned for a web server: write-ahead logging, so readers never wait for the
    # writer and a commit costs no disk flush of its own; and writes that take their
    # lock up front instead of failing with "database is locked" under concurrency.
    # https://docs.djangoproject.com/en/6.1/ref/databases/#setting-pragma-options
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# PostgreSQL, on request: parameters sent apart from the query, and a query prepared
# once it has run five times on a connection, so the server plans it once per connection
# instead of on every request (the token lookup included). Off by default, as in Django:
# a pooler in transaction mode may run it on a server connection where it was never
# prepared, unless it keeps prepared statements (PgBouncer 1.21+ with
# max_prepared_statements set).
# https://docs.djangoproject.com/en/6.1/ref/databases/#server-side-parameters-binding
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DJANGO_DB_PREPARED_STATEMENTS", default=False
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Users and passwords
# https://docs.djangoproject.com/en/6.1/topics/auth/customizing/

AUTH_USER_MODEL = "users.User"

# Django's backend, turning away accounts made by sign-up until their address is verified.
AUTHENTICATION_BACKENDS = ["users.backends.VerifiedEmailBackend"]

# Argon2 first, as Django's documentation recommends; a password hashed with another
# hasher is hashed again with Argon2 at its next login, so PBKDF2's stay readable.
# https://docs.djangoproject.com/en/6.1/topics/auth/passwords/#using-argon2-with-django
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.NumericPasswordValidator",
    },
]


# REST framework
# https://www.django-rest-framework.org/api-guide/settings/

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a call without credentials gets 401 with
        # `WWW-Authenticate: Token` rather than the session's 403.
        "users.authentication.TokenAuthentication",
        # For the browsable API, after logging in at /api-auth/login/.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
    ],
    # drf-spectacular's, plus the errors every operation can give (core/schema.py).
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Refused Authorization headers per client address (users/throttles.py). When
        # the cache cannot count, throttled requests get a JSON 503 (core/throttles.py).
        "failed_token": env.str("DJANGO_FAILED_TOKEN_RATE", default="20/minute"),
        # Logins per client address, and per submitted login name, so that credential
        # stuffing from many addresses is capped too.
        "login": env.str("DJANGO_LOGIN_RATE", default="20/minute"),
        "login_name": env.str("DJANGO_LOGIN_NAME_RATE", default="10/minute"),
        # Sign-ups, new links and password resets per client address, and per submitted
        # address, whether or not it is registered, so that no inbox can be flooded.
        "account_email": env.str("DJANGO_ACCOUNT_EMAIL_RATE", default="20/hour"),
        "account_email_address": env.str(
            "DJANGO_ACCOUNT_EMAIL_ADDRESS_RATE", default="5/hour"
        ),
        # Emailed links used (or guessed) per client address.
        "account_link": env.str("DJANGO_ACCOUNT_LINK_RATE", default="20/minute"),
        # Current passwords checked (a new password, deleting the account) per account.
        "password_check": env.str("DJANGO_PASSWORD_CHECK_RATE", default="10/minute"),
    },
    # How many proxies stand in front (deploy/nginx.conf is one): the client address
    # is taken from that far back in X-Forwarded-For, which nginx overwrites, so a
    # client cannot pick its own address. 0 without a proxy.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=1),
}

# The proxies (addresses or networks, or "*") whose X-Request-ID is believed
# (config/middleware.py): the same ones gunicorn believes about X-Forwarded-Proto.
TRUSTED_PROXIES = env.list("GUNICORN_FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])

# API docs: the OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/, with
# Swagger UI's files served from this project (drf-spectacular-sidecar), not a CDN.
# Staff only, unless DJANGO_API_DOCS_PUBLIC opens them; local.py opens them to everyone
# on your machine.
# https://drf-spectacular.readthedocs.io/en/latest/settings.html

API_DOCS_PUBLIC = env.bool("DJANGO_API_DOCS_PUBLIC", default=False)

SPECTACULAR_SETTINGS = {
    "TITLE": {{ cookiecutter.project_name|tojson }},
    "DESCRIPTION": {{ cookiecutter.description|tojson }},
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if API_DOCS_PUBLIC
        else "rest_framework.permissions.IsAdminUser"
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Document the token scheme only (users/api/schema.py): the session is for the
    # browsable API.
    "AUTHENTICATION_WHITELIST": ["users.authentication.TokenAuthentication"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "persistAuthorization": False,
        "displayRequestDuration": True,
    },
}

# Token lifetime in seconds; 0 means tokens never expire.
TOKEN_TTL = env.int("DJANGO_TOKEN_TTL", default=60 * 60 * 24 * 7)


# Accounts: sign-up and the emailed links (users/accounts.py, users/links.py). Each
# email carries one link to a page of the app's own front end, FRONTEND_URL/<page>,
# which sends the link's uid and token to the API. Each kind of link works once, for
# its own number of seconds.

FRONTEND_URL = env.str("DJANGO_FRONTEND_URL", default="https://{{ cookiecutter.domain_name }}")
SIGNUP_OPEN = env.bool("DJANGO_SIGNUP_OPEN", default=True)
PASSWORD_RESET_TIMEOUT = env.int("DJANGO_PASSWORD_RESET_TIMEOUT", default=60 * 60)
EMAIL_VERIFICATION_TIMEOUT = env.int(
    "DJANGO_EMAIL_VERIFICATION_TIMEOUT", default=60 * 60 * 24 * 3
)
EMAIL_CHANGE_TIMEOUT = env.int("DJANGO_EMAIL_CHANGE_TIMEOUT", default=60 * 60 * 24)

# What a request leaves for later (the account emails: users/tasks.py) runs as a task.
# Here each task runs as it is enqueued, inside the request; production.py queues them
# in the database for a worker (`manage.py worker`).
# https://docs.djangoproject.com/en/6.1/topics/tasks/
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}


# Cache: shared by every worker and host, since throttles count in it. By default a
# table in the project's database, which `manage.py migrate` makes (core's migrate runs
# createcachetable), so no other service is needed; set REDIS_URL to use Redis instead.
# https://docs.djangoproject.com/en/6.1/topics/cache/

CACHES = {
    "default": env.cache_url("REDIS_URL", default="dbcache://django_cache"),
}

if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django culls a third of the table past 300 entries, live throttle counts among
    # them: a client could clear its own by making 300 others. 10,000 counts alive at
    # once is more than a few addresses can make within a window, and a table that
    # small stays quick to count, which Django does on every write.
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 10_000

if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that is down costs a request a refused connection (under a millisecond),
    # and one that does not answer a second, not a hang: the throttles then answer a
    # JSON 503, and the readiness probe reports the cache (config/probes.py). redis-py
    # replaces a pooled connection that Redis closed before using it again, so logins
    # work again as soon as it is back, with no restart.
    # https://docs.djangoproject.com/en/6.1/topics/cache/#redis
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=1, socket_timeout=1
    )


# Internationalization
# https://docs.djangoproject.com/en/6.1/topics/i18n/

LANGUAGE_CODE = "en-us"

TIME_ZONE = "UTC"

USE_I18N = True

USE_TZ = True


# Static files (CSS, JavaScript, Images)
# https://docs.djangoproject.com/en/6.1/howto/static-files/

STATIC_URL = "static/"

STATIC_ROOT = BASE_DIR / "staticfiles"

# Served by WhiteNoise, compressed, with far-future caching of the hashed names that
# `collectstatic` writes. https://whitenoise.readthedocs.io/
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


# Email: SMTP, configured from the environment.
# https://docs.djangoproject.com/en/6.1/topics/email/#topic-email-configuration

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.str("DJANGO_EMAIL_HOST", default="localhost"),
            "port": env.int("DJANGO_EMAIL_PORT", default=587),
            "username": env.str("DJANGO_EMAIL_HOST_USER", default=""),
            "password": env.str("DJANGO_EMAIL_HOST_PASSWORD", default=""),
            # STARTTLS on a plain connection (port 587), or implicit TLS (port 465).
            "use_tls": env.bool("DJANGO_EMAIL_USE_TLS", default=True),
            "use_ssl": env.bool("DJANGO_EMAIL_USE_SSL", default=False),
            # Seconds before a server that does not answer fails the task.
            "timeout": env.int("DJANGO_EMAIL_TIMEOUT", default=10),
        },
    },
}

DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="noreply@{{ cookiecutter.domain_name }}"
)

SERVER_EMAIL = DEFAULT_FROM_EMAIL


# HTTPS: production.py turns on the redirect; HSTS is sent only on secure requests.
# https://docs.djangoproject.com/en/6.1/ref/middleware/#http-strict-transport-security

# Set only behind a proxy other than gunicorn's configuration here, as
# "HTTP_X_FORWARDED_PROTO,https". gunicorn already takes the scheme from
# X-Forwarded-Proto, and only from the addresses it trusts (gunicorn.conf.py), whereas
# Django would believe the header from anyone who reaches the server.
SECURE_PROXY_SSL_HEADER = env.tuple("DJANGO_SECURE_PROXY_SSL_HEADER", default=None)

# Pages for browsers, redirected to HTTPS when SECURE_SSL_REDIRECT is on; every other
# plain-HTTP request is refused (config/middleware.py).
HTTPS_REDIRECT_PATHS = [r"admin/", r"api-auth/", r"api/docs/", r"static/"]

SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)

SECURE_HSTS_INCLUDE_SUBDOMAINS = True

SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)


# Content Security Policy: nothing at all for the API's JSON; the admin's and the
# browsable API's HTML pages may load their own scripts, styles and images.
# https://docs.djangoproject.com/en/6.1/ref/csp/

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

SECURE_CSP_PAGES: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
}


# Logging: everything at INFO and above on stdout, where gunicorn, runserver and a
# container platform collect it. DJANGO_LOG_FORMAT=json (the container image's default)
# writes one JSON object a line, for a log pipeline. gunicorn.conf.py gives gunicorn this
# configuration too, so its own messages and its access log come out the same way.
# https://docs.djangoproject.com/en/6.1/topics/logging/

LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be text or json.")
# The lowest level printed, whichever logger the message comes from.
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logs.RequestIDFilter"},
        "access_fields": {"()": "config.logs.AccessLogFields"},
        "task_fields": {"()": "config.logs.TaskFields"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s",
        },
        "access_text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            # Django attaches the request to some records; its repr has the query string.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "task_fields"],
            "level": LOG_LEVEL,
        },
        "gunicorn": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "level": LOG_LEVEL,
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "access_text",
            "filters": ["access_fields"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # SQL parameters include token keys and password hashes: never log queries,
        # even when DJANGO_LOG_LEVEL is DEBUG.
        "django.db.backends": {"level": "INFO"},
        "gunicorn.error": {
            "handlers": ["gunicorn"],
            "level": "INFO",
            "propagate": False,
        },
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
