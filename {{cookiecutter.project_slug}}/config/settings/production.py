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
