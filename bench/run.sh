#!/usr/bin/env bash
# The benchmark (issue 7): generates plans of 100, 1,000 and 10,000 functions, builds
# `--release`, and measures `bcp validate`, `bcp render --format html --doc full` (when the
# command exists) and the floor — `bcp parse-only`, the YAML library deserialising the same
# files into the same types with no checks. Prints each stage as a ratio to the floor, the
# growth from 1,000 to 10,000, peak memory against the plan's size on disk, and the
# process-start-to-exit time of a 50-function validate.
#
#   bash bench/run.sh               # the full run
#   BENCH_SIZES="100 1000" bash bench/run.sh   # a quicker one
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop timed with
# `date +%s%N`; peak memory from GNU time (apt-get install time). Not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-"100 1000 10000"}
SEED=${BENCH_SEED:-1}
TODAY=2026-06-01
WORK=${BENCH_DIR:-target/bench}
BCP=target/release/bcp

echo "building --release ..." >&2
cargo build --release --quiet
mkdir -p "$WORK"

# A plan per size, regenerated each run so it always matches the generator.
plan_for() {
  local n=$1 dir="$WORK/plan-$1"
  rm -rf "$dir"
  "$BCP" generate --functions "$n" --seed "$SEED" --today "$TODAY" --out "$dir" >/dev/null
  echo "$dir"
}

runs_for() {
  case $1 in
    50 | 100) echo 30 ;;
    1000) echo 15 ;;
    *) echo 5 ;;
  esac
}

# mean wall-clock milliseconds of a command (given as words); the command must exit 0.
time_ms() {
  local runs=$1
  shift
  if ! "$@" >/dev/null 2>"$WORK/last-error"; then
    echo "failed: $*" >&2
    head -5 "$WORK/last-error" >&2
    echo "n/a"
    return
  fi
  if command -v hyperfine >/dev/null; then
    hyperfine --shell=none --warmup 1 --runs "$runs" --export-json "$WORK/hf.json" \
      --style none "$(printf '%q ' "$@")" >/dev/null 2>&1
    jq '.results[0].mean * 1000' "$WORK/hf.json" | awk '{printf "%.1f", $1}'
  else
    local start end total=0 i
    for ((i = 0; i < runs; i++)); do
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1
      end=$(date +%s%N)
      total=$((total + end - start))
    done
    awk -v t="$total" -v r="$runs" 'BEGIN {printf "%.1f", t / r / 1e6}'
  fi
}

# peak resident memory in MiB of one run
peak_mib() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    awk '{printf "%.1f", $1 / 1024}' "$WORK/rss"
  else
    echo "n/a"
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

has_render=no
if "$BCP" render --help >/dev/null 2>&1; then has_render=yes; fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "timer: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'date +%s%N loop'); seed $SEED"
echo
printf '%8s %6s %9s | %9s | %9s %6s | %9s %6s | %8s %8s %6s\n' \
  functions files "disk MiB" "floor ms" "validate" "x" "render" "x" "peak MiB" "render" "x disk"
declare -A FLOOR VALIDATE RENDER
for n in $SIZES; do
  dir=$(plan_for "$n")
  files=$(find "$dir" -name '*.yaml' | wc -l)
  bytes=$(find "$dir" -name '*.yaml' -printf '%s\n' | awk '{s += $1} END {print s}')
  disk=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
  runs=$(runs_for "$n")
  FLOOR[$n]=$(time_ms "$runs" "$BCP" parse-only "$dir")
  VALIDATE[$n]=$(time_ms "$runs" "$BCP" validate "$dir" --today "$TODAY")
  peak_v=$(peak_mib "$BCP" validate "$dir" --today "$TODAY")
  if [ $has_render = yes ]; then
    html="$WORK/plan-$n.html"
    RENDER[$n]=$(time_ms "$runs" "$BCP" render "$dir" --format html --doc full --today "$TODAY" --out "$html")
    peak_r=$(peak_mib "$BCP" render "$dir" --format html --doc full --today "$TODAY" --out "$html")
  else
    RENDER[$n]=n/a
    peak_r=n/a
  fi
  printf '%8s %6s %9s | %9s | %9s %6s | %9s %6s | %8s %8s %6s\n' \
    "$n" "$files" "$disk" "${FLOOR[$n]}" "${VALIDATE[$n]}" "$(ratio "${VALIDATE[$n]}" "${FLOOR[$n]}")" \
    "${RENDER[$n]}" "$(ratio "${RENDER[$n]}" "${FLOOR[$n]}")" \
    "$peak_v" "$peak_r" "$(ratio "$peak_v" "$disk")"
  LAST_DISK=$disk LAST_PEAK=$peak_v LAST_PEAK_R=$peak_r
done
echo "(floor = bcp parse-only; x = ratio to the floor; peak MiB = validate's peak RSS, then render's; x disk = validate's peak / plan size)"

echo
if [[ " $SIZES " == *" 1000 "* && " $SIZES " == *" 10000 "* ]]; then
  echo "growth 1,000 -> 10,000 functions (target <= 12):"
  echo "  floor    $(ratio "${FLOOR[10000]}" "${FLOOR[1000]}")"
  echo "  validate $(ratio "${VALIDATE[10000]}" "${VALIDATE[1000]}")"
  echo "  render   $(ratio "${RENDER[10000]}" "${RENDER[1000]}")"
fi

dir=$(plan_for 50)
small=$(time_ms 50 "$BCP" validate "$dir" --today "$TODAY")
echo "50-function plan, validate from process start to exit: $small ms (target < 20)"

if [[ " $SIZES " == *" 10000 "* ]]; then
  verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v <= t) print "ok"; else print "MISSED" }'; }
  echo
  echo "targets on 10,000 functions:"
  echo "  validate <= 1.3x floor:     $(ratio "${VALIDATE[10000]}" "${FLOOR[10000]}")  $(verdict "$(ratio "${VALIDATE[10000]}" "${FLOOR[10000]}")" 1.3)"
  echo "  render html <= 2x floor:    $(ratio "${RENDER[10000]}" "${FLOOR[10000]}")  $(verdict "$(ratio "${RENDER[10000]}" "${FLOOR[10000]}")" 2)"
  echo "  validate growth <= 12x:     $(ratio "${VALIDATE[10000]}" "${VALIDATE[1000]}")  $(verdict "$(ratio "${VALIDATE[10000]}" "${VALIDATE[1000]}")" 12)"
  echo "  peak memory <= 8x disk:     $(ratio "$LAST_PEAK" "$LAST_DISK") (render $(ratio "$LAST_PEAK_R" "$LAST_DISK"))  $(verdict "$(ratio "$LAST_PEAK" "$LAST_DISK")" 8)"
  echo "  50 functions < 20 ms:       $small  $(verdict "$small" 19.999)"
fi
