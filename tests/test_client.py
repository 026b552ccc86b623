"""A client that a mainstream generator, openapi-python-client, builds from the deployed
project's live OpenAPI schema, installed in a fresh environment and used as its README
shows: the schema says who needs the token, and clients built from it work, the account
flows included, with the links read from the emails the worker sent."""

import json
import subprocess
import sys
import textwrap
from http import HTTPStatus
from pathlib import Path

import pytest

from deployment import PASSWORD
from rendering import clean_environment
from servers import emailed_link, wait_until

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
    """Logging in and the account flows of someone without a key need no credentials
    (an empty requirement), every other operation the token; the docs' own endpoints
    (staff only in production) are not described at all."""
    schema = json.loads(schema_file.read_text())
    security = {
        (method, path): operation.get("security")
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert "security" not in schema  # no default that operations would inherit
    token, none = [{"tokenAuth": []}], [{}]
    assert security == {
        ("post", "/api-token-auth/"): none,
        ("post", "/api-token-auth/logout/"): token,
        ("get", "/api/example/"): token,
        ("post", "/api/accounts/signup/"): none,
        ("post", "/api/accounts/verify-email/"): none,
        ("post", "/api/accounts/verify-email/resend/"): none,
        ("post", "/api/accounts/password/reset/"): none,
        ("post", "/api/accounts/password/reset/confirm/"): none,
        ("post", "/api/accounts/email/change/confirm/"): none,
        ("get", "/api/accounts/me/"): token,
        ("patch", "/api/accounts/me/"): token,
        ("delete", "/api/accounts/me/"): token,
        ("post", "/api/accounts/password/change/"): token,
        ("post", "/api/accounts/email/change/"): token,
    }
    login = schema["paths"]["/api-token-auth/"]["post"]
    assert list(login["requestBody"]["content"]) == ["application/json"]


def test_schema_and_docs_need_staff(deployment):
    """In production the docs and the schema are refused to a caller without a key."""
    for path in ["/api/schema/", "/api/docs/"]:
        assert deployment.https.request("GET", path).status == HTTPStatus.UNAUTHORIZED


# Run by the client's environment, one account step a call: `<step> <arguments>...`,
# printing the answer's status and what the next steps need, as JSON.
ACCOUNT_STEP = textwrap.dedent("""
    import json
    import ssl
    import sys

    import httpx
    from api_client import AuthenticatedClient, Client
    from api_client.api.api import (
        change_password, confirm_password_reset, example, request_password_reset,
        signup, verify_email,
    )
    from api_client.api.api_token_auth import obtain_token
    from api_client.models import (
        ChangePasswordRequest, ConfirmPasswordResetRequest, EmailRequest,
        LoginRequest, SignupRequest, VerifyEmailRequest,
    )

    base_url, cafile, source, step, *args = sys.argv[1:]
    tls = ssl.create_default_context(cafile=cafile)
    # From a loopback address of its own: the account emails are throttled per client.
    transport = {"transport": httpx.HTTPTransport(verify=tls, local_address=source)}
    anonymous = Client(base_url=base_url, verify_ssl=tls, httpx_args=transport)

    def with_key(key):
        return AuthenticatedClient(
            base_url=base_url, token=key, prefix="Token", verify_ssl=tls,
            httpx_args=transport,
        )

    if step == "signup":
        email, username, password = args
        body = SignupRequest(email=email, username=username, password=password)
        answer = signup.sync_detailed(client=anonymous, body=body)
    elif step == "verify":
        answer = verify_email.sync_detailed(
            client=anonymous, body=VerifyEmailRequest(uid=args[0], token=args[1])
        )
    elif step == "login":
        body = LoginRequest(username=args[0], password=args[1])
        answer = obtain_token.sync_detailed(client=anonymous, body=body)
    elif step == "change":
        key, current, new = args
        body = ChangePasswordRequest(current_password=current, new_password=new)
        answer = change_password.sync_detailed(client=with_key(key), body=body)
    elif step == "example":
        answer = example.sync_detailed(client=with_key(args[0]))
    elif step == "reset":
        body = EmailRequest(email=args[0])
        answer = request_password_reset.sync_detailed(client=anonymous, body=body)
    elif step == "confirm":
        uid, token, new = args
        body = ConfirmPasswordResetRequest(uid=uid, token=token, new_password=new)
        answer = confirm_password_reset.sync_detailed(client=anonymous, body=body)
    def text(name):  # a field of the answer's body, or None if it has none
        value = getattr(answer.parsed, name, None)
        return value if isinstance(value, str) else None

    print(json.dumps({
        "status": answer.status_code, "token": text("token"), "detail": text("detail")
    }))
""")


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


def test_generated_client_account_flows(deployment, client_python):
    """With the generated client: sign up, verify with the emailed link, log in, change
    the password (the old key refused), reset it with the emailed link (every key
    refused), and log in with the last password."""
    base_url = f"https://localhost:{deployment.https.port}"

    def step(*args):
        output = run(
            client_python, "-c", ACCOUNT_STEP,
            base_url, deployment.https.cafile, "127.0.30.1", *args,
        )  # fmt: skip
        return json.loads(output)

    def link_to(address):
        [email] = wait_until(
            lambda: deployment.smtp.messages(to=address), 60, "the email", 0.5
        )
        return emailed_link(email)

    email, passwords = "frank@example.com", ["first passphrase", "second passphrase"]
    assert step("signup", email, "frank", passwords[0])["status"] == 202
    assert step("login", "frank", passwords[0])["status"] == HTTPStatus.BAD_REQUEST
    verify = link_to(email)
    assert step("verify", verify["uid"], verify["token"])["status"] == HTTPStatus.OK
    first = step("login", "frank", passwords[0])
    assert first["status"] == HTTPStatus.OK

    changed = step("change", first["token"], passwords[0], passwords[1])
    assert changed["status"] == HTTPStatus.OK
    assert step("example", first["token"]) == {
        "status": HTTPStatus.UNAUTHORIZED, "token": None, "detail": "Invalid token."
    }  # fmt: skip
    assert step("example", changed["token"])["status"] == HTTPStatus.OK

    assert step("reset", email)["status"] == HTTPStatus.ACCEPTED
    reset = wait_until(
        lambda: [m for m in deployment.smtp.messages(to=email) if "reset" in m["Subject"]],
        60, "the reset email", 0.5,
    )  # fmt: skip
    link = emailed_link(reset[0])
    confirmed = step("confirm", link["uid"], link["token"], "third passphrase")
    assert confirmed["status"] == HTTPStatus.OK
    assert step("example", changed["token"])["status"] == HTTPStatus.UNAUTHORIZED
    assert step("login", "frank", "third passphrase")["status"] == HTTPStatus.OK
