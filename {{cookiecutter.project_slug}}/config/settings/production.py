"""Settings for production: gunicorn behind a TLS-terminating proxy.

`manage.py check --deploy --fail-level WARNING` reports nothing with these.
https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""

from .base import *  # noqa: F403

DEBUG = False

# HTTPS only: the proxy terminates TLS and says so in X-Forwarded-Proto, which it must
# overwrite rather than pass on from the client.
# https://docs.djangoproject.com/en/6.1/ref/settings/#secure-proxy-ssl-header
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Secure- prefix makes browsers refuse these cookies over plain HTTP.
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
