"""The service fixtures of servers.py start real servers that answer, and stop them."""

import signal
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from servers import (
    Process,
    ServerError,
    find_binary,
    free_port,
    listen_addresses,
    live_group_members,
    nginx_config,
    port_is_open,
    start_process,
)


def run(*args, check=True):
    """Run a command with its output as text, failing the test with it if it fails."""
    result = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, timeout=30
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{args} exited {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result


def query(postgres, url, sql, check=True):
    """Run SQL through psql with a URL, as the application would connect."""
    return run(postgres.bin("psql"), "-X", "-At", url, "-c", sql, check=check)


def test_free_port_can_be_bound():
    port = free_port()
    assert 1024 <= port <= 65535
    assert not port_is_open("127.0.0.1", port)


def test_free_ports_are_not_ones_outgoing_connections_take():
    """Below the kernel's ephemeral range, and a new one each time."""
    start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = [free_port() for _ in range(50)]
    assert max(ports) < start
    assert len(set(ports)) == 50


def test_postgres_url_connects_with_password(postgres):
    assert postgres.url.startswith(f"postgres://app:{postgres.password}@127.0.0.1:")
    assert query(postgres, postgres.url, "select 1").stdout == "1\n"


def test_postgres_refuses_a_wrong_password(postgres):
    url = postgres.url.replace(postgres.password, "wrong")
    result = query(postgres, url, "select 1", check=False)
    assert result.returncode != 0
    assert "password authentication failed" in result.stderr


def test_postgres_stops_and_starts_on_the_same_port_and_data(postgres):
    url = postgres.create_database("restart_check")
    query(postgres, url, "create table kept (value int); insert into kept values (42)")
    port = postgres.port
    with postgres.stopped():
        assert not postgres.is_ready()
        assert query(postgres, url, "select 1", check=False).returncode != 0
    assert postgres.port == port
    assert query(postgres, url, "select value from kept").stdout == "42\n"


def test_create_database_is_fresh_and_owned_by_the_role(postgres):
    url = postgres.create_database("fresh_one")
    assert url.endswith("/fresh_one")
    tables = "select count(*) from pg_tables where schemaname = 'public'"
    assert query(postgres, url, tables).stdout == "0\n"
    assert query(postgres, url, "select current_user").stdout == "app\n"


def test_redis_answers_ping(redis):
    assert redis.url == f"redis://127.0.0.1:{redis.port}/0"
    redis_cli = find_binary("redis-cli", "redis-tools")
    assert run(redis_cli, "-u", redis.url, "ping").stdout == "PONG\n"
    config = [redis_cli, "-u", redis.url, "config", "get"]
    assert run(*config, "save").stdout == "save\n\n"
    assert run(*config, "appendonly").stdout == "appendonly\nno\n"


def test_redis_stops_and_starts_on_the_same_port(redis):
    redis_cli = [find_binary("redis-cli", "redis-tools"), "-u", redis.url]
    port = redis.port
    with redis.stopped():
        assert not port_is_open(redis.host, port)
        assert run(*redis_cli, "ping", check=False).returncode != 0
    assert redis.port == port
    assert run(*redis_cli, "ping").stdout == "PONG\n"


TLS_SERVER = """
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            return 200 "ok\\n";
        }}
    }}
"""


@pytest.fixture
def tls_nginx(nginx, tls_certificate):
    """nginx serving `ok` over TLS with the test certificate."""
    port = free_port()
    server_block = TLS_SERVER.format(
        port=port, cert=tls_certificate.cert, key=tls_certificate.key
    )
    return nginx(nginx_config(server_block))


def test_nginx_serves_tls_that_curl_trusts(tls_nginx, tls_certificate):
    url = f"https://localhost:{tls_nginx.ports[0]}/"
    result = run(
        "curl", "--silent", "--show-error", "--cacert", tls_certificate.ca, url
    )
    assert result.stdout == "ok\n"


def test_python_trusts_the_certificate(tls_nginx, tls_certificate):
    context = ssl.create_default_context(cafile=tls_certificate.ca)
    url = f"https://127.0.0.1:{tls_nginx.ports[0]}/"
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        assert response.read() == b"ok\n"


def test_nginx_stops_at_teardown(nginx, tls_certificate):
    port = free_port()
    server = nginx(
        nginx_config(
            TLS_SERVER.format(
                port=port, cert=tls_certificate.cert, key=tls_certificate.key
            )
        )
    )
    server.stop()
    assert not port_is_open("127.0.0.1", port)
    assert "/var/" not in server.error_log.read_text()


def test_nginx_refuses_to_listen_beyond_loopback():
    with pytest.raises(ValueError, match="must listen on"):
        listen_addresses("server { listen 443 ssl; }")
    config = "# listen 80;\nserver { listen 127.0.0.1:8443 ssl; }"
    assert listen_addresses(config) == [("127.0.0.1", 8443)]


def test_a_bad_nginx_config_fails_with_its_log(nginx):
    with pytest.raises(ServerError, match="unknown directive"):
        nginx(nginx_config("server { listen 127.0.0.1:1 ; no_such_directive on; }"))


def test_process_that_dies_reports_its_log(tmp_path):
    with pytest.raises(ServerError, match=r"(?s)exited with code 3.*boom"):
        start_process(["sh", "-c", "echo boom; exit 3"], tmp_path, "dies", port=1)


def test_process_stop_ends_its_children(tmp_path):
    process = Process(["sh", "-c", "sleep 300 & sleep 300"], tmp_path / "sleep.log")
    with process:
        pass
    assert live_group_members(process.pid) == []


def test_process_that_dies_early_leaves_no_children(tmp_path):
    process = Process(["sh", "-c", "sleep 300 & exit 3"], tmp_path / "early.log")
    process.start()
    with pytest.raises(ServerError, match="exited with code 3"):
        process.wait_for_port(1, timeout=5)
    assert live_group_members(process.pid) == []


def test_spawn_serves_until_the_test_ends(spawn):
    port = free_port()
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", port]
    spawn(command, name="http", port=port)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        assert response.status == 200


def test_process_is_killed_when_it_ignores_sigterm(tmp_path):
    script = "trap '' TERM; echo ready; sleep 300 & wait"
    process = Process(["sh", "-c", script], tmp_path / "stubborn.log").start()
    process.wait_until_ready(lambda: "ready" in process.log_path.read_text(), "ready")
    assert process.stop(timeout=0.5) == -signal.SIGKILL


def test_missing_binary_names_the_package():
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y some-package"):
        find_binary("no-such-binary-here", "some-package")
