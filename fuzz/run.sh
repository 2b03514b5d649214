#!/usr/bin/env bash
# Runs every fuzz target for a fixed time on ONE core, seeded from the repository's plans.
#
#   fuzz/run.sh [seconds per target]      (default 60)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). libFuzzer needs nightly rustc
# features; with only a stable toolchain, RUSTC_BOOTSTRAP=1 unlocks them (set below). No
# sanitizer by default: bcp forbids unsafe code, so ASan would mostly slow the search down;
# set FUZZ_SANITIZER=address to use it anyway.
# Crashes land in fuzz/artifacts/<target>/; the grown corpus in fuzz/corpus/<target>/ (not
# committed: seeds are copied in from tests/fixtures and examples/ each run).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
sanitizer=${FUZZ_SANITIZER:-none}
export RUSTC_BOOTSTRAP=1

targets=(${FUZZ_TARGETS:-load_validate render})

for target in "${targets[@]}"; do
  corpus=corpus/$target
  mkdir -p "$corpus" "artifacts/$target"
  # Seeds: every plan file in the repository (fixtures, examples), named by content hash so
  # reruns do not duplicate them.
  while IFS= read -r -d '' f; do
    cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"
  done < <(find ../tests/fixtures ../examples -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k -print0 2>/dev/null)
  echo "== $target: ${seconds}s, $(ls "$corpus" | wc -l) inputs in the corpus"
  cargo fuzz run --sanitizer "$sanitizer" --release --debug-assertions "$target" "$corpus" -- \
    -dict=yaml.dict \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=65536 \
    -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/"
done
