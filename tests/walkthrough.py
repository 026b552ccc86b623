"""The generated README, run for real: its set-up commands, then its token walkthrough
with curl against runserver, the emailed links read from runserver's output. Used by
test_end_to_end.py and by demo.py."""

import re
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass

from servers import Process

EXAMPLE_ADDRESS = "127.0.0.1:8000"
# The README's example values, each with the pattern of the real ones. In expected
# output an example stands for a real value, which is captured and put in its place in
# the commands that follow; an example time stands for any time.
EXAMPLES = {
    "key": ("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", r"[0-9a-f]{40}"),
    "new_key": ("f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4", r"[0-9a-f]{40}"),
    "uid": ("uid=Mg&", r"uid=[\w-]+&"),
    "link_token": ("d4x1yz-5b1f3c0e8d2a9b7c6e5f4a3b2c1d0e9f", r"[0-9a-z]+-[0-9a-f]+"),
}
PLACEHOLDERS = re.compile(
    "|".join(
        f"(?P<{name}>{re.escape(example)})" for name, (example, _) in EXAMPLES.items()
    )
    + r"|(?P<time>\d{4}-\d\d-\d\dT[\d:.]+Z)"
)


@dataclass
class Step:
    """One `$ command` from a console block and the output lines shown under it, or
    (no command) lines that runserver's output shows from a text block."""

    command: str | None
    expected: list


def fenced_blocks(markdown, language):
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)


def section_commands(readme, heading):
    """The command lines of each bash block under a `## heading`, block by block."""
    section = readme.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip().splitlines() for block in fenced_blocks(section, "bash")]


# In the "Add an app" section, the line before each code block says what to do with it.
NEW_FILE = re.compile(r"`(?P<path>[\w/.]+)`:")
NEW_LIST = re.compile(r"In `(?P<path>[\w/.]+)`, `(?P<name>\w+)` becomes:")


def replace_list(path, name, assignment):
    """Replace the list assigned to `name` in the file at path with `assignment`."""
    text = path.read_text()
    start = text.index(f"\n{name} = [\n") + 1
    end = text.index("\n]\n", start) + 3
    path.write_text(text[:start] + assignment + text[end:])


def follow_section(readme, heading, cwd, env):
    """Do what a `## heading` section says, block by block: run each line of a bash
    block, write a file named just before its block, or put a list named just before
    its block in the place of the one in that file."""
    section = readme.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(
        r"^([^\n]*)\n```(\w+)\n(.*?)^```", section, re.MULTILINE | re.DOTALL
    )
    assert blocks, f"no code block under ## {heading}"
    for label, language, body in blocks:
        if language == "bash":
            for command in body.splitlines():
                shell_succeeds(command, cwd, env)
        elif match := NEW_LIST.fullmatch(label):
            replace_list(cwd / match["path"], match["name"], body)
        elif match := NEW_FILE.fullmatch(label):
            (cwd / match["path"]).write_text(body)
        else:
            raise AssertionError(
                f"cannot tell what to do with the block after {label!r}"
            )


def walkthrough_steps(readme):
    """Every `$ command` of the README's console blocks, with its expected output, and
    each text block: what runserver's output shows meanwhile."""
    steps = []
    blocks = re.findall(
        r"^```(console|text)\n(.*?)^```", readme, re.MULTILINE | re.DOTALL
    )
    for language, block in blocks:
        if language == "text":
            steps.append(Step(command=None, expected=block.strip().splitlines()))
            continue
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append(Step(command=line[2:], expected=[]))
            elif line.strip():
                steps[-1].expected.append(line)
    return steps


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


def shell_succeeds(command, cwd, env):
    """Run a README line with bash; fail with its output unless it exits 0."""
    result = shell(command, cwd, env)
    assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
    return result


@contextmanager
def serving(command, port, cwd, env, log_path):
    """Start the README's run command on `port` and stop it afterwards; what it
    prints (the emails, locally) goes to log_path as it is printed."""
    server = Process(
        ["bash", "-c", f"exec {command} 127.0.0.1:{port} --noreload"],
        log_path,
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=cwd,
    )
    with server:
        server.wait_for_port(port, timeout=30)
        yield server


def line_pattern(expected):
    """A regular expression for an expected output line, placeholders made wild."""
    parts, end = [], 0
    for placeholder in PLACEHOLDERS.finditer(expected):
        parts.append(re.escape(expected[end : placeholder.start()]))
        name = placeholder.lastgroup
        parts.append(
            rf"(?P<{name}>{EXAMPLES[name][1]})" if name in EXAMPLES else r"[\d:.T-]+Z"
        )
        end = placeholder.end()
    parts.append(re.escape(expected[end:]))
    return "".join(parts)


def matches(expected, output, found):
    """Whether `expected` is one of the output's lines; captures the real values."""
    pattern = line_pattern(expected)
    for line in output.splitlines():
        match = re.fullmatch(pattern, line.rstrip("\r"))
        if match:
            found.update(match.groupdict())
            return True
    return False


def run_steps(steps, port, cwd, env, server_log, echo=print):
    """Run each step; check every expected line appears in its output, or in what
    runserver wrote since the last step. Returns the last key captured."""
    found, server_output_read = {}, 0
    for step in steps:
        if step.command is None:
            output = server_log.read_text()[server_output_read:]
            server_output_read += len(output)
            command, result = "(runserver's output)", None
        else:
            command = step.command.replace(EXAMPLE_ADDRESS, f"127.0.0.1:{port}")
            for name, (example, _) in EXAMPLES.items():
                command = command.replace(example, found.get(name, example))
            result = shell(command, cwd, env)
            output = result.stdout
        echo(f"$ {command}\n{output.rstrip()}")
        missing = [line for line in step.expected if not matches(line, output, found)]
        if missing or (result and result.returncode != 0):
            raise AssertionError(
                f"{command!r}: missing lines {missing}\n--- output\n{output}"
                + (f"\n--- stderr\n{result.stderr}" if result else "")
            )
    return found["key"]
