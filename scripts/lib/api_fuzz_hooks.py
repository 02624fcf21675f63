"""schemathesis hooks for scripts/lib/api_fuzz.py: a rejected request must
leave the registry as it was.

The store's revision is read before every request and again after every
4xx answer; the agent under test runs no engine and generated leases outlive
the run, so only requests move it.
"""

import json
import os
import urllib.request

import schemathesis

_BASE = os.environ["FLOTTA_FUZZ_URL"]
_TOKEN = os.environ["FLOTTA_FUZZ_TOKEN"]
_before: dict[str, int] = {}


def revision() -> int:
    req = urllib.request.Request(
        f"{_BASE}/v1/revision", headers={"Authorization": f"Bearer {_TOKEN}"}
    )
    with urllib.request.urlopen(req, timeout=5) as r:
        return int(json.load(r)["revision"])


@schemathesis.hook.apply_to(method="POST", path="/v1/leases")
def map_body(ctx, body):  # noqa: ARG001
    """Leases outlive the run: an expiry deletes keys on its own, which
    would look like a rejected request's change."""
    if isinstance(body, dict) and isinstance(body.get("ttl_ms"), int) and body["ttl_ms"] > 0:
        body["ttl_ms"] = max(body["ttl_ms"], 3_600_000)
    return body


@schemathesis.hook
def before_call(ctx, case, kwargs):  # noqa: ARG001 (schemathesis's signature)
    _before["revision"] = revision()


@schemathesis.check
def rejected_requests_change_nothing(ctx, response, case):  # noqa: ARG001
    """A 4xx answer: the store's revision is the one before the request."""
    if not 400 <= response.status_code < 500 or "revision" not in _before:
        return
    after = revision()
    if after != _before["revision"]:
        raise AssertionError(
            f"{case.method} {case.formatted_path} answered {response.status_code} "
            f"but the store moved from revision {_before['revision']} to {after}"
        )
