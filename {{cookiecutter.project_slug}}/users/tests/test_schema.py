import json
import textwrap

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, get_resolver, reverse

from .conftest import run_python
from .test_routes import OPEN_ROUTES


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """The OpenAPI schema, generated and validated (warnings fail) like `spectacular`."""
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def api_routes():
    """(name, path, methods) of every route of the users app's API, from the URLconf."""
    namespace = get_resolver().namespace_dict["api"][1]
    for pattern in namespace.url_patterns:
        if isinstance(pattern, URLPattern):
            # as_view() sets view_class on the function it returns; the stubs omit it.
            view = pattern.callback.view_class  # type: ignore[attr-defined]
            methods = [
                m
                for m in view.http_method_names
                if hasattr(view, m) and m not in {"options", "head"}
            ]
            name = f"api:{pattern.name}"
            yield name, reverse(name), methods


def test_schema_covers_every_route_and_method(schema):
    """Each API route and method is in the schema: the schema keeps up with the code."""
    for _, path, methods in api_routes():
        assert sorted(schema["paths"][path]) == sorted(methods), path


def test_only_logging_in_needs_no_credentials(schema):
    """A generated client sends the token where the API wants it: obtaining one needs
    no credentials, every other operation the token scheme (and not the session)."""
    # No schema-wide default, which an operation without `security` would inherit.
    assert "security" not in schema
    for name, path, methods in api_routes():
        for method in methods:
            security = schema["paths"][path][method].get("security", [])
            if name in OPEN_ROUTES:
                assert all(requirement == {} for requirement in security), name
            else:
                assert security == [{"tokenAuth": []}], name


@pytest.mark.parametrize("status", ["401", "403", "429"])
def test_every_operation_documents_its_errors(schema, status):
    """Every operation documents the refusals any call can get, with a JSON body: 401
    those that take the token, and only those."""
    for name, path, methods in api_routes():
        for method in methods:
            responses = schema["paths"][path][method]["responses"]
            if status == "401" and name in OPEN_ROUTES:
                assert status not in responses, name
            else:
                assert "application/json" in responses[status]["content"], name


def test_login_documents_its_400(schema):
    """The obtain endpoint documents its 400 body and its request body."""
    operation = schema["paths"]["/api-token-auth/"]["post"]
    assert "400" in operation["responses"]
    assert "application/json" in operation["requestBody"]["content"]


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


def test_a_fresh_process_describes_the_token_header():
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
