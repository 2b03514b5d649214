"""shellcheck on every `run:` script of a composite GitHub Action (action.yml).

GitHub expressions are kept out of the scripts (inputs arrive through `env:`), so each script
is plain bash and is checked as such; an expression left in a script is refused here too.
"""

import subprocess
import sys
import tempfile

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    steps = yaml.safe_load(f)["runs"]["steps"]
failed = False
for number, step in enumerate(steps, 1):
    script = step.get("run")
    if script is None:
        continue
    name = step.get("name", f"step {number}")
    if "${{" in script:
        print(f"{sys.argv[1]}: `{name}`: pass inputs through env:, not ${{{{ }}}} in the script")
        failed = True
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as out:
        out.write("#!/usr/bin/env bash\n" + script)
    if subprocess.call(["shellcheck", "--shell=bash", out.name]) != 0:
        print(f"{sys.argv[1]}: shellcheck found problems in `{name}`")
        failed = True
sys.exit(1 if failed else 0)
