#!/usr/bin/env bash
# Installs what bullion needs from Debian's packages, only if missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config python3
  jq                                  # docs/json.md examples are run by a test
  mandoc                              # man pages are linted by a test (mandoc -T lint)
  clang libclang-rt-14-dev            # libFuzzer + sanitizers
  libfmt-dev libpcre2-dev             # formatting, bsmtrace regexes
  zlib1g-dev                          # gzip-compressed trails and logs
  libaudit-dev libauparse-dev         # Linux kernel audit, audit.log parsing
  libcap-ng-dev                       # dropping capabilities in live tools
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium                            # auditview's page is tested in a real browser
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
