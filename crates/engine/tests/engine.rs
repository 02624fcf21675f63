//! The engine on the memory backend and on a real etcd: placement with
//! fleet's rules, decisions for what cannot be placed, a vanished machine's
//! units moving after the grace period (a new leader's too), and a leader
//! paused past its lease writing nothing once another leads.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use flotta_engine::{ELECTION, Engine, EngineOptions};
use flotta_registry::kv::{
    Compare, Condition, EventStream, KeyValue, KvBackend, Page, TxnOp, TxnOutcome,
};
use flotta_registry::model::{Machine, TargetState, Unit};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, LeaseId, MemoryBackend, Registry};
use flotta_unit_spec::syntax::UnitFile;
use tokio::sync::Notify;

const LIMIT: Duration = Duration::from_secs(20);
const SEED: &str = "[Service]\nExecStart=/bin/true\n[X-Fleet]\nConflicts=*@%i.service\n";

fn machine_id(n: usize) -> String {
    format!("{n:032x}")
}

async fn machine<B: KvBackend>(registry: &Registry<B>, n: usize, ttl: Duration) -> LeaseId {
    let m = Machine {
        id: machine_id(n),
        public_ip: format!("127.0.0.{n}"),
        ..Machine::default()
    };
    registry.register_machine(&m, ttl).await.expect("register")
}

/// A memory registry with machines 1..=`n` on minute-long leases.
async fn memory_cluster(n: usize) -> (Registry<MemoryBackend>, Vec<LeaseId>) {
    let registry = Registry::new(MemoryBackend::default());
    let mut leases = Vec::new();
    for m in 1..=n {
        leases.push(machine(&registry, m, Duration::from_secs(60)).await);
    }
    (registry, leases)
}

async fn submit<B: KvBackend>(registry: &Registry<B>, name: &str) {
    let file = UnitFile::parse(SEED).expect("unit");
    registry
        .put_unit(&Unit::new(name, &file, TargetState::Launched), None)
        .await
        .expect("submit");
}

async fn placed<B: KvBackend>(registry: &Registry<B>) -> BTreeMap<String, String> {
    registry
        .assignments()
        .await
        .expect("assignments")
        .items
        .into_iter()
        .map(|a| (a.unit, a.machine))
        .collect()
}

/// No two instances on one port share a machine.
fn assert_no_conflicts(placed: &BTreeMap<String, String>) {
    let mut seen = BTreeMap::new();
    for (unit, machine) in placed {
        let port = unit.rsplit_once('@').map(|(_, p)| p).unwrap_or_default();
        if let Some(other) = seen.insert((port.to_owned(), machine.clone()), unit.clone()) {
            panic!("{unit} and {other} share {machine}");
        }
    }
}

#[tokio::test]
async fn places_like_fleet_and_explains_the_rest() {
    let (registry, leases) = memory_cluster(3).await;
    for n in [1, 2, 3, 5] {
        submit(&registry, &format!("sample.application.{n}@8080.service")).await;
    }
    submit(&registry, "sample.application@.service").await; // a template: never placed
    let mut a = Engine::new(registry.clone(), EngineOptions::new(machine_id(1)));
    let mut b = Engine::new(registry.clone(), EngineOptions::new(machine_id(2)));
    let first = a.tick(leases[0]).await.expect("tick");
    let second = b.tick(leases[1]).await.expect("tick");
    assert!(
        first.leader && !second.leader,
        "one leader: {first:?} {second:?}"
    );
    assert_eq!(first.applied.len(), 3);
    let now = placed(&registry).await;
    assert_eq!(now.len(), 3, "{now:?}");
    assert_no_conflicts(&now);
    let why = registry
        .decision("sample.application.5@8080.service")
        .await
        .expect("read")
        .expect("a decision");
    assert!(why.summary.contains("conflicts with"), "{why:?}");

    // Stable: a second round changes nothing. Stop one: its decision goes.
    let again = a.tick(leases[0]).await.expect("tick");
    assert!(again.applied.is_empty(), "{again:?}");
    registry
        .set_target_state("sample.application.1@8080.service", TargetState::Inactive)
        .await
        .expect("unload");
    let round = a.tick(leases[0]).await.expect("tick");
    assert_eq!(round.applied.len(), 2, "unschedule 1, place 5: {round:?}");
    assert!(
        registry
            .decision("sample.application.5@8080.service")
            .await
            .expect("read")
            .is_none()
    );
    // Destroyed units lose their assignment.
    registry
        .delete_unit("sample.application.2@8080.service")
        .await
        .expect("destroy");
    a.tick(leases[0]).await.expect("tick");
    assert!(
        !placed(&registry)
            .await
            .contains_key("sample.application.2@8080.service")
    );
}

/// A stored record the engine cannot read (a newer writer's version) or a
/// unit file that no longer parses is no reason to unschedule: the
/// assignment stays as it is until the record is readable again.
#[tokio::test]
async fn an_unreadable_unit_keeps_its_assignment() {
    let (registry, leases) = memory_cluster(2).await;
    for name in ["a@1.service", "b@2.service"] {
        submit(&registry, name).await;
    }
    let mut engine = Engine::new(registry.clone(), EngineOptions::new(machine_id(1)));
    engine.tick(leases[0]).await.expect("tick");
    let before = placed(&registry).await;
    assert_eq!(before.len(), 2, "{before:?}");

    // a: a record of a version this flotta does not read; b: unknown
    // fields are read past, but its file no longer parses.
    let key = |unit: &str| format!("{}units/{unit}", flotta_registry::registry::DEFAULT_PREFIX);
    let backend = registry.backend();
    let newer = r#"{"v":2,"name":"a@1.service"}"#;
    let unparsable = r#"{"v":1,"future":true,"name":"b@2.service","contents":"[Service\n","hash":"00","targetState":"launched"}"#;
    for (unit, value) in [("a@1.service", newer), ("b@2.service", unparsable)] {
        backend
            .put(&key(unit), value, None, flotta_registry::Condition::Always)
            .await
            .expect("overwrite");
    }
    let listed = registry.all_units().await.expect("units");
    assert_eq!(
        listed.unreadable().into_iter().collect::<Vec<_>>(),
        ["a@1.service"]
    );
    assert_eq!(listed.items.len(), 1, "unknown fields are read past");
    for _ in 0..3 {
        let round = engine.tick(leases[0]).await.expect("tick");
        assert!(round.applied.is_empty(), "{round:?}");
    }
    assert_eq!(placed(&registry).await, before);

    // Gone for real: now it is unscheduled.
    backend
        .delete(&key("a@1.service"), flotta_registry::Condition::Always)
        .await
        .expect("delete");
    engine.tick(leases[0]).await.expect("tick");
    assert!(!placed(&registry).await.contains_key("a@1.service"));
}

#[tokio::test]
async fn a_vanished_machine_keeps_its_units_for_the_grace_period() {
    let (registry, leases) = memory_cluster(3).await;
    for n in 1..=2 {
        submit(&registry, &format!("web.{n}@9000.service")).await;
    }
    let mut options = EngineOptions::new(machine_id(3));
    options.grace = Duration::from_millis(500);
    let mut engine = Engine::new(registry.clone(), options);
    engine.tick(leases[2]).await.expect("tick");
    let before = placed(&registry).await;
    let (lost_unit, lost_machine) = before
        .iter()
        .find(|(_, m)| **m != machine_id(3))
        .map(|(u, m)| (u.clone(), m.clone()))
        .expect("a unit on another machine");
    let lost_lease = leases[usize::from(lost_machine != machine_id(1))];
    registry.revoke(lost_lease).await.expect("the machine dies");

    // Within the grace period the unit stays where it was...
    let round = engine.tick(leases[2]).await.expect("tick");
    assert_eq!(placed(&registry).await.get(&lost_unit), Some(&lost_machine));
    assert!(round.applied.is_empty(), "{round:?}");
    // ...after it, it moves to the machine left without a 9000 instance.
    let start = Instant::now();
    let moved = loop {
        engine.tick(leases[2]).await.expect("tick");
        let now = placed(&registry).await;
        if let Some(m) = now.get(&lost_unit).filter(|m| **m != lost_machine) {
            assert_no_conflicts(&now);
            break m.clone();
        }
        assert!(start.elapsed() < LIMIT, "never moved: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        moved,
        machine_id(3),
        "the only machine without a 9000 instance"
    );
}

/// The new leader gives a machine that vanished with the old leader (its
/// own) a full grace from the takeover: it cannot know when it went.
#[tokio::test]
async fn a_new_leader_gives_the_old_leaders_machine_its_grace() {
    let (registry, leases) = memory_cluster(3).await;
    for n in 1..=2 {
        submit(&registry, &format!("web.{n}@9000.service")).await;
    }
    let grace = Duration::from_millis(500);
    let options = |n: usize| {
        let mut o = EngineOptions::new(machine_id(n));
        o.grace = grace;
        o
    };
    let mut old = Engine::new(registry.clone(), options(1));
    let mut new = Engine::new(registry.clone(), options(2));
    assert!(old.tick(leases[0]).await.expect("tick").leader);
    assert!(!new.tick(leases[1]).await.expect("tick").leader);
    let before = placed(&registry).await;
    let lost_unit = before
        .iter()
        .find(|(_, m)| **m == machine_id(1))
        .map(|(u, _)| u.clone())
        .expect("a unit on the leader's machine");

    // The leader's machine dies, its leadership with it.
    registry.revoke(leases[0]).await.expect("the machine dies");
    let takeover = Instant::now();
    let round = new.tick(leases[1]).await.expect("tick");
    assert!(round.leader, "{round:?}");
    assert_eq!(
        placed(&registry).await,
        before,
        "nothing moves right after the takeover: {round:?}"
    );
    // After the grace it moves to the machine left without a 9000 instance.
    let moved = loop {
        new.tick(leases[1]).await.expect("tick");
        let now = placed(&registry).await;
        if let Some(m) = now.get(&lost_unit).filter(|m| **m != machine_id(1)) {
            assert!(
                takeover.elapsed() >= grace,
                "moved {:?} after the takeover, before the grace of {grace:?}",
                takeover.elapsed()
            );
            assert_no_conflicts(&now);
            break m.clone();
        }
        assert!(takeover.elapsed() < LIMIT, "never moved: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(moved, machine_id(3));
}

/// A backend that, once armed, holds the first write other than a campaign
/// until released: a leader paused mid-round, after it read the cluster.
struct Paused<B> {
    inner: B,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    armed: AtomicBool,
    reached: Notify,
    release: Notify,
}

impl<B> Paused<B> {
    async fn hold(&self, key: &str) {
        if !key.contains("/leader/") && self.gate.armed.swap(false, Ordering::SeqCst) {
            self.gate.reached.notify_one();
            self.gate.release.notified().await;
        }
    }
}

#[async_trait]
impl<B: KvBackend> KvBackend for Paused<B> {
    async fn get(&self, key: &str) -> flotta_registry::Result<Option<KeyValue>> {
        self.inner.get(key).await
    }

    async fn range(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> flotta_registry::Result<Page> {
        self.inner.range(prefix, after, limit).await
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> flotta_registry::Result<u64> {
        self.hold(key).await;
        self.inner.put(key, value, lease, condition).await
    }

    async fn delete(&self, key: &str, condition: Condition) -> flotta_registry::Result<bool> {
        self.hold(key).await;
        self.inner.delete(key, condition).await
    }

    async fn txn(
        &self,
        compares: &[Compare],
        ops: &[TxnOp],
    ) -> flotta_registry::Result<TxnOutcome> {
        if let Some(op) = ops.first() {
            self.hold(op.key()).await;
        }
        self.inner.txn(compares, ops).await
    }

    async fn grant(&self, ttl: Duration) -> flotta_registry::Result<LeaseId> {
        self.inner.grant(ttl).await
    }

    async fn keep_alive(&self, lease: LeaseId) -> flotta_registry::Result<Duration> {
        self.inner.keep_alive(lease).await
    }

    async fn revoke(&self, lease: LeaseId) -> flotta_registry::Result<()> {
        self.inner.revoke(lease).await
    }

    async fn watch(
        &self,
        prefix: &str,
        from_revision: u64,
    ) -> flotta_registry::Result<EventStream> {
        self.inner.watch(prefix, from_revision).await
    }

    async fn revision(&self) -> flotta_registry::Result<u64> {
        self.inner.revision().await
    }
}

/// On a real etcd: the leader reads the cluster and stalls before its first
/// write, past its lease; another engine is elected and places units; the
/// old leader resumes mid-round, and none of its writes land.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_paused_past_its_lease_writes_nothing_when_it_resumes() {
    let etcd = EtcdServer::start().expect("etcd");
    let backend = EtcdBackend::connect(&EtcdOptions::new([etcd.client_url()]))
        .await
        .expect("connect");
    let registry = Registry::new(backend.clone());
    let gate = Arc::new(Gate::default());
    let paused = Registry::new(Paused {
        inner: backend,
        gate: gate.clone(),
    });
    // The old leader's machine is on a short lease nobody renews.
    let short = machine(&registry, 1, Duration::from_secs(2)).await;
    let long = machine(&registry, 2, Duration::from_secs(60)).await;
    machine(&registry, 3, Duration::from_secs(60)).await;
    for n in 1..=3 {
        submit(&registry, &format!("web.{n}@9000.service")).await;
    }
    let mut old = Engine::new(paused, EngineOptions::new(machine_id(1)));
    let mut new = Engine::new(registry.clone(), EngineOptions::new(machine_id(2)));

    gate.armed.store(true, Ordering::SeqCst);
    let others = async {
        tokio::time::timeout(LIMIT, gate.reached.notified())
            .await
            .expect("the old leader reaches its first write");
        let start = Instant::now();
        while registry.leader(ELECTION).await.expect("leader").is_some() {
            assert!(
                start.elapsed() < LIMIT,
                "the old leader's lease never expired"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let round = new.tick(long).await.expect("tick");
        assert!(round.leader && !round.applied.is_empty(), "{round:?}");
        let placed_by_new = placed(&registry).await;
        gate.release.notify_one();
        placed_by_new
    };
    let (resumed, placed_by_new) =
        tokio::time::timeout(LIMIT * 2, async { tokio::join!(old.tick(short), others) })
            .await
            .expect("both rounds end");
    let resumed = resumed.expect("the old leader's round");

    let now = placed(&registry).await;
    assert_no_conflicts(&now);
    assert_eq!(now, placed_by_new, "the old leader wrote: {resumed:?}");
    assert!(
        resumed.fenced && !resumed.leader && resumed.applied.is_empty(),
        "{resumed:?}"
    );
    assert!(!old.is_leader());
}

#[tokio::test]
async fn a_drained_machine_loses_its_units_and_gets_no_new_ones() {
    let (registry, leases) = memory_cluster(3).await;
    for n in 1..=2 {
        submit(&registry, &format!("web.{n}@9000.service")).await;
    }
    let mut engine = Engine::new(registry.clone(), EngineOptions::new(machine_id(1)));
    engine.tick(leases[0]).await.expect("tick");
    let before = placed(&registry).await;
    assert_eq!(before.get("web.1@9000.service"), Some(&machine_id(1)));

    registry
        .put_drain(&flotta_registry::model::Drain {
            machine: machine_id(1),
            reason: "kernel upgrade".into(),
        })
        .await
        .expect("drain");
    engine.tick(leases[0]).await.expect("tick");
    let drained = placed(&registry).await;
    assert_eq!(
        drained.get("web.1@9000.service"),
        Some(&machine_id(3)),
        "{drained:?}"
    );
    submit(&registry, "web.3@9001.service").await;
    engine.tick(leases[0]).await.expect("tick");
    let now = placed(&registry).await;
    assert!(now.values().all(|m| *m != machine_id(1)), "{now:?}");
    assert_no_conflicts(&now);

    // Undrained, it takes new units again; placed ones stay where they are.
    assert!(
        registry
            .delete_drain(&machine_id(1))
            .await
            .expect("undrain")
    );
    let round = engine.tick(leases[0]).await.expect("tick");
    assert!(round.applied.is_empty(), "{round:?}");
}

/// Metadata set through the registry (fleet's `PATCH /machines`) is what
/// the engine places by: a unit wanting it waits until a machine has it.
#[tokio::test]
async fn set_metadata_places_a_waiting_unit() {
    let (registry, leases) = memory_cluster(2).await;
    let file =
        UnitFile::parse("[Service]\nExecStart=/bin/true\n[X-Fleet]\nMachineMetadata=disk=ssd\n")
            .expect("unit");
    registry
        .put_unit(&Unit::new("db.service", &file, TargetState::Launched), None)
        .await
        .expect("submit");
    let mut engine = Engine::new(registry.clone(), EngineOptions::new(machine_id(1)));
    engine.tick(leases[0]).await.expect("tick");
    assert!(placed(&registry).await.is_empty());
    registry
        .set_machine_metadata(&flotta_registry::model::MachineMetadata {
            machine: machine_id(2),
            key: "disk".into(),
            value: "ssd".into(),
        })
        .await
        .expect("set metadata");
    engine.tick(leases[0]).await.expect("tick");
    assert_eq!(
        placed(&registry).await.get("db.service"),
        Some(&machine_id(2))
    );
}

/// A unit replaced with contents that no longer fit its machine (fleet's
/// `--replace`) moves to one they fit.
#[tokio::test]
async fn a_replaced_unit_that_no_longer_fits_moves() {
    let (registry, leases) = memory_cluster(2).await;
    registry
        .set_machine_metadata(&flotta_registry::model::MachineMetadata {
            machine: machine_id(2),
            key: "disk".into(),
            value: "ssd".into(),
        })
        .await
        .expect("set metadata");
    submit(&registry, "db@1.service").await;
    registry
        .assign("db@1.service", &machine_id(1))
        .await
        .expect("assign");
    let mut engine = Engine::new(registry.clone(), EngineOptions::new(machine_id(1)));
    let round = engine.tick(leases[0]).await.expect("tick");
    assert!(round.applied.is_empty(), "it fits where it is: {round:?}");

    // Replaced: now it wants an SSD, which only machine 2 has.
    let stored = registry
        .unit("db@1.service")
        .await
        .expect("read")
        .expect("stored");
    let file = UnitFile::parse(&format!("{SEED}MachineMetadata=disk=ssd\n")).expect("unit");
    registry
        .put_unit(
            &Unit::new("db@1.service", &file, stored.target_state),
            Some(stored.modified_revision),
        )
        .await
        .expect("replace");
    engine.tick(leases[0]).await.expect("tick");
    assert_eq!(
        placed(&registry).await.get("db@1.service"),
        Some(&machine_id(2))
    );
}
