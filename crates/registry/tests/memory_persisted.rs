//! The conformance suite on the memory backend persisted to a log file, and
//! a restart that loses nothing.

mod conformance;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Machine, TargetState, Unit};
use flotta_registry::{ManualClock, MemoryBackend, MemoryOptions, Registry};

struct Persisted {
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

impl Persisted {
    fn new() -> Self {
        Persisted {
            clock: Arc::new(ManualClock::default()),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn open(&self) -> MemoryBackend {
        MemoryBackend::open(
            &self.dir.path().join("registry.log"),
            self.clock.clone(),
            MemoryOptions::default(),
        )
        .expect("open log")
    }
}

#[async_trait]
impl conformance::Harness for Persisted {
    type Backend = MemoryBackend;

    async fn backend(&self) -> MemoryBackend {
        self.open()
    }

    async fn lapse(&self, backend: &MemoryBackend, ttl: Duration) {
        self.clock.advance(ttl + Duration::from_millis(1));
        backend.tick();
    }

    async fn disconnect(&self, backend: &MemoryBackend) {
        backend.disconnect_watchers();
    }

    async fn compact(&self, backend: &MemoryBackend, revision: u64) {
        backend.compact(revision);
    }
}

conformance!(Persisted::new());

#[tokio::test]
async fn a_restart_loses_nothing() {
    let h = Persisted::new();
    let (rev, lease) = {
        let r = Registry::new(h.open());
        let unit = Unit {
            name: "a.service".into(),
            contents: "[Service]\nExecStart=/bin/true\n".into(),
            hash: "0".repeat(40),
            target_state: TargetState::Launched,
            created_revision: 0,
            modified_revision: 0,
        };
        r.put_unit(&unit, Some(0)).await.expect("put");
        let m = Machine {
            id: format!("{:032x}", 7),
            ..Machine::default()
        };
        let lease = r
            .register_machine(&m, Duration::from_secs(30))
            .await
            .expect("machine");
        r.kv_set("/applications/sample/a", "127.0.0.1:8080", None)
            .await
            .expect("kv");
        (r.backend().revision().await.expect("rev"), lease)
    };
    // Reopen: same data, same revisions, leases resumed.
    let backend = h.open();
    let r = Registry::new(backend.clone());
    assert_eq!(backend.revision().await.expect("rev"), rev);
    assert_eq!(
        r.unit("a.service")
            .await
            .expect("get")
            .expect("kept")
            .target_state,
        TargetState::Launched
    );
    assert_eq!(
        r.kv_get("/applications/sample/a")
            .await
            .expect("get")
            .as_deref(),
        Some("127.0.0.1:8080")
    );
    assert_eq!(r.machines().await.expect("list").items.len(), 1);
    r.keep_alive(lease)
        .await
        .expect("the lease survived the restart");
    // New writes continue the revision sequence.
    let next = r
        .kv_set("/applications/sample/b", "x", None)
        .await
        .expect("kv");
    assert_eq!(next, rev + 1);
    // The machine goes when its lease does, after the restart too.
    h.clock.advance(Duration::from_secs(31));
    backend.tick();
    assert!(r.machines().await.expect("list").items.is_empty());
    drop(r);
    let r = Registry::new(h.open());
    assert!(
        r.machines().await.expect("list").items.is_empty(),
        "expiry was persisted"
    );
}

/// A transaction is one line of the log: after a restart its writes are all
/// there, at one revision; a crash that tears that line loses all of them.
#[tokio::test]
async fn a_transaction_survives_a_restart_whole_or_not_at_all() {
    use flotta_registry::kv::TxnOp;
    let h = Persisted::new();
    let put = |key: &str| TxnOp::Put {
        key: key.into(),
        value: "v".into(),
        lease: None,
    };
    let first = {
        let backend = h.open();
        let first = backend
            .txn(&[], &[put("/t/a"), put("/t/b")])
            .await
            .expect("txn");
        assert!(first.succeeded);
        backend
            .txn(&[], &[put("/t/c"), put("/t/d")])
            .await
            .expect("txn");
        first
    };
    // Tear the last record: its second half never reached the disk.
    let log = h.dir.path().join("registry.log");
    let text = std::fs::read_to_string(&log).expect("read log");
    let last = text.trim_end().rfind('\n').map_or(0, |n| n + 1);
    let torn = last + (text.len() - last) / 2;
    std::fs::write(&log, &text[..torn]).expect("tear the log");

    let backend = h.open();
    for key in ["/t/a", "/t/b"] {
        let kv = backend.get(key).await.expect("get").expect("kept");
        assert_eq!(kv.mod_revision, first.revision, "{key}");
    }
    for key in ["/t/c", "/t/d"] {
        assert_eq!(backend.get(key).await.expect("get"), None, "{key}");
    }
    assert_eq!(backend.revision().await.expect("rev"), first.revision);
}
