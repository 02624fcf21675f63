"""flotta.scheduler: plans equal the Rust scheduler's, explanations, plugins."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import flotta
from flotta.scheduler import Cluster, Plugin, WasmPlugin
from flotta.unit import UnitFile, UnitName

from conftest import REPO

SEED_UNITS = [
    "sample.application.1@8080.service",
    "sample.application.2@8080.service",
    "sample.application.3@8080.service",
    "sample.application.4@8081.service",
    "sample.application.5@8080.service",
]


def seed_cluster(seed: Path, names: list[str]) -> Cluster:
    c = Cluster()
    for m in json.loads((seed / "machines.json").read_text()):
        c.add_machine(m["id"], metadata=m.get("metadata", {}), public_ip=m.get("publicIp"))
    template = UnitFile.read(seed / "units" / "sample.application@.service")
    for n in names:
        c.add_unit_file(template, n)
    return c


def rust_plan(flotta_bin: Path, seed: Path, names: list[str], *extra: str) -> dict[str, object]:
    out = subprocess.run(
        [str(flotta_bin), "plan", "--units", str(seed / "units"), "--machines", str(seed / "machines.json"), *names, "--json", *extra],
        check=True, capture_output=True, text=True, timeout=60,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_seed_plan_equals_flotta_plan(seed: Path, flotta_bin: Path) -> None:
    py = seed_cluster(seed, SEED_UNITS).plan()
    rust = rust_plan(flotta_bin, seed, SEED_UNITS)
    mine = py.to_dict()
    for key in ("actions", "unplaced", "assignments"):
        assert mine[key] == rust[key], key
    assert str(py.explain("sample.application.5@8080.service")) == (
        "3 machines: conflicts with sample.application.1@8080.service via *@8080.service"
    )


def test_larger_plan_equals_flotta_plan(seed: Path, flotta_bin: Path, tmp_path: Path) -> None:
    # 40 machines over 4 zones, 300 instances on 10 ports: conflicts bite.
    machines = [{"id": f"{i:032x}", "metadata": {"zone": "abcd"[i % 4]}} for i in range(1, 41)]
    (tmp_path / "machines.json").write_text(json.dumps(machines))
    names = [f"sample.application.{i}@{8080 + i % 10}.service" for i in range(300)]
    c = Cluster()
    for m in machines:
        c.add_machine(m["id"], metadata=m["metadata"])
    template = UnitFile.read(seed / "units" / "sample.application@.service")
    for n in names:
        c.add_unit_file(template, n)
    py = c.plan().to_dict()
    out = subprocess.run(
        [str(flotta_bin), "plan", "--units", str(seed / "units"), "--machines", str(tmp_path / "machines.json"), *names, "--json"],
        check=True, capture_output=True, text=True, timeout=60,
    )
    rust = json.loads(out.stdout)
    assert py["assignments"] == rust["assignments"]
    assert py["unplaced"] == rust["unplaced"]
    assert len(py["assignments"]) + len(py["unplaced"]) == 300


def test_explanations_and_actions() -> None:
    c = Cluster().add_machine("m1").add_machine("m2", metadata={"zone": "b"})
    c.add_unit("db.service", metadata={"zone": ["b"]})
    c.add_unit("web@1.service", machine_of=["db.service"])
    c.add_unit("lonely.service", metadata={"zone": ["z"]})
    c.assign("gone.service", "m1")
    p = c.plan()
    assert p.assignments == {"db.service": "m2", "web@1.service": "m2"}
    why = p.explain("lonely.service")
    assert why is not None
    assert why.machines_evaluated == 2
    assert "metadata zone=z not matched" in str(why)
    kinds = {(a.action, a.unit) for a in p.actions}
    assert ("unschedule", "gone.service") in kinds
    assert ("place", "db.service") in kinds
    assert p.explain("db.service") is None


def test_move_on_lost_machine() -> None:
    c = Cluster().add_machine("m2")
    c.add_unit("a.service").assign("a.service", "m1")
    p = c.plan()
    assert p.assignments == {"a.service": "m2"}


def test_global_units() -> None:
    c = Cluster().add_machine("m1").add_machine("m2")
    c.add_unit("agent.service", global_=True)
    assert c.plan().global_units == {"agent.service": ["m1", "m2"]}


def test_bad_input_raises_and_leaves_cluster_unchanged() -> None:
    c = Cluster().add_machine("m1")
    with pytest.raises(flotta.UnitNameError):
        c.add_unit("not a unit")
    with pytest.raises(flotta.SchedulerError, match="target"):
        c.add_unit("a.service", target="running")  # type: ignore[arg-type]
    with pytest.raises(flotta.SchedulerError, match="already"):
        c.add_machine("m1")
    with pytest.raises(TypeError):
        c.add_machine(7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        c.add_unit("a.service", conflicts="*.service")  # type: ignore[arg-type]
    with pytest.raises(flotta.UnitError):
        c.add_unit_file(UnitFile.parse("[X-Fleet]\nMachineOf=b.service\nConflicts=b.service\n"), "a.service")
    assert (c.machine_count, c.unit_count) == (1, 0)
    with pytest.raises(TypeError):
        c.plan(plugins=[lambda u, m: None])  # type: ignore[list-item]


def test_python_plugin_changes_placement() -> None:
    def build() -> Cluster:
        c = Cluster()
        for i, rack in enumerate(["r1", "r1", "r2"]):
            c.add_machine(f"m{i}", metadata={"rack": rack, "drain": "true" if i == 0 else "false"})
        for n in range(3):
            c.add_unit(f"app@{n}.service")
        return c

    plain = build().plan()
    assert plain.assignments["app@0.service"] == "m0"

    def no_drain(unit: flotta.scheduler.PlacementUnit, machine: flotta.scheduler.PlacementMachine) -> str | None:
        return "draining" if machine.metadata.get("drain") == "true" else None

    def prefer_r2(unit: flotta.scheduler.PlacementUnit, machine: flotta.scheduler.PlacementMachine) -> float:
        return 10.0 if machine.metadata["rack"] == "r2" else -float(machine.load)

    p = build().plan(plugins=[Plugin("no-drain", filter=no_drain, score=prefer_r2)])
    assert "m0" not in p.assignments.values()
    assert p.assignments["app@0.service"] == "m2"


def test_python_plugin_sees_unit_and_rejects_all() -> None:
    seen: list[tuple[str, str | None, str]] = []

    def refuse(unit: flotta.scheduler.PlacementUnit, machine: flotta.scheduler.PlacementMachine) -> bool:
        seen.append((unit.name, unit.instance, machine.id))
        return False

    c = Cluster().add_machine("m1").add_unit("web@8080.service")
    p = c.plan(plugins=[Plugin("refuse", filter=refuse)])
    assert p.assignments == {}
    assert seen == [("web@8080.service", "8080", "m1")]
    assert "plugin refuse: rejected" in str(p.explain("web@8080.service"))


def test_failing_python_plugin_fail_closed_and_open() -> None:
    def broken(unit: object, machine: object) -> None:
        raise RuntimeError("boom")

    c = Cluster().add_machine("m1").add_unit("a.service")
    closed = c.plan(plugins=[Plugin("broken", filter=broken)])
    assert closed.assignments == {}
    assert "RuntimeError: boom" in str(closed.explain("a.service"))
    opened = c.plan(plugins=[Plugin("broken", filter=broken, fail_open=True)])
    assert opened.assignments == {"a.service": "m1"}

    def wrong(unit: object, machine: object) -> object:
        return 3

    bad = c.plan(plugins=[Plugin("wrong", filter=wrong)])  # type: ignore[arg-type]
    assert "filter must return None, a bool or a reason string" in str(bad.explain("a.service"))


def test_plugin_definition_errors() -> None:
    with pytest.raises(flotta.SchedulerError, match="callable"):
        Plugin("x", filter=3)  # type: ignore[arg-type]
    with pytest.raises(flotta.SchedulerError, match="filter=, score="):
        Plugin("x")


def _plugin_dir() -> Path | None:
    for d in [os.environ.get("FLOTTA_PLUGIN_DIR"), REPO / "target" / "plugins",
              Path(os.environ.get("CARGO_TARGET_DIR", "/nonexistent")) / "plugins"]:
        if d and (Path(d) / "spread-c.wasm").exists():
            return Path(d)
    return None


def test_wasm_plugin_next_to_python_plugin() -> None:
    plugins = _plugin_dir()
    if plugins is None:
        pytest.skip("no built example plugins (bindings/guest/build target/plugins)")
    spread = WasmPlugin(plugins / "spread-c.wasm", name="spread", config={"key": "rack"})
    assert spread.name == "spread"
    c = Cluster()
    for i in range(4):
        c.add_machine(f"m{i}", metadata={"rack": f"r{i % 2}", "drain": "true" if i == 3 else "false"})
    for n in range(4):
        c.add_unit(f"app@{n}.service")
    calls = []

    def count(unit: object, machine: flotta.scheduler.PlacementMachine) -> None:
        calls.append(machine.id)

    p = c.plan(plugins=[spread, Plugin("count", filter=count)])
    assert "m3" not in p.assignments.values()  # drained by the WASM plugin
    assert calls  # the Python plugin ran next to the WASM one
    # Spread over racks: the first two instances land on different racks.
    rack = {"m0": "r0", "m1": "r1", "m2": "r0"}
    assert rack[p.assignments["app@0.service"]] != rack[p.assignments["app@1.service"]]
    with pytest.raises(flotta.PluginError):
        WasmPlugin(Path(__file__))
