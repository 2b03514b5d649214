#!/usr/bin/env bash
# The benchmark (issues 7, 10 and 15): generates plans of 100, 1,000 and 10,000 functions,
# builds `--release`, and measures against the floor — `bcp parse-only`, the YAML library
# deserialising the same files into the same types with no checks:
#   - `bcp validate` on the plan without scenarios and on the same plan with its 20 scenarios,
#   - `bcp render --format html --doc full`,
# each as the median of interleaved runs (one run of every command per round, so a burst of
# load on the shared machine hits them all alike), as a ratio to the floor; peak RSS of every
# stage against the plan's size on disk; the growth from 1,000 to 10,000 functions; the
# process-start-to-exit time of a 50-function validate; and the targets with ok or MISSED.
#
#   bash bench/run.sh                            # the full run
#   BENCH_SIZES="1000 10000" bash bench/run.sh   # without the 100-function plan
#
# Uses hyperfine for the 50-function start-to-exit time when installed (apt-get install
# hyperfine), else a loop timed with `date +%s%N`; peak memory from GNU time (apt-get install
# time). Not part of `cargo test`.
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

# A plan per size and scenario count, regenerated each run so it always matches the generator.
plan_for() {
  local n=$1 scenarios=$2 dir="$WORK/plan-$1-s$2"
  rm -rf "$dir"
  "$BCP" generate --functions "$n" --seed "$SEED" --today "$TODAY" --scenarios "$scenarios" \
    --out "$dir" >/dev/null
  echo "$dir"
}

rounds_for() {
  case $1 in
    50 | 100) echo 21 ;;
    1000) echo 11 ;;
    # 9, not 5, since a round of the 10,000-function plan takes under 10 s: with 5 the
    # medians moved by 15% between runs on this shared machine.
    *) echo 9 ;;
  esac
}

now_ns() { date +%s%N; }

# Runs every command once per round for `rounds` rounds (after one warm-up round) and prints
# each command's median wall-clock milliseconds, one a line, in the order given. Commands are
# strings of words; a command that fails prints n/a.
interleaved_ms() {
  local rounds=$1
  shift
  local -a cmds=("$@") ok=()
  local i j start end
  for j in "${!cmds[@]}"; do
    if ${cmds[$j]} >/dev/null 2>"$WORK/last-error"; then
      ok[j]=yes
    else
      ok[j]=no
      echo "failed: ${cmds[$j]}" >&2
      head -5 "$WORK/last-error" >&2
    fi
    : >"$WORK/times-$j"
  done
  for ((i = 0; i < rounds; i++)); do
    for j in "${!cmds[@]}"; do
      [ "${ok[$j]}" = yes ] || continue
      start=$(now_ns)
      ${cmds[$j]} >/dev/null 2>&1
      end=$(now_ns)
      echo $((end - start)) >>"$WORK/times-$j"
    done
  done
  for j in "${!cmds[@]}"; do
    if [ "${ok[$j]}" = yes ]; then
      sort -n "$WORK/times-$j" | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1e6 }'
    else
      echo n/a
    fi
  done
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
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v <= t) print "ok"; else print "MISSED" }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(load)"
echo "timer: median of interleaved rounds (date +%s%N); 50-function plan: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'date +%s%N loop'); seed $SEED"
echo
printf '%8s %5s %8s | %8s | %8s %5s | %8s %5s | %8s %5s | %6s\n' \
  functions files "disk MiB" "floor ms" validate x "+20 scen" x render x rounds
declare -A FLOOR VALIDATE SCEN RENDER DISK PEAK_P PEAK_V PEAK_S PEAK_R
for n in $SIZES; do
  dir=$(plan_for "$n" 20)
  bare=$(plan_for "$n" 0)
  files=$(find "$dir" -name '*.yaml' | wc -l)
  bytes=$(find "$dir" -name '*.yaml' -printf '%s\n' | awk '{s += $1} END {print s}')
  DISK[$n]=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
  rounds=$(rounds_for "$n")
  html="$WORK/plan-$n.html"
  mapfile -t t < <(interleaved_ms "$rounds" \
    "$BCP parse-only $dir" \
    "$BCP validate $bare --today $TODAY" \
    "$BCP validate $dir --today $TODAY" \
    "$BCP render $dir --format html --doc full --today $TODAY --out $html")
  FLOOR[$n]=${t[0]} VALIDATE[$n]=${t[1]} SCEN[$n]=${t[2]} RENDER[$n]=${t[3]}
  PEAK_P[$n]=$(peak_mib "$BCP" parse-only "$dir")
  PEAK_V[$n]=$(peak_mib "$BCP" validate "$bare" --today "$TODAY")
  PEAK_S[$n]=$(peak_mib "$BCP" validate "$dir" --today "$TODAY")
  PEAK_R[$n]=$(peak_mib "$BCP" render "$dir" --format html --doc full --today "$TODAY" --out "$html")
  printf '%8s %5s %8s | %8s | %8s %5s | %8s %5s | %8s %5s | %6s\n' \
    "$n" "$files" "${DISK[$n]}" "${FLOOR[$n]}" \
    "${VALIDATE[$n]}" "$(ratio "${VALIDATE[$n]}" "${FLOOR[$n]}")" \
    "${SCEN[$n]}" "$(ratio "${SCEN[$n]}" "${FLOOR[$n]}")" \
    "${RENDER[$n]}" "$(ratio "${RENDER[$n]}" "${FLOOR[$n]}")" "$rounds"
done
echo "(ms: median wall time; floor = bcp parse-only on the plan with its 20 scenarios; validate = the"
echo " same plan generated without scenarios; +20 scen = validate with the 20 scenarios; x = ratio to the floor)"

echo
echo "peak RSS, MiB (x = times the plan's size on disk):"
printf '%8s | %8s %5s | %8s %5s | %8s %5s | %8s %5s\n' functions parse x validate x "+20 scen" x render x
for n in $SIZES; do
  printf '%8s | %8s %5s | %8s %5s | %8s %5s | %8s %5s\n' "$n" \
    "${PEAK_P[$n]}" "$(ratio "${PEAK_P[$n]}" "${DISK[$n]}")" \
    "${PEAK_V[$n]}" "$(ratio "${PEAK_V[$n]}" "${DISK[$n]}")" \
    "${PEAK_S[$n]}" "$(ratio "${PEAK_S[$n]}" "${DISK[$n]}")" \
    "${PEAK_R[$n]}" "$(ratio "${PEAK_R[$n]}" "${DISK[$n]}")"
done

if [[ " $SIZES " == *" 1000 "* && " $SIZES " == *" 10000 "* ]]; then
  echo
  echo "growth 1,000 -> 10,000 functions:"
  for stage in floor validate scen render; do
    case $stage in
      floor) a=${FLOOR[10000]} b=${FLOOR[1000]} ;;
      validate) a=${VALIDATE[10000]} b=${VALIDATE[1000]} ;;
      scen) a=${SCEN[10000]} b=${SCEN[1000]} ;;
      render) a=${RENDER[10000]} b=${RENDER[1000]} ;;
    esac
    printf '  %-9s %s\n' "$stage" "$(ratio "$a" "$b")"
  done
fi

small_dir=$(plan_for 50 20)
if command -v hyperfine >/dev/null; then
  hyperfine --shell=none --warmup 3 --runs 50 --export-json "$WORK/hf.json" --style none \
    "$BCP validate $small_dir --today $TODAY" >/dev/null 2>&1
  small=$(jq '.results[0].median * 1000' "$WORK/hf.json" | awk '{printf "%.1f", $1}')
else
  small=$(interleaved_ms 50 "$BCP validate $small_dir --today $TODAY")
fi
echo
echo "50-function plan (20 scenarios), validate from process start to exit: $small ms (median)"
echo "load average at the end: $(load)"

# The issue's targets, on the largest plan measured (10,000 functions in the full run).
big=${SIZES##* }
echo
echo "targets on $big functions (issue 15):"
row() { printf '  %-48s %8s  %-6s (target <= %s)\n' "$1" "$2" "$(verdict "$2" "$3")" "$3"; }
row "validate / parse-only, wall" "$(ratio "${VALIDATE[$big]}" "${FLOOR[$big]}")" 1.2
row "validate with 20 scenarios / parse-only" "$(ratio "${SCEN[$big]}" "${FLOOR[$big]}")" 1.5
row "render html full / parse-only" "$(ratio "${RENDER[$big]}" "${FLOOR[$big]}")" 2.5
row "peak RSS validate (20 scenarios) / size on disk" "$(ratio "${PEAK_S[$big]}" "${DISK[$big]}")" 6
row "peak RSS render / size on disk" "$(ratio "${PEAK_R[$big]}" "${DISK[$big]}")" 10
if [[ " $SIZES " == *" 1000 "* && " $SIZES " == *" 10000 "* ]]; then
  row "growth 1,000 -> 10,000: validate" "$(ratio "${VALIDATE[10000]}" "${VALIDATE[1000]}")" 11
  row "growth 1,000 -> 10,000: validate, 20 scenarios" "$(ratio "${SCEN[10000]}" "${SCEN[1000]}")" 11
  row "growth 1,000 -> 10,000: render" "$(ratio "${RENDER[10000]}" "${RENDER[1000]}")" 11
fi
row "50-function validate, start to exit (ms)" "$small" 8
