"""schemathesis, from the live OpenAPI schema, against the deployed project (nginx with
TLS, gunicorn, PostgreSQL, Redis), its throttles as configured: at least 10,000
generated requests across every operation, none a 5xx, every answer one the schema
documents, in the documented shape."""

import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# The template environment's own schemathesis command.
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
HOOKS = Path(__file__).with_name("schemathesis_auth.py")

REQUESTS = 10_000
# Per operation (14 of them), valid and invalid data together. An operation without
# inputs (logout, example, me) varies only in its credentials: a valid key, or none (a
# negative case).
MAX_EXAMPLES = 750
# A key for each logout that may carry one, since a logout revokes its own.
LOGOUT_KEYS = MAX_EXAMPLES
TIME_LIMIT = 600  # seconds; the run takes three to four minutes on two cores

# Users made in one statement, each with a key (bulk_create sends no post_save).
MAKE_KEYS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
users = get_user_model().objects.bulk_create(
    get_user_model()(username=f"fuzz-{i}") for i in range(COUNT)
)
tokens = Token.objects.bulk_create(Token(key=Token.generate_key(), user=u) for u in users)
print(*(token.key for token in tokens), sep="\\n")
"""


def test_live_api_matches_its_schema(deployment, tmp_path):
    """Generated requests to every operation never get a 5xx or an undocumented answer."""
    key = deployment.https.login("carol").json()["token"]
    keys_file = tmp_path / "logout-keys"
    keys = deployment.manage(
        "shell", "--no-imports", "-c", MAKE_KEYS.replace("COUNT", str(LOGOUT_KEYS))
    ).stdout
    keys_file.write_text(keys)
    assert len(keys.split()) == LOGOUT_KEYS
    # Fetched once with carol's staff key, so that the generated requests carry only
    # the hooks' keys.
    schema = deployment.schema(key)
    (tmp_path / "schema.json").write_bytes(schema)
    base = f"https://localhost:{deployment.https.port}"
    result = subprocess.run(
        [
            SCHEMATHESIS, "run", tmp_path / "schema.json",
            "--url", base,
            "--tls-verify", str(deployment.https.cafile),
            "--checks", "not_a_server_error,status_code_conformance,"
            "content_type_conformance,response_schema_conformance",
            "--phases", "examples,fuzzing",
            "--max-examples", str(MAX_EXAMPLES),
            "--workers", "4",
            "--generation-deterministic",
            "--report", "junit,ndjson", "--report-dir", tmp_path,
        ],
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(HOOKS),
            "FUZZ_KEY": key,
            "FUZZ_LOGOUT_KEYS_FILE": str(keys_file),
        },
        capture_output=True, text=True, timeout=TIME_LIMIT,
    )  # fmt: skip
    summary = result.stdout[result.stdout.rfind("SUMMARY") :]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Authentication failed" not in result.stdout, summary

    requests = requests_per_operation(next(tmp_path.glob("ndjson-*.ndjson")))
    print(summary, f"\nrequests per operation: {dict(requests)}")
    operations = json.loads(schema)["paths"]
    assert len(requests) == sum(len(methods) for methods in operations.values())
    assert all(count > 0 for count in requests.values()), requests
    assert requests.total() >= REQUESTS, requests
    assert requests["POST /api-token-auth/logout/"] <= LOGOUT_KEYS
    assert re.search(
        rf"{requests.total()} generated, {requests.total()} passed", summary
    )


def requests_per_operation(ndjson_report):
    """The requests sent to each operation, from schemathesis's event log."""
    requests = collections.Counter()
    for line in ndjson_report.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished", {})
        recorder = finished.get("recorder", {})
        if "label" in recorder:
            requests[recorder["label"]] += len(recorder.get("interactions", {}))
    return requests
