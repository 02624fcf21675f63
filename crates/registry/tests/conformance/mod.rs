//! One conformance suite for every backend: each test takes a [`Harness`]
//! that makes a fresh backend and can make time pass, drop watch connections
//! and compact history in that backend's own way.

use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::kv::{Condition, KvBackend};
use flotta_registry::model::{Endpoint, Machine, TargetState, Unit};
use flotta_registry::{Change, Registry, RegistryError};
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
        async fn bad_data_is_skipped() {
            conformance::bad_data_is_skipped(&$harness).await
        }
    };
}
