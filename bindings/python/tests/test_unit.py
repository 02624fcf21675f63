"""flotta.unit: parsing, round trips, names, escaping, specifiers, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import flotta
from flotta.unit import UnitFile, UnitName, UnitOption, escape, expand, mangle, unescape, verify

SEED_TEXT = """\
[Unit]
Description=sample-application

[Service]
ExecStart=/usr/bin/docker run --name %p -p %i:8080 sample-app
TimeoutSec=120min

[X-Fleet]
Conflicts=*@%i.service
MachineMetadata=zone=a
MachineMetadata=zone=b
"""


def test_installed_wheel_not_source_tree() -> None:
    # The suite must exercise the installed wheel.
    assert "bindings/python/python" not in flotta.__file__
    assert flotta.__version__


def test_lossless_text_round_trip(seed: Path) -> None:
    for path in sorted((seed / "units").rglob("*.service")):
        text = path.read_text()
        unit = UnitFile.read(path)
        assert str(unit) == text
        assert unit.text == text


def test_options_round_trip_keeps_hash() -> None:
    unit = UnitFile.parse(SEED_TEXT)
    options = unit.to_options()
    assert UnitOption("X-Fleet", "Conflicts", "*@%i.service") in options
    back = UnitFile.from_options(options)
    assert back.hash == unit.hash
    again = UnitFile.from_json(unit.to_json())
    assert again.hash == unit.hash
    assert again.to_options() == options


def test_json_is_fleets_option_list() -> None:
    import json

    unit = UnitFile.parse("[Service]\nExecStart=/bin/true\n")
    assert json.loads(unit.to_json()) == [{"section": "Service", "name": "ExecStart", "value": "/bin/true"}]
    assert len(unit.hash) == 40


def test_entries_and_values() -> None:
    unit = UnitFile.parse(SEED_TEXT)
    assert unit.sections == ["Unit", "Service", "X-Fleet"]
    assert unit.value("Unit", "Description") == "sample-application"
    assert unit.values("X-Fleet", "MachineMetadata") == ["zone=a", "zone=b"]
    first = next(unit.entries())
    assert (first.section, first.key, first.line, first.column) == ("Unit", "Description", 2, 1)


def test_typed_fleet_options_with_specifiers() -> None:
    unit = UnitFile.parse(SEED_TEXT)
    fleet = unit.fleet(UnitName("sample.application.1@8080.service"))
    assert fleet.conflicts == ["*@8080.service"]
    assert fleet.machine_metadata == {"zone": ["a", "b"]}
    assert fleet.global_ is False
    rebuilt = UnitFile.from_options(fleet.to_options()).fleet()
    assert rebuilt.conflicts == fleet.conflicts
    assert rebuilt.machine_metadata == fleet.machine_metadata


def test_typed_service_options() -> None:
    unit = UnitFile.parse(SEED_TEXT)
    svc = unit.service("sample.application.1@8080.service")
    assert svc.type == "simple"
    assert svc.exec_start[0].argv[:4] == ["/usr/bin/docker", "run", "--name", "sample.application.1"]
    assert svc.timeout_start_sec == 7200.0


def test_flotta_options(seed: Path) -> None:
    unit = UnitFile.read(seed / "units" / "local" / "sample.application@.service")
    opts = unit.flotta("sample.application@8080.service")
    assert opts.endpoint is not None
    assert opts.endpoint["service"] == "sample"
    assert opts.strategy == "least-loaded"


def test_parse_error_has_line_and_column() -> None:
    with pytest.raises(flotta.UnitError) as info:
        UnitFile.parse("[Unit]\nDescription=x\nthis line has no equals\n", file="bad.service")
    e = info.value
    assert (e.line, e.column) == (3, 1)
    assert e.file == "bad.service"
    assert "bad.service" in str(e) and "'='" in str(e)
    assert isinstance(e, ValueError)


def test_unclosed_section_error() -> None:
    with pytest.raises(flotta.UnitError) as info:
        UnitFile.parse("[Unit\n")
    assert info.value.line == 1
    assert "closing ']'" in str(info.value)


def test_invalid_fleet_section_raises_with_message() -> None:
    unit = UnitFile.parse("[X-Fleet]\nMachineOf=a.service\nConflicts=a.service\n")
    with pytest.raises(flotta.UnitError, match="peer"):
        unit.fleet()


def test_verify_reports_diagnostics() -> None:
    diags = verify("[Service]\nExecStart=/bin/true\n[X-Fleet]\nNoSuchKey=1\n")
    assert diags, "an unknown X-Fleet key is reported"
    assert diags[0].line == 4
    assert verify("[Unit\n")[0].severity == "error"


def test_wrong_types_raise_type_error() -> None:
    with pytest.raises(TypeError):
        UnitFile.parse(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        UnitName(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        UnitFile.from_options([("Service", "ExecStart", "/bin/true")])  # type: ignore[list-item]


def test_unit_names() -> None:
    n = UnitName("sample.application.1@8080.service")
    assert n.prefix == "sample.application.1"
    assert n.instance == "8080"
    assert n.unit_type == "service"
    assert n.is_instance and not n.is_template
    assert n.template == UnitName("sample.application.1@.service")
    t = UnitName("web@.service")
    assert t.is_template
    assert str(t.instantiate("3")) == "web@3.service"
    assert n == "sample.application.1@8080.service"
    assert len({n, UnitName(str(n))}) == 1


def test_invalid_names_raise_unit_name_error() -> None:
    for bad in ["", "noext", "a b.service", "x@.service@"]:
        with pytest.raises(flotta.UnitNameError) as info:
            UnitName(bad)
        assert info.value.name == bad
        assert str(info.value)
    with pytest.raises(flotta.UnitNameError):
        UnitName("plain.service").instantiate("1")


def test_escape_like_systemd() -> None:
    assert escape("/var/lib/app", path=True) == "var-lib-app"
    assert unescape("var-lib-app", path=True) == "/var/lib/app"
    assert escape("a b/c") == "a\\x20b-c"
    assert unescape(escape("héllo wörld")) == "héllo wörld"
    assert mangle("foo") == "foo.service"
    with pytest.raises(flotta.EscapeError):
        escape("../x", path=True)


def test_specifiers() -> None:
    name = "sample.application.1@8080.service"
    assert expand("%p on %i", name) == "sample.application.1 on 8080"
    assert expand("%H", name, hostname="box") == "box"
    assert expand("%H %i", name, fleet=True) == "%H 8080"
    with pytest.raises(flotta.SpecifierError) as info:
        expand("x %Z", name)
    assert info.value.column == 2


def test_rust_panic_becomes_exception() -> None:
    from flotta import _native

    with pytest.raises(flotta.InternalError, match="panic"):
        _native._panic_for_tests()
