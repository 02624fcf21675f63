//! fleet's API v1 over real sockets: shapes, status codes, error bodies,
//! pagination tokens, and bad input leaving the registry unchanged.

use std::net::SocketAddr;
use std::time::Duration;

use flotta_registry::model::{Machine, UnitState};
use flotta_registry::{MemoryBackend, Registry};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start() -> (SocketAddr, Registry<MemoryBackend>) {
    let registry = Registry::new(MemoryBackend::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(flotta_api::serve(listener, registry.clone()));
    (addr, registry)
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {:?}", self.head, self.body))
    }

    fn error(&self) -> (u64, String) {
        let v = self.json();
        (
            v["error"]["code"].as_u64().unwrap_or(0),
            v["error"]["message"].as_str().unwrap_or("").to_owned(),
        )
    }
}

async fn call(addr: SocketAddr, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Answer {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some((ctype, b)) = body {
        req.push_str(&format!(
            "Content-Type: {ctype}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    if let Some((_, b)) = body {
        // A server may answer (413) before reading everything.
        let _ = s.write_all(b).await;
    }
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("answer in time")
        .expect("read");
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

async fn put(addr: SocketAddr, name: &str, body: &Value) -> Answer {
    let bytes = serde_json::to_vec(body).expect("json");
    call(
        addr,
        "PUT",
        &format!("/fleet/v1/units/{name}"),
        Some(("application/json", &bytes)),
    )
    .await
}

fn hello() -> Value {
    json!([
        {"section": "Service", "name": "ExecStart", "value": "/bin/sleep 600"},
        {"section": "X-Fleet", "name": "Conflicts", "value": "hello*"}
    ])
}

#[tokio::test]
async fn units_round_trip_in_fleets_shapes() {
    let (addr, _registry) = start().await;
    let empty = call(addr, "GET", "/fleet/v1/units", None).await;
    assert_eq!((empty.status, empty.body.as_str()), (200, "{}"));
    assert!(
        empty.head.to_lowercase().contains("server: flotta/"),
        "{}",
        empty.head
    );

    let created = put(addr, "hello.service", &json!({"options": hello()})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let got = call(addr, "GET", "/fleet/v1/units/hello.service", None).await;
    assert_eq!(got.status, 200);
    let unit = got.json();
    assert_eq!(unit["name"], "hello.service");
    assert_eq!(unit["desiredState"], "inactive");
    assert_eq!(unit["options"][0]["value"], "/bin/sleep 600");

    let started = put(addr, "hello.service", &json!({"desiredState": "launched"})).await;
    assert_eq!(started.status, 204, "{}", started.body);
    assert_eq!(call(addr, "GET", "/nowhere", None).await.status, 404);
    let list = call(addr, "GET", "/v1-alpha/units", None).await;
    assert_eq!(list.json()["units"][0]["desiredState"], "launched");

    // Same options again: an update, not a replacement.
    let same = put(
        addr,
        "hello.service",
        &json!({"options": hello(), "desiredState": "loaded"}),
    )
    .await;
    assert_eq!(same.status, 204, "{}", same.body);
    let deleted = call(addr, "DELETE", "/fleet/v1/units/hello.service", None).await;
    assert_eq!(deleted.status, 204);
    let gone = call(addr, "GET", "/fleet/v1/units/hello.service", None).await;
    assert_eq!(gone.error(), (404, "unit does not exist".into()));

    let discovery = call(addr, "GET", "/fleet/v1/discovery", None).await;
    assert_eq!(discovery.json()["id"], "fleet:v1");
    let post = call(addr, "POST", "/fleet/v1/discovery", None).await;
    assert_eq!(post.status, 400);
    let wrong = call(addr, "POST", "/fleet/v1/units", None).await;
    assert_eq!(
        wrong.error(),
        (405, "only GET supported against this resource".into())
    );
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let (addr, registry) = start().await;
    assert_eq!(
        put(addr, "keep.service", &json!({"options": hello()}))
            .await
            .status,
        201
    );
    let before = registry.units(None, 100).await.expect("units").items;

    let cases: Vec<(Answer, u16, &str)> = vec![
        (
            call(addr, "PUT", "/fleet/v1/units/a.service", Some(("text/plain", b"{}"))).await,
            415,
            "only acceptable Content-Type is application/json",
        ),
        (
            call(addr, "PUT", "/fleet/v1/units/a.service", Some(("application/json", b"{\"options\": [1"))).await,
            400,
            "unable to decode body",
        ),
        (
            put(addr, "a.service", &json!({"name": "b.service", "options": hello()})).await,
            400,
            "differs from unit name",
        ),
        (
            put(addr, "a.service", &json!({"desiredState": "launched"})).await,
            409,
            "unit does not exist and options field empty",
        ),
        (
            put(addr, "a.service", &json!({"options": [{"section": "X-Fleet", "name": "Replaces", "value": "y"}, {"section": "X-Fleet", "name": "Conflicts", "value": "x"}]})).await,
            400,
            "Conflicts cannot be used with Replaces",
        ),
        (
            put(addr, "keep.service", &json!({"options": hello(), "desiredState": "running"})).await,
            400,
            "desiredState",
        ),
        (
            put(addr, "tmpl@.service", &json!({"options": hello(), "desiredState": "launched"})).await,
            400,
            "cannot activate template",
        ),
        (
            call(addr, "PUT", "/fleet/v1/units/a.service", Some(("application/json", &vec![b' '; flotta_api::MAX_BODY + 10]))).await,
            413,
            "larger than",
        ),
        (
            call(addr, "GET", "/fleet/v1/units?nextPageToken=AQACAA%3D%3D", None).await,
            400,
            "token limit must be 100",
        ),
        (
            call(addr, "DELETE", "/fleet/v1/units/nope.service", None).await,
            404,
            "unit does not exist",
        ),
    ];
    for (answer, status, message) in cases {
        let (code, text) = answer.error();
        assert_eq!(
            (answer.status, code),
            (status, u64::from(status)),
            "{}",
            answer.body
        );
        assert!(text.contains(message), "{text:?} should say {message:?}");
    }
    let after = registry.units(None, 100).await.expect("units").items;
    assert_eq!(before, after, "the registry is unchanged");
}

#[tokio::test]
async fn pages_states_and_machines() {
    let (addr, registry) = start().await;
    for n in 0..150 {
        let r = put(
            addr,
            &format!("u{n:03}.service"),
            &json!({"options": hello()}),
        )
        .await;
        assert_eq!(r.status, 201);
    }
    let first = call(addr, "GET", "/fleet/v1/units", None).await.json();
    assert_eq!(first["units"].as_array().map(Vec::len), Some(100));
    assert_eq!(first["nextPageToken"], "ZAACAA==");
    let second = call(
        addr,
        "GET",
        "/fleet/v1/units?nextPageToken=ZAACAA%3D%3D",
        None,
    )
    .await
    .json();
    assert_eq!(second["units"].as_array().map(Vec::len), Some(50));
    assert!(second.get("nextPageToken").is_none());

    let id = "4468cdab2f3a4c6e9f1b7a0d5e8c2b91";
    let machine = Machine {
        id: id.into(),
        public_ip: "127.0.0.1".into(),
        metadata: [("zone".to_owned(), vec!["a".to_owned()])].into(),
        ..Machine::default()
    };
    let lease = registry
        .register_machine(&machine, Duration::from_secs(60))
        .await
        .expect("machine");
    registry
        .put_unit_state(
            &UnitState {
                unit: "u001.service".into(),
                machine: id.into(),
                load_state: "loaded".into(),
                active_state: "active".into(),
                sub_state: "running".into(),
                hash: "abc".into(),
                since_ms: 0,
                main_pid: None,
                reason: None,
            },
            lease,
        )
        .await
        .expect("state");
    let machines = call(addr, "GET", "/fleet/v1/machines", None).await.json();
    assert_eq!(
        machines,
        json!({"machines": [{"id": id, "primaryIP": "127.0.0.1", "metadata": {"zone": "a"}}]})
    );
    let states = call(
        addr,
        "GET",
        &format!("/fleet/v1/state?machineID={id}"),
        None,
    )
    .await
    .json();
    assert_eq!(states["states"][0]["systemdSubState"], "running");
    let none = call(addr, "GET", "/fleet/v1/state?unitName=u002.service", None).await;
    assert_eq!(none.body, "{}");
    let one = call(addr, "GET", "/fleet/v1/state/u001.service", None).await;
    assert_eq!(one.json()["machineID"], id);
}

/// `PATCH /fleet/v1/machines`: fleet's dynamic metadata. Set values win
/// over the agent's, `remove` hides the agent's key, every operation is
/// checked before any is applied, and the registry's machine list (what the
/// engine places by) shows the result.
#[tokio::test]
async fn machine_metadata_is_patched_as_fleet_does() {
    let (addr, registry) = start().await;
    let id = "4468cdab2f3a4c6e9f1b7a0d5e8c2b91";
    let machine = Machine {
        id: id.into(),
        public_ip: "127.0.0.1".into(),
        metadata: [
            ("zone".to_owned(), vec!["a".to_owned()]),
            ("role".to_owned(), vec!["web".to_owned()]),
        ]
        .into(),
        ..Machine::default()
    };
    registry
        .register_machine(&machine, Duration::from_secs(60))
        .await
        .expect("machine");
    let patch = |ops: Value| async move {
        let bytes = serde_json::to_vec(&ops).expect("json");
        call(
            addr,
            "PATCH",
            "/fleet/v1/machines",
            Some(("application/json", &bytes)),
        )
        .await
    };
    let metadata = || async move {
        call(addr, "GET", "/fleet/v1/machines", None).await.json()["machines"][0]["metadata"]
            .clone()
    };
    let path = |key: &str| format!("/{id}/metadata/{key}");

    for (ops, message) in [
        (
            json!([{"op": "add", "path": path("disk"), "value": {"value": "ssd"}},
                   {"op": "move", "path": path("zone"), "value": {"value": "b"}}]),
            "invalid op: expect add, remove, or replace",
        ),
        (
            json!([{"op": "add", "path": format!("/{id}/meta/disk"), "value": {"value": "ssd"}}]),
            "machine metadata path invalid",
        ),
        (
            json!([{"op": "replace", "path": path("zone")}]),
            "invalid value: add and replace require a value",
        ),
        (json!({"op": "add"}), "unable to decode body"),
    ] {
        let r = patch(ops).await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.error().1.starts_with(message), "{}", r.body);
    }
    assert_eq!(metadata().await, json!({"role": "web", "zone": "a"}));
    assert!(
        registry
            .machine_metadata()
            .await
            .expect("list")
            .items
            .is_empty()
    );
    let text = call(
        addr,
        "PATCH",
        "/fleet/v1/machines",
        Some(("text/plain", b"[]")),
    )
    .await;
    assert_eq!(text.status, 415);
    let delete = call(addr, "DELETE", "/fleet/v1/machines", None).await;
    assert_eq!(
        (delete.status, delete.error().1.as_str()),
        (405, "only GET and PATCH supported against this resource")
    );

    let r = patch(json!([
        {"op": "add", "path": path("disk"), "value": {"value": "ssd"}},
        // fleet's docs show the value bare; its server nests it. Both work.
        {"op": "replace", "path": path("zone"), "value": "b"},
        {"op": "remove", "path": path("role")},
        // Machines need not be present: the value waits for the machine.
        {"op": "add", "path": "/0123456789abcdef0123456789abcdef/metadata/disk", "value": {"value": "hdd"}},
    ]))
    .await;
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    assert_eq!(metadata().await, json!({"disk": "ssd", "zone": "b"}));
    let seen = registry.machines().await.expect("machines").items;
    assert_eq!(seen[0].metadata.get("disk"), Some(&vec!["ssd".to_owned()]));
    assert_eq!(seen[0].metadata.get("role"), None);
}

/// The `fleet` package from PyPI (fleet's Python client, bound through the
/// discovery document) drives the API: `scripts/test` installs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_fleet_client_works() {
    let (addr, registry) = start().await;
    let machine = Machine {
        id: "4468cdab2f3a4c6e9f1b7a0d5e8c2b91".into(),
        public_ip: "127.0.0.1".into(),
        ..Machine::default()
    };
    registry
        .register_machine(&machine, Duration::from_secs(60))
        .await
        .expect("machine");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/fleet_client.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .await
        .expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the fleet client failed (`pip install fleet==0.1.3` is part of scripts/test):\n{text}"
    );
    println!("{}", text.trim());
}
