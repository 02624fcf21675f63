"""Placement: a cluster model, ``plan()`` with explanations, and plugins.

The scheduler is flotta's Rust scheduler (fleet's rules, deterministic): the
same input gives the same plan as ``flotta plan``. Placement plugins can be
written as Python callables (:class:`Plugin`) or loaded as WebAssembly
components (:class:`WasmPlugin`), and mixed in one plan.

>>> from flotta.scheduler import Cluster
>>> c = Cluster()
>>> for m in ("m1", "m2"):
...     _ = c.add_machine(m)
>>> for n in (1, 2, 3):
...     _ = c.add_unit(f"app.{n}@8080.service", conflicts=["*@8080.service"])
>>> p = c.plan()
>>> p.assignments
{'app.1@8080.service': 'm1', 'app.2@8080.service': 'm2'}
>>> str(p.explain("app.3@8080.service"))
'2 machines: conflicts with app.1@8080.service via *@8080.service'
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence, Union

from . import _native
from ._native import PlacementMachine, PlacementUnit
from .unit import UnitFile, UnitName

__all__ = [
    "Cluster",
    "Plan",
    "Action",
    "Unplaced",
    "Explanation",
    "Plugin",
    "WasmPlugin",
    "PlacementUnit",
    "PlacementMachine",
    "FilterFn",
    "ScoreFn",
    "plan",
]

FilterFn = Callable[[PlacementUnit, PlacementMachine], Union[None, bool, str]]
"""``filter(unit, machine)``: None or True accepts; False or a reason string rejects."""

ScoreFn = Callable[[PlacementUnit, PlacementMachine], float]
"""``score(unit, machine)``: higher is better."""

Target = Literal["launched", "loaded", "inactive"]
StrategyName = Literal["least-loaded", "spread", "binpack"]


class Plugin:
    """A placement plugin written in Python.

    ``filter(unit, machine)`` returns None (or True) to accept a machine, a
    reason string (or False) to turn it away; ``score(unit, machine)`` returns
    a number, higher is better. Both get :class:`PlacementUnit` and
    :class:`PlacementMachine` views. An exception in a callable is the
    plugin failing for that unit: with ``fail_open=False`` (the default) the
    unit stays unplaced with the error as its reason, with ``fail_open=True``
    the plugin is ignored for it. ``cluster_wide=False`` applies the plugin
    only to units naming it in ``[X-Flotta] Placement=``.
    """

    __slots__ = ("name", "_native")

    def __init__(
        self,
        name: str,
        *,
        filter: FilterFn | None = None,
        score: ScoreFn | None = None,
        fail_open: bool = False,
        cluster_wide: bool = True,
    ) -> None:
        self.name = name
        self._native = _native.NativePyPlugin(name, filter, score, fail_open, cluster_wide)

    def __repr__(self) -> str:
        return f"Plugin({self.name!r})"


class WasmPlugin:
    """A WebAssembly placement plugin (a component for the ``flotta:placement`` world).

    Loaded and initialised once; usable in many plans. ``config`` is handed to
    the plugin's ``init``. Raises :class:`flotta.PluginError` if the file is
    not a valid plugin.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        config: Mapping[str, str] | None = None,
        fail_open: bool = False,
        cluster_wide: bool = True,
    ) -> None:
        pairs = list((config or {}).items())
        self._native = _native.NativeWasmPlugin(os.fspath(path), name, pairs, fail_open, cluster_wide)

    @property
    def name(self) -> str:
        """The name units use in ``[X-Flotta] Placement=``."""
        return self._native.name

    def __repr__(self) -> str:
        return f"WasmPlugin({self.name!r})"


@dataclass(frozen=True)
class Action:
    """One change a plan makes: ``place``, ``move`` or ``unschedule``."""

    action: Literal["place", "move", "unschedule"]
    unit: str
    reason: str
    machine: str | None = None
    from_machine: str | None = None
    to_machine: str | None = None

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> Action:
        return cls(
            action=d["action"],
            unit=d["unit"],
            reason=d["reason"],
            machine=d.get("machine"),
            from_machine=d.get("from"),
            to_machine=d.get("to"),
        )


@dataclass(frozen=True)
class ConstraintCount:
    """How many machines one constraint turned away, with one example."""

    machines: int
    example: dict[str, Any]
    example_machine: str


@dataclass(frozen=True)
class Explanation:
    """Why a unit is not placed: what was tried, grouped by constraint."""

    text: str
    machines_evaluated: int
    filtered: dict[str, ConstraintCount] = field(default_factory=dict)
    per_machine: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocked: str | None = None

    def __str__(self) -> str:
        return self.text

    @classmethod
    def _from(cls, text: str, raw: str) -> Explanation:
        d = json.loads(raw)
        return cls(
            text=text,
            machines_evaluated=d.get("machinesEvaluated", 0),
            filtered={
                k: ConstraintCount(v["machines"], v["example"], v["exampleMachine"] if "exampleMachine" in v else v["example_machine"])
                for k, v in d.get("filtered", {}).items()
            },
            per_machine=d.get("perMachine", {}),
            blocked=d.get("blocked"),
        )


@dataclass(frozen=True)
class Unplaced:
    """A unit that wants to run but has no machine, and why."""

    unit: str
    explanation: Explanation


class Plan:
    """The result of :meth:`Cluster.plan`. Values are converted on first access."""

    __slots__ = ("_native", "_assignments", "_unplaced")

    def __init__(self, native: _native.NativePlan) -> None:
        self._native = native
        self._assignments: dict[str, str] | None = None
        self._unplaced: list[Unplaced] | None = None

    @property
    def assignments(self) -> dict[str, str]:
        """Where every placed non-global unit ends up (unit -> machine ID)."""
        if self._assignments is None:
            self._assignments = self._native.assignments()
        return self._assignments

    @property
    def global_units(self) -> dict[str, list[str]]:
        """Where every global unit runs (unit -> machine IDs)."""
        return self._native.global_units()

    @property
    def actions(self) -> list[Action]:
        """Changes in the order they were decided."""
        return [Action._from_dict(a) for a in json.loads(self._native.actions_json())]

    @property
    def unplaced(self) -> list[Unplaced]:
        """Units that want to run but have no machine, with explanations."""
        if self._unplaced is None:
            self._unplaced = [Unplaced(u, Explanation._from(t, j)) for u, t, j in self._native.unplaced()]
        return self._unplaced

    @property
    def placed(self) -> int:
        """How many placements the plan holds (a global unit counts once per machine)."""
        return self._native.placed_count()

    def explain(self, unit: str | UnitName) -> Explanation | None:
        """The explanation for ``unit`` if it is unplaced, else None."""
        name = str(unit)
        for u in self.unplaced:
            if u.unit == name:
                return u.explanation
        return None

    def to_json(self) -> str:
        """The plan as JSON, in the shape ``flotta plan --json`` prints."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain Python values."""
        out: dict[str, Any] = json.loads(self._native.to_json())
        return out

    def __repr__(self) -> str:
        return f"<Plan placed={self.placed} unplaced={len(self.unplaced)}>"


class Cluster:
    """Machines, units and current assignments: the scheduler's input.

    Methods that add return the cluster, so calls can be chained. Invalid
    input raises :class:`flotta.SchedulerError` (or :class:`flotta.UnitNameError`
    for a bad unit name) and leaves the cluster as it was.
    """

    __slots__ = ("_native",)

    def __init__(self) -> None:
        self._native = _native.NativeCluster()

    def add_machine(
        self,
        id: str,
        *,
        metadata: Mapping[str, str] | None = None,
        public_ip: str | None = None,
        cpu_millis: int | None = None,
        memory_bytes: int | None = None,
    ) -> Cluster:
        """Adds a machine (metadata: one value per key, as fleet has it)."""
        self._native.add_machine(id, dict(metadata or {}), public_ip, cpu_millis, memory_bytes)
        return self

    def add_unit(
        self,
        name: str | UnitName,
        *,
        conflicts: Sequence[str] = (),
        machine_of: Sequence[str] = (),
        metadata: Mapping[str, Sequence[str]] | None = None,
        replaces: Sequence[str] = (),
        machine_id: str | None = None,
        global_: bool = False,
        target: Target = "launched",
        strategy: StrategyName = "least-loaded",
        spread_by: str | None = None,
        placement: Sequence[str] = (),
        cpu_millis: int | None = None,
        memory_bytes: int | None = None,
    ) -> Cluster:
        """Adds a unit with its requirements (``[X-Fleet]`` and ``[X-Flotta]`` as arguments)."""
        for arg, value in (("conflicts", conflicts), ("machine_of", machine_of), ("replaces", replaces), ("placement", placement)):
            if isinstance(value, str):
                raise TypeError(f"{arg} must be a list of strings, not a str")
        self._native.add_unit(
            str(name),
            list(conflicts),
            list(machine_of),
            {k: list(v) for k, v in (metadata or {}).items()},
            list(replaces),
            machine_id,
            global_,
            target,
            strategy,
            spread_by,
            list(placement),
            cpu_millis,
            memory_bytes,
        )
        return self

    def add_unit_file(self, unit: UnitFile, name: str | UnitName) -> Cluster:
        """Adds unit ``name`` with the requirements its unit file declares."""
        if not isinstance(unit, UnitFile):
            raise TypeError(f"add_unit_file() takes a UnitFile, not {type(unit).__name__}")
        self._native.add_unit_file(unit._native, str(name))
        return self

    def assign(self, unit: str | UnitName, machine: str) -> Cluster:
        """Records that ``unit`` currently runs on ``machine`` (for re-planning)."""
        self._native.assign(str(unit), machine)
        return self

    @property
    def machine_count(self) -> int:
        """Number of machines."""
        return self._native.size()[0]

    @property
    def unit_count(self) -> int:
        """Number of units."""
        return self._native.size()[1]

    def plan(self, *, plugins: Iterable[Plugin | WasmPlugin] = ()) -> Plan:
        """Plans placement; releases the GIL while the Rust scheduler runs."""
        natives = []
        for p in plugins:
            if not isinstance(p, (Plugin, WasmPlugin)):
                raise TypeError(f"plugins must be Plugin or WasmPlugin, not {type(p).__name__}")
            natives.append(p._native)
        return Plan(self._native.plan(natives))

    def to_json(self) -> str:
        """The model as JSON (``{"desired": ..., "observed": ...}``)."""
        return self._native.to_json()

    def __repr__(self) -> str:
        m, u = self._native.size()
        return f"<Cluster machines={m} units={u}>"


def plan(cluster: Cluster, *, plugins: Iterable[Plugin | WasmPlugin] = ()) -> Plan:
    """Same as :meth:`Cluster.plan`."""
    return cluster.plan(plugins=plugins)
