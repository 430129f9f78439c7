#!/usr/bin/env python3
"""praudit throughput over 1 MB .. 1 GB trails, one core, file in page cache.

Trails come from ../shared/tools/gen_trails.py (seed 111, the seed of the
issue's 2.7 MB reference trail); the 1 GB trail is ten copies of the 100 MB
one (a trail is a sequence of whole records, so copies are still a trail).
Each figure is the best of five rounds (--runs) of `taskset -c 0 praudit MODE
FILE > /dev/null`, every round running `cat` and each mode once: the best,
because on a shared virtual machine other guests only ever make a run slower,
and in rounds, so that a slow spell does not land on one mode alone. `cat FILE > /dev/null` is measured in the same run as the
reference ceiling (reading the bytes at all); OpenBSM's praudit is not
installed on this machine, so its figure is quoted from specs/praudit-format.md,
not measured.

With --baseline BIN (an older praudit, e.g. built from main before a
change), that binary's --json is measured in the same rounds and printed
beside ours: a before/after figure that a noisy host cannot skew one way.

Usage: bench/praudit_bench.py [--build build] [--max-mb 1000] [--write BENCHMARKS.md]
                              [--baseline OLD_PRAUDIT]
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.path.join(HERE, "data")
MODES = [("default", []), ("-l", ["-l"]), ("-x", ["-x"]), ("--json", ["--json"])]


def make_trail(mb):
    path = os.path.join(DATA, f"praudit_{mb}m.bsm")
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    if mb <= 100:
        subprocess.run([sys.executable, os.path.join(SHARED, "tools", "gen_trails.py"), "--seed", "111",
                        "--target-bytes", str(mb * 1000 * 1000), "-o", path], check=True)
    else:
        base = make_trail(100)
        with open(path + ".tmp", "wb") as out:
            for _ in range(mb // 100):
                with open(base, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 24)
        os.rename(path + ".tmp", path)
    return path


def count_records(path):
    """Records and file tokens, framed independently of bullion."""
    n = 0
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        tid = data[pos]
        if tid in (0x14, 0x15, 0x74, 0x79):
            size = struct.unpack_from(">I", data, pos + 1)[0]
        elif tid == 0x11:
            size = 11 + struct.unpack_from(">H", data, pos + 9)[0]
        else:
            break
        pos += size
        n += 1
    return n


def timed(cmd):
    with open(os.devnull, "wb") as devnull:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=devnull, check=False)
        return time.perf_counter() - t0


def best_of_rounds(cmds, runs):
    """Best time of each command over `runs` rounds. Each round runs every
    command once, so a slow spell on the host hits all of them alike rather
    than every run of one mode."""
    best = [None] * len(cmds)
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            dt = timed(cmd)
            best[i] = dt if best[i] is None else min(best[i], dt)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--max-mb", type=int, default=1000)
    ap.add_argument("--write", default=None, help="update this BENCHMARKS.md section")
    ap.add_argument("--runs", type=int, default=5, help="best of this many runs per figure")
    ap.add_argument("--baseline", default=None, help="an older praudit: its --json is measured in the same rounds")
    a = ap.parse_args()
    praudit = os.path.join(a.build, "bin", "praudit")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    sizes = [s for s in (1, 10, 100, 1000) if s <= a.max_mb]
    rows = []
    for mb in sizes:
        path = make_trail(mb)
        nbytes = os.path.getsize(path)
        nrec = count_records(path)
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL)  # into the page cache
        cmds = [pin + ["cat", path]] + [pin + [praudit] + flags + [path] for _, flags in MODES]
        if a.baseline:
            cmds.append(pin + [a.baseline, "--json", path])
        cat, *times = best_of_rounds(cmds, a.runs)
        if a.baseline:
            base = times.pop()
            print(f"{nbytes / 1e6:.0f} MB --json: baseline {nbytes / base / 1e6:,.0f} MB/s, "
                  f"this build {nbytes / times[-1] / 1e6:,.0f} MB/s", flush=True)
        row = [f"{nbytes / 1e6:.0f} MB", f"{nrec:,}", f"{nbytes / cat / 1e6:,.0f}"]
        for dt in times:
            row.append(f"{nbytes / dt / 1e6:,.0f} MB/s, {nrec / dt / 1e6:.2f} M rec/s")
        rows.append(row)
        print(" | ".join(row), flush=True)
    header = ("| trail | records | `cat` MB/s (reference) | praudit | praudit -l | praudit -x | praudit --json |\n"
              "|---|---|---|---|---|---|---|\n")
    table = header + "".join("| " + " | ".join(r) + " |\n" for r in rows)
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    section = (f"<!-- praudit:begin -->\n## praudit\n\nMeasured {time.strftime('%Y-%m-%d')} on {cpu} "
               f"({os.cpu_count()} cores), one core (taskset), trails in page cache, output to /dev/null, "
               f"best of {a.runs}; `bench/praudit_bench.py`.\n\n{table}\n"
               "OpenBSM's praudit on this machine kind: about 0.25 MB/s (1,800 records/s) in default, -l "
               "and -x modes (quoted from ../shared/specs/praudit-format.md; OpenBSM is not installed here, so "
               "it is not re-measured in this run).\n<!-- praudit:end -->\n")
    print(section)
    if a.write:
        text = open(a.write).read() if os.path.exists(a.write) else "# Benchmarks\n\n"
        if "<!-- praudit:begin -->" in text:
            text = re.sub(r"<!-- praudit:begin -->.*?<!-- praudit:end -->\n", lambda m: section, text, flags=re.S)
        else:
            text += "\n" + section
        open(a.write, "w").write(text)


if __name__ == "__main__":
    main()
