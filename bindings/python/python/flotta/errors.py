"""Exceptions raised by flotta.

Every exception flotta raises derives from :class:`FlottaError`. Each also
derives from the matching built-in (``ValueError``, ``KeyError``,
``TimeoutError``, ``ConnectionError``) so generic handlers keep working.
"""

from __future__ import annotations

__all__ = [
    "FlottaError",
    "UnitError",
    "UnitNameError",
    "SpecifierError",
    "EscapeError",
    "SchedulerError",
    "PluginError",
    "ClientError",
    "InvalidRequest",
    "UnitNotFound",
    "Conflict",
    "ClusterUnavailable",
    "Timeout",
    "InternalError",
]


class FlottaError(Exception):
    """Base class of every flotta exception."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnitError(FlottaError, ValueError):
    """A unit file that does not parse or whose options are invalid.

    ``line`` and ``column`` are 1-based and point at the problem when it is
    known; ``file`` is the file name given to the parser, ``key`` the option.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        file: str | None = None,
        key: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.file = file
        self.key = key
        self.name = name


class UnitNameError(FlottaError, ValueError):
    """A string that is not a valid unit name (``name`` holds it)."""

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.name = name


class SpecifierError(FlottaError, ValueError):
    """A ``%`` specifier that cannot be expanded; ``column`` is 0-based in ``text``."""

    def __init__(self, message: str, *, column: int = 0, text: str = "") -> None:
        super().__init__(message)
        self.column = column
        self.text = text


class EscapeError(FlottaError, ValueError):
    """Input that ``systemd-escape`` would refuse (``input`` holds it)."""

    def __init__(self, message: str, *, input: str = "") -> None:
        super().__init__(message)
        self.input = input


class SchedulerError(FlottaError, ValueError):
    """An invalid cluster model or plugin definition."""


class PluginError(SchedulerError):
    """A WebAssembly plugin that cannot be loaded."""


class ClientError(FlottaError):
    """A cluster request that failed; subclasses say why."""

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        super().__init__(message)
        self.unit = unit


class InvalidRequest(ClientError, ValueError):
    """A request the cluster refuses as malformed; nothing was changed."""


class UnitNotFound(ClientError, KeyError):
    """A unit that is not in the cluster (``unit`` names it); nothing was changed."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class Conflict(ClientError):
    """A concurrent or contradicting change (e.g. other contents under the same name)."""


class ClusterUnavailable(ClientError, ConnectionError):
    """The registry (etcd or the API) could not be reached."""


class Timeout(ClientError, TimeoutError):
    """A request or a wait that did not finish in time."""


class InternalError(FlottaError):
    """A bug in flotta (a Rust panic, caught at the boundary). Please report it."""
