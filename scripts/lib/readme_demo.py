#!/usr/bin/env python3
"""Runs README command 1 (or the given command) as a new user would and
checks what it printed.

    scripts/lib/readme_demo.py                      README command 1
    scripts/lib/readme_demo.py --hide [PATH…]       the same, with PATHs hidden
                                                    (scripts/lib/hidden)
    scripts/lib/readme_demo.py --drill CMD [ARG…]   a tour with the failure drill

The command is read from README.md (the first line of its first ``sh``
block), run from the repository root with its output captured, and stopped
with Ctrl-C (SIGINT to its process group, as a terminal sends) once it says
so. Passes when:

- the first balanced block shows round-robin over 4 instances and the second
  over 5 (each window of N consecutive answers names N different backends),
  the second including every backend of the first;
- with --drill, every drill printed its figures (the tour itself fails when a
  drill loses anything);
- Ctrl-C ends it with status 0, nothing it started still answers, and no
  process it started (any descendant seen before Ctrl-C) is left.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

LIMIT_S = 30 * 60  # includes the build on a cold target dir
STOP_S = 60


def first_command(readme: str) -> str:
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    if not block:
        sys.exit(f"{readme}: no ```sh block")
    return block.group(1).strip().splitlines()[0]


def descendants(root: int) -> set[tuple[int, str]]:
    """Every process below ``root`` now, as (pid, start time): a pid reused
    later has another start time."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(entry), fields[19]))
    found: set[tuple[int, str]] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def still_there(processes: set[tuple[int, str]]) -> list[int]:
    left = []
    for pid, started in processes:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                if f.read().rsplit(")", 1)[1].split()[19] == started:
                    left.append(pid)
        except OSError:
            pass
    return sorted(left)


def run(command: list[str]) -> tuple[list[str], int, float, list[int], int]:
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    start = time.monotonic()
    stopped_at = None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line.rstrip("\n"))
        if stopped_at is None and "Press Ctrl-C" in line:
            started = descendants(proc.pid)
            stopped_at = time.monotonic()
            os.killpg(proc.pid, signal.SIGINT)
        if time.monotonic() - start > LIMIT_S:
            os.killpg(proc.pid, signal.SIGKILL)
            sys.exit(f"the command did not finish within {LIMIT_S} s")
    try:
        code = proc.wait(timeout=STOP_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        sys.exit(f"the command did not stop within {STOP_S} s of Ctrl-C")
    if stopped_at is None:
        sys.exit(f"the command ended ({code}) without offering Ctrl-C")
    return lines, code, time.monotonic() - stopped_at, still_there(started), len(started)


def blocks(lines: list[str]) -> list[list[str]]:
    """The backends of each printed `for i in $(seq N); do curl …` block."""
    out: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("$ for i in $(seq"):
            current = []
            out.append(current)
        elif current is not None and line.startswith("  {"):
            current.append(json.loads(line)["backend"])
        else:
            current = None
    return out


def round_robin(backends: list[str], n: int) -> bool:
    if len(set(backends)) != n:
        return False
    return all(
        len(set(backends[i : i + n])) == n for i in range(len(backends) - n + 1)
    )


def refused(authority: str) -> bool:
    host, port = authority.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return False
    except OSError:
        return True


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.chdir(root)
    drill = sys.argv[1:2] == ["--drill"]
    if drill:
        command = sys.argv[2:]
        name = " ".join(command)
    else:
        name = first_command("README.md")
        command = ["bash", "-c", name]
        if sys.argv[1:2] == ["--hide"]:
            command = ["scripts/lib/hidden", *sys.argv[2:], "--", *command]
    print(f"$ {name}", flush=True)
    lines, code, stop_s, left, total = run(command)
    if code != 0:
        sys.exit(f"the command exited with {code} after Ctrl-C")
    found = blocks(lines)
    if len(found) != 2:
        sys.exit(f"expected 2 blocks of balanced answers, found {len(found)}")
    four, five = found
    if not round_robin(four, 4):
        sys.exit(f"first block is not round-robin over 4: {four}")
    if not round_robin(five, 5) or not set(four) <= set(five):
        sys.exit(f"second block is not round-robin over the 4 and a fifth: {five}")
    figures = [l for l in lines if l.startswith("drill ")]
    wanted = ["drill 1", "drill 3"] + (["drill 2"] if "--etcd" in lines[0] + name else [])
    missing = [w for w in wanted if not any(f.startswith(w) for f in figures)]
    if drill and missing:
        sys.exit(f"no figures from {missing}")
    balancer = next(
        (m.group(1) for l in lines if (m := re.search(r"curl -s http://([\d.:]+)/sample", l))),
        None,
    )
    alive = [a for a in sorted(set(five)) + [balancer or ""] if a and not refused(a)]
    if alive:
        sys.exit(f"still answering after Ctrl-C: {alive}")
    if left:
        sys.exit(f"processes left after Ctrl-C: {left}")
    for line in figures:
        print(line, flush=True)
    print(
        f"{'the drill' if drill else 'README command 1'}: round-robin over 4 ({len(four)} answers) then 5 "
        f"({len(five)} answers); Ctrl-C stopped it and all {total} "
        f"processes in {stop_s:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
