"""deploy/nginx.conf's TLS, as a scanner sees it: sslyze scans the deployed nginx,
protocol by protocol and suite by suite, and checks it against Mozilla's
"intermediate" profile (sslyze's own copy of the guidelines), and against the suites
and curves of the guidelines' version that the config names."""

import re
from pathlib import Path

import pytest
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
    TlsResumptionSupportEnum,
)
from sslyze.mozilla_tls_profile.tls_config_checker import (
    SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    MozillaTlsConfiguration,
    TlsConfigurationEnum,
    check_server_against_tls_configuration,
)

# Mozilla's guidelines 6.0, "intermediate": https://ssl-config.mozilla.org/guidelines/6.0.json
# The test certificate is RSA, so of the TLS 1.2 suites only the ECDHE_RSA ones apply.
GUIDELINES = "6.0"
TLS_1_2_SUITES = {
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
}
TLS_1_3_SUITES = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
}
# 6.0 puts X25519MLKEM768 first, which Debian 12's OpenSSL 3.0 does not have.
CURVES = {"X25519", "secp256r1", "secp384r1"}  # secp256r1: OpenSSL's prime256v1


@pytest.fixture(scope="module")
def scan(deployment):
    """One sslyze scan of the deployed nginx's TLS port: everything Mozilla's checker
    needs, and session resumption."""
    request = ServerScanRequest(
        server_location=ServerNetworkLocation(
            "localhost", deployment.https.port, ip_address="127.0.0.1"
        ),
        scan_commands=SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER
        | {ScanCommand.SESSION_RESUMPTION},
        scan_commands_extra_arguments=ScanCommandsExtraArguments(
            certificate_info=CertificateInfoExtraArgument(
                custom_ca_file=Path(deployment.https.cafile)
            )
        ),
    )
    scanner = Scanner()
    scanner.queue_scans([request])
    [result] = scanner.get_results()
    assert result.scan_status == ServerScanStatusEnum.COMPLETED, result
    for command in request.scan_commands:
        attempt = getattr(result.scan_result, command.value)
        assert attempt.status == ScanCommandAttemptStatusEnum.COMPLETED, (
            command,
            attempt.error_reason,
            attempt.error_trace,
        )
    return result


def test_config_names_the_profile_it_follows(project):
    nginx_conf = (project.path / "deploy" / "nginx.conf").read_text()
    assert re.search(
        rf'Mozilla\'s "intermediate" .*guidelines version {GUIDELINES}', nginx_conf
    )
    assert f"guideline={GUIDELINES}" in nginx_conf


def test_mozilla_intermediate_checker_finds_no_issue(scan):
    """sslyze's checker: versions, suites, curves, key sizes, the certificate (trusted
    through the test CA), and known vulnerabilities (no compression, fallback SCSV,
    secure renegotiation, extended master secret...)."""
    check_server_against_tls_configuration(
        scan, MozillaTlsConfiguration.get(TlsConfigurationEnum.MOZILLA_INTERMEDIATE)
    )


def accepted(scan, command):
    result = getattr(scan.scan_result, command.value).result
    return {suite.cipher_suite.name for suite in result.accepted_cipher_suites}


@pytest.mark.parametrize(
    "command",
    [
        ScanCommand.SSL_2_0_CIPHER_SUITES,
        ScanCommand.SSL_3_0_CIPHER_SUITES,
        ScanCommand.TLS_1_0_CIPHER_SUITES,
        ScanCommand.TLS_1_1_CIPHER_SUITES,
    ],
)
def test_old_protocols_are_refused(scan, command):
    assert accepted(scan, command) == set()


def test_tls_1_2_accepts_exactly_the_profiles_suites(scan):
    """Forward secrecy and AEAD only: no static RSA, CBC, SHA-1, CAMELLIA or ARIA."""
    assert accepted(scan, ScanCommand.TLS_1_2_CIPHER_SUITES) == TLS_1_2_SUITES


def test_tls_1_3_accepts_exactly_the_profiles_suites(scan):
    assert accepted(scan, ScanCommand.TLS_1_3_CIPHER_SUITES) == TLS_1_3_SUITES


def test_key_exchange_offers_exactly_the_profiles_curves(scan):
    """No X448 or secp521r1."""
    result = scan.scan_result.elliptic_curves.result
    assert {curve.name for curve in result.supported_curves} == CURVES


def test_sessions_resume_from_the_cache_not_from_tickets(scan):
    result = scan.scan_result.session_resumption.result
    assert (
        result.session_id_resumption_result == TlsResumptionSupportEnum.FULLY_SUPPORTED
    )
    assert result.tls_ticket_resumption_result == TlsResumptionSupportEnum.NOT_SUPPORTED


def test_no_ocsp_response_is_stapled(scan):
    """Stapling is off (the config says why), so no stale or unverified response."""
    [deployment] = scan.scan_result.certificate_info.result.certificate_deployments
    assert deployment.ocsp_response is None
