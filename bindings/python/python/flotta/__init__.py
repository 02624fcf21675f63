"""flotta from Python: unit files, placement and cluster control.

- :mod:`flotta.unit` — parse, verify and convert unit files; unit names,
  escaping and specifiers; typed ``[X-Fleet]``/``[X-Flotta]``/``[Service]``.
- :mod:`flotta.scheduler` — a cluster model, ``plan()`` with explanations,
  placement plugins as Python callables or WebAssembly components.
- :class:`flotta.Client` — submit, start, stop and destroy units, list
  machines and states, raw keys, endpoints, and watch changes (``for`` and
  ``async for``).

Errors are :class:`flotta.FlottaError` subclasses (see :mod:`flotta.errors`).
"""

from . import errors, scheduler, unit
from ._native import __version__
from .client import Client, Endpoint, Event, Machine, Unit, UnitState, Watch
from .errors import (
    ClientError,
    ClusterUnavailable,
    Conflict,
    EscapeError,
    FlottaError,
    InternalError,
    InvalidRequest,
    PluginError,
    SchedulerError,
    SpecifierError,
    Timeout,
    UnitError,
    UnitNameError,
    UnitNotFound,
)
from .unit import UnitFile, UnitName

__all__ = [
    "__version__",
    "errors",
    "scheduler",
    "unit",
    "Client",
    "Endpoint",
    "Event",
    "Machine",
    "Unit",
    "UnitState",
    "Watch",
    "UnitFile",
    "UnitName",
    "ClientError",
    "ClusterUnavailable",
    "Conflict",
    "EscapeError",
    "FlottaError",
    "InternalError",
    "InvalidRequest",
    "PluginError",
    "SchedulerError",
    "SpecifierError",
    "Timeout",
    "UnitError",
    "UnitNameError",
    "UnitNotFound",
]
