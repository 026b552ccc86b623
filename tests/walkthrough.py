"""The generated README, run for real: its set-up commands, then its token walkthrough
with curl against runserver. Used by test_end_to_end.py and by demo.py."""

import re
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass

# The README's example key and address; the real ones are put in their place.
EXAMPLE_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
EXAMPLE_ADDRESS = "127.0.0.1:8000"


@dataclass
class Step:
    """One `$ command` from a console block, and the output lines shown under it."""

    command: str
    expected: list


def fenced_blocks(markdown, language):
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)


def section_commands(readme, heading):
    """The command lines of each bash block under a `## heading`, block by block."""
    section = readme.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip().splitlines() for block in fenced_blocks(section, "bash")]


def walkthrough_steps(readme):
    """Every `$ command` of the README's console blocks, with its expected output."""
    steps = []
    for block in fenced_blocks(readme, "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append(Step(command=line[2:], expected=[]))
            elif line.strip():
                steps[-1].expected.append(line)
    return steps


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


def shell(command, cwd, env):
    """Run a README line with bash, as a reader would paste it."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@contextmanager
def serving(command, port, cwd, env, log_path):
    """Start the README's run command on `port` and stop it afterwards."""
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command} 127.0.0.1:{port} --noreload"],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, server)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=10)


def matches(expected, output, found):
    """Whether `expected` is one of the output's lines; captures the token key."""
    pattern = re.escape(expected).replace(EXAMPLE_KEY, "(?P<key>[0-9a-f]{40})")
    for line in output.splitlines():
        match = re.fullmatch(pattern, line.rstrip("\r"))
        if match:
            found.update(match.groupdict())
            return True
    return False


def run_steps(steps, port, cwd, env, echo=print):
    """Run each step; check every expected line appears in its output. Returns the key."""
    found = {}
    for step in steps:
        command = step.command.replace(EXAMPLE_ADDRESS, f"127.0.0.1:{port}")
        command = command.replace(EXAMPLE_KEY, found.get("key", EXAMPLE_KEY))
        result = shell(command, cwd, env)
        echo(f"$ {command}\n{result.stdout.rstrip()}")
        missing = [
            line for line in step.expected if not matches(line, result.stdout, found)
        ]
        if result.returncode != 0 or missing:
            raise AssertionError(
                f"{command!r} exited {result.returncode}; missing lines {missing}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
    return found["key"]
