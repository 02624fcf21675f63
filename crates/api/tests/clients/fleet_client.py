"""fleet's Python client (PyPI `fleet`) against flotta's API v1.

Usage: fleet_client.py http://127.0.0.1:PORT
Creates, lists, starts, reads and destroys a unit; exits non-zero on the
first difference from what fleet would answer.
"""
import sys

import fleet.v1 as fleet


def main(endpoint):
    client = fleet.Client(endpoint)
    unit = fleet.Unit(desired_state="loaded", from_string="[Service]\nExecStart=/bin/sleep 600\n")
    created = client.create_unit("hello.service", unit)
    assert created.name == "hello.service", created
    assert created.desiredState == "loaded", created

    names = [u.name for u in client.list_units()]
    assert names == ["hello.service"], names

    started = client.set_unit_desired_state("hello.service", "launched")
    assert started.desiredState == "launched", started
    got = client.get_unit("hello.service")
    assert got.options[0]["value"] == "/bin/sleep 600", got

    machines = [m.id for m in client.list_machines()]
    assert machines == ["4468cdab2f3a4c6e9f1b7a0d5e8c2b91"], machines
    states = list(client.list_unit_states())
    assert states == [], states

    client.destroy_unit("hello.service")
    try:
        client.get_unit("hello.service")
    except fleet.APIError as e:
        assert e.code == 404, e
        assert e.message == "unit does not exist", e.message
    else:
        raise AssertionError("a destroyed unit is gone")
    assert list(client.list_units()) == []
    print("fleet client: create, list, start, get, machines, states, destroy: ok")


if __name__ == "__main__":
    main(sys.argv[1])
