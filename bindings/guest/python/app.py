"""The SDK's example placement plugin in Python.

Spread instances of a template across the values of a metadata key (config
`key`, default `rack`) and turn away machines tagged `drain=true`.
Built into a component by build.sh with componentize-py.
"""

from typing import Dict, List, Tuple

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import types

REASON = "machine is draining (drain=true)"


class _State:
    """Kept at module level: componentize-py makes a `Plugin` per call."""

    key = "rack"
    value_of: List[str] = []
    draining: List[bool] = []


STATE = _State()


class Plugin(exports.Plugin):

    def init(self, config: List[Tuple[str, str]]) -> None:
        for k, v in config:
            if k != "key":
                raise Err("unknown config key (expected `key`)")
            if not 0 < len(v.encode()) < 256:
                raise Err("key must be 1 to 255 bytes")
            STATE.key = v

    def on_machines(self, machines: List[types.Machine]) -> None:
        STATE.value_of = []
        STATE.draining = []
        for m in machines:
            md = dict(m.metadata)
            STATE.value_of.append(md.get(STATE.key, ""))
            STATE.draining.append(md.get("drain") == "true")

    def filter(
        self,
        unit: types.Unit,
        siblings: types.Siblings,
        candidates: types.Candidates,
    ) -> List[types.Rejection]:
        draining = STATE.draining
        rejected = [i for i, m in enumerate(candidates.machines) if draining[m]]
        return [types.Rejection(candidates=rejected, reason=REASON)] if rejected else []

    def score(
        self,
        unit: types.Unit,
        siblings: types.Siblings,
        candidates: types.Candidates,
    ) -> List[float]:
        value_of = STATE.value_of
        per_value: Dict[str, int] = {}
        for m, n in zip(siblings.machines, siblings.counts):
            v = value_of[m]
            per_value[v] = per_value.get(v, 0) + n
        return [-float(per_value.get(value_of[m], 0)) for m in candidates.machines]
