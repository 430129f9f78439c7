#!/bin/sh
# auditview on a generated trail beside praudit -l over the same trail:
#   bench/auditview_bench.sh [BUILD_DIR] [RECORDS]
# Generates bench/data/view_<RECORDS>.bsm once (git-ignored; gen_trails.py
# --seed 12, every exotic construct), then times praudit -l (the reference),
# auditview writing the page and auditview --json (best of RUNS, wall time,
# peak RSS), and how long headless Chromium takes until the page is drawn.
# Prints a Markdown table for BENCHMARKS.md. Defaults: build, 1000000, RUNS=2.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
records=${2:-1000000}
runs=${RUNS:-2}
bin=$build/bin
trail=bench/data/view_${records}.bsm
page=bench/data/view_${records}.html
mkdir -p bench/data
if [ ! -s "$trail" ]; then
  echo "generating $trail ..." >&2
  python3 ../shared/tools/gen_trails.py --seed 12 --records "$records" -o "$trail.tmp"
  mv "$trail.tmp" "$trail"
fi
size=$(stat -c %s "$trail")

# Best wall time and its peak RSS over $runs runs: "SECONDS KB".
best() {
  best_t=
  best_kb=
  i=0
  while [ $i -lt "$runs" ]; do
    out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -1)
    t=${out% *}
    kb=${out#* }
    if [ -z "$best_t" ] || [ "$(echo "$t < $best_t" | bc)" = 1 ]; then best_t=$t best_kb=$kb; fi
    i=$((i + 1))
  done
  echo "$best_t $best_kb"
}

row() {
  name=$1
  shift
  set -- $(best "$@")
  printf '| %s | %s s | %s MB |\n' "$name" "$1" "$(( $2 / 1024 ))"
}

echo "Trail: $trail ($size bytes, $records records, gen_trails.py --seed 12), best of $runs, $(nproc) cores"
echo
echo "| command | wall time | peak RSS |"
echo "|---|---|---|"
row "praudit -l (reference)" "$bin/praudit" -l "$trail"
row "auditview -o page.html" "$bin/auditview" -o "$page" "$trail"
row "auditview --json" "$bin/auditview" --json "$trail"
echo
echo "Page: $(stat -c %s "$page") bytes."
answer=$(python3 tests/view/browser.py "file://$PWD/$page" '[{"eval": "Math.round(performance.now())"}]')
ready=$(echo "$answer" | head -1)
echo "Headless Chromium: drawn (tree, timeline) $ready ms after navigation started."
echo
corpus=../shared/corpus/trails
set -- $(best "$bin/auditview" -o bench/data/view_corpus.html "$corpus"/*.bsm "$corpus"/*.trail)
echo "The real FreeBSD/macOS trails of $corpus (3 files, $(cat "$corpus"/*.bsm "$corpus"/*.trail | wc -c) bytes): $1 s, $(( $2 / 1024 )) MB."
