"""schemathesis, from the live OpenAPI schema, against the deployed project with a valid
token: no 5xx, and every answer is one the schema documents, in the documented shape."""

import subprocess
import sys
from pathlib import Path

# The template environment's own schemathesis command.
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"

EXAMPLES_PER_OPERATION = 60


def test_live_api_matches_its_schema(deployment, tmp_path):
    """Generated requests to every operation never get a 5xx or an undocumented answer."""
    key = deployment.https.login("carol").json()["token"]
    base = f"https://localhost:{deployment.https.port}"
    result = subprocess.run(
        [
            SCHEMATHESIS, "run", f"{base}/api/schema/",
            "--url", base,
            "--header", f"Authorization: Token {key}",
            "--tls-verify", str(deployment.https.cafile),
            "--checks", "not_a_server_error,status_code_conformance,"
            "content_type_conformance,response_schema_conformance",
            "--phases", "examples,fuzzing",
            "--max-examples", str(EXAMPLES_PER_OPERATION),
            "--generation-deterministic",
            "--report", "junit", "--report-dir", tmp_path,
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(result.stdout[-3000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
