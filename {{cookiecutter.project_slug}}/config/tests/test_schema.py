"""The API's contract, for every app at once: the live OpenAPI schema is valid, each of
its operations answers an anonymous caller as its `security` says, and documents the
errors every call can give. A new app's routes are checked with no edit here."""

import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

# Operations that need no token, on purpose; every other one must refuse anonymous calls.
OPEN_OPERATIONS = {
    "obtain_token",
    "signup",
    "verify_email",
    "resend_verification",
    "request_password_reset",
    "confirm_password_reset",
    "confirm_email_change",
}

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
ENDPOINTS = [
    (path, method, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
OPERATIONS = [
    pytest.param(*endpoint, id=endpoint[2]["operationId"]) for endpoint in ENDPOINTS
]


def needs_token(operation):
    # `security` lists alternatives; an empty one ({}) means no credentials at all.
    return all(operation.get("security", [{}]))


def test_schema_is_valid(tmp_path):
    """`manage.py spectacular` validates the schema against the OpenAPI specification
    and finds nothing to warn about."""
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", schema)


def test_only_the_open_operations_need_no_token():
    open_operations = {
        operation["operationId"]
        for _, _, operation in ENDPOINTS
        if not needs_token(operation)
    }
    assert open_operations == OPEN_OPERATIONS


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS)
def test_anonymous_calls_get_what_the_schema_says(api_client, path, method, operation):
    """401 with `WWW-Authenticate: Token` where the schema asks for the token, and
    something else where it does not. Path parameters are given the value 1."""
    response = getattr(api_client, method)(re.sub(r"\{\w+\}", "1", path))
    if needs_token(operation):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code != HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS)
def test_every_operation_documents_its_errors(path, method, operation):
    """With a JSON body: 403, 429 and 503 everywhere, 401 where the token is needed."""
    expected = {"403", "429", "503"} | ({"401"} if needs_token(operation) else set())
    errors = {code for code in operation["responses"] if code[0] in "45"}
    assert expected <= errors
    assert ("401" in errors) == needs_token(operation)
    for code in expected:
        assert "application/json" in operation["responses"][code]["content"]
