#!/bin/sh
# bsmtrace end to end, start-up included, with 1, 100 and 10,000 generated
# sequences (the policies of bsmtrace_bench --write-policy), in one command:
#   bench/bsmtrace_tool_bench.sh [BUILD_DIR]
# Times `bsmtrace -f POLICY TRAIL` (alerts to /dev/null), best of RUNS:
#   - start-up: over an empty trail (parsing the policy, building the engine)
#   - a 750,000-record generated trail (about 100 MB) for 1 and 100
#     sequences, a 200,000-record one for 10,000; the original gets a
#     20,000-record one and one run at 10,000 (it needs minutes there)
# Beside ours, when given (same policies, same trails, same run):
#   BSMTRACE_BEFORE=path     an older build of ours
#   BSMTRACE_REFERENCE=path  the original bsmtrace built from its source; it
#                            is run as `-F -f POLICY -a TRAIL` and must find
#                            OpenBSM's audit_event/audit_class tables itself.
#   REFERENCE_MAX_SEQUENCES  skip the original above this many sequences
# Prints a Markdown table for BENCHMARKS.md. Trails go to bench/data (ignored).
set -eu
cd "$(dirname "$0")/.."
build=${1:-${BUILD:-build}}
runs=${RUNS:-3}
bin=$build/bin
data=bench/data
mkdir -p "$data"
for records in 20000 200000 750000; do
  trail=$data/bsmtrace_$records.bsm
  if [ ! -s "$trail" ]; then
    echo "generating $trail ..." >&2
    python3 ../shared/tools/gen_trails.py --seed 7 --records "$records" --clean -o "$trail.tmp"
    mv "$trail.tmp" "$trail"
  fi
done
: > "$data/empty.bsm"
for n in 1 100 10000; do "$bin/bsmtrace_bench" --write-policy "$n" "$data/bsmtrace_policy_$n.conf"; done

# Best wall time of $runs runs, in seconds; alerts and messages discarded.
best_time() {
  best=
  i=0
  while [ $i -lt "$runs" ]; do
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    i=$((i + 1))
  done
  echo "$best"
}

# One row: NAME N RECORDS COMMAND... (the command takes POLICY TRAIL last).
row() {
  name=$1 n=$2 records=$3
  shift 3
  policy=$data/bsmtrace_policy_$n.conf
  startup=$(best_time "$@" "$policy" "$data/empty.bsm")
  total=$(best_time "$@" "$policy" "$data/bsmtrace_$records.bsm")
  rate=$(echo "scale=0; $records / $total" | bc)
  alerts=$("$@" "$policy" "$data/bsmtrace_$records.bsm" 2>&1 > /dev/null | grep -c "state machine:" || true)
  printf '| %s | %s | %s | %.3f s | %.2f s | %s/s | %s |\n' "$name" "$n" "$records" "$startup" "$total" "$rate" "$alerts"
}

ours() { "$bin/bsmtrace" -f "$1" "$2"; }
before() { "$BSMTRACE_BEFORE" -f "$1" "$2"; }
reference() { "$BSMTRACE_REFERENCE" -F -f "$1" -a "$2"; }

echo "| bsmtrace | sequences | records | start-up | total (start-up included) | records/s | alerts |"
echo "|---|---|---|---|---|---|---|"
for n in 1 100 10000; do
  records=750000
  [ "$n" = 10000 ] && records=200000
  row ours "$n" "$records" ours
  if [ -n "${BSMTRACE_BEFORE:-}" ]; then row before "$n" "$records" before; fi
  if [ -n "${BSMTRACE_REFERENCE:-}" ] && [ "$n" -le "${REFERENCE_MAX_SEQUENCES:-10000}" ]; then
    if [ "$n" = 10000 ]; then
      runs_was=$runs
      runs=1
      row original "$n" 20000 reference
      runs=$runs_was
    else
      row original "$n" "$records" reference
    fi
  fi
done
