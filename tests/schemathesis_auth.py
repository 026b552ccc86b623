"""schemathesis hooks (SCHEMATHESIS_HOOKS): the token each generated request carries.

A logout revokes the key it was sent with, so each logout gets a key of its own, from
the file FUZZ_LOGOUT_KEYS_FILE names (one per line); every other operation that needs
a token gets FUZZ_KEY, which no request revokes. The login carries none.
"""

import os
from pathlib import Path

import schemathesis

KEY = os.environ["FUZZ_KEY"]
LOGOUT_KEYS = Path(os.environ["FUZZ_LOGOUT_KEYS_FILE"]).read_text().split()
LOGIN, LOGOUT = "/api-token-auth/", "/api-token-auth/logout/"


@schemathesis.auth(refresh_interval=None)  # asked for each request, never cached
class TokenAuth:
    def get(self, case, context):
        if case.path == LOGIN:
            return None
        if case.path == LOGOUT:
            if not LOGOUT_KEYS:
                raise RuntimeError("FUZZ_LOGOUT_KEYS ran out: generate more keys")
            return LOGOUT_KEYS.pop()  # atomic: the workers are threads
        return KEY

    def set(self, case, key, context):
        if key:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {key}"}
