#!/bin/sh
# What a third party does with bullion: `cmake --install` into a fresh
# prefix, then build examples/count_events against it twice, with CMake's
# find_package(bullion) and with pkg-config, and run both on a sample
# trail. Their counts must equal those of the installed praudit --json read
# by jq, and the man pages must be installed.
#   check_install.sh BUILD_DIR SOURCE_DIR SHARED_DIR
set -eu
build=$1 src=$2 shared=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
trail=$src/samples/hostile.bsm
root=$shared/golden/root

cmake --install "$build" --prefix "$prefix" >/dev/null
for page in man1/praudit.1 man1/auditreduce.1 man8/auditpipe.8; do
  test -f "$prefix/share/man/$page" || { echo "not installed: $page"; exit 1; }
done

# The expected answer, from the installed praudit.
LC_ALL=C "$prefix/bin/praudit" --json --root "$root" "$trail" |
  jq -r '.tokens[0].event_name // empty' | LC_ALL=C sort | uniq -c >"$tmp/expected"
test -s "$tmp/expected"

cmake -S "$src/examples/count_events" -B "$tmp/with-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/with-cmake" >/dev/null
"$tmp/with-cmake/count_events" --root "$root" "$trail" >"$tmp/cmake.out"
diff "$tmp/expected" "$tmp/cmake.out"

mkdir "$tmp/with-pkg-config"
cp "$src/examples/count_events/count_events.cpp" "$src/examples/count_events/Makefile" "$tmp/with-pkg-config/"
make -s -C "$tmp/with-pkg-config" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" >/dev/null
"$tmp/with-pkg-config/count_events" --root "$root" "$trail" >"$tmp/pkg-config.out"
diff "$tmp/expected" "$tmp/pkg-config.out"
echo "installed, and the example built with find_package and pkg-config counts $(wc -l <"$tmp/expected") events as praudit does"
