"""Talking to a running cluster: units, machines, states, keys, endpoints, watches.

:class:`Client` talks to the registry the cluster's agents use, directly on
etcd (``Client(etcd=["http://127.0.0.1:2379"])``) or in memory
(``Client(memory=True)``, for tests and dry runs). Every call has a deadline
(``timeout``, seconds) and releases the GIL while it waits. Requests naming
several units check them all first: a rejected request changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterable, Iterator, Literal, Sequence, Union

from . import _native
from .errors import ClientError, Timeout
from .unit import UnitFile, UnitName

__all__ = ["Client", "Unit", "Machine", "UnitState", "Endpoint", "Event", "Watch"]

NameLike = Union[str, UnitName]
WatchKind = Literal["units", "machines", "assignments", "states", "endpoints", "keys"]


@dataclass(frozen=True)
class Unit:
    """A unit in the cluster: its contents and target state."""

    name: str
    contents: str
    hash: str
    target_state: Literal["inactive", "loaded", "launched"]

    @property
    def file(self) -> UnitFile:
        """The unit file."""
        return UnitFile.parse(self.contents, file=self.name)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Unit:
        return cls(d["name"], d["contents"], d["hash"], d["targetState"])


@dataclass(frozen=True)
class Machine:
    """A machine whose agent is alive."""

    id: str
    public_ip: str
    hostname: str = ""
    metadata: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Machine:
        return cls(d["id"], d.get("publicIp", ""), d.get("hostname", ""), d.get("metadata", {}))


@dataclass(frozen=True)
class UnitState:
    """What an agent reports about a unit on its machine."""

    unit: str
    machine: str
    load_state: str
    active_state: str
    sub_state: str
    hash: str
    main_pid: int | None = None
    reason: str | None = None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> UnitState:
        return cls(
            d["unit"], d["machine"], d["loadState"], d["activeState"], d["subState"],
            d.get("hash", ""), d.get("mainPid"), d.get("reason"),
        )


@dataclass(frozen=True)
class Endpoint:
    """A registered ``host:port`` of a service instance."""

    service: str
    id: str
    address: str
    port: int
    unit: str
    machine: str
    tags: list[str] = field(default_factory=list)

    @property
    def hostport(self) -> str:
        """``address:port``."""
        return f"{self.address}:{self.port}"

    @classmethod
    def _from(cls, d: dict[str, Any]) -> Endpoint:
        return cls(d["service"], d["id"], d["address"], d["port"], d["unit"], d["machine"], d.get("tags", []))


@dataclass(frozen=True)
class Event:
    """One change seen by a watch: ``put`` or ``delete`` of a value at a revision.

    ``value`` is the stored object as a dict (for ``keys``: ``{"key", "value"}``;
    for a delete: ``{"name": ...}`` or the key).
    """

    kind: Literal["put", "delete"]
    revision: int
    value: dict[str, Any]


class Watch:
    """Changes of one kind, as an iterator (``for e in watch``) or an async
    iterator (``async for e in watch``). ``timeout`` (seconds, None for
    forever) bounds the wait for each event: past it, iteration raises
    :class:`flotta.Timeout`. Use as a context manager to stop it.
    """

    _POLL = 0.25

    def __init__(self, native: _native.NativeWatch, timeout: float | None) -> None:
        self._native = native
        self._timeout = timeout
        self._ended = False

    def next(self, timeout: float | None = None) -> Event | None:
        """The next event within ``timeout`` seconds (default: the watch's), or None on timeout.

        Raises StopIteration once the watch has ended.
        """
        if self._ended:
            raise StopIteration
        wait = self._timeout if timeout is None else timeout
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            left = self._POLL if deadline is None else max(0.001, min(self._POLL, deadline - time.monotonic()))
            item = self._native.next(left)
            if item is not None:
                return self._event(item)
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def _event(self, item: tuple[str, int, str]) -> Event:
        kind, revision, payload = item
        if kind == "end":
            self._ended = True
            if payload:
                raise ClientError(f"watch ended: {payload}")
            raise StopIteration
        return Event(kind, revision, json.loads(payload))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        event = self.next()
        if event is None:
            raise Timeout(f"no event within {self._timeout} s")
        return event

    def __aiter__(self) -> AsyncIterator[Event]:
        return self

    async def __anext__(self) -> Event:
        loop = asyncio.get_running_loop()
        deadline = None if self._timeout is None else loop.time() + self._timeout
        while True:
            # Short polls in a worker thread: the event loop never blocks and a
            # cancelled task leaves at most one poll running.
            try:
                item = await loop.run_in_executor(None, self._native.next, self._POLL)
            except StopIteration:  # pragma: no cover - next() returns a sentinel
                raise StopAsyncIteration from None
            if item is not None:
                try:
                    return self._event(item)
                except StopIteration:
                    raise StopAsyncIteration from None
            if deadline is not None and loop.time() >= deadline:
                raise Timeout(f"no event within {self._timeout} s")

    def close(self) -> None:
        """Stops the watch."""
        self._native.close()
        self._ended = True

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Watch:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


def _names(units: Iterable[NameLike]) -> list[str]:
    out = []
    for u in units:
        if not isinstance(u, (str, UnitName)):
            raise TypeError(f"unit names must be str or UnitName, not {type(u).__name__}")
        out.append(str(u))
    return out


class Client:
    """A connection to a flotta cluster.

    At most one backend; with none, the one the ``flotta`` CLI would use
    (``FLOTTA_ETCD``, ``FLOTTA_ENDPOINT``, fleetctl's ``FLEETCTL_ENDPOINT``,
    else the dev cluster's ``http://127.0.0.1:4949``; ``FLOTTA_TOKEN``):

    - ``url``: a flotta API — ``flotta agent --dev`` (``http://127.0.0.1:4949``)
      or an agent's ``--api-listen``; ``https://`` with ``ca_file`` (the CA's
      PEM), ``unix:/path`` for a socket; ``token`` for ``--api-token``;
    - ``etcd``: etcd client URLs, talking to the store directly;
    - ``memory=True``: an in-process store (tests, dry runs).

    ``prefix`` is the registry's key prefix (the agents' default if unset).
    Raises :class:`flotta.ClusterUnavailable` when the cluster cannot be
    reached within ``timeout`` seconds.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        etcd: Sequence[str] | str | None = None,
        memory: bool = False,
        prefix: str | None = None,
        timeout: float = 5.0,
        token: str | None = None,
        ca_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if isinstance(etcd, str):
            etcd = [etcd]
        self.timeout = timeout
        self._native = _native.NativeClient(
            None if etcd is None else list(etcd),
            memory,
            prefix,
            timeout,
            url,
            token,
            None if ca_file is None else os.fspath(ca_file),
        )

    # ---- units ----

    def submit(self, unit: UnitFile | str | os.PathLike[str], name: NameLike | None = None) -> str:
        """Stores a unit (not started). ``unit`` is a UnitFile (give ``name``)
        or a path to a unit file (named after the file). Same contents again
        is a no-op; other contents under the same name raise :class:`flotta.Conflict`.
        Returns the unit's name.
        """
        if isinstance(unit, UnitFile):
            if name is None:
                raise TypeError("submit(UnitFile, name): give the unit's name")
            return self._native.submit(str(name), unit.text)
        if isinstance(unit, (str, os.PathLike)):
            path = os.fspath(unit)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            return self._native.submit(str(name) if name is not None else os.path.basename(path), text)
        raise TypeError(f"submit() takes a UnitFile or a path, not {type(unit).__name__}")

    def submit_instance(self, template: UnitFile, name: NameLike) -> str:
        """Submits instance ``name`` with its template's contents (fleetctl's way)."""
        return self.submit(template, name)

    def start(self, *units: NameLike, wait: bool = False, timeout: float | None = None) -> None:
        """Sets units to ``launched``; an instance whose template is in the
        cluster is created from it first, as ``flotta start`` does. With
        ``wait``, returns once every one is active."""
        names = _names(units)
        self._native.set_target(names, "launched")
        if wait:
            self.wait_active(names, timeout=timeout)

    def load(self, *units: NameLike) -> None:
        """Sets units to ``loaded`` (placed, not running)."""
        self._native.set_target(_names(units), "loaded")

    def stop(self, *units: NameLike, wait: bool = False, timeout: float | None = None) -> None:
        """Sets units to ``loaded`` (stops them where they run)."""
        names = _names(units)
        self._native.set_target(names, "loaded")
        if wait:
            self._wait(names, lambda s: s is None or s.active_state not in ("active", "activating", "deactivating"), timeout, "stopped")

    def unload(self, *units: NameLike) -> None:
        """Sets units to ``inactive`` (unplaced)."""
        self._native.set_target(_names(units), "inactive")

    def destroy(self, *units: NameLike) -> None:
        """Removes units from the cluster. Every unit must exist, else
        :class:`flotta.UnitNotFound` and nothing is removed."""
        self._native.destroy(_names(units))

    def units(self) -> list[Unit]:
        """Every unit in the cluster."""
        return [Unit._from(d) for d in json.loads(self._native.units())]

    def unit(self, name: NameLike) -> Unit | None:
        """One unit, or None."""
        raw = self._native.unit(str(name))
        return None if raw is None else Unit._from(json.loads(raw))

    def machines(self) -> list[Machine]:
        """Machines whose agents are alive."""
        return [Machine._from(d) for d in json.loads(self._native.machines())]

    def unit_states(self) -> list[UnitState]:
        """What every agent reports about its units."""
        return [UnitState._from(d) for d in json.loads(self._native.unit_states())]

    def placements(self) -> dict[str, str]:
        """unit -> machine for every assigned unit."""
        return self._native.placements()

    def endpoints(self, service: str) -> list[Endpoint]:
        """The registered endpoints of a service."""
        return [Endpoint._from(d) for d in json.loads(self._native.endpoints(service))]

    def wait_active(self, units: Iterable[NameLike], *, timeout: float | None = None) -> dict[str, UnitState]:
        """Waits until every unit is ``active`` somewhere; returns their states.

        Raises :class:`flotta.ClientError` as soon as one has failed, and
        :class:`flotta.Timeout` (naming the units still pending) after ``timeout``.
        """
        names = _names(units)
        return self._wait(names, lambda s: s is not None and s.active_state == "active", timeout, "active")

    def _wait(self, names: list[str], done: Any, timeout: float | None, what: str) -> dict[str, UnitState]:
        limit = 60.0 if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            states = {s.unit: s for s in self.unit_states() if s.unit in names}
            if what == "active":
                for s in states.values():
                    if s.active_state == "failed":
                        raise ClientError(f"{s.unit} failed on {s.machine[:8]}: {s.reason or 'see flotta status'}", unit=s.unit)
            pending = [n for n in names if not done(states.get(n))]
            if not pending:
                return states
            if time.monotonic() >= deadline:
                raise Timeout(f"still not {what} after {limit:.0f} s: {', '.join(pending)}")
            time.sleep(0.1)

    # ---- raw keys ----

    def kv_set(self, key: str, value: str, *, ttl: float | None = None) -> int:
        """Sets a raw key (etcdctl-style; must start with ``/``); returns the revision."""
        return self._native.kv_set(key, value, ttl)

    def kv_get(self, key: str) -> str | None:
        """A raw key's value, or None."""
        return self._native.kv_get(key)

    def kv_list(self, prefix: str) -> dict[str, str]:
        """Raw keys under ``prefix``."""
        return dict(self._native.kv_list(prefix))

    def kv_delete(self, key: str) -> bool:
        """Deletes a raw key; whether it existed."""
        return self._native.kv_delete(key)

    # ---- machines (for simulations and tests) ----

    def register_machine(
        self,
        id: str,
        *,
        public_ip: str = "127.0.0.1",
        metadata: dict[str, list[str]] | None = None,
        ttl: float = 30.0,
    ) -> int:
        """Registers a machine under a lease, as an agent does; returns the lease."""
        body = {"id": id, "publicIp": public_ip, "metadata": metadata or {}}
        return self._native.register_machine(json.dumps(body), ttl)

    def revoke(self, lease: int) -> None:
        """Ends a lease: its machine, endpoints and keys disappear."""
        self._native.revoke(lease)

    # ---- watching ----

    def revision(self) -> int:
        """The registry's current revision."""
        return self._native.revision()

    def watch(
        self,
        kind: WatchKind,
        *,
        prefix: str | None = None,
        from_revision: int = 0,
        timeout: float | None = None,
    ) -> Watch:
        """Watches one kind of record (or raw ``keys`` under ``prefix``) from
        ``from_revision`` (0: changes after this call)."""
        return Watch(self._native.watch(kind, prefix, from_revision), timeout)

    def __repr__(self) -> str:
        return f"<flotta.Client timeout={self.timeout}>"


