#!/bin/sh
# bsmtrace end to end, start-up included, with 1, 100 and 10,000 generated
# sequences (the policies of bsmtrace_bench --write-policy), in one command:
#   bench/bsmtrace_tool_bench.sh [BUILD_DIR]
# Times `bsmtrace -f POLICY TRAIL` (alerts to /dev/null), best of RUNS, as
# CPU time (user + system, from GNU time): on a shared machine wall time
# mostly measures the other jobs, so wall time of the best run is shown too.
#   - start-up: over an empty trail (parsing the policy, building the engine)
#   - a 750,000-record generated trail (about 100 MB) for 1 and 100
#     sequences, a 200,000-record one for 10,000; the original gets the
#     first 20,000 records (REFERENCE_RECORDS) and one run (on this machine
#     it needs minutes for 750,000 records even with one sequence)
# Beside ours, when given (same policies, same trails, same run):
#   BSMTRACE_BEFORE=path     an older build of ours
#   BSMTRACE_REFERENCE=path  the original bsmtrace built from its source; it
#                            is run as `-F -f POLICY -a TRAIL` and must find
#                            OpenBSM's audit_event/audit_class tables itself.
#   REFERENCE_MAX_SEQUENCES  skip the original above this many sequences
#   REFERENCE_RECORDS        its trail: 20000 (default), 200000 or 750000
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

# Best CPU time (user + system) of $runs runs, in seconds, and the wall
# time of that run: "CPU WALL". Alerts and messages discarded.
best_time() {
  best=
  best_wall=
  i=0
  while [ $i -lt "$runs" ]; do
    /usr/bin/time -f "%U %S %e" -o "$data/time.txt" "$@" > /dev/null 2>&1 || true
    read -r user sys wall < "$data/time.txt"
    t=$(echo "$user + $sys" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
      best=$t
      best_wall=$wall
    fi
    i=$((i + 1))
  done
  echo "$best $best_wall"
}

# One row: NAME N RECORDS COMMAND... (run as COMMAND... POLICY -a TRAIL).
row() {
  name=$1 n=$2 records=$3
  shift 3
  policy=$data/bsmtrace_policy_$n.conf
  set -- $(best_time "$@" "$policy" -a "$data/empty.bsm") "$@"
  startup=$1 startup_wall=$2
  shift 2
  set -- $(best_time "$@" "$policy" -a "$data/bsmtrace_$records.bsm") "$@"
  total=$1 total_wall=$2
  shift 2
  rate=$(echo "scale=0; $records / $total" | bc)
  alerts=$("$@" "$policy" -a "$data/bsmtrace_$records.bsm" 2>&1 > /dev/null | grep -c "state machine:" || true)
  printf '| %s | %s | %s | %.3f s (%.2f s) | %.2f s (%.2f s) | %s/s | %s |\n' "$name" "$n" "$records" \
    "$startup" "$startup_wall" "$total" "$total_wall" "$rate" "$alerts"
}


echo "| bsmtrace | sequences | records | start-up CPU (wall) | total CPU, start-up included (wall) | records/s of CPU | alerts |"
echo "|---|---|---|---|---|---|---|"
for n in 1 100 10000; do
  records=750000
  [ "$n" = 10000 ] && records=200000
  row ours "$n" "$records" "$bin/bsmtrace" -f
  if [ -n "${BSMTRACE_BEFORE:-}" ]; then row before "$n" "$records" "$BSMTRACE_BEFORE" -f; fi
  if [ -n "${BSMTRACE_REFERENCE:-}" ] && [ "$n" -le "${REFERENCE_MAX_SEQUENCES:-10000}" ]; then
    runs_was=$runs
    runs=1
    row original "$n" "${REFERENCE_RECORDS:-20000}" "$BSMTRACE_REFERENCE" -F -f
    runs=$runs_was
  fi
done
