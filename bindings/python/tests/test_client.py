"""flotta.Client on the in-memory registry: requests, errors, watches."""

from __future__ import annotations

import asyncio

import pytest

import flotta
from flotta import Client
from flotta.unit import UnitFile

TEMPLATE = UnitFile.parse("[Service]\nExecStart=/bin/sleep 100\n\n[X-Fleet]\nConflicts=*@%i.service\n")


@pytest.fixture
def client() -> Client:
    return Client(memory=True, timeout=5)


def test_submit_start_stop_destroy(client: Client) -> None:
    assert client.submit(TEMPLATE, "app@.service") == "app@.service"
    client.submit(TEMPLATE, "app.1@8080.service")
    client.submit(TEMPLATE, "app.1@8080.service")  # same contents: a no-op
    assert [u.name for u in client.units()] == ["app.1@8080.service", "app@.service"]
    client.start("app.1@8080.service")
    u = client.unit("app.1@8080.service")
    assert u is not None and u.target_state == "launched"
    assert u.file.hash == TEMPLATE.hash
    client.stop("app.1@8080.service")
    assert client.unit("app.1@8080.service").target_state == "loaded"  # type: ignore[union-attr]
    client.destroy("app.1@8080.service")
    assert client.unit("app.1@8080.service") is None


def test_rejected_requests_change_nothing(client: Client) -> None:
    client.submit(TEMPLATE, "app.1@8080.service")
    before = client.units()
    with pytest.raises(flotta.UnitNotFound) as info:
        client.start("app.1@8080.service", "nope.service")
    assert info.value.unit == "nope.service"
    assert "nope.service" in str(info.value)
    with pytest.raises(flotta.UnitNameError):
        client.start("app.1@8080.service", "not a name")
    with pytest.raises(flotta.InvalidRequest, match="template"):
        client.start("app@.service")
    with pytest.raises(flotta.UnitNotFound):
        client.destroy("app.1@8080.service", "ghost.service")
    with pytest.raises(flotta.Conflict, match="different contents"):
        client.submit(UnitFile.parse("[Service]\nExecStart=/bin/false\n"), "app.1@8080.service")
    with pytest.raises(flotta.UnitError) as bad:
        client.submit(UnitFile.parse("[X-Fleet]\nMachineOf=a.service\nConflicts=a.service\n"), "b.service")
    assert bad.value.name == "b.service"
    with pytest.raises(TypeError):
        client.start(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.submit(TEMPLATE)
    assert client.units() == before


def test_constructor_errors() -> None:
    with pytest.raises(flotta.InvalidRequest):
        Client(memory=True, url="http://127.0.0.1:1")
    with pytest.raises(flotta.InvalidRequest):
        Client(memory=True, timeout=-1)


def test_no_arguments_go_where_the_cli_would(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 9 of 127.0.0.1 (discard) is closed here: the error names the URL
    # the client chose, so the choice is visible.
    for name in ("FLOTTA_ETCD", "FLOTTA_ENDPOINT", "FLEETCTL_ENDPOINT", "FLEETCTL_DRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FLOTTA_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(flotta.ClusterUnavailable, match="127.0.0.1:9"):
        Client(timeout=1)
    monkeypatch.delenv("FLOTTA_ENDPOINT")
    monkeypatch.setenv("FLEETCTL_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("FLEETCTL_DRIVER", "etcd")
    with pytest.raises((flotta.ClusterUnavailable, flotta.Timeout), match="127.0.0.1:9|no answer"):
        Client(timeout=1).units()


def test_start_creates_an_instance_from_the_template_in_the_cluster(client: Client) -> None:
    client.submit(TEMPLATE, "py@.service")
    client.start("py@1.service")
    u = client.unit("py@1.service")
    assert u is not None and u.target_state == "launched" and u.file.hash == TEMPLATE.hash
    before = client.units()
    with pytest.raises(flotta.UnitNotFound):
        client.start("nope@1.service")  # no template either
    assert client.units() == before


def test_unreachable_etcd_is_a_clear_error() -> None:
    # Nothing listens on port 9 of 127.0.0.1 (discard; closed here).
    with pytest.raises((flotta.ClusterUnavailable, flotta.Timeout)) as info:
        c = Client(etcd=["http://127.0.0.1:9"], timeout=1)
        c.units()
    assert "127.0.0.1:9" in str(info.value) or "no answer" in str(info.value)


def test_machines_and_keys(client: Client) -> None:
    lease = client.register_machine("4468cdab2f3a4c6e9f1b7a0d5e8c2b91", metadata={"zone": ["a"]})
    assert [m.id for m in client.machines()] == ["4468cdab2f3a4c6e9f1b7a0d5e8c2b91"]
    client.revoke(lease)
    assert client.machines() == []
    with pytest.raises(flotta.InvalidRequest, match="hexadecimal"):
        client.register_machine("short")
    client.kv_set("/applications/sample/one", "127.0.0.1:8080")
    assert client.kv_get("/applications/sample/one") == "127.0.0.1:8080"
    assert client.kv_list("/applications/") == {"/applications/sample/one": "127.0.0.1:8080"}
    assert client.kv_delete("/applications/sample/one")
    assert client.kv_get("/applications/sample/one") is None


def test_watch_iterator(client: Client) -> None:
    with client.watch("units", timeout=5) as w:
        client.submit(TEMPLATE, "a@1.service")
        client.start("a@1.service")
        first = next(w)
        assert first.kind == "put" and first.value["name"] == "a@1.service"
        second = next(w)
        assert second.value["targetState"] == "launched"
        assert second.revision > first.revision
        client.destroy("a@1.service")
        assert next(w).kind == "delete"
        assert w.next(timeout=0.2) is None


def test_watch_timeout_raises(client: Client) -> None:
    with client.watch("keys", prefix="/x/", timeout=0.3) as w:
        with pytest.raises(flotta.Timeout):
            next(w)


def test_watch_async(client: Client) -> None:
    async def main() -> list[str]:
        seen: list[str] = []
        async with client.watch("keys", prefix="/k/", timeout=5) as w:
            async def writer() -> None:
                for i in range(3):
                    client.kv_set(f"/k/{i}", str(i))
                    await asyncio.sleep(0)

            task = asyncio.create_task(writer())
            async for event in w:
                seen.append(event.value["key"])
                if len(seen) == 3:
                    break
            await task
        return seen

    assert asyncio.run(main()) == ["/k/0", "/k/1", "/k/2"]


def test_bad_watch_kind(client: Client) -> None:
    with pytest.raises(flotta.InvalidRequest, match="cannot watch"):
        client.watch("everything")  # type: ignore[arg-type]
