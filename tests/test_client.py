"""A client that a mainstream generator, openapi-python-client, builds from the deployed
project's live OpenAPI schema, installed in a fresh environment and used as its README
shows: the schema says who needs the token, and clients built from it work."""

import json
import subprocess
import sys
import textwrap
from http import HTTPStatus
from pathlib import Path

import pytest

from deployment import PASSWORD
from rendering import clean_environment

# The template environment's own generator.
GENERATOR = Path(sys.executable).parent / "openapi-python-client"

# A user of this file's own: logins are throttled per name, and the round trip logs out.
USER = "erin"

# The package's name, whatever the project's title; no post-generation hooks, which
# would need ruff on the PATH. https://github.com/openapi-generators/openapi-python-client#configuration
GENERATOR_CONFIG = """\
project_name_override: api-client
package_name_override: api_client
post_hooks: []
"""

# Run by the client's environment: log in, call the example endpoint with the token,
# log out, call it again with the revoked key, and log in again from the same client.
ROUND_TRIP = textwrap.dedent("""
    import json
    import ssl
    import sys

    from api_client import AuthenticatedClient, Client
    from api_client.api.api import example
    from api_client.api.api_token_auth import logout, obtain_token
    from api_client.models import LoginRequest

    base_url, cafile, username, password = sys.argv[1:]
    tls = ssl.create_default_context(cafile=cafile)
    credentials = LoginRequest(username=username, password=password)

    anonymous = Client(base_url=base_url, verify_ssl=tls)
    login = obtain_token.sync_detailed(client=anonymous, body=credentials)
    key = login.parsed.token
    client = AuthenticatedClient(
        base_url=base_url, token=key, prefix="Token", verify_ssl=tls
    )
    me = example.sync_detailed(client=client)
    out = logout.sync_detailed(client=client)
    refused = example.sync_detailed(client=client)
    again = obtain_token.sync_detailed(client=client, body=credentials)
    print(json.dumps({
        "login": login.status_code,
        "example": [me.status_code, getattr(me.parsed, "username", None)],
        "logout": out.status_code,
        "refused": [refused.status_code, getattr(refused.parsed, "detail", None)],
        "login again": [again.status_code, getattr(again.parsed, "token", key) != key],
    }))
""")


def run(*args):
    """Run a command as these tests' other tools are run; fail with its output."""
    result = subprocess.run(
        args, env=clean_environment(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args[:2]}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def schema_file(deployment, tmp_path_factory):
    """The live schema, as nginx serves it: staff only in production, so with a key."""
    deployment.manage(
        "createsuperuser", "--no-input", "--username", USER, "--email", f"{USER}@example.com"
    )  # fmt: skip
    key = deployment.https.login(USER).json()["token"]
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    path.write_bytes(deployment.schema(key))
    return path


@pytest.fixture(scope="module")
def client_python(schema_file, tmp_path_factory):
    """A fresh environment with the client generated from the live schema installed."""
    workdir = tmp_path_factory.mktemp("client")
    config = workdir / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    run(
        GENERATOR, "generate", "--path", schema_file, "--config", config,
        "--meta", "uv", "--output-path", workdir / "api-client", "--fail-on-warning",
    )  # fmt: skip
    venv = workdir / "venv"
    run("uv", "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    run("uv", "pip", "install", "--quiet", "--python", python, workdir / "api-client")
    return python


def test_schema_says_who_needs_the_token(schema_file):
    """Logging in needs no credentials (an empty requirement), logout and the example
    endpoint the token; the docs' own endpoints (staff only in production) are not
    described at all."""
    schema = json.loads(schema_file.read_text())
    security = {
        (method, path): operation.get("security")
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert "security" not in schema  # no default that operations would inherit
    assert security == {
        ("post", "/api-token-auth/"): [{}],
        ("post", "/api-token-auth/logout/"): [{"tokenAuth": []}],
        ("get", "/api/example/"): [{"tokenAuth": []}],
    }
    login = schema["paths"]["/api-token-auth/"]["post"]
    assert list(login["requestBody"]["content"]) == ["application/json"]


def test_schema_and_docs_need_staff(deployment):
    """In production the docs and the schema are refused to a caller without a key."""
    for path in ["/api/schema/", "/api/docs/"]:
        assert deployment.https.request("GET", path).status == HTTPStatus.UNAUTHORIZED


def test_generated_client_round_trip(deployment, client_python):
    """With the generated client: log in, call the example endpoint with the token, log
    out, see the old key refused, and log in again from the same client."""
    base_url = f"https://localhost:{deployment.https.port}"
    output = run(
        client_python, "-c", ROUND_TRIP,
        base_url, deployment.https.cafile, USER, PASSWORD,
    )  # fmt: skip
    assert json.loads(output) == {
        "login": HTTPStatus.OK,
        "example": [HTTPStatus.OK, USER],
        "logout": HTTPStatus.NO_CONTENT,
        "refused": [HTTPStatus.UNAUTHORIZED, "Invalid token."],
        "login again": [HTTPStatus.OK, True],
    }
