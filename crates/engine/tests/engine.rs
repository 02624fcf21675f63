//! The engine on the memory backend and on a real etcd: placement with
//! fleet's rules, decisions for what cannot be placed, a vanished machine's
//! units moving after the grace period, and leadership changing hands
//! without a unit ever placed twice.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use flotta_engine::{Engine, EngineOptions, Round};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Machine, TargetState, Unit};
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, LeaseId, MemoryBackend, Registry};
use flotta_unit_spec::syntax::UnitFile;

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

/// Two engines tick concurrently on a real etcd while leadership is taken
/// away again and again (leases revoked under the leader): every unit ends
/// placed once, never two instances of a port on one machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leadership_changes_hands_without_double_placement() {
    let etcd = EtcdServer::start().expect("etcd");
    let registry = Registry::new(
        EtcdBackend::connect(&EtcdOptions::new([etcd.client_url()]))
            .await
            .expect("connect"),
    );
    let ttl = Duration::from_secs(30);
    let mut leases = [
        machine(&registry, 1, ttl).await,
        machine(&registry, 2, ttl).await,
        machine(&registry, 3, ttl).await,
    ];
    let units: Vec<String> = (1..=12)
        .map(|n| format!("app.{n}@{}.service", 7000 + n % 4))
        .collect();
    let mut engines = [
        Engine::new(registry.clone(), EngineOptions::new(machine_id(1))),
        Engine::new(registry.clone(), EngineOptions::new(machine_id(2))),
    ];
    let mut leaders = BTreeMap::new();
    for (i, unit) in units.iter().enumerate() {
        submit(&registry, unit).await;
        // Both engines run a round at the same time.
        let (ra, rb) = {
            let [a, b] = &mut engines;
            tokio::join!(a.tick(leases[0]), b.tick(leases[1]))
        };
        let (ra, rb): (Round, Round) = (ra.expect("tick a"), rb.expect("tick b"));
        assert!(!(ra.leader && rb.leader), "two leaders in one round");
        if ra.leader {
            *leaders.entry("a").or_insert(0) += 1;
        }
        if rb.leader {
            *leaders.entry("b").or_insert(0) += 1;
        }
        assert_no_conflicts(&placed(&registry).await);
        // Every third unit, the leader's machine dies and comes back.
        // the other engine takes over before the machine comes back.
        if i % 3 == 2 {
            let k = usize::from(rb.leader);
            registry.revoke(leases[k]).await.expect("revoke");
            let other = engines[1 - k].tick(leases[1 - k]).await.expect("tick");
            assert!(other.leader, "the other engine takes over");
            leases[k] = machine(&registry, k + 1, ttl).await;
        }
    }
    let start = Instant::now();
    loop {
        let (ra, rb) = {
            let [a, b] = &mut engines;
            tokio::join!(a.tick(leases[0]), b.tick(leases[1]))
        };
        let quiet =
            ra.expect("tick a").applied.is_empty() && rb.expect("tick b").applied.is_empty();
        let now = placed(&registry).await;
        assert_no_conflicts(&now);
        if quiet && now.len() == units.len() {
            break;
        }
        assert!(start.elapsed() < LIMIT, "never settled: {now:?}");
    }
    assert_eq!(
        leaders.len(),
        2,
        "both engines led at some point: {leaders:?}"
    );
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
