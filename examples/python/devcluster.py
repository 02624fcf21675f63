"""A real dev cluster for the examples and the tests: etcd plus flotta agents.

etcd runs on free loopback ports with its own data directory (as
flotta_registry::testkit::EtcdServer does); each agent gets its own state
directory, machine ID and loopback address 127.0.0.N.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def default_flotta_bin() -> Path:
    """``$FLOTTA_BIN``, else ``$CARGO_TARGET_DIR/release/flotta``, else the repository's target/."""
    if os.environ.get("FLOTTA_BIN"):
        return Path(os.environ["FLOTTA_BIN"])
    repo = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("CARGO_TARGET_DIR", repo / "target")) / "release" / "flotta"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 30.0) -> T:
    """Polls ``check`` until it returns something truthy, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - retried until the deadline
            last = e
        time.sleep(0.1)
    raise TimeoutError(f"{what}: not within {timeout} s" + (f" (last error: {last})" if last else ""))


class DevCluster:
    """etcd and ``machines`` agents; stop() ends every process it started."""

    def __init__(self, flotta_bin: Path, machines: int = 3, etcd: str = "etcd") -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="flotta-py-"))
        self.flotta_bin = flotta_bin
        self.procs: list[subprocess.Popen[bytes]] = []
        client, peer = free_port(), free_port()
        self.etcd_url = f"http://127.0.0.1:{client}"
        self.procs.append(subprocess.Popen(
            [etcd, "--name", "py", "--data-dir", str(self.dir / "etcd"),
             "--listen-client-urls", self.etcd_url, "--advertise-client-urls", self.etcd_url,
             "--listen-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-cluster", f"py=http://127.0.0.1:{peer}",
             "--initial-cluster-state", "new"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for("etcd to answer", self._etcd_up, 30)
        env = dict(os.environ)
        env["PATH"] = f"{flotta_bin.parent}{os.pathsep}{env.get('PATH', '')}"
        self.machine_ids = []
        for n in range(1, machines + 1):
            state = self.dir / f"machine{n}"
            state.mkdir()
            mid = secrets.token_hex(16)
            self.machine_ids.append(mid)
            (state / "machine-id").write_text(mid + "\n")
            log = open(state / "agent.log", "wb")
            self.procs.append(subprocess.Popen(
                [str(flotta_bin), "agent", "--etcd", self.etcd_url, "--state-dir", str(state),
                 "--public-ip", f"127.0.0.{n}", "--machine-id-file", str(state / "machine-id"),
                 "--metadata", f"zone={'abc'[(n - 1) % 3]}", "--lease-ttl-secs", "5",
                 "--reschedule-grace-secs", "2"],
                stdout=log, stderr=log, env=env))

    def _etcd_up(self) -> bool:
        host, port = self.etcd_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True

    def stop(self) -> None:
        """Destroys every unit (agents stop them), then ends agents and etcd."""
        import signal

        from flotta import Client

        pids: set[int] = set()
        try:
            client = Client(etcd=[self.etcd_url], timeout=5)
            pids = {s.main_pid for s in client.unit_states() if s.main_pid}
            names = [u.name for u in client.units()]
            if names:
                client.destroy(*names)
            wait_for("units to stop", lambda: not client.unit_states(), 20)
            pids = set()  # stopped by their agents
        except Exception:  # noqa: BLE001 - teardown goes on; leftovers are killed below
            pass
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)
        # Units outlive their agent by design: end any this cluster left, by PID.
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


class EmbeddedCluster:
    """``flotta agent --dev``: ``machines`` machines in one process, the API at
    ``url``; stop() ends it, and a dev cluster stops its units itself."""

    def __init__(self, flotta_bin: Path, machines: int = 3) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="flotta-py-dev-"))
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = open(self.dir / "agent.log", "wb")
        self.proc = subprocess.Popen(
            [str(flotta_bin), "agent", "--dev", "--machines", str(machines), "--registry", "memory",
             "--state-dir", str(self.dir / "cluster"), "--api-listen", self.url.removeprefix("http://"),
             "--lease-ttl-secs", "3", "--reschedule-grace-secs", "2"],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        wait_for("the dev cluster's API", self._up, 30)

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"flotta agent --dev exited; see {self.dir / 'agent.log'}")
        host, port = self.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True

    def stop(self) -> None:
        """SIGTERM: the dev cluster stops every unit it started, then exits."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()
