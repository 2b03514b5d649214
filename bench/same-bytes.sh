#!/usr/bin/env bash
# Checks that a change to the render pipeline leaves every document as it was: renders both
# examples and the render fixtures with two bcp binaries — every document, in HTML, Markdown
# and Word, English and Chinese, with and without --redact and --team — and compares the
# files and the messages byte for byte. Used for the performance work of issue 15.
#
#   cp target/release/bcp /tmp/bcp-before   # before the change
#   cargo build --release                   # after it
#   bash bench/same-bytes.sh /tmp/bcp-before target/release/bcp [more plan folders...]
set -u
cd "$(dirname "$0")/.." || exit 2
old=$1 new=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=0 differ=0
for plan in examples/acme examples/bank tests/fixtures/render/*/ "$@"; do
  team=$(grep -rh -A3 '^teams:' "$plan" 2>/dev/null | grep -m1 -oE 'id: *[A-Za-z0-9_-]+' | sed 's/id: *//')
  team=${team:-none}
  for format in html md docx; do
    for lang in en zh-CN; do
      for redact in "" --redact; do
        for team_arg in "" "--team $team"; do
          for side in old new; do
            bin=$old
            [ "$side" = new ] && bin=$new
            rm -rf "${work:?}/$side"
            # shellcheck disable=SC2086 # the optional arguments are words
            "$bin" render "$plan" --doc all --format "$format" --lang "$lang" $redact $team_arg \
              --today 2026-06-01 --date 2026-06-01 --out "$work/$side" >/dev/null 2>"$work/$side.err"
            echo "exit $?" >>"$work/$side.err"
            mkdir -p "$work/$side" # a render that failed wrote nothing: compared as empty
            sed -i "s#$work/$side#OUT#g" "$work/$side.err"
          done
          runs=$((runs + 1))
          if ! diff -rq "$work/old" "$work/new" >/dev/null || ! cmp -s "$work/old.err" "$work/new.err"; then
            differ=$((differ + 1))
            echo "differs: $plan --format $format --lang $lang $redact $team_arg"
            diff -rq "$work/old" "$work/new" | head -3
            diff "$work/old.err" "$work/new.err" | head -3
          fi
        done
      done
    done
  done
done
echo "$runs renders compared, $differ differ"
[ "$differ" = 0 ]
