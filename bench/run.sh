#!/usr/bin/env bash
# Runs every benchmark and writes the figures into BENCHMARKS.md.
# BUILD=build (default); BENCH_MAX_MB=1000 caps the praudit trail size.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
python3 bench/praudit_bench.py --build "$BUILD" --max-mb "${BENCH_MAX_MB:-1000}" --write BENCHMARKS.md
for script in bench/*_bench.sh; do
  [ -x "$script" ] && BUILD="$BUILD" "$script"
done
for bin in "$BUILD"/bin/*_bench; do
  [ -x "$bin" ] && "$bin" --benchmark_min_time=0.5 || true
done
