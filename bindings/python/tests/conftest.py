"""Shared fixtures: the repository's seed files and the flotta binary."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SEED = REPO / "examples" / "seed"
EXAMPLES = REPO / "examples" / "python"
sys.path.insert(0, str(EXAMPLES))  # devcluster.py and the examples under test


@pytest.fixture(scope="session")
def seed() -> Path:
    return SEED


@pytest.fixture(scope="session")
def flotta_bin() -> Path:
    """The reference binary, built by `cargo build --release -p flotta`."""
    from devcluster import default_flotta_bin

    path = default_flotta_bin()
    if not path.exists():
        pytest.fail(f"{path} is missing: build it with `cargo build --release -p flotta` (or set FLOTTA_BIN)")
    return path


@pytest.fixture(scope="session")
def etcd_bin() -> str:
    path = shutil.which("etcd")
    if path is None:
        pytest.fail("etcd is not installed (scripts/test installs Debian's etcd-server)")
    return path
