#!/usr/bin/env python3
"""Runs allocation solvers on one alloc-v1 instance and reports median solve seconds and peak RSS.

Every solver prints `objective N assigned M seconds S`; the process's peak resident memory comes
from GNU time (`/usr/bin/time -v`). Exits 1, loudly, if any two objectives differ.

usage: measure.py INSTANCE LABEL NAME:RUNS:COMMAND... [--markdown FILE]
  COMMAND gets the instance path appended; NAME labels the solver in the table.
"""
import re
import shlex
import statistics
import subprocess
import sys

LINE = re.compile(r"objective (-?\d+) assigned (\d+) seconds ([0-9.]+)")
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run_once(command, instance):
    proc = subprocess.run(
        ["/usr/bin/time", "-v"] + shlex.split(command) + [instance],
        capture_output=True, text=True)
    found = LINE.search(proc.stdout)
    rss = RSS.search(proc.stderr)
    if proc.returncode != 0 or not found or not rss:
        sys.exit(f"FAILED: {command} {instance} (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}")
    return int(found.group(1)), float(found.group(3)), int(rss.group(1)) / 1024


def main():
    args = sys.argv[1:]
    markdown = None
    if "--markdown" in args:
        i = args.index("--markdown")
        markdown = args[i + 1]
        del args[i:i + 2]
    instance, label, specs = args[0], args[1], args[2:]
    rows, objectives = [], {}
    for spec in specs:
        name, runs, command = spec.split(":", 2)
        seconds, rss, objs = [], [], set()
        for _ in range(int(runs)):
            obj, s, r = run_once(command, instance)
            objs.add(obj)
            seconds.append(s)
            rss.append(r)
        if len(objs) != 1:
            sys.exit(f"OBJECTIVE MISMATCH between runs of {name} on {instance}: {sorted(objs)}")
        objectives[name] = objs.pop()
        rows.append((name, int(runs), statistics.median(seconds), max(rss), objectives[name]))
        print(f"  {label:28} {name:12} runs {runs:>2}  median {statistics.median(seconds):8.3f} s  "
              f"peak RSS {max(rss):7.1f} MB  objective {objectives[name]}", flush=True)
    equal = len(set(objectives.values())) == 1
    if markdown:
        best_ref = min((r[2] for r in rows if r[0] != "chanjiao"), default=None)
        with open(markdown, "a") as f:
            for name, runs, med, rss, obj in rows:
                ratio = f"{med / best_ref:.2f}×" if name == "chanjiao" and best_ref else ""
                f.write(f"| {label} | {name} | {runs} | {med:.3f} | {rss:.0f} | {obj} | {ratio} |\n")
    if not equal:
        sys.exit(f"OBJECTIVE MISMATCH on {instance}: {objectives}")


if __name__ == "__main__":
    main()
