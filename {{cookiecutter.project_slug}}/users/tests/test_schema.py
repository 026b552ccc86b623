"""What the OpenAPI schema says about logging in and the token header (every
operation's errors are config/tests/test_schema.py's)."""

import json
import textwrap

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_login_documents_its_400(schema):
    """The obtain endpoint documents its refused-login body."""
    responses = schema["paths"]["/api-token-auth/"]["post"]["responses"]
    assert "application/json" in responses["400"]["content"]


def test_login_body_is_described_as_json_only(schema):
    """One media type for the login body, so that client generators that cannot choose
    between several build a working call (the view accepts forms too)."""
    body = schema["paths"]["/api-token-auth/"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json"]
    assert body["required"] is True


def test_token_scheme_is_the_real_header(schema):
    """The security scheme is the Authorization header with the Token keyword."""
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["type"] == "apiKey"
    assert scheme["in"] == "header"
    assert scheme["name"] == "Authorization"
    assert "Token <key>" in scheme["description"]


# Asks a fresh process's WSGI application for the schema, as a gunicorn worker's first
# request would, and prints the token scheme it describes.
FIRST_SCHEMA_REQUEST = textwrap.dedent("""
    import json
    from wsgiref.util import setup_testing_defaults

    from config.wsgi import application

    environ = {
        "PATH_INFO": "/api/schema/",
        "QUERY_STRING": "format=json",
        "HTTP_HOST": "testserver",
        "HTTPS": "on",
    }
    setup_testing_defaults(environ)
    body = b"".join(application(environ, lambda status, headers: None))
    print(json.dumps(json.loads(body)["components"]["securitySchemes"]))
""")


def test_a_fresh_process_describes_the_token_header(run_python):
    """A worker's first schema has the real token header: the scheme is registered at
    start-up, not only in this test process, which has imported everything by now."""
    output = run_python(
        FIRST_SCHEMA_REQUEST,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_API_DOCS_PUBLIC="true",
    )
    schemes = json.loads(output)
    assert list(schemes) == ["tokenAuth"]
    assert schemes["tokenAuth"]["name"] == "Authorization"


def test_deleting_the_account_documents_its_body(schema):
    """drf-spectacular describes no DELETE body by itself: delete_me's is described, so
    that a generated client sends the current password."""
    body = schema["paths"]["/api/accounts/me/"]["delete"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["required"] == ["current_password"]
