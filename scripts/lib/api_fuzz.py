#!/usr/bin/env python3
"""Runs schemathesis against a real flotta API: every operation of
docs/openapi.json, generated valid and invalid inputs. Checks that no
answer is a 5xx, every answer matches the document (status, content type,
body), and a rejected request leaves the registry as it was
(api_fuzz_hooks.py).

The target is `flotta agent` on the memory registry with its API on a free
loopback port and no engine: generated units are stored but never placed,
so none of them runs and only requests change the store. Bounded: at most
--max-examples cases per operation and phase, a 5 s limit per request and
an overall time limit; the agent is stopped on every way out.

    scripts/lib/api_fuzz.py target/release/flotta [--max-examples N]
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,rejected_requests_change_nothing"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("flotta")
    p.add_argument("--max-examples", type=int, default=25)
    p.add_argument("--time-limit", type=int, default=600, help="seconds for the whole run")
    p.add_argument("--seed", help="schemathesis's seed, to replay a run")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as state:
        api = f"127.0.0.1:{free_port()}"
        agent = subprocess.Popen(
            [args.flotta, "agent", "--registry", "memory", "--no-engine",
             "--api-listen", api, "--state-dir", state,
             "--machine-id-file", os.path.join(state, "none")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            token_file = Path(state, "api.token")
            deadline = time.monotonic() + 30
            while not token_file.exists() or not listening(api):
                if agent.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the agent did not serve its API within 30 s")
                time.sleep(0.1)
            token = token_file.read_text().strip()
            env = dict(os.environ,
                       PYTHONPATH=str(ROOT / "scripts" / "lib"),
                       SCHEMATHESIS_HOOKS="api_fuzz_hooks",
                       FLOTTA_FUZZ_URL=f"http://{api}", FLOTTA_FUZZ_TOKEN=token)
            cmd = ["schemathesis", "run", str(ROOT / "docs" / "openapi.json"),
                   "--url", f"http://{api}", "-H", f"Authorization: Bearer {token}",
                   "--checks", CHECKS, "--max-examples", str(args.max_examples),
                   "--request-timeout", "5", "--workers", "1", "--no-color"]
            if args.seed:
                cmd += ["--seed", args.seed]
            try:
                run = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                     timeout=args.time_limit)
            except subprocess.TimeoutExpired:
                sys.exit(f"schemathesis did not finish within {args.time_limit} s")
            out = run.stdout + run.stderr
            print(out[-6000:] if run.returncode else tail(out))
            cases = re.search(r"(\d+) generated", out)
            print(f"api fuzz: {cases.group(1) if cases else '?'} generated cases over "
                  f"{count_operations(out)} operations, exit {run.returncode}")
            return run.returncode
        finally:
            os.killpg(agent.pid, signal.SIGTERM)
            try:
                agent.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(agent.pid, signal.SIGKILL)
                agent.wait()


def listening(authority: str) -> bool:
    host, port = authority.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def count_operations(out: str) -> str:
    m = re.search(r"Tested:\s*(\d+)", out)
    return m.group(1) if m else "?"


def tail(out: str) -> str:
    lines = out.strip().splitlines()
    start = next((i for i, l in enumerate(lines) if "SUMMARY" in l), max(0, len(lines) - 30))
    return "\n".join(lines[start:])


if __name__ == "__main__":
    sys.exit(main())
