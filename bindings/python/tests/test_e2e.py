"""End to end: a real dev cluster (etcd + 3 flotta agents) driven from Python."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

import flotta
from flotta import Client
from flotta.unit import UnitFile

from devcluster import DevCluster, EmbeddedCluster, free_port, wait_for


@pytest.fixture(scope="module")
def cluster(flotta_bin: Path, etcd_bin: str) -> Iterator[DevCluster]:
    # The seed's local unit runs flotta-greeter, built next to flotta.
    os.environ["PATH"] = f"{flotta_bin.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    c = DevCluster(flotta_bin, machines=3, etcd=etcd_bin)
    try:
        yield c
    finally:
        c.stop()


def test_rollout_on_real_cluster(cluster: DevCluster, seed: Path) -> None:
    client = Client(etcd=[cluster.etcd_url], timeout=5)
    machines = wait_for("3 machines", lambda: len(client.machines()) == 3 and client.machines(), 30)
    assert sorted(m.public_ip for m in machines) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]

    from deploy import with_absolute_commands

    template = with_absolute_commands(UnitFile.read(seed / "units" / "local" / "sample.application@.service"))
    port = free_port()
    names = [f"sample.application.{i}@{port}.service" for i in (1, 2, 3, 4)]
    client.submit(template, "sample.application@.service")
    for n in names:
        client.submit(template, n)

    with client.watch("states", timeout=30) as watch:
        client.start(*names[:3])
        states = client.wait_active(names[:3], timeout=60)
        assert len({s.machine for s in states.values()}) == 3  # Conflicts= spread them
        event = next(watch)
        assert event.kind == "put" and event.value["unit"] in names

    # Every instance registered its endpoint and answers.
    endpoints = wait_for("3 endpoints", lambda: len(client.endpoints("sample")) == 3 and client.endpoints("sample"), 30)
    for e in endpoints:
        with urllib.request.urlopen(f"http://{e.hostport}/health", timeout=5) as r:
            assert r.status == 200

    # A fourth instance on the same port has nowhere to go: nothing becomes active.
    client.start(names[3])
    with pytest.raises(flotta.Timeout, match=names[3]):
        client.wait_active([names[3]], timeout=2)

    # Bad requests change nothing in the cluster.
    before = client.units()
    with pytest.raises(flotta.UnitNotFound):
        client.stop(names[0], "missing.service")
    with pytest.raises(flotta.UnitNameError):
        client.destroy("bad name")
    assert client.units() == before

    # Scale down: destroy two, the rest keeps running.
    client.destroy(names[2], names[3])
    wait_for("2 endpoints", lambda: len(client.endpoints("sample")) == 2, 30)
    wait_for("2 unit states", lambda: {s.unit for s in client.unit_states()} == set(names[:2]), 30)
    client.stop(names[0], wait=True, timeout=30)


def test_deploy_example(cluster: DevCluster) -> None:
    import deploy

    client = Client(etcd=[cluster.etcd_url], timeout=5)
    port = free_port()
    deploy.deploy(client, unit_path=deploy.DEFAULT_UNIT, instances=3, port=port, keep=1,
                  balancer=None, timeout=60, log=False)
    left = [u.name for u in client.units() if u.name.endswith(f"@{port}.service")]
    assert left == [f"sample.application.1@{port}.service"]


@pytest.fixture(scope="module")
def embedded(flotta_bin: Path) -> Iterator[EmbeddedCluster]:
    os.environ["PATH"] = f"{flotta_bin.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    c = EmbeddedCluster(flotta_bin, machines=3)
    try:
        yield c
    finally:
        c.stop()


def test_dev_cluster_over_the_api(embedded: EmbeddedCluster, flotta_bin: Path) -> None:
    """Client(url=...) against `flotta agent --dev`, the deploy example with
    its balancer check against a real `flotta balance` following the API."""
    import subprocess

    import deploy

    client = Client(url=embedded.url, timeout=5)
    machines = wait_for("3 machines", lambda: len(client.machines()) == 3 and client.machines(), 30)
    assert sorted(m.public_ip for m in machines) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]

    # Told nothing, a client reaches the cluster the CLI would.
    env = {k: os.environ.pop(k) for k in ("FLOTTA_ETCD", "FLEETCTL_ENDPOINT") if k in os.environ}
    os.environ["FLOTTA_ENDPOINT"] = embedded.url
    try:
        assert len(Client(timeout=5).machines()) == 3
    finally:
        del os.environ["FLOTTA_ENDPOINT"]
        os.environ.update(env)

    # A watch over the API's server-sent events.
    with client.watch("units", timeout=10) as watch:
        client.submit(deploy.with_absolute_commands(UnitFile.read(deploy.DEFAULT_UNIT)), "sample.application@.service")
        event = next(watch)
        assert event.kind == "put" and event.value["name"] == "sample.application@.service"

    # Bad input is refused with the documented exception; nothing changes.
    before = client.units()
    with pytest.raises(flotta.UnitNotFound):
        client.start("missing.service")
    assert client.units() == before
    with pytest.raises(flotta.InvalidRequest):
        Client(url=embedded.url, token="t", etcd="http://127.0.0.1:1")
    with pytest.raises(flotta.ClusterUnavailable):
        Client(url=f"http://127.0.0.1:{free_port()}", timeout=2)

    listen = f"127.0.0.1:{free_port()}"
    balancer = subprocess.Popen(
        [str(flotta_bin), "balance", "--listen", listen, "--service", "sample", "--health-path", "/health",
         "--check-interval-ms", "300", "--endpoint", embedded.url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        port = free_port()
        deploy.deploy(client, unit_path=deploy.DEFAULT_UNIT, instances=3, port=port, keep=1,
                      balancer=f"http://{listen}/sample", timeout=60, log=False)
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)
    left = [u.name for u in client.units() if u.name.endswith(f"@{port}.service")]
    assert left == [f"sample.application.1@{port}.service"]
