"""systemd unit files as fleet and flotta read them.

Parse and verify unit files (errors carry ``line`` and ``column``), work with
unit names (``UnitName``), escape like ``systemd-escape``, expand ``%``
specifiers, read ``[X-Fleet]``, ``[X-Flotta]`` and ``[Service]`` as typed
dataclasses, and convert to and from fleet's JSON option list.

>>> from flotta.unit import UnitFile, UnitName
>>> unit = UnitFile.parse("[Service]\\nExecStart=/bin/app %i\\n\\n[X-Fleet]\\nConflicts=*@%i.service\\n")
>>> unit.fleet(UnitName("app@8080.service")).conflicts
['*@8080.service']
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Sequence, Union

from . import _native
from .errors import UnitError

__all__ = [
    "UnitFile",
    "UnitName",
    "UnitOption",
    "Entry",
    "Diagnostic",
    "FleetOptions",
    "FleetWarning",
    "FlottaOptions",
    "ServiceOptions",
    "ExecCommand",
    "parse",
    "verify",
    "escape",
    "unescape",
    "mangle",
    "expand",
]

NameLike = Union["UnitName", str]


def _name(value: NameLike | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, UnitName):
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"a unit name must be a str or UnitName, not {type(value).__name__}")


class UnitName:
    """A valid systemd unit name, such as ``sample.application@8080.service``.

    Raises :class:`flotta.UnitNameError` for an invalid name.
    """

    __slots__ = ("_name", "_prefix", "_instance", "_type", "_kind")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"UnitName() takes a str, not {type(name).__name__}")
        (self._name, self._prefix, self._instance, self._type, self._kind) = _native.name_parse(name)

    @property
    def prefix(self) -> str:
        """The part before ``@`` (or before the type suffix): ``%p``."""
        return self._prefix

    @property
    def instance(self) -> str | None:
        """The instance between ``@`` and the suffix (``%i``), or None; ``""`` for a template."""
        return self._instance

    @property
    def unit_type(self) -> str:
        """The type suffix without the dot, e.g. ``"service"``."""
        return self._type

    @property
    def kind(self) -> Literal["plain", "template", "instance"]:
        """Whether this is a plain unit, a template (``foo@.service``) or an instance."""
        return self._kind  # type: ignore[return-value]

    @property
    def is_template(self) -> bool:
        """True for ``foo@.service``."""
        return self._kind == "template"

    @property
    def is_instance(self) -> bool:
        """True for ``foo@bar.service``."""
        return self._kind == "instance"

    @property
    def template(self) -> UnitName | None:
        """The template of an instance (``foo@.service``), else None."""
        t = _native.name_template(self._name)
        return None if t is None else UnitName(t)

    def instantiate(self, instance: str) -> UnitName:
        """The instance ``instance`` of this template (raises UnitNameError otherwise)."""
        return UnitName(_native.name_instantiate(self._name, instance))

    def validate_fleet(self) -> None:
        """Raises UnitNameError if fleet would refuse this name."""
        _native.name_validate_fleet(self._name)

    def __str__(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"UnitName({self._name!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UnitName):
            return self._name == other._name
        if isinstance(other, str):
            return self._name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._name)

    def __lt__(self, other: UnitName) -> bool:
        return self._name < other._name


@dataclass(frozen=True)
class UnitOption:
    """One entry of fleet's option list (``{"section", "name", "value"}``)."""

    section: str
    name: str
    value: str


@dataclass(frozen=True)
class Entry:
    """One assignment in a unit file, with its 1-based position."""

    section: str
    key: str
    value: str
    line: int
    column: int


@dataclass(frozen=True)
class Diagnostic:
    """A problem found by :func:`verify`."""

    severity: Literal["error", "warning"]
    line: int
    column: int
    section: str | None
    key: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class FleetWarning:
    """An ``[X-Fleet]`` entry fleet would ignore."""

    key: str
    line: int
    column: int
    message: str


@dataclass
class FleetOptions:
    """``[X-Fleet]``, with specifiers expanded for the unit's name."""

    machine_id: str | None = None
    machine_of: list[str] = field(default_factory=list)
    machine_metadata: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    global_: bool = False
    replaces: list[str] = field(default_factory=list)
    warnings: list[FleetWarning] = field(default_factory=list)

    def to_options(self) -> list[UnitOption]:
        """The ``[X-Fleet]`` entries that express these options."""
        out: list[UnitOption] = []

        def add(key: str, value: str) -> None:
            out.append(UnitOption("X-Fleet", key, value))

        if self.machine_id is not None:
            add("MachineID", self.machine_id)
        for peer in self.machine_of:
            add("MachineOf", peer)
        for key, values in self.machine_metadata.items():
            for value in values:
                add("MachineMetadata", f"{key}={value}")
        for pattern in self.conflicts:
            add("Conflicts", pattern)
        if self.global_:
            add("Global", "true")
        for pattern in self.replaces:
            add("Replaces", pattern)
        return out

    @classmethod
    def _from_json(cls, text: str) -> FleetOptions:
        d = json.loads(text)
        return cls(
            machine_id=d.get("machineID"),
            machine_of=list(d.get("machineOf", [])),
            machine_metadata={k: list(v) for k, v in d.get("machineMetadata", {}).items()},
            conflicts=list(d.get("conflicts", [])),
            global_=bool(d.get("global", False)),
            replaces=list(d.get("replaces", [])),
            warnings=[FleetWarning(**w) for w in d.get("warnings", [])],
        )


@dataclass
class FlottaOptions:
    """``[X-Flotta]``: endpoint, resource requests, strategy and plugins."""

    endpoint: dict[str, Any] | None = None
    cpu_millis: int | None = None
    memory_bytes: int | None = None
    strategy: str = "least-loaded"
    spread_by: str | None = None
    placement: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExecCommand:
    """One ``Exec*=`` command line, split as systemd splits it."""

    path: str
    argv: list[str]
    line: str


@dataclass
class ServiceOptions:
    """``[Service]``, typed, with specifiers expanded (durations in seconds; None is infinity)."""

    type: str = "simple"
    exec_start_pre: list[ExecCommand] = field(default_factory=list)
    exec_start: list[ExecCommand] = field(default_factory=list)
    exec_start_post: list[ExecCommand] = field(default_factory=list)
    exec_reload: list[ExecCommand] = field(default_factory=list)
    exec_stop: list[ExecCommand] = field(default_factory=list)
    exec_stop_post: list[ExecCommand] = field(default_factory=list)
    environment: list[tuple[str, str]] = field(default_factory=list)
    environment_files: list[dict[str, Any]] = field(default_factory=list)
    working_directory: str | None = None
    user: str | None = None
    group: str | None = None
    restart: str = "no"
    restart_sec: float = 0.1
    timeout_start_sec: float | None = 90.0
    timeout_stop_sec: float | None = 90.0
    kill_mode: str = "control-group"
    kill_signal: str = "SIGTERM"


class UnitFile:
    """A parsed unit file. Lossless: ``str(unit)`` is the text it came from.

    Build one with :meth:`parse`, :meth:`read`, :meth:`from_options` or
    :meth:`from_json`. Parse errors raise :class:`flotta.UnitError` with
    ``line`` and ``column``.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeUnitFile) -> None:
        if not isinstance(native, _native.NativeUnitFile):
            raise TypeError("use UnitFile.parse(text) or UnitFile.read(path)")
        self._native = native

    @classmethod
    def parse(cls, text: str, *, file: str | None = None) -> UnitFile:
        """Parses unit file text; ``file`` names it in error messages."""
        if not isinstance(text, str):
            raise TypeError(f"UnitFile.parse() takes a str, not {type(text).__name__}")
        return cls(_native.unit_parse(text, file))

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> UnitFile:
        """Reads and parses a unit file from disk."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls.parse(text, file=os.fspath(path))

    @classmethod
    def from_options(cls, options: Sequence[UnitOption]) -> UnitFile:
        """Builds a unit file from fleet's option list."""
        triples = []
        for o in options:
            if not isinstance(o, UnitOption):
                raise TypeError(f"from_options() takes UnitOption items, not {type(o).__name__}")
            triples.append((o.section, o.name, o.value))
        return cls(_native.unit_from_options(triples))

    @classmethod
    def from_json(cls, text: str) -> UnitFile:
        """Builds a unit file from fleet's JSON option list."""
        return cls(_native.unit_from_json(text))

    @property
    def text(self) -> str:
        """The text, exactly as parsed."""
        return self._native.text()

    @property
    def hash(self) -> str:
        """fleet's content hash (SHA-1 of the canonical form, hex)."""
        return self._native.hash()

    @property
    def sections(self) -> list[str]:
        """Section names in order of first appearance."""
        return self._native.sections()

    def entries(self) -> Iterator[Entry]:
        """Every assignment in file order."""
        return (Entry(*e) for e in self._native.entries())

    def value(self, section: str, key: str) -> str | None:
        """The last value of ``key`` in ``section``, or None."""
        return self._native.value(section, key)

    def values(self, section: str, key: str) -> list[str]:
        """Every value of ``key`` in ``section`` (an empty assignment resets the list)."""
        return self._native.values(section, key)

    def to_options(self) -> list[UnitOption]:
        """fleet's option list."""
        return [UnitOption(*o) for o in self._native.options()]

    def to_json(self) -> str:
        """fleet's JSON option list (as fleet's API carries units)."""
        return self._native.options_json()

    def verify(self, name: NameLike | None = None) -> list[Diagnostic]:
        """Every problem in the file (empty when it is fine); ``name`` checks template use."""
        return [Diagnostic(*d) for d in self._native.verify(_name(name))]  # type: ignore[arg-type]

    def fleet(self, name: NameLike | None = None) -> FleetOptions:
        """``[X-Fleet]`` with specifiers expanded for ``name``."""
        return FleetOptions._from_json(self._native.fleet(_name(name)))

    def flotta(self, name: NameLike | None = None) -> FlottaOptions:
        """``[X-Flotta]`` with specifiers expanded for ``name``."""
        d = json.loads(self._native.flotta(_name(name)))
        requests = d.get("requests", {})
        return FlottaOptions(
            endpoint=d.get("endpoint"),
            cpu_millis=requests.get("cpuMillis", requests.get("cpu_millis")),
            memory_bytes=requests.get("memoryBytes", requests.get("memory_bytes")),
            strategy=d.get("strategy", "least-loaded"),
            spread_by=d.get("spreadBy"),
            placement=list(d.get("placement", [])),
        )

    def service(self, name: NameLike, *, hostname: str | None = None) -> ServiceOptions:
        """``[Service]`` typed, specifiers expanded for ``name`` (and ``%H`` as ``hostname``)."""
        n = _name(name)
        assert n is not None
        d = json.loads(self._native.service(n, hostname))
        for k in ("exec_start_pre", "exec_start", "exec_start_post", "exec_reload", "exec_stop", "exec_stop_post"):
            d[k] = [ExecCommand(**c) for c in d[k]]
        d["environment"] = [tuple(p) for p in d["environment"]]
        return ServiceOptions(**d)

    def __str__(self) -> str:
        return self._native.text()

    def __repr__(self) -> str:
        return f"<UnitFile {self.hash[:7]} sections={self.sections}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UnitFile):
            return self.text == other.text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)


def parse(text: str, *, file: str | None = None) -> UnitFile:
    """Same as :meth:`UnitFile.parse`."""
    return UnitFile.parse(text, file=file)


def verify(text: str, *, name: NameLike | None = None, file: str | None = None) -> list[Diagnostic]:
    """Parses and verifies text: parse errors become diagnostics instead of exceptions."""
    try:
        unit = UnitFile.parse(text, file=file)
    except UnitError as e:
        return [Diagnostic("error", e.line or 0, e.column or 0, None, None, e.message)]
    return unit.verify(name)


def escape(text: str, *, path: bool = False) -> str:
    """``systemd-escape`` (``path=True``: ``--path``)."""
    return _native.unit_escape(text, path)


def unescape(text: str, *, path: bool = False) -> str:
    """``systemd-escape --unescape`` (``path=True``: ``--path``)."""
    return _native.unit_unescape(text, path)


def mangle(text: str) -> str:
    """``systemd-escape --mangle``: a unit name from loose input."""
    return _native.unit_mangle(text)


def expand(
    text: str,
    name: NameLike,
    *,
    hostname: str | None = None,
    machine_id: str | None = None,
    fleet: bool = False,
) -> str:
    """Expands ``%`` specifiers in ``text`` for unit ``name``.

    ``fleet=True`` expands only what fleet does (``%n %N %p %i``); otherwise
    systemd's set, where host facts (``%H``, ``%m``) must be given or
    :class:`flotta.SpecifierError` is raised.
    """
    n = _name(name)
    assert n is not None
    return _native.unit_expand(text, n, hostname, machine_id, fleet)
