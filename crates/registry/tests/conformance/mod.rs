//! One conformance suite for every backend: each test takes a [`Harness`]
//! that makes a fresh backend and can make time pass, drop watch connections
//! and compact history in that backend's own way.

use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::kv::{Compare, Condition, KvBackend, TxnOp};
use flotta_registry::model::{Decision, Endpoint, Machine, TargetState, Unit};
use flotta_registry::{Change, Fence, Registry, RegistryError};
use futures::StreamExt;

/// How a backend is driven by the suite.
#[async_trait]
pub trait Harness: Send + Sync {
    /// The backend.
    type Backend: KvBackend + Clone + 'static;
    /// A fresh, empty backend.
    async fn backend(&self) -> Self::Backend;
    /// Makes leases of `ttl` lapse (advance a clock, or wait).
    async fn lapse(&self, backend: &Self::Backend, ttl: Duration);
    /// Cuts every open watch, as a lost connection would.
    async fn disconnect(&self, backend: &Self::Backend);
    /// Drops history up to `revision`.
    async fn compact(&self, backend: &Self::Backend, revision: u64);
}

/// Bounded wait for a condition; never a bare sleep.
pub async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !f().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub const TTL: Duration = Duration::from_secs(2);

fn unit(name: &str) -> Unit {
    Unit {
        name: name.into(),
        contents: "[Service]\nExecStart=/bin/true\n".into(),
        hash: "0".repeat(40),
        target_state: TargetState::Launched,
        created_revision: 0,
        modified_revision: 0,
    }
}

fn machine(n: u8) -> Machine {
    Machine {
        id: format!("{n:032x}"),
        public_ip: format!("127.0.0.{n}"),
        ..Machine::default()
    }
}

pub async fn crud<H: Harness>(h: &H) {
    let r = Registry::new(h.backend().await);
    let rev = r
        .put_unit(&unit("a.service"), Some(0))
        .await
        .expect("create");
    let got = r.unit("a.service").await.expect("get").expect("exists");
    assert_eq!(got.created_revision, rev);
    assert!(matches!(
        r.put_unit(&unit("a.service"), Some(0)).await,
        Err(RegistryError::Conflict { .. })
    ));
    let rev2 = r
        .set_target_state("a.service", TargetState::Inactive)
        .await
        .expect("update");
    assert!(rev2 > rev);
    let got = r.unit("a.service").await.expect("get").expect("exists");
    assert_eq!(
        (
            got.target_state,
            got.created_revision,
            got.modified_revision
        ),
        (TargetState::Inactive, rev, rev2)
    );
    assert!(r.delete_unit("a.service").await.expect("delete"));
    assert_eq!(r.unit("a.service").await.expect("get"), None);
    // Raw keys live at their literal path.
    r.kv_set(
        "/applications/sample/sample.application.1",
        "127.0.0.1:8080",
        None,
    )
    .await
    .expect("set");
    assert_eq!(
        r.kv_list("/applications/sample/").await.expect("ls"),
        [(
            "/applications/sample/sample.application.1".to_string(),
            "127.0.0.1:8080".to_string()
        )]
    );
    assert!(
        r.kv_delete("/applications/sample/sample.application.1")
            .await
            .expect("rm")
    );
}

pub async fn cas_race<H: Harness>(h: &H) {
    let r = Registry::new(h.backend().await);
    let mut tasks = Vec::new();
    for i in 0..32u8 {
        let r = r.clone();
        tasks.push(tokio::spawn(async move {
            r.assign("web@1.service", &machine(i + 1).id).await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => wins += 1,
            Err(RegistryError::Conflict { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(wins, 1, "exactly one engine places the unit");
    let a = &r.assignments().await.expect("list").items[0];
    // Compare-and-delete with a stale revision loses; with the right one wins.
    let stale = flotta_registry::model::Assignment {
        revision: a.revision + 100,
        ..a.clone()
    };
    assert!(matches!(
        r.unassign(&stale).await,
        Err(RegistryError::Conflict { .. })
    ));
    assert!(r.unassign(a).await.expect("unassign"));
}

pub async fn leases_remove_machines_and_endpoints<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    let lease = r
        .register_machine(&machine(1), TTL)
        .await
        .expect("register");
    let other = r
        .register_machine(&machine(2), Duration::from_secs(600))
        .await
        .expect("register");
    let ep = Endpoint {
        service: "sample".into(),
        id: "sample.application.1@8080.service".into(),
        address: "127.0.0.1".into(),
        port: 8080,
        unit: "sample.application.1@8080.service".into(),
        machine: machine(1).id,
        tags: vec![],
        weight: None,
        backup: false,
    };
    r.put_endpoint(&ep, lease).await.expect("endpoint");
    assert_eq!(r.machines().await.expect("list").items.len(), 2);
    assert_eq!(r.endpoints("sample").await.expect("list").items, [ep]);
    h.lapse(&backend, TTL).await;
    r.keep_alive(other)
        .await
        .expect("the other machine's lease lives");
    eventually("machine 1 and its endpoint to expire", || async {
        r.machines()
            .await
            .map(|l| l.items.len() == 1)
            .unwrap_or(false)
            && r.endpoints("sample")
                .await
                .map(|l| l.items.is_empty())
                .unwrap_or(false)
    })
    .await;
    assert!(matches!(
        r.keep_alive(lease).await,
        Err(RegistryError::LeaseNotFound(_))
    ));
    assert!(
        r.put_endpoint(&Endpoint { port: 1, ..r_ep() }, lease)
            .await
            .is_err()
    );
}

fn r_ep() -> Endpoint {
    Endpoint {
        service: "s".into(),
        id: "i".into(),
        address: "127.0.0.1".into(),
        port: 1,
        unit: "u.service".into(),
        machine: "m".into(),
        tags: vec![],
        weight: None,
        backup: false,
    }
}

pub async fn watch_order_and_resume<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    let start = backend.revision().await.expect("revision") + 1;
    let mut watch = Box::pin(r.watch::<Unit>("units", start).await.expect("watch"));
    for i in 0..5 {
        r.put_unit(&unit(&format!("u{i}.service")), None)
            .await
            .expect("put");
    }
    let mut last = 0;
    for i in 0..5 {
        let (rev, change) = tokio::time::timeout(Duration::from_secs(10), watch.next())
            .await
            .expect("event in time")
            .expect("stream open")
            .expect("event");
        assert!(rev > last, "revisions increase");
        last = rev;
        assert!(matches!(change, Change::Put(u) if u.name == format!("u{i}.service")));
    }
    h.disconnect(&backend).await;
    // Changes while disconnected are not lost: resume from last + 1.
    r.delete_unit("u0.service").await.expect("delete");
    r.put_unit(&unit("u5.service"), None).await.expect("put");
    let mut resumed = Box::pin(r.watch::<Unit>("units", last + 1).await.expect("resume"));
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let (_, change) = tokio::time::timeout(Duration::from_secs(10), resumed.next())
            .await
            .expect("event in time")
            .expect("stream open")
            .expect("event");
        seen.push(change);
    }
    assert!(
        matches!(&seen[0], Change::Deleted(n) if n == "u0.service"),
        "{seen:?}"
    );
    assert!(
        matches!(&seen[1], Change::Put(u) if u.name == "u5.service"),
        "{seen:?}"
    );
}

pub async fn compaction_is_reported<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    let first = r.put_unit(&unit("a.service"), None).await.expect("put");
    let rev = r.put_unit(&unit("b.service"), None).await.expect("put");
    h.compact(&backend, rev).await;
    match r.watch::<Unit>("units", first).await {
        Err(RegistryError::Compacted { oldest, .. }) => assert!(oldest > first),
        Err(e) => panic!("expected Compacted, got {e}"),
        Ok(mut s) => {
            // etcd reports compaction on the stream.
            let item = tokio::time::timeout(Duration::from_secs(10), s.next())
                .await
                .expect("in time");
            assert!(
                matches!(item, Some(Err(RegistryError::Compacted { .. }))),
                "{item:?}"
            );
        }
    }
}

pub async fn pagination<H: Harness>(h: &H) {
    let r = Registry::new(h.backend().await);
    for i in 0..10_000 {
        r.put_unit(&unit(&format!("u{i:05}.service")), None)
            .await
            .expect("put");
    }
    let mut after: Option<String> = None;
    let mut names = Vec::new();
    loop {
        let page = r.units(after.as_deref(), 777).await.expect("page");
        assert!(page.items.len() <= 777);
        names.extend(page.items.into_iter().map(|u| u.name));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(names.len(), 10_000);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "key order");
}

pub async fn leader_election<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    let a = backend.grant(TTL).await.expect("lease");
    let b = backend
        .grant(Duration::from_secs(600))
        .await
        .expect("lease");
    let token_a = r
        .campaign("engine", "a", a)
        .await
        .expect("campaign")
        .expect("a leads");
    assert_eq!(r.campaign("engine", "b", b).await.expect("campaign"), None);
    assert_eq!(
        r.leader("engine").await.expect("leader"),
        Some(("a".into(), token_a))
    );
    // a's lease lapses: b takes over with a larger fencing token.
    h.lapse(&backend, TTL).await;
    backend.keep_alive(b).await.expect("b alive");
    eventually("b to lead", || async {
        r.campaign("engine", "b", b).await.ok().flatten().is_some()
    })
    .await;
    let (leader, token_b) = r
        .leader("engine")
        .await
        .expect("leader")
        .expect("someone leads");
    assert_eq!(leader, "b");
    assert!(token_b > token_a, "fencing tokens grow");
    assert!(matches!(
        r.resign("engine", token_a).await,
        Err(RegistryError::Conflict { .. })
    ));
    r.resign("engine", token_b).await.expect("resign");
    assert_eq!(r.leader("engine").await.expect("leader"), None);
}

fn put(key: &str, value: &str) -> TxnOp {
    TxnOp::Put {
        key: key.into(),
        value: value.into(),
        lease: None,
    }
}

async fn value<B: KvBackend>(backend: &B, key: &str) -> Option<String> {
    backend.get(key).await.expect("get").map(|kv| kv.value)
}

/// Multi-key transactions: all writes or none, at one revision, guarded by
/// absence, mod revision and create revision.
pub async fn transactions<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let first = backend
        .put("/t/a", "1", None, Condition::Always)
        .await
        .expect("put a");
    let before = backend.revision().await.expect("revision");
    let mut watch = backend.watch("/t/", before + 1).await.expect("watch");

    // Every comparison holds: both writes, at one revision.
    let done = backend
        .txn(
            &[
                Compare::ModRevision {
                    key: "/t/a".into(),
                    revision: first,
                },
                Compare::CreateRevision {
                    key: "/t/a".into(),
                    revision: first,
                },
                Compare::Absent { key: "/t/b".into() },
            ],
            &[put("/t/b", "2"), TxnOp::Delete { key: "/t/a".into() }],
        )
        .await
        .expect("txn");
    assert!(done.succeeded, "{done:?}");
    assert!(done.revision > before);
    let b = backend.get("/t/b").await.expect("get").expect("b written");
    assert_eq!(
        (b.mod_revision, b.create_revision),
        (done.revision, done.revision)
    );
    assert_eq!(value(&backend, "/t/a").await, None);
    for key in ["/t/b", "/t/a"] {
        let event = tokio::time::timeout(Duration::from_secs(10), watch.next())
            .await
            .expect("event in time")
            .expect("stream open")
            .expect("event");
        assert_eq!(
            (event.kv.key.as_str(), event.kv.mod_revision),
            (key, done.revision),
            "one transaction, one revision"
        );
    }

    // One comparison fails: nothing is written, the revision stays.
    let refused = backend
        .txn(
            &[
                Compare::Absent { key: "/t/c".into() },
                Compare::ModRevision {
                    key: "/t/b".into(),
                    revision: first,
                },
            ],
            &[put("/t/c", "3"), TxnOp::Delete { key: "/t/b".into() }],
        )
        .await
        .expect("txn");
    assert!(!refused.succeeded, "{refused:?}");
    assert_eq!(refused.revision, done.revision);
    assert_eq!(value(&backend, "/t/c").await, None);
    assert_eq!(value(&backend, "/t/b").await.as_deref(), Some("2"));

    // A key's create revision survives updates, not a delete and re-create;
    // a missing key is at 0.
    let updated = backend
        .put("/t/b", "2b", None, Condition::Always)
        .await
        .expect("update b");
    let still = Compare::CreateRevision {
        key: "/t/b".into(),
        revision: done.revision,
    };
    let ok = backend
        .txn(std::slice::from_ref(&still), &[put("/t/d", "4")])
        .await
        .expect("txn");
    assert!(ok.succeeded && ok.revision > updated, "{ok:?}");
    backend
        .delete("/t/b", Condition::Always)
        .await
        .expect("delete b");
    backend
        .put("/t/b", "again", None, Condition::Always)
        .await
        .expect("re-create b");
    let stale = backend
        .txn(&[still], &[put("/t/e", "5")])
        .await
        .expect("txn");
    assert!(!stale.succeeded, "re-created: another create revision");
    let missing = Compare::CreateRevision {
        key: "/t/none".into(),
        revision: 0,
    };
    assert!(backend.txn(&[missing], &[]).await.expect("txn").succeeded);
    assert_eq!(value(&backend, "/t/e").await, None);

    // A put on a lease that does not exist writes nothing at all.
    let on_gone_lease = backend
        .txn(
            &[],
            &[
                put("/t/f", "6"),
                TxnOp::Put {
                    key: "/t/g".into(),
                    value: "7".into(),
                    lease: Some(987_654_321),
                },
            ],
        )
        .await;
    assert!(
        matches!(on_gone_lease, Err(RegistryError::LeaseNotFound(_))),
        "{on_gone_lease:?}"
    );
    assert_eq!(value(&backend, "/t/f").await, None);

    // One key written twice is refused, as etcd refuses it.
    let twice = backend
        .txn(
            &[],
            &[put("/t/h", "8"), TxnOp::Delete { key: "/t/h".into() }],
        )
        .await;
    assert!(
        matches!(twice, Err(RegistryError::Invalid { .. })),
        "{twice:?}"
    );
    assert_eq!(value(&backend, "/t/h").await, None);
}

/// Writes under a leader's fence land while it leads and are refused, as
/// `Fenced`, once another engine leads; a stale assignment is a conflict.
pub async fn fenced_writes<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    let a = backend
        .grant(Duration::from_secs(600))
        .await
        .expect("lease");
    let b = backend
        .grant(Duration::from_secs(600))
        .await
        .expect("lease");
    let term_a = r
        .campaign("engine", "a", a)
        .await
        .expect("campaign")
        .expect("a leads");
    let fence_a = Fence::new("engine", term_a);
    let placed = r
        .assign_fenced("web@1.service", &machine(1).id, &fence_a)
        .await
        .expect("a places");
    assert!(matches!(
        r.assign_fenced("web@1.service", &machine(2).id, &fence_a)
            .await,
        Err(RegistryError::Conflict { .. })
    ));
    let moved = r
        .reassign_fenced(&placed, &machine(2).id, &fence_a)
        .await
        .expect("a moves it in one write");
    assert_eq!(
        r.placements().await.expect("placements")["web@1.service"],
        machine(2).id
    );
    assert!(matches!(
        r.reassign_fenced(&placed, &machine(3).id, &fence_a).await,
        Err(RegistryError::Conflict { .. })
    ));
    let decision = Decision {
        unit: "web@2.service".into(),
        summary: "no machine".into(),
        detail: serde_json::Value::Null,
        term: term_a,
    };
    r.put_decision_fenced(&decision, &fence_a)
        .await
        .expect("a decides");

    // a's lease ends; b is elected: nothing a writes lands any more.
    backend.revoke(a).await.expect("revoke a");
    let term_b = r
        .campaign("engine", "b", b)
        .await
        .expect("campaign")
        .expect("b leads");
    let before = r.placements().await.expect("placements");
    let fenced = |e: &RegistryError| matches!(e, RegistryError::Fenced { term, current, .. } if *term == term_a && *current == term_b);
    let e = r
        .assign_fenced("web@3.service", &machine(1).id, &fence_a)
        .await
        .expect_err("a is fenced");
    assert!(fenced(&e), "{e}");
    let e = r
        .unassign_fenced(&moved, &fence_a)
        .await
        .expect_err("a is fenced");
    assert!(fenced(&e), "{e}");
    let e = r
        .reassign_fenced(&moved, &machine(1).id, &fence_a)
        .await
        .expect_err("a is fenced");
    assert!(fenced(&e), "{e}");
    let e = r
        .delete_decision_fenced("web@2.service", &fence_a)
        .await
        .expect_err("a is fenced");
    assert!(fenced(&e), "{e}");
    assert_eq!(r.placements().await.expect("placements"), before);
    assert!(r.decision("web@2.service").await.expect("read").is_some());

    // b's fence holds.
    let fence_b = Fence::new("engine", term_b);
    r.unassign_fenced(&moved, &fence_b)
        .await
        .expect("b unassigns");
    r.delete_decision_fenced("web@2.service", &fence_b)
        .await
        .expect("b clears");
    assert!(r.placements().await.expect("placements").is_empty());
}

pub async fn bad_data_is_skipped<H: Harness>(h: &H) {
    let backend = h.backend().await;
    let r = Registry::new(backend.clone());
    r.put_unit(&unit("good.service"), None).await.expect("put");
    backend
        .put(
            "/flotta/v1/units/broken.service",
            "{not json",
            None,
            Condition::Always,
        )
        .await
        .expect("raw put");
    backend
        .put(
            "/flotta/v1/units/future.service",
            r#"{"v":99,"name":"x"}"#,
            None,
            Condition::Always,
        )
        .await
        .expect("raw put");
    let page = r.units(None, 100).await.expect("list");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.skipped.len(), 2);
    let text: Vec<String> = page.skipped.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("/flotta/v1/units/broken.service")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("unknown version 99")),
        "{text:?}"
    );
    assert!(r.unit("broken.service").await.is_err());
}

/// Runs every test of the suite.
#[macro_export]
macro_rules! conformance {
    ($harness:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn crud() {
            conformance::crud(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn cas_race() {
            conformance::cas_race(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn leases_remove_machines_and_endpoints() {
            conformance::leases_remove_machines_and_endpoints(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn watch_order_and_resume() {
            conformance::watch_order_and_resume(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn compaction_is_reported() {
            conformance::compaction_is_reported(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn pagination() {
            conformance::pagination(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn leader_election() {
            conformance::leader_election(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn transactions() {
            conformance::transactions(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn fenced_writes() {
            conformance::fenced_writes(&$harness).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn bad_data_is_skipped() {
            conformance::bad_data_is_skipped(&$harness).await
        }
    };
}
