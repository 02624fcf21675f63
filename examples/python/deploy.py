#!/usr/bin/env python3
"""Roll out the seed's app to N instances, check them, then scale down.

    python3 examples/python/deploy.py --instances 3 --balancer http://127.0.0.1:8000/sample
        # against `flotta demo` or `flotta agent --dev` (the API at http://127.0.0.1:4949)
    python3 examples/python/deploy.py --etcd http://127.0.0.1:2379 --instances 3
    python3 examples/python/deploy.py --dev-cluster 3 --instances 3   # starts etcd + 3 agents

Steps: submit the template and N instances on one port (``Conflicts=*@%i.service``
keeps them on different machines), start them, wait until all are active,
check that every registered endpoint answers (and, with ``--balancer URL``,
that the balancer answers from every instance), then scale down to
``--keep`` instances. Exit code 0 on success, 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import flotta
from flotta import Client
from flotta.unit import UnitFile, UnitName

HERE = Path(__file__).resolve().parent
DEFAULT_UNIT = HERE.parent / "seed" / "units" / "local" / "sample.application@.service"


def get(url: str, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        body: bytes = r.read()
        return body.decode()


def with_absolute_commands(unit: UnitFile) -> UnitFile:
    """The unit with bare ``Exec*=`` commands found on this PATH made absolute:
    agents run units with systemd's fixed PATH, where a freshly built
    ``flotta-greeter`` is not."""
    lines = []
    for line in unit.text.splitlines(keepends=True):
        key, eq, rest = line.partition("=")
        if eq and key.strip().startswith("Exec") and rest.strip():
            command = rest.split()[0]
            found = None if "/" in command else shutil.which(command)
            if found:
                line = f"{key}={rest.replace(command, found, 1)}"
        lines.append(line)
    return UnitFile.parse("".join(lines))


def deploy(
    client: Client,
    *,
    unit_path: Path,
    instances: int,
    port: int,
    keep: int,
    balancer: str | None,
    timeout: float,
    log: bool = True,
) -> None:
    def say(msg: str) -> None:
        if log:
            print(msg, flush=True)

    template_name = UnitName(unit_path.name)
    if not template_name.is_template:
        raise SystemExit(f"{unit_path} is not a template (name it like app@.service)")
    template = with_absolute_commands(UnitFile.read(unit_path))
    service = template.flotta(template_name.instantiate(str(port))).endpoint
    names = [UnitName(f"{template_name.prefix}.{i}@{port}.{template_name.unit_type}") for i in range(1, instances + 1)]

    client.submit(template, template_name)
    for n in names:
        client.submit(template, n)
    client.start(*names)
    say(f"started {len(names)} instances, waiting for them to be active ...")
    states = client.wait_active(names, timeout=timeout)
    machines = {s.machine for s in states.values()}
    for n in names:
        s = states[str(n)]
        say(f"  {n} active on {s.machine[:8]} ({s.sub_state})")
    if len(machines) != len(names):
        raise AssertionError(f"Conflicts= was not honoured: {len(names)} instances on {len(machines)} machines")

    mine = {str(n) for n in names}
    svc = "" if service is None else str(service["service"])

    def endpoints() -> list[flotta.Endpoint]:
        # Only this rollout's instances: the service may have others.
        return [e for e in client.endpoints(svc) if e.unit in mine]

    if service is not None:
        deadline = time.monotonic() + timeout
        while len(endpoints()) < len(names):
            if time.monotonic() > deadline:
                raise flotta.Timeout(f"only {len(endpoints())} of {len(names)} endpoints of {svc} registered")
            time.sleep(0.2)
        for e in endpoints():
            get(f"http://{e.hostport}/health")
            say(f"  endpoint {e.hostport} ({e.unit}) answers")
        if balancer:
            want = {e.hostport for e in endpoints()}
            seen: set[str] = set()
            for _ in range(50 * len(want)):  # bounded: round robin covers all quickly
                seen.add(json.loads(get(balancer))["backend"])
                if want <= seen:
                    break
            if not want <= seen:
                raise AssertionError(f"balancer {balancer} never answered from {sorted(want - seen)}")
            say(f"  balancer {balancer} answered from all {len(want)} instances")

    gone = names[keep:]
    if gone:
        client.destroy(*gone)
        say(f"scaled down to {keep}: destroyed {', '.join(map(str, gone))}")
        if service is not None:
            deadline = time.monotonic() + timeout
            while len(endpoints()) > keep:
                if time.monotonic() > deadline:
                    raise flotta.Timeout("destroyed instances still registered")
                time.sleep(0.2)
    say("done")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default=os.environ.get("FLOTTA_ENDPOINT", "http://127.0.0.1:4949"),
                   help="the cluster's flotta API (default: a dev cluster's)")
    p.add_argument("--etcd", default=os.environ.get("FLOTTA_ETCD"), help="etcd client URL (instead of --url)")
    p.add_argument("--dev-cluster", type=int, metavar="N", help="start etcd and N agents for the run (needs the flotta binary)")
    p.add_argument("--unit", type=Path, default=DEFAULT_UNIT, help="the template unit file")
    p.add_argument("--instances", type=int, default=3)
    p.add_argument("--port", type=int, default=8080, help="the instance (%%i): the port the app listens on")
    p.add_argument("--keep", type=int, default=1, help="instances left after scaling down")
    p.add_argument("--balancer", help="URL of a balancer in front of the service, e.g. http://127.0.0.1:8000/")
    p.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args(argv)

    cluster = None
    if args.dev_cluster:
        from devcluster import DevCluster, default_flotta_bin

        flotta_bin = default_flotta_bin()
        os.environ["PATH"] = f"{flotta_bin.parent}{os.pathsep}{os.environ.get('PATH', '')}"
        cluster = DevCluster(flotta_bin, machines=args.dev_cluster)
        args.etcd = cluster.etcd_url
        print(f"dev cluster: etcd at {cluster.etcd_url}, {args.dev_cluster} agents", flush=True)
    try:
        client = Client(etcd=[args.etcd], timeout=10) if args.etcd else Client(url=args.url, timeout=10)
        deploy(client, unit_path=args.unit, instances=args.instances, port=args.port,
               keep=args.keep, balancer=args.balancer, timeout=args.timeout)
    except (flotta.FlottaError, AssertionError) as e:
        print(f"deploy: {e}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
