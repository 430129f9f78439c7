#!/bin/sh
# Hand-tool throughput beside praudit -l, in one command:
#   bench/tools_bench.sh [BUILD_DIR] [BYTES]
# Generates bench/data/tools_<BYTES>.bsm once (git-ignored), then times each
# tool over it (best of RUNS, output to /dev/null) and prints a Markdown table
# for BENCHMARKS.md. Defaults: build-tools, 1000000000 bytes, RUNS=2.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-tools}
bytes=${2:-1000000000}
runs=${RUNS:-2}
bin=$build/bin
trail=bench/data/tools_${bytes}.bsm
mkdir -p bench/data
if [ ! -s "$trail" ]; then
  echo "generating $trail ..." >&2
  python3 ../shared/tools/gen_trails.py --seed 5 --target-bytes "$bytes" --clean -o "$trail.tmp"
  mv "$trail.tmp" "$trail"
fi
size=$(stat -c %s "$trail")

# Best wall time of $runs runs of the command, in seconds.
best_time() {
  best=
  i=0
  while [ $i -lt "$runs" ]; do
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    i=$((i + 1))
  done
  echo "$best"
}

row() {
  name=$1
  shift
  t=$(best_time "$@")
  mbs=$(echo "scale=1; $size / 1000000 / $t" | bc)
  printf '| %s | %.2f s | %s MB/s |\n' "$name" "$t" "$mbs"
}

echo "Trail: $trail ($size bytes, gen_trails.py --seed 5 --clean), best of $runs, $(nproc) cores"
echo
echo "| command | time | throughput |"
echo "|---|---|---|"
row "praudit -l" "$bin/praudit" -l "$trail"
row "commands" "$bin/commands" "$trail"
row "commands --env --pid --user --time" "$bin/commands" --env --pid --user --time "$trail"
row "commands --json" "$bin/commands" --json "$trail"
row "filewatcher" "$bin/filewatcher" --color=never "$trail"
row "filewatcher -a" "$bin/filewatcher" -a --color=never "$trail"
row "filewatcher --json" "$bin/filewatcher" --json "$trail"
