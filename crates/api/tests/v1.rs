//! flotta's `/v1` API and the Remote backend, over real loopback sockets:
//! the registry's conformance suite on `Registry<Remote>`, the SSE watch,
//! tokens, body limits, TLS and unix sockets.

#[path = "../../registry/tests/conformance/mod.rs"]
mod conformance;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use flotta_api::remote::{Remote, RemoteOptions};
use flotta_api::{ApiListener, ApiOptions, Listen, TlsFiles, router, router_with, serve_listener};
use flotta_registry::kv::{Condition, KvBackend};
use flotta_registry::testkit::TestCerts;
use flotta_registry::{ManualClock, MemoryBackend, MemoryOptions, Registry, RegistryError};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// Aborts the server task when the test ends.
struct Server {
    listen: Listen,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(listen: Listen, app: axum::Router, tls: Option<TlsFiles>) -> Server {
    let listener = ApiListener::bind(&listen).await.expect("bind");
    let listen = listener.local_addr().expect("local addr");
    let task = tokio::spawn(async move {
        if let Err(e) = serve_listener(listener, app, tls.as_ref()).await {
            eprintln!("server: {e}");
        }
    });
    Server { listen, task }
}

fn loopback() -> Listen {
    "127.0.0.1:0".parse().expect("listen")
}

fn url(server: &Server) -> String {
    format!("http://{}", server.listen)
}

/// The conformance harness: a memory backend on a manual clock behind a
/// real server; the suite talks to it only through [`Remote`].
struct Served {
    clock: Arc<ManualClock>,
    memory: Mutex<Option<MemoryBackend>>,
    servers: Mutex<Vec<Server>>,
}

impl Served {
    fn new() -> Self {
        Served {
            clock: Arc::new(ManualClock::default()),
            memory: Mutex::new(None),
            servers: Mutex::new(Vec::new()),
        }
    }

    fn memory(&self) -> MemoryBackend {
        self.memory
            .lock()
            .expect("lock")
            .clone()
            .expect("a backend was made")
    }
}

#[async_trait]
impl conformance::Harness for Served {
    type Backend = Remote;

    async fn backend(&self) -> Remote {
        let memory = MemoryBackend::new(self.clock.clone(), MemoryOptions::default());
        // The suite writes every kind of key, as agents and the engine do.
        let options = ApiOptions {
            raw_cluster_writes: true,
            ..ApiOptions::default()
        };
        let app = router_with(Registry::new(memory.clone()), options);
        let server = start(loopback(), app, None).await;
        let remote = Remote::new(RemoteOptions::new(url(&server))).expect("remote");
        *self.memory.lock().expect("lock") = Some(memory);
        self.servers.lock().expect("lock").push(server);
        remote
    }

    // Time passes on the server's clock, as it would for a real server.
    async fn lapse(&self, _: &Remote, ttl: Duration) {
        self.clock.advance(ttl + Duration::from_millis(1));
        self.memory().tick();
    }

    async fn disconnect(&self, _: &Remote) {
        self.memory().disconnect_watchers();
    }

    async fn compact(&self, _: &Remote, revision: u64) {
        self.memory().compact(revision);
    }
}

conformance!(Served::new());

/// One HTTP/1.1 exchange on a fresh connection: status and body.
async fn raw(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &[u8],
) -> (u16, String) {
    let Listen::Tcp(addr) = &server.listen else {
        panic!("tcp server expected")
    };
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    // A server may answer before reading an oversized body.
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("answer in time")
        .ok();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Reads an SSE response until `until` holds on what arrived (bounded).
async fn sse_until(
    server: &Server,
    path: &str,
    headers: &[&str],
    until: impl Fn(&str) -> bool,
) -> String {
    let Listen::Tcp(addr) = &server.listen else {
        panic!("tcp server expected")
    };
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: x\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !until(&seen) {
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("timed out; got {seen:?}"))
            .expect("read");
        assert!(n > 0, "stream closed early: {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_is_sse_and_resumes_from_a_revision() {
    let memory = MemoryBackend::default();
    let server = start(loopback(), router(Registry::new(memory.clone())), None).await;
    let remote = Remote::new(RemoteOptions::new(url(&server))).expect("remote");
    let mut revs = Vec::new();
    for k in ["/k/a", "/k/b", "/k/c"] {
        revs.push(
            remote
                .put(k, "v", None, Condition::Always)
                .await
                .expect("put"),
        );
    }
    let from = format!("/v1/watch?prefix=%2Fk%2F&from={}", revs[1]);
    let text = sse_until(&server, &from, &[], |t| t.contains("/k/c")).await;
    assert!(text.contains("content-type: text/event-stream"), "{text}");
    assert!(text.contains(&format!("id: {}\n", revs[1])), "{text}");
    assert!(!text.contains("/k/a"), "{text}");
    // A reconnecting EventSource sends the last id it saw.
    let last = format!("Last-Event-ID: {}", revs[1]);
    let text = sse_until(&server, "/v1/watch?prefix=%2Fk%2F&from=1", &[&last], |t| {
        t.contains("/k/c")
    })
    .await;
    assert!(!text.contains("/k/b"), "{text}");

    // Through Remote: history from a revision, then live changes.
    let mut events = remote.watch("/k/", revs[2]).await.expect("watch");
    remote
        .delete("/k/a", Condition::Always)
        .await
        .expect("delete");
    let mut got = Vec::new();
    while got.len() < 2 {
        let ev = tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .expect("event in time")
            .expect("open")
            .expect("event");
        got.push((ev.kind, ev.kv.key));
    }
    assert_eq!(got[0].1, "/k/c");
    assert_eq!(got[1].1, "/k/a");
    assert_eq!(got[1].0, flotta_registry::kv::EventKind::Delete);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_guards_every_route_and_a_refused_request_changes_nothing() {
    let memory = MemoryBackend::default();
    let options = ApiOptions {
        token: Some("s3cret".into()),
        ..ApiOptions::default()
    };
    let server = start(
        loopback(),
        router_with(Registry::new(memory.clone()), options),
        None,
    )
    .await;
    let put = br#"{"value":"x"}"#;
    let before = memory.revision().await.expect("revision");
    for headers in [
        &[][..],
        &["Authorization: Bearer wrong"][..],
        &["Authorization: s3cret"][..],
    ] {
        let (status, body) = raw(&server, "PUT", "/v1/kv/k", headers, put).await;
        assert_eq!(status, 401, "{headers:?}: {body}");
        assert!(
            body.contains(r#""code":401"#) && body.contains("unauthorized"),
            "{body}"
        );
        let (status, _) = raw(&server, "GET", "/fleet/v1/units", headers, b"").await;
        assert_eq!(status, 401, "fleet's routes too");
    }
    assert_eq!(memory.revision().await.expect("revision"), before);
    assert_eq!(memory.get("k").await.expect("get"), None);

    let wrong = Remote::new(RemoteOptions {
        token: Some("nope".into()),
        ..RemoteOptions::new(url(&server))
    })
    .expect("remote");
    let err = wrong
        .put("k", "v", None, Condition::Always)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
    let right = Remote::new(RemoteOptions {
        token: Some("s3cret".into()),
        ..RemoteOptions::new(url(&server))
    })
    .expect("remote");
    right
        .put("k", "v", None, Condition::Always)
        .await
        .expect("put");
    assert_eq!(
        memory.get("k").await.expect("get").expect("stored").value,
        "v"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_token_reads_and_never_writes() {
    let memory = MemoryBackend::default();
    memory
        .put("/applications/a", "127.0.0.1:1", None, Condition::Always)
        .await
        .expect("seed");
    let options = ApiOptions {
        token: Some("w".into()),
        read_token: Some("r".into()),
        ..ApiOptions::default()
    };
    let server = start(
        loopback(),
        router_with(Registry::new(memory.clone()), options),
        None,
    )
    .await;
    let read = ["Authorization: Bearer r"];
    for path in [
        "/v1/kv/%2Fapplications%2Fa",
        "/v1/kv?prefix=%2F",
        "/fleet/v1/units",
        "/fleet/v1/machines",
        "/v1/revision",
    ] {
        let (status, body) = raw(&server, "GET", path, &read, b"").await;
        assert_eq!(status, 200, "GET {path}: {body}");
    }
    let before = memory.revision().await.expect("revision");
    for (method, path, body) in [
        ("PUT", "/v1/kv/%2Fapplications%2Fb", &br#"{"value":"x"}"#[..]),
        ("DELETE", "/v1/kv/%2Fapplications%2Fa", b""),
        ("POST", "/v1/leases", br#"{"ttl_ms":1000}"#),
        ("POST", "/v1/txn", br#"{"compares":[],"ops":[]}"#),
        (
            "PUT",
            "/fleet/v1/units/a.service",
            br#"{"desiredState":"launched","options":[{"section":"Service","name":"ExecStart","value":"/bin/true"}]}"#,
        ),
    ] {
        let (status, text) = raw(&server, method, path, &read, body).await;
        assert_eq!(status, 403, "{method} {path}: {text}");
        assert!(text.contains("read-only"), "{text}");
    }
    assert_eq!(memory.revision().await.expect("revision"), before);
    let (status, _) = raw(
        &server,
        "PUT",
        "/v1/kv/%2Fapplications%2Fb",
        &["Authorization: Bearer w"],
        br#"{"value":"x"}"#,
    )
    .await;
    assert_eq!(status, 200, "the write token writes");
}

/// What a raw write may touch: the user's keys, and of the cluster's only
/// the records a client owns, each checked as that record. Every refusal
/// leaves the store as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_writes_stay_out_of_the_clusters_keys() {
    use flotta_registry::model::{Drain, TargetState, Unit};
    use flotta_unit_spec::syntax::UnitFile;

    let memory = MemoryBackend::default();
    let registry = Registry::new(memory.clone());
    let server = start(loopback(), router(registry.clone()), None).await;
    let remote = Registry::new(Remote::new(RemoteOptions::new(url(&server))).expect("remote"));
    let put = |key: &str, value: &str| {
        format!(
            "/v1/kv/{}|{}",
            key.replace('/', "%2F"),
            serde_json::json!({ "value": value })
        )
    };
    let file = UnitFile::parse("[Service]\nExecStart=/bin/true\n").expect("unit file");
    let unit = Unit::new("a.service", &file, TargetState::Launched);
    registry.put_unit(&unit, Some(0)).await.expect("unit");
    registry
        .assign("a.service", "m1")
        .await
        .expect("assignment");

    let refused = [
        // The issue's own example: an assignment, anonymously.
        put(
            "/flotta/v1/assignments/evil.service",
            r#"{"unit":"evil.service","machine":"m1"}"#,
        ),
        put("/flotta/v1/machines/m9", "{}"),
        put("/flotta/v1/leader/engine", "m9"),
        put("/flotta/v1/endpoints/web/x", "{}"),
        put("/flotta/v1/states/a.service/m1", "{}"),
        put("/flotta/v1/decisions/a.service", "{}"),
        put("/flotta/v1/plugins/p", "{}"),
    ];
    let before = memory.revision().await.expect("revision");
    for case in &refused {
        let (path, body) = case.split_once('|').expect("case");
        let (status, text) = raw(&server, "PUT", path, &[], body.as_bytes()).await;
        assert_eq!(status, 403, "{path}: {text}");
        assert!(text.contains("cluster's own"), "{text}");
    }
    // A unit record that is not what the typed route would store: 400,
    // naming the key.
    let mut forged = unit.clone();
    forged.name = "b.service".into();
    forged.hash = "0".repeat(40);
    let bad_units = [
        put("/flotta/v1/units/b.service", "not json"),
        put(
            "/flotta/v1/units/b.service",
            &serde_json::to_string(&forged).expect("json"),
        ),
        put(
            "/flotta/v1/units/a.service",
            &serde_json::to_string(&forged).expect("json"),
        ),
    ];
    for case in &bad_units {
        let (path, body) = case.split_once('|').expect("case");
        let (status, text) = raw(&server, "PUT", path, &[], body.as_bytes()).await;
        assert_eq!(status, 400, "{path}: {text}");
        assert!(text.contains("/flotta/v1/units/"), "{text}");
    }
    // A live unit's assignment cannot be dropped; a transaction with one
    // refused op applies none.
    let (status, text) = raw(
        &server,
        "DELETE",
        "/v1/kv/%2Fflotta%2Fv1%2Fassignments%2Fa.service",
        &[],
        b"",
    )
    .await;
    assert_eq!(status, 403, "{text}");
    let txn = serde_json::json!({
        "compares": [],
        "ops": [
            {"put": {"key": "/applications/ok", "value": "127.0.0.1:1"}},
            {"delete": {"key": "/flotta/v1/machines/m1"}}
        ]
    });
    let (status, text) = raw(&server, "POST", "/v1/txn", &[], txn.to_string().as_bytes()).await;
    assert_eq!(status, 403, "{text}");
    assert_eq!(memory.revision().await.expect("revision"), before);

    // What a client does through the registry still works: user keys, a
    // unit's life, a drain.
    remote
        .kv_set("/applications/sample/a", "127.0.0.1:8080", None)
        .await
        .expect("user key");
    let b = Unit::new("b.service", &file, TargetState::Inactive);
    remote.put_unit(&b, Some(0)).await.expect("unit b");
    remote
        .set_target_state("b.service", TargetState::Launched)
        .await
        .expect("target");
    remote
        .put_drain(&Drain {
            machine: "m1".into(),
            reason: "kernel".into(),
        })
        .await
        .expect("drain");
    assert!(remote.delete_drain("m1").await.expect("undrain"));
    assert!(remote.delete_unit("a.service").await.expect("destroy"));
    assert!(registry.unit("a.service").await.expect("read").is_none());
    assert!(registry.placements().await.expect("placements").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_refused_clearly() {
    let memory = MemoryBackend::default();
    let server = start(loopback(), router(Registry::new(memory.clone())), None).await;
    let (status, body) = raw(&server, "POST", "/v1/leases", &[], br#"{"ttl_ms":"x"}"#).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains(r#"ttl_ms: invalid type: string \"x\", expected u64"#),
        "{body}"
    );
    let (status, body) = raw(
        &server,
        "PUT",
        "/v1/kv/k",
        &[],
        br#"{"value":"x","lese":1}"#,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("lese"), "{body}");
    let big = format!(r#"{{"value":"{}"}}"#, "x".repeat(flotta_api::MAX_BODY + 1));
    let (status, body) = raw(&server, "PUT", "/v1/kv/k", &[], big.as_bytes()).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        memory.revision().await.expect("revision"),
        0,
        "nothing written"
    );
    let (status, body) = raw(&server, "GET", "/v1/kv?limit=ten", &[], b"").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("limit"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_keep_their_variant_over_the_wire() {
    let memory = MemoryBackend::default();
    let server = start(loopback(), router(Registry::new(memory.clone())), None).await;
    let remote = Remote::new(RemoteOptions::new(url(&server))).expect("remote");
    let rev = remote
        .put("/a b+c", "1", None, Condition::Absent)
        .await
        .expect("put");
    assert_eq!(
        memory
            .get("/a b+c")
            .await
            .expect("get")
            .expect("key")
            .mod_revision,
        rev
    );
    assert_eq!(
        remote
            .put("/a b+c", "2", None, Condition::ModRevision(rev + 5))
            .await,
        Err(RegistryError::Conflict {
            key: "/a b+c".into(),
            expected: rev + 5,
            actual: rev
        })
    );
    assert_eq!(
        remote.keep_alive(4242).await,
        Err(RegistryError::LeaseNotFound(4242))
    );
    assert!(
        !remote
            .delete("/none", Condition::Always)
            .await
            .expect("delete")
    );
    assert_eq!(remote.get("/none").await, Ok(None));

    // Nothing listening: a backend error naming the server.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let gone = Remote::new(RemoteOptions::new(format!("http://127.0.0.1:{port}"))).expect("remote");
    match gone.revision().await {
        Err(RegistryError::Backend(m)) => {
            assert!(m.starts_with(&format!("http://127.0.0.1:{port}")), "{m}");
            assert!(m.to_lowercase().contains("refused"), "{m}");
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    assert!(matches!(
        Remote::new(RemoteOptions::new("ftp://x")),
        Err(RegistryError::Invalid { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_round_trip_and_a_silent_client_does_not_block_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let certs = TestCerts::create(dir.path()).expect("openssl certs");
    let memory = MemoryBackend::default();
    let tls = TlsFiles {
        cert: certs.cert.clone(),
        key: certs.key.clone(),
    };
    let server = start(loopback(), router(Registry::new(memory.clone())), Some(tls)).await;
    let Listen::Tcp(addr) = server.listen.clone() else {
        panic!("tcp")
    };
    // Connects and never says hello.
    let _silent = TcpStream::connect(addr).await.expect("connect");
    let remote = Remote::new(RemoteOptions {
        ca_file: Some(certs.ca.clone()),
        ..RemoteOptions::new(format!("https://{addr}"))
    })
    .expect("remote");
    let rev = remote
        .put("/t", "tls", None, Condition::Always)
        .await
        .expect("put over TLS");
    assert_eq!(
        remote
            .get("/t")
            .await
            .expect("get")
            .expect("key")
            .mod_revision,
        rev
    );
    // Plain HTTP to the TLS port does not get an answer as HTTP.
    let plain = Remote::new(RemoteOptions::new(format!("http://{addr}"))).expect("remote");
    assert!(matches!(
        plain.revision().await,
        Err(RegistryError::Backend(_))
    ));
    // A client that does not trust the CA refuses the server.
    let other_dir = dir.path().join("other");
    std::fs::create_dir_all(&other_dir).expect("mkdir");
    let other = TestCerts::create(&other_dir).expect("certs");
    let untrusting = Remote::new(RemoteOptions {
        ca_file: Some(other.ca),
        ..RemoteOptions::new(format!("https://{addr}"))
    })
    .expect("remote");
    match untrusting.revision().await {
        Err(RegistryError::Backend(m)) => assert!(m.contains("certificate"), "{m}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unix_socket_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("api.sock");
    let memory = MemoryBackend::default();
    let listen = Listen::Unix(path.clone());
    let server = start(listen, router(Registry::new(memory.clone())), None).await;
    assert_eq!(server.listen, Listen::Unix(path.clone()));
    let remote =
        Remote::new(RemoteOptions::new(format!("unix:{}", path.display()))).expect("remote");
    let registry = Registry::new(remote.clone());
    let mut watch = remote.watch("/u", 0).await.expect("watch");
    let rev = registry.kv_set("/u/1", "one", None).await.expect("set");
    let ev = tokio::time::timeout(Duration::from_secs(10), watch.next())
        .await
        .expect("in time")
        .expect("open")
        .expect("event");
    assert_eq!((ev.kv.key.as_str(), ev.kv.mod_revision), ("/u/1", rev));
    assert_eq!(
        registry.kv_get("/u/1").await.expect("get").as_deref(),
        Some("one")
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path)
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "owner only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_routes_plan_why_drain_endpoints_and_journal() {
    use flotta_agent::journal::{Journal, Stream};
    use flotta_engine::{Engine, EngineOptions};
    use flotta_registry::model::{Endpoint, Machine, TargetState, Unit};
    use flotta_unit_spec::syntax::UnitFile;

    let memory = MemoryBackend::default();
    let registry = Registry::new(memory.clone());
    let id = "4468cdab2f3a4c6e9f1b7a0d5e8c2b91";
    let machine = Machine {
        id: id.into(),
        public_ip: "127.0.0.1".into(),
        ..Machine::default()
    };
    let lease = registry
        .register_machine(&machine, Duration::from_secs(600))
        .await
        .expect("machine");
    let file =
        UnitFile::parse("[Service]\nExecStart=/bin/true\n[X-Fleet]\nConflicts=*@8080.service\n")
            .expect("unit file");
    for name in ["a@8080.service", "b@8080.service"] {
        registry
            .put_unit(&Unit::new(name, &file, TargetState::Launched), None)
            .await
            .expect("unit");
    }
    let state = tempfile::tempdir().expect("tempdir");
    let journal = Journal::open(state.path().join("journal"), 1 << 20).expect("journal");
    journal
        .append("a@8080.service", Stream::Stdout, "hello")
        .expect("append");
    let options = ApiOptions {
        journals: [(id.to_owned(), state.path().to_owned())].into(),
        ..ApiOptions::default()
    };
    let server = start(loopback(), router_with(registry.clone(), options), None).await;
    let remote = Remote::new(RemoteOptions::new(url(&server))).expect("remote");

    let plan = remote.plan().await.expect("plan");
    assert_eq!(plan.actions.len(), 1, "{plan:?}");
    assert_eq!(plan.unplaced.len(), 1, "{plan:?}");
    assert_eq!(plan.unplaced[0].unit, "b@8080.service");

    let mut engine = Engine::new(registry.clone(), EngineOptions::new(id));
    engine.tick(lease).await.expect("engine round");
    let why = remote.why("a@8080.service").await.expect("why a");
    assert_eq!(why.machine.as_deref(), Some(id));
    let why = remote.why("b@8080.service").await.expect("why b");
    assert_eq!(why.machine, None);
    let summary = why.decision.expect("a decision").summary;
    assert!(
        summary.contains("conflicts with a@8080.service"),
        "{summary}"
    );
    let err = remote.why("nope.service").await.unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");

    assert!(remote.drain(id, "kernel upgrade").await.expect("drain") > 0);
    let drains = registry.drains().await.expect("drains").items;
    assert_eq!(
        (drains[0].machine.as_str(), drains[0].reason.as_str()),
        (id, "kernel upgrade")
    );
    assert!(remote.undrain(id).await.expect("undrain"));
    assert!(!remote.undrain(id).await.expect("undrain again"));

    let endpoint = Endpoint {
        service: "web".into(),
        id: "a@8080.service".into(),
        address: "127.0.0.1".into(),
        port: 8080,
        unit: "a@8080.service".into(),
        machine: id.into(),
        tags: vec![],
        weight: None,
        backup: false,
    };
    registry
        .put_endpoint(&endpoint, lease)
        .await
        .expect("endpoint");
    assert_eq!(
        remote.endpoints("web").await.expect("endpoints").items,
        vec![endpoint]
    );

    let mut lines = remote
        .journal(id, "a@8080.service", 10, true)
        .await
        .expect("journal");
    let first = next_line(&mut lines).await;
    assert_eq!(
        (first.stream.as_str(), first.text.as_str()),
        ("stdout", "hello")
    );
    journal
        .append("a@8080.service", Stream::Stderr, "again")
        .expect("append");
    assert_eq!(next_line(&mut lines).await.text, "again");
    let err = remote
        .journal("0000", "a@8080.service", 10, false)
        .await
        .err()
        .expect("unknown machine");
    assert!(
        err.to_string().contains(id),
        "names the machines it serves: {err}"
    );
}

async fn next_line(
    lines: &mut flotta_api::remote::JournalStream,
) -> flotta_api::remote::JournalLine {
    tokio::time::timeout(Duration::from_secs(10), lines.next())
        .await
        .expect("line in time")
        .expect("open")
        .expect("line")
}

/// The journal route joins the unit name into a path under the agent's
/// state dir: a name that is not a unit name (`../../registry`, encoded in
/// the URL) is a 400 naming the field, never a file outside the journal.
#[tokio::test]
async fn journal_refuses_names_that_are_not_unit_names() {
    let state = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(state.path().join("journal")).expect("journal dir");
    // What a traversal would reach: a file beside the journal dir.
    std::fs::write(
        state.path().join("registry.log"),
        "1 out secret registry contents\n",
    )
    .expect("bait");
    let id = "4468cdab2f3a4c6e9f1b7a0d5e8c2b91";
    let options = ApiOptions {
        journals: [(id.to_owned(), state.path().to_owned())].into(),
        ..ApiOptions::default()
    };
    let registry = Registry::new(MemoryBackend::default());
    let server = start(loopback(), router_with(registry, options), None).await;
    for unit in [
        "..%2Fregistry",
        "..%2F..%2Fregistry",
        "..",
        "a%2Fb.service",
        "a%00.service",
        "a%0A.service",
    ] {
        let (status, body) = raw(
            &server,
            "GET",
            &format!("/v1/machines/{id}/units/{unit}/journal"),
            &[],
            b"",
        )
        .await;
        assert_eq!(status, 400, "{unit}: {body}");
        assert!(
            body.contains("unit name"),
            "{unit}: names the field: {body}"
        );
        assert!(!body.contains("secret"), "{unit}: {body}");
    }
    let (status, body) = raw(
        &server,
        "GET",
        &format!("/v1/machines/{id}/units/a@8080.service/journal"),
        &[],
        b"",
    )
    .await;
    assert_eq!(status, 200, "a valid name with no journal yet: {body}");
}
