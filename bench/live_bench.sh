#!/usr/bin/env bash
# Live capture on Linux: bullion's auditpipe and bsmauditd beside Debian's auditd.
#
#   sudo bench/live_bench.sh [BUILD_DIR]      (default: build)
#
# Workloads (docs/live.md, specs/linux-audit.md): 200k open+close, 1,000
# fork+exec, find /usr. Each runs under a unique login uid, and every
# collector's rules carry -F auid=<that uid>, so the rest of the machine is
# neither captured nor slowed. Classes captured: fr,fw,fc,fd,pc,nt; auditd
# gets the very syscall rules auditpipe installs, and bsmauditd the same
# classes as `flags` (trails in a scratch dir, filesz 2M, policy cnt, synced
# every second). Prints a Markdown table.
#
# Debian's auditd must be installed (apt-get install auditd) but not
# running; the script starts it for its own runs and stops it.
#
# Kernel state is saved first and restored on any exit (trap): our rules
# deleted by key, auditd stopped, enabled/backlog settings put back.
set -euo pipefail

BUILD=${1:-build}
AUDITPIPE=$(realpath "$BUILD/bin/auditpipe")
BSMAUDITD=$(realpath "$BUILD/bin/bsmauditd")
CLASSES=fr,fw,fc,fd,pc,nt
AUID=$((3100000000 + $$ % 100000))
WORK=$(mktemp -d /tmp/bullion-live-bench.XXXXXX)
KEY=bullion-bench-auditd

[[ $(id -u) == 0 ]] || { echo "live_bench: needs root (kernel audit)" >&2; exit 1; }
[[ -x $AUDITPIPE ]] || { echo "live_bench: build auditpipe first ($AUDITPIPE)" >&2; exit 1; }
[[ -x $BSMAUDITD ]] || { echo "live_bench: build bsmauditd first ($BSMAUDITD)" >&2; exit 1; }
! pgrep -x auditd >/dev/null || { echo "live_bench: Debian's auditd is running; stop it first" >&2; exit 1; }

status_field() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }
SAVED_ENABLED=$(status_field enabled)
SAVED_BACKLOG=$(status_field backlog_limit)
SAVED_WAIT=$(status_field backlog_wait_time)
AUDITD_PID=""
BSMAUDITD_PID=""

restore() {
  [[ -n $AUDITD_PID ]] && kill -TERM "$AUDITD_PID" 2>/dev/null && wait "$AUDITD_PID" 2>/dev/null || true
  [[ -n $BSMAUDITD_PID ]] && kill -TERM "$BSMAUDITD_PID" 2>/dev/null && wait "$BSMAUDITD_PID" 2>/dev/null || true
  auditctl -D -k "$KEY" >/dev/null 2>&1 || true
  auditctl -e "$SAVED_ENABLED" -b "$SAVED_BACKLOG" --backlog_wait_time "$SAVED_WAIT" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap restore EXIT

# --- workloads -------------------------------------------------------------
cat >"$WORK/work.c" <<'EOF'
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = atol(argv[2]);
  if (strcmp(argv[1], "openclose") == 0) {
    for (long i = 0; i < n; i++) close(open("/etc/hostname", O_RDONLY));
  } else {
    for (long i = 0; i < n; i++) {
      pid_t p = fork();
      if (p == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
      waitpid(p, 0, 0);
    }
  }
  return 0;
}
EOF
cc -O2 -o "$WORK/work" "$WORK/work.c"

# Runs "$@" under our login uid; prints elapsed seconds.
timed() {
  local start end
  start=$(date +%s.%N)
  sh -c 'echo '"$AUID"' > /proc/self/loginuid && exec "$@"' sh "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

run_workloads() {  # name -> $WORK/times-<name>: open_s fork_s find_s
  local a b c
  a=$(timed "$WORK/work" openclose 200000)
  b=$(timed "$WORK/work" forkexec 1000)
  c=$(timed find /usr -xdev)
  echo "$a $b $c" >"$WORK/times-$1"
}

# --- collectors ------------------------------------------------------------
wait_for_key() {  # key
  for _ in $(seq 100); do auditctl -l | grep -q -- "key=$1" && return 0; sleep 0.1; done
  echo "live_bench: collector did not start" >&2; return 1
}

bullion_run() {  # leaves times, records, dropped and lost in $WORK
  "$AUDITPIPE" --auid "$AUID" "$CLASSES" >"$WORK/bullion.bsm" 2>"$WORK/bullion.err" &
  local pid=$!
  wait_for_key "bullion-$pid"
  auditctl -l | grep -- "key=bullion-$pid" >"$WORK/bullion.rules"
  run_workloads bullion
  sleep 1
  kill -TERM "$pid"; wait "$pid"
}

# bsmauditd with the same classes as flags, its trails in $WORK.
bsmauditd_run() {
  local root="$WORK/bsmauditd"
  mkdir -p "$root/etc/security" "$root/audit"
  printf 'dir:%s\nflags:%s\nnaflags:lo\nminfree:0\npolicy:cnt\nfilesz:2M\n' "$root/audit" "$CLASSES" \
    >"$root/etc/security/audit_control"
  "$BSMAUDITD" -d --root "$root" --auid "$AUID" 2>"$WORK/bsmauditd.err" &
  BSMAUDITD_PID=$!
  wait_for_key "bullion-$BSMAUDITD_PID"
  run_workloads bsmauditd
  sleep 1
  kill -TERM "$BSMAUDITD_PID"; wait "$BSMAUDITD_PID"
  BSMAUDITD_PID=""
  du -sb "$root/audit" | cut -f1 >"$WORK/bsmauditd.bytes"
  ls "$root/audit" | wc -l >"$WORK/bsmauditd.trails"
}

# The rules auditpipe installed, re-keyed for auditd (its own pid needs no
# exclusion: it audits nothing it does itself with these rules).
auditd_rules() {
  sed -e "s/ -F pid!=[0-9]*//" -e "s/key=bullion-[0-9]*/key=$KEY/" "$WORK/bullion.rules"
}

auditd_run() {  # format flush
  local dir="$WORK/auditd-$1-$2"
  mkdir -p "$dir"
  sed -e "s|^log_file.*|log_file = $dir/audit.log|" -e "s|^log_format.*|log_format = $1|" \
      -e "s|^flush.*|flush = $2|" -e "s|^max_log_file_action.*|max_log_file_action = IGNORE|" \
      /etc/audit/auditd.conf >"$dir/auditd.conf"
  chmod 600 "$dir/auditd.conf"
  auditctl -b 8192 >/dev/null
  /sbin/auditd -n -c "$dir" 2>"$dir/stderr" &
  AUDITD_PID=$!
  for _ in $(seq 50); do [[ $(status_field pid) == "$AUDITD_PID" ]] && break; sleep 0.1; done
  auditd_rules | while read -r rule; do
    # shellcheck disable=SC2086  # rule text is our own auditctl -l output
    auditctl $rule >/dev/null
  done
  auditctl -e 1 >/dev/null
  local lost0; lost0=$(status_field lost)
  run_workloads "auditd-$1-$2"
  sleep 1
  echo "$(($(status_field lost) - lost0))" >"$dir/lost"
  auditctl -D -k "$KEY" >/dev/null
  kill -TERM "$AUDITD_PID"; wait "$AUDITD_PID" || true
  AUDITD_PID=""
  auditctl -e "$SAVED_ENABLED" -b "$SAVED_BACKLOG" --backlog_wait_time "$SAVED_WAIT" >/dev/null
  wc -l <"$dir/audit.log" >"$dir/lines"
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }

DEF_FORMAT=$(awk -F' *= *' '$1 == "log_format" { print $2 }' /etc/audit/auditd.conf)
DEF_FLUSH=$(awk -F' *= *' '$1 == "flush" { print $2 }' /etc/audit/auditd.conf)
# A first pass warms the page cache (find /usr) and the binaries; discarded.
echo "live_bench: warm-up" >&2
run_workloads warmup
echo "live_bench: baseline" >&2
run_workloads baseline
echo "live_bench: bullion auditpipe" >&2
bullion_run
echo "live_bench: bullion bsmauditd" >&2
bsmauditd_run
echo "live_bench: auditd RAW, flush=NONE" >&2
auditd_run RAW NONE
echo "live_bench: auditd defaults" >&2
auditd_run "$DEF_FORMAT" "$DEF_FLUSH"
read -r B_OPEN B_FORK B_FIND <"$WORK/times-baseline"
read -r X_OPEN X_FORK X_FIND <"$WORK/times-bullion"
read -r T_OPEN T_FORK T_FIND <"$WORK/times-bsmauditd"
read -r R_OPEN R_FORK R_FIND <"$WORK/times-auditd-RAW-NONE"
read -r D_OPEN D_FORK D_FIND <"$WORK/times-auditd-$DEF_FORMAT-$DEF_FLUSH"

STATS=$(tail -1 "$WORK/bullion.err")
RECORDS=$(sed -E 's/.*: ([0-9]+) records.*/\1/' <<<"$STATS")
TOTAL=$(echo "$X_OPEN + $X_FORK + $X_FIND" | bc -l)
OPEN_RATE=$(echo "200000 / $X_OPEN" | bc)
T_STATS=$(grep -o '[0-9]* records captured.*' "$WORK/bsmauditd.err" | tail -1)
T_OPEN_RATE=$(echo "200000 / $T_OPEN" | bc)

cat <<EOF
| workload | baseline | bullion auditpipe | bullion bsmauditd (trails) | auditd RAW, flush=NONE | auditd defaults ($DEF_FORMAT, flush=$DEF_FLUSH) |
|---|---|---|---|---|---|
| 200k open+close | $(printf %.2f "$B_OPEN") s | $(ratio "$X_OPEN" "$B_OPEN")x | $(ratio "$T_OPEN" "$B_OPEN")x | $(ratio "$R_OPEN" "$B_OPEN")x | $(ratio "$D_OPEN" "$B_OPEN")x |
| 1,000 fork+exec | $(printf %.2f "$B_FORK") s | $(ratio "$X_FORK" "$B_FORK")x | $(ratio "$T_FORK" "$B_FORK")x | $(ratio "$R_FORK" "$B_FORK")x | $(ratio "$D_FORK" "$B_FORK")x |
| find /usr | $(printf %.2f "$B_FIND") s | $(ratio "$X_FIND" "$B_FIND")x | $(ratio "$T_FIND" "$B_FIND")x | $(ratio "$R_FIND" "$B_FIND")x | $(ratio "$D_FIND" "$B_FIND")x |

bullion: $STATS (BSM records in $(printf %.1f "$TOTAL") s of workloads; open+close phase: $OPEN_RATE events/s)
bsmauditd: $T_STATS; $(cat "$WORK/bsmauditd.trails") trail files, $(cat "$WORK/bsmauditd.bytes") bytes; open+close phase: $T_OPEN_RATE events/s
auditd RAW: $(cat "$WORK"/auditd-RAW-NONE/lines) log lines, kernel lost $(cat "$WORK"/auditd-RAW-NONE/lost); auditd defaults: $(cat "$WORK/auditd-$DEF_FORMAT-$DEF_FLUSH/lines") log lines, kernel lost $(cat "$WORK/auditd-$DEF_FORMAT-$DEF_FLUSH/lost")
EOF
