"""Render the template with its defaults, install the result as its README says, and run
the README's token walkthrough against runserver, printing each command and its answer.

    uv run python tests/demo.py [OUTPUT_DIR]
"""

import sys
import tempfile
from pathlib import Path

from rendering import clean_environment, render
from servers import free_port
from walkthrough import (
    run_steps,
    section_commands,
    serving,
    shell,
    walkthrough_steps,
)


def main():
    output_dir = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
    project = render(output_dir)
    print(f"Rendered {project}")
    readme = (project / "README.md").read_text()
    install, run = section_commands(readme, "Set up and run")[1]
    env = clean_environment()

    print(f"$ {install}")
    installed = shell(install, project, env)
    if installed.returncode != 0:
        sys.exit(installed.stderr)

    port = free_port()
    print(f"$ {run} 127.0.0.1:{port}  (in the background)\n")
    log = project / "runserver.log"
    with serving(run, port, project, env, log):
        run_steps(walkthrough_steps(readme), port, project, env, log)
    print(f"\nThe token flow works. The project is in {project}")


if __name__ == "__main__":
    main()
